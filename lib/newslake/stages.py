"""Stage runners: the edges where tables are read and written, around the pure transformations
of ``bronze``, ``silver`` and ``gold``. Each runner records its run in ``ops/runs``."""

from __future__ import annotations

from typing import Dict

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake import catalogue, io
from newslake.config import Settings
from newslake.runs import RunContext


def run_ingest(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> Dict[str, int]:
    """New raw dump files -> ``bronze/articles`` and ``bronze/quarantine`` (see ``newslake.bronze.ingest``)."""
    from newslake.bronze.ingest import run_ingest as run_bronze_ingest

    return run_bronze_ingest(spark, settings, ctx, full_refresh=full_refresh)


def run_enrich(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> Dict[str, int]:
    """Bronze articles not yet in silver -> the silver tables (see ``newslake.silver.stage``)."""
    from newslake.silver.stage import run_enrich as run_silver_enrich

    return run_silver_enrich(spark, settings, ctx, full_refresh=full_refresh)


def run_stories(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> Dict[str, int]:
    """Silver articles not yet clustered -> ``silver/{article_signatures,stories,article_stories}``
    (see ``newslake.stories.stage``)."""
    from newslake.stories.stage import run_stories as run_story_clustering

    return run_story_clustering(spark, settings, ctx, full_refresh=full_refresh)


def run_aggregate(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> Dict[str, int]:
    """Silver -> the gold tables, incremental by ISO week: see ``newslake.gold.stage``."""
    from newslake.gold.stage import run_aggregate as run_gold

    return run_gold(spark, settings, ctx, full_refresh=full_refresh)


# Every table but the bookkeeping a reader of the summary does not look at: article signatures,
# the processed-files log and gold's watermark.
SUMMARY_TABLES = tuple(table for table in catalogue.TABLES if table not in (
    catalogue.SILVER_ARTICLE_SIGNATURES, catalogue.PROCESSED_FILES, catalogue.GOLD_STATE))


def table_row_counts(spark: SparkSession, settings: Settings) -> Dict[str, int]:
    """Rows per ``layer/name`` of the summary's tables (0 for a table not written yet)."""
    root = settings.lakehouse_root()
    return {table.qualified_name: io.read(spark, root, table).count() for table in SUMMARY_TABLES}


def gold_summary_frame(gold: DataFrame, limit: int = 25) -> DataFrame:
    return (
        gold.select(F.concat_ws("-W", "iso_year", F.lpad(F.col("iso_week").cast("string"), 2, "0")).alias("week"),
                    "company", "country", "articles", "mentions", F.round("mean_score", 3).alias("mean_score"),
                    F.round("net_sentiment", 3).alias("net"), "low_confidence")
        .orderBy(F.desc("mentions"), "week", "company", "country").limit(limit)
    )


def print_gold_summary(spark: SparkSession, settings: Settings) -> None:
    print("\nTable row counts under", settings.paths.lakehouse)
    for name, n in table_row_counts(spark, settings).items():
        print(f"  {name:<24} {n:>7}")
    gold = io.read(spark, settings.lakehouse_root(), catalogue.GOLD_SENTIMENT_WEEKLY, empty_if_missing=False)
    print(f"\ngold/sentiment_weekly: {gold.count()} company x country x week cells; "
          f"{gold.select('company').distinct().count()} companies, "
          f"{gold.select('country').distinct().count()} countries, "
          f"{gold.select('iso_year', 'iso_week').distinct().count()} ISO weeks. Largest cells:")
    gold_summary_frame(gold).show(25, truncate=False)
