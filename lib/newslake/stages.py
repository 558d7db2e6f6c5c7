"""Stage runners: the edges where tables are read and written, around the pure transformations
of ``bronze``, ``silver`` and ``gold``. Each runner records its run in ``ops/runs``."""

from __future__ import annotations

import os
import tempfile
from typing import Callable, Dict

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake import io
from newslake.bronze.ingest import run_ingest
from newslake.config import Settings
from newslake.gold.weekly import weekly_company_country
from newslake.nlp import gazetteer as G
from newslake.nlp.pipeline import build_annotation_pipeline
from newslake.runs import RunContext, record_run
from newslake.schemas import (
    BRONZE_ARTICLES,
    GOLD_SENTIMENT_WEEKLY,
    SILVER_ARTICLES,
    SILVER_MENTIONS,
    SILVER_SENTENCES,
)
from newslake.silver import transform as S


def run_enrich(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> Dict[str, int]:
    """Bronze articles not yet in silver -> ``silver/articles``, ``silver/sentences``, ``silver/mentions``."""
    from newslake.nlp.sentiment import load_sentiment_model, score_sentences

    enrich = settings.enrich
    bronze = io.read_table(spark, settings.table_path("bronze", "articles"), BRONZE_ARTICLES)
    paths = {name: settings.table_path("silver", name) for name in ("articles", "sentences", "mentions")}
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
    try:
        articles_in = todo.count()
        if articles_in == 0:
            return {"rows_in": 0, "rows_out": 0, "sentences": 0, "mentions": 0}
        companies = G.read_companies(settings.paths.gazetteer)
        countries = G.read_countries(settings.paths.gazetteer)
        company_aliases = G.company_alias_frame(spark, companies)
        country_aliases = G.country_alias_frame(spark, countries, enrich.capitals_as_metonyms)
        with tempfile.TemporaryDirectory(prefix="newslake-gazetteer-") as tmp:
            nlp = build_annotation_pipeline(
                G.write_phrase_file([r[0] for r in G.company_alias_rows(companies)], os.path.join(tmp, "companies.txt")),
                G.write_phrase_file([r[0] for r in G.country_alias_rows(countries, enrich.capitals_as_metonyms)],
                                    os.path.join(tmp, "countries.txt")),
                paragraph_bounds=enrich.paragraph_bounds,
            ).fit(todo)
        annotated = nlp.transform(todo).persist()
        model = load_sentiment_model(settings.model_path(enrich.sentiment_model))
        scored = score_sentences(model, S.explode_sentences(annotated)).persist()
        company_mentions = S.link_companies(S.explode_chunks(annotated, "company_chunk"), company_aliases, todo)
        country_mentions = S.link_countries(S.explode_chunks(annotated, "country_chunk"), country_aliases).persist()
        dominant = S.dominant_country(country_mentions)
        sentences = S.sentence_table(scored, company_mentions, country_mentions, todo).persist()
        mentions = S.mention_table(company_mentions, sentences, dominant)
        articles = (
            S.article_table(todo, scored, country_mentions, dominant, enrich.neutral_band)
            .withColumn("enrich_run_id", F.lit(ctx.run_id))
            .withColumn("model_version", F.lit(enrich.sentiment_model))
        )
        write = _overwrite if full_refresh else _insert_new
        write(spark, paths["sentences"], sentences, SILVER_SENTENCES, ["article_id", "sentence_index"], ("iso_year",))
        write(spark, paths["mentions"], mentions, SILVER_MENTIONS,
              ["article_id", "sentence_index", "company_id", "country"], ("iso_year",))
        # Articles last: an article present in silver/articles marks the whole article as done.
        write(spark, paths["articles"], articles, SILVER_ARTICLES, ["article_id"], ("iso_year",))
        counts = {"rows_in": articles_in, "rows_out": articles_in,
                  "sentences": sentences.count(), "mentions": mentions.count()}
        for frame in (annotated, scored, country_mentions, sentences):
            frame.unpersist()
        return counts
    finally:
        todo.unpersist()


def _insert_new(spark, path, df, schema, keys, partition_by):
    io.merge_insert_new(spark, path, df, keys, schema, partition_by=partition_by)


def _overwrite(spark, path, df, schema, keys, partition_by):
    io.overwrite(spark, path, df, schema, partition_by=partition_by)


def run_aggregate(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> Dict[str, int]:
    """``silver/mentions`` -> ``gold/sentiment_weekly``."""
    mentions = io.read_table(spark, settings.table_path("silver", "mentions"), SILVER_MENTIONS)
    weekly = weekly_company_country(mentions, settings.aggregate.min_mentions_to_trust)
    path = settings.table_path("gold", "sentiment_weekly")
    io.overwrite(spark, path, weekly, GOLD_SENTIMENT_WEEKLY, partition_by=("iso_year",))
    return {"rows_in": mentions.count(), "rows_out": io.read_table(spark, path).count()}


def table_row_counts(spark: SparkSession, settings: Settings) -> Dict[str, int]:
    counts = {}
    for layer, table in (("bronze", "articles"), ("bronze", "quarantine"), ("silver", "articles"),
                         ("silver", "sentences"), ("silver", "mentions"), ("gold", "sentiment_weekly"),
                         ("ops", "runs")):
        path = settings.table_path(layer, table)
        counts[f"{layer}/{table}"] = io.read_table(spark, path).count() if io.table_exists(spark, path) else 0
    return counts


def gold_summary_frame(gold: DataFrame, limit: int = 25) -> DataFrame:
    return (
        gold.select(F.concat_ws("-W", "iso_year", F.lpad(F.col("iso_week").cast("string"), 2, "0")).alias("week"),
                    "company", "country", "articles", "mentions", F.round("mean_score", 3).alias("mean_score"),
                    F.round("net_sentiment", 3).alias("net"), "low_confidence")
        .orderBy(F.desc("mentions"), "week", "company", "country").limit(limit)
    )


def print_gold_summary(spark: SparkSession, settings: Settings) -> None:
    path = settings.table_path("gold", "sentiment_weekly")
    print("\nTable row counts under", settings.paths.lakehouse)
    for name, n in table_row_counts(spark, settings).items():
        print(f"  {name:<24} {n:>7}")
    gold = io.read_table(spark, path)
    print(f"\ngold/sentiment_weekly: {gold.count()} company x country x week cells; "
          f"{gold.select('company').distinct().count()} companies, "
          f"{gold.select('country').distinct().count()} countries, "
          f"{gold.select('iso_year', 'iso_week').distinct().count()} ISO weeks. Largest cells:")
    gold_summary_frame(gold).show(25, truncate=False)
