"""The stages of the pipeline, in the order they run: one registry that the jobs (through
``newslake.cli``), ``newslake.runner``, the Airflow DAG's test and the benchmark read. Each entry
points at its layer's runner, which reads and writes the tables around the pure transformations
of ``bronze``, ``silver``, ``stories`` and ``gold`` and returns a
:class:`newslake.runs.StageResult`; ``newslake.runner.run_stage`` records its run in ``ops/runs``.
Also the row-count summary that ``jobs.aggregate`` and ``jobs.pipeline`` print."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Dict

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake import catalogue, io
from newslake.bronze.ingest import run_ingest
from newslake.config import Settings
from newslake.gold.stage import run_aggregate
from newslake.runs import StageResult
from newslake.silver.stage import run_enrich
from newslake.stories.stage import run_stories


@dataclass(frozen=True)
class Stage:
    """One stage: its name (``jobs.<name>``, the ``stage`` of its ``ops/runs`` rows) and its
    layer's runner, called as ``run(spark, settings, ctx, full_refresh=...)``."""

    name: str
    run: Callable[..., StageResult]


STAGES: Dict[str, Stage] = {
    entry.name: entry
    for entry in (
        Stage("ingest", run_ingest),  # new raw dump files -> bronze/articles, bronze/quarantine
        Stage("enrich", run_enrich),  # bronze articles not yet in silver -> the silver tables
        Stage("stories", run_stories),  # new articles -> silver/{article_signatures,stories,article_stories}
        Stage("aggregate", run_aggregate),  # silver -> the gold tables, incremental by ISO week
    )
}


def stage(name: str) -> Stage:
    """The registered stage ``name``; a ValueError naming the stages for any other name."""
    try:
        return STAGES[name]
    except KeyError:
        raise ValueError(f"unknown stage {name!r}; stages are {', '.join(STAGES)}") from None


# Every table but the bookkeeping a reader of the summary does not look at: article signatures,
# the processed-files log and gold's watermark.
SUMMARY_TABLES = tuple(
    table
    for table in catalogue.TABLES
    if table not in (catalogue.SILVER_ARTICLE_SIGNATURES, catalogue.PROCESSED_FILES, catalogue.GOLD_STATE)
)


def table_row_counts(spark: SparkSession, settings: Settings) -> Dict[str, int]:
    """Rows per ``layer/name`` of the summary's tables (0 for a table not written yet)."""
    root = settings.lakehouse_root()
    return {table.qualified_name: io.read(spark, root, table).count() for table in SUMMARY_TABLES}


def gold_summary_frame(gold: DataFrame, limit: int = 25) -> DataFrame:
    return (
        gold.select(
            F.concat_ws("-W", "iso_year", F.lpad(F.col("iso_week").cast("string"), 2, "0")).alias("week"),
            "company",
            "country",
            "articles",
            "mentions",
            F.round("mean_score", 3).alias("mean_score"),
            F.round("net_sentiment", 3).alias("net"),
            "low_confidence",
        )
        .orderBy(F.desc("mentions"), "week", "company", "country")
        .limit(limit)
    )


def print_gold_summary(spark: SparkSession, settings: Settings) -> None:
    print("\nTable row counts under", settings.paths.lakehouse)
    for name, n in table_row_counts(spark, settings).items():
        print(f"  {name:<24} {n:>7}")
    gold = io.read(spark, settings.lakehouse_root(), catalogue.GOLD_SENTIMENT_WEEKLY, empty_if_missing=False)
    print(
        f"\ngold/sentiment_weekly: {gold.count()} company x country x week cells; "
        f"{gold.select('company').distinct().count()} companies, "
        f"{gold.select('country').distinct().count()} countries, "
        f"{gold.select('iso_year', 'iso_week').distinct().count()} ISO weeks. Largest cells:"
    )
    gold_summary_frame(gold).show(25, truncate=False)
