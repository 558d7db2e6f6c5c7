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

from newslake import io
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


STAGES: Dict[str, Stage] = {entry.name: entry for entry in (
    Stage("ingest", run_ingest),  # new raw dump files -> bronze/articles, bronze/quarantine
    Stage("enrich", run_enrich),  # bronze articles not yet in silver -> the silver tables
    Stage("stories", run_stories),  # new articles -> silver/{article_signatures,stories,article_stories}
    Stage("aggregate", run_aggregate),  # silver -> the gold tables, incremental by ISO week
)}


def stage(name: str) -> Stage:
    """The registered stage ``name``; a ValueError naming the stages for any other name."""
    try:
        return STAGES[name]
    except KeyError:
        raise ValueError(f"unknown stage {name!r}; stages are {', '.join(STAGES)}") from None


SUMMARY_TABLES = (
    ("bronze", "articles"), ("bronze", "quarantine"),
    ("silver", "articles"), ("silver", "sentences"), ("silver", "mentions"), ("silver", "article_entities"),
    ("silver", "stories"), ("silver", "article_stories"),
    ("gold", "sentiment_weekly"), ("gold", "sentiment_weekly_company"), ("gold", "sentiment_weekly_country"),
    ("gold", "sentiment_weekly_market"), ("gold", "evidence"), ("gold", "companies"), ("gold", "countries"),
    ("ops", "runs"),
)


def table_row_counts(spark: SparkSession, settings: Settings) -> Dict[str, int]:
    counts = {}
    for layer, table in SUMMARY_TABLES:
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
