"""``ops/gold_state``: what each aggregate run consumed (the silver versions it read and the
settings fingerprint), the incremental gold stage's watermark. One row per run that changed
gold or saw silver change; the latest row is what the next run compares with."""

from __future__ import annotations

from typing import Dict, Optional

from pyspark.sql import Row, SparkSession
from pyspark.sql import functions as F

from newslake import __version__, io
from newslake.catalogue import GOLD_STATE
from newslake.runs import RunContext


def last(spark: SparkSession, root: str) -> Optional[Row]:
    """The latest run's row (None before the first run)."""
    if not io.exists(spark, root, GOLD_STATE):
        return None
    return io.read(spark, root, GOLD_STATE).orderBy(F.desc("aggregated_at"), F.desc("run_id")).first()


def consumed(state: Row) -> Dict[str, Optional[int]]:
    """Source name -> the version that run read (-1: a silver table that was absent; None: an
    optional one that was absent)."""
    recorded = state.asDict()  # a gold_state written before stories existed has no stories_version
    return {
        "mentions": recorded["mentions_version"],
        "sentences": recorded["sentences_version"],
        "articles": recorded["articles_version"],
        "entities": recorded["entities_version"],
        "stories": recorded.get("stories_version"),
    }


def record(
    spark: SparkSession,
    root: str,
    ctx: RunContext,
    full: bool,
    versions: Dict[str, Optional[int]],
    fingerprint: str,
    weeks: int,
) -> None:
    """Append this run's row."""
    row = (
        ctx.run_id,
        ctx.started_at,
        full,
        -1 if versions["mentions"] is None else versions["mentions"],
        -1 if versions["sentences"] is None else versions["sentences"],
        -1 if versions["articles"] is None else versions["articles"],
        versions["entities"],
        versions["stories"],
        fingerprint,
        int(weeks),
        __version__,
    )
    # merge_schema: a gold_state table written before stories_version existed gains the column.
    io.append_rows(spark, root, GOLD_STATE, spark.createDataFrame([row], GOLD_STATE.schema), merge_schema=True)
