"""The enrich stage: bronze articles not yet in silver -> ``silver/articles``,
``silver/sentences``, ``silver/mentions`` and ``silver/article_entities``.

Reads and writes tables here only; the NLP is :func:`newslake.silver.annotate.annotate`, the
rest the pure transformations of :mod:`newslake.silver.transform`.
"""

from __future__ import annotations

from typing import Dict

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from newslake import io
from newslake.config import Settings
from newslake.runs import RunContext
from newslake.schemas import (
    BRONZE_ARTICLES,
    SILVER_ARTICLE_ENTITIES,
    SILVER_ARTICLES,
    SILVER_MENTIONS,
    SILVER_SENTENCES,
)
from newslake.silver import transform as S
from newslake.silver.annotate import annotate, linking_resources

SILVER_TABLES = {
    "sentences": (SILVER_SENTENCES, ["article_id", "sentence_index"]),
    "mentions": (SILVER_MENTIONS, ["article_id", "sentence_index", "company_id", "country"]),
    "article_entities": (SILVER_ARTICLE_ENTITIES, ["article_id", "company_id"]),
    "articles": (SILVER_ARTICLES, ["article_id"]),
}


def run_enrich(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> Dict[str, int]:
    """Bronze articles not yet in silver -> the four silver tables (``silver/articles`` last:
    an article there marks the whole article as done)."""
    from newslake.nlp.sentiment import load_configured_model, score_sentences

    enrich = settings.enrich
    bronze = io.read_table(spark, settings.table_path("bronze", "articles"), BRONZE_ARTICLES)
    paths = {name: settings.table_path("silver", name) for name in SILVER_TABLES}
    todo = bronze
    if not full_refresh:
        done = io.read_table(spark, paths["articles"], SILVER_ARTICLES).select("article_id")
        todo = bronze.join(done, "article_id", "left_anti")
    todo = (
        todo.transform(S.in_languages, enrich.languages)
        .transform(S.with_clean_text, enrich.widget_pattern, enrich.chrome_line_patterns)
        .transform(S.with_iso_week, "published_at")
        .select("article_id", "title", "url", "source", "language", "published_at", "date_source",
                "iso_year", "iso_week", "week_start", "clean_text", "publisher_sentiment")
    ).persist()
    persisted = [todo]
    try:
        articles_in = todo.count()
        if articles_in == 0:
            return {"rows_in": 0, "rows_out": 0, "sentences": 0, "mentions": 0, "article_entities": 0}
        model = load_configured_model(spark, settings.models_dir(), enrich.sentiment_model)
        with linking_resources(spark, settings.paths.gazetteer, enrich) as resources:
            found = annotate(todo, resources, enrich)
            scored = score_sentences(model, found.sentences).persist()
            country_mentions = found.countries.persist()
            persisted += [scored, country_mentions]
            # Sentiment toward each company: the entity-targeted model scores the sentence with the
            # company's surface form (or "the company") marked; a sentence-only model ignores it.
            per_sentence = S.mentions_per_sentence(found.companies).join(
                found.sentences.select("article_id", "sentence_index", "sentence_text"), ["article_id", "sentence_index"])
            entity_scored = score_sentences(model, per_sentence, "sentence_text", entity_col="matched_text") \
                .drop("sentence_text", "sentiment_confidence").persist()
            persisted.append(entity_scored)
            dominant = S.dominant_country(country_mentions)
            sentences = S.sentence_table(scored, found.companies, country_mentions, todo).persist()
            persisted.append(sentences)
            mentions = S.mention_table(entity_scored, sentences, dominant)
            article_sentences = scored.groupBy("article_id").agg(F.count(F.lit(1)).cast("int").alias("sentences"))
            entities = S.article_entity_table(entity_scored, todo, article_sentences, resources.companies, enrich)
            articles = (
                S.article_table(todo, scored, country_mentions, dominant, enrich.neutral_band)
                .withColumn("enrich_run_id", F.lit(ctx.run_id))
                .withColumn("model_version", F.lit(enrich.sentiment_model))
            )
            frames = {"sentences": sentences, "mentions": mentions, "article_entities": entities, "articles": articles}
            written = {}
            for name, (schema, keys) in SILVER_TABLES.items():
                if full_refresh:
                    io.overwrite(spark, paths[name], frames[name], schema, partition_by=("iso_year",))
                    written[name] = io.last_operation_metrics(spark, paths[name]).get("numOutputRows", 0)
                else:
                    metrics = io.merge_insert_new(spark, paths[name], frames[name], keys, schema, partition_by=("iso_year",))
                    written[name] = metrics.get("numTargetRowsInserted", 0)
            counts = {"rows_in": articles_in, "rows_out": written["articles"], "sentences": written["sentences"],
                      "mentions": written["mentions"], "article_entities": written["article_entities"]}
            found.unpersist()
        return counts
    finally:
        for frame in persisted:
            frame.unpersist()
