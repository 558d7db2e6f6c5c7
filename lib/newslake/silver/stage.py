"""The enrich stage: bronze articles not yet in silver -> ``silver/articles``,
``silver/sentences``, ``silver/mentions`` and ``silver/article_entities``.

Reads and writes tables here only; the NLP is :func:`newslake.silver.annotate.annotate`, the
rest the pure transformations of :mod:`newslake.silver.transform`.
"""

from __future__ import annotations

from typing import Dict

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from newslake import catalogue, io
from newslake.config import Settings
from newslake.runs import RunContext, StageResult, staging_root
from newslake.silver import transform as S
from newslake.silver.annotate import annotate, linking_resources
from newslake.timing import PhaseTimer

# The phase (``phase_seconds`` of the run's result) that each materialised step belongs to.
_PHASE_OF_STEP = {
    "annotated": "annotate",
    "company_mentions_found": "link_companies",
    "company_mentions": "link_companies",
    "sentence_sentiment": "sentence_sentiment",
    "country_mentions": "link_countries",
    "entity_sentiment": "entity_sentiment",
}
# Read from its files each time instead of cached: the annotations hold every article's text
# and arrays of spans, so a cache of them would grow with the batch; their readers need only
# a few columns each.
_UNCACHED_STEPS = frozenset({"annotated"})


# What enrich keeps of a bronze article once its text is cleaned (the benchmark's I/O floor
# reads the same columns, so the floor does the same reading work).
PREPARED_ARTICLE_COLUMNS = (
    "article_id",
    "title",
    "url",
    "source",
    "language",
    "published_at",
    "date_source",
    "iso_year",
    "iso_week",
    "week_start",
    "clean_text",
    "publisher_sentiment",
)


def run_enrich(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> StageResult:
    """Bronze articles not yet in silver -> the four silver tables (``silver/articles`` last:
    an article there marks the whole article as done). Returns the row counts and, for the log
    and the benchmark, the wall seconds of each phase (``annotate``, ...) and the sentiment
    model's rows per second on sentences and on (sentence, company) rows. Each phase names the
    Spark jobs it starts (``enrich: <phase>``)."""
    from newslake.nlp.sentiment import load_configured_model, score_sentences

    enrich = settings.enrich
    root = settings.lakehouse_root()
    bronze = io.read(spark, root, catalogue.BRONZE_ARTICLES)
    todo = bronze
    if not full_refresh:
        done = io.read(spark, root, catalogue.SILVER_ARTICLES).select("article_id")
        todo = bronze.join(done, "article_id", "left_anti")
    todo = (
        todo.transform(S.in_languages, enrich.languages)
        .transform(S.with_clean_text, enrich.widget_pattern, enrich.chrome_line_patterns)
        .transform(S.with_iso_week, "published_at")
        .select(*PREPARED_ARTICLE_COLUMNS)
    ).persist()
    persisted = [todo]
    staged_paths = []
    try:
        articles_in = todo.count()
        if articles_in == 0:
            return StageResult({"rows_in": 0, "rows_out": 0, "sentences": 0, "mentions": 0, "article_entities": 0})
        model = load_configured_model(spark, settings.models_dir(), enrich.sentiment_model)
        entity_model = (
            model
            if enrich.entity_sentiment_model == enrich.sentiment_model
            else load_configured_model(spark, settings.models_dir(), enrich.entity_sentiment_model)
        )
        staging = f"{staging_root(settings)}/enrich-{ctx.run_id}"
        staged_paths.append(staging)
        phases = PhaseTimer(spark, "enrich")
        rows: Dict[str, int] = {}

        def materialize(df, name):
            # Staged as files, read back and cached: besides computing each step once, this cuts
            # the query plan short. With the whole annotation pipeline in every later plan, Spark
            # spent 5 s of driver time planning each query (and looking it up among the cached
            # plans) whose tasks ran in 0.2 s. The cached frames are unpersisted at the end of
            # the run. Each step is timed on its own, so the run reports where its time went.
            with phases.phase(_PHASE_OF_STEP[name]):
                frame = io.staged(df, f"{staging}/{name}")
                if name not in _UNCACHED_STEPS:
                    frame = frame.persist()
                    persisted.append(frame)
                rows[name] = frame.count()
            return frame

        with linking_resources(spark, settings.paths.gazetteer, enrich, settings.paths.universe) as resources:
            found = annotate(todo, resources, enrich, materialize=materialize)
            scored = materialize(score_sentences(model, found.sentences), "sentence_sentiment")
            country_mentions = materialize(found.countries, "country_mentions")
            # Sentiment toward each company, which is what gold reads: the entity model (a
            # transformer by default) scores the sentence with the company's surface form (or
            # "the company") marked, each distinct marked sentence once; a sentence-only model
            # ignores the mark.
            per_sentence = S.mentions_per_sentence(found.companies).join(
                found.sentences.select("article_id", "sentence_index", "sentence_text"),
                ["article_id", "sentence_index"],
            )
            entity_scored = materialize(
                score_sentences(
                    entity_model,
                    per_sentence,
                    "sentence_text",
                    entity_col="matched_text",
                    distinct_inputs=entity_model is not model,
                ).drop("sentence_text", "sentiment_confidence"),
                "entity_sentiment",
            )
            dominant = S.dominant_country(country_mentions)
            with phases.phase("build_tables"):
                sentences = io.staged(
                    S.sentence_table(scored, found.companies, country_mentions, todo), f"{staging}/sentences"
                )
                mentions = io.staged(S.mention_table(entity_scored, sentences, dominant), f"{staging}/mentions")
                article_sentences = scored.groupBy("article_id").agg(F.count(F.lit(1)).cast("int").alias("sentences"))
                entities = io.staged(
                    S.article_entity_table(entity_scored, todo, article_sentences, resources.companies, enrich),
                    f"{staging}/article_entities",
                )
                articles = io.staged(
                    S.article_table(todo, scored, country_mentions, dominant, enrich.neutral_band)
                    .withColumn("enrich_run_id", F.lit(ctx.run_id))
                    .withColumn("model_version", F.lit(enrich.model_version())),
                    f"{staging}/articles",
                )
            frames = {"sentences": sentences, "mentions": mentions, "article_entities": entities, "articles": articles}
            written = {}
            with phases.phase("write_tables"):
                for table in catalogue.ENRICH_TABLES:
                    if full_refresh:
                        metrics = io.overwrite_rows(spark, root, table, frames[table.name])
                        written[table.name] = metrics.get("numOutputRows", 0)
                    else:
                        metrics = io.merge_new(spark, root, table, frames[table.name])
                        written[table.name] = metrics.get("numTargetRowsInserted", 0)
            result = StageResult(
                {
                    "rows_in": articles_in,
                    "rows_out": written["articles"],
                    "sentences": written["sentences"],
                    "mentions": written["mentions"],
                    "article_entities": written["article_entities"],
                },
                phases.phase_seconds(),
                {
                    phase: phases.rows_per_second(phase, rows[phase])
                    for phase in ("sentence_sentiment", "entity_sentiment")
                },
            )
        return result
    finally:
        for frame in persisted:
            frame.unpersist()
        for path in staged_paths:
            io.remove_path(spark, path)
