"""Runs one stage as an operation: run context and window, the stage itself, data-quality
checks on what it wrote, and a row in ``ops/runs`` whatever happens."""

from __future__ import annotations

import logging
from datetime import date
from typing import Callable, Dict, List, Optional, Tuple

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake import io, stages
from newslake.config import Settings
from newslake.quality import count_violations, enforce
from newslake.runs import RunContext, record_run

log = logging.getLogger("newslake")

STAGES = ("ingest", "enrich", "stories", "aggregate")


def stage_function(stage: str) -> Callable[..., Dict[str, int]]:
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    return getattr(stages, f"run_{stage}")


class ConcurrentRunError(RuntimeError):
    """Another run committed to the same table first (Delta optimistic concurrency)."""


def written_rows(spark: SparkSession, settings: Settings, stage: str, ctx: RunContext) -> List[Tuple[str, DataFrame]]:
    """The rows a stage run wrote, per table, for the quality checks."""
    def table(layer: str, name: str) -> Optional[DataFrame]:
        path = settings.table_path(layer, name)
        return io.read_table(spark, path) if io.table_exists(spark, path) else None

    if stage == "ingest":
        bronze = table("bronze", "articles")
        return [] if bronze is None else [("bronze/articles", bronze.filter(F.col("ingest_run_id") == ctx.run_id))]
    if stage == "enrich":
        articles = table("silver", "articles")
        if articles is None:
            return []
        mine = articles.filter(F.col("enrich_run_id") == ctx.run_id).select("article_id")
        return [(f"silver/{name}", frame.join(mine, "article_id", "left_semi"))
                for name in ("sentences", "mentions") if (frame := table("silver", name)) is not None]
    if stage == "stories":
        return [(f"silver/{name}", frame.filter(F.col("stories_run_id") == ctx.run_id))
                for name in ("article_stories", "stories") if (frame := table("silver", name)) is not None]
    gold = table("gold", "sentiment_weekly")
    return [] if gold is None else [("gold/sentiment_weekly", gold)]


def check_quality(spark: SparkSession, settings: Settings, stage: str, ctx: RunContext,
                  counts: Dict[str, int]) -> Dict[str, int]:
    violations: Dict[str, int] = {}
    for table, rows in written_rows(spark, settings, stage, ctx):
        found = count_violations(rows, settings.quality.rules.get(table, {}))
        if table == "bronze/articles" and "bronze_inserted" in counts:
            written = rows.count()
            found["reconciles_with_run_counts"] = 0 if written == counts["bronze_inserted"] else 1
        violations.update({f"{table}:{rule}": n for rule, n in found.items()})
        enforce(table, found, settings.quality.on_failure)
    return violations


def _is_concurrent_modification(exc: BaseException) -> bool:
    text = f"{type(exc).__name__}: {exc}"
    return any(marker in text for marker in (
        "ConcurrentAppendException", "ConcurrentDeleteReadException", "ConcurrentDeleteDeleteException",
        "ConcurrentTransactionException", "MetadataChangedException", "ProtocolChangedException",
        "DELTA_CONCURRENT_"))


def run_stage(spark: SparkSession, settings: Settings, stage: str, run_id: Optional[str] = None,
              window: Tuple[Optional[date], Optional[date]] = (None, None),
              full_refresh: bool = False) -> Dict[str, int]:
    ctx = RunContext.start(stage, run_id, *window)
    fields = {"run_id": ctx.run_id, "stage": stage, "window_start": ctx.window_start, "window_end": ctx.window_end}
    log.info("stage %s started (run %s, window %s..%s)", stage, ctx.run_id, ctx.window_start, ctx.window_end,
             extra={"fields": {**fields, "event": "start"}})
    try:
        counts = stage_function(stage)(spark, settings, ctx, full_refresh=full_refresh)
        check_quality(spark, settings, stage, ctx, counts)
    except Exception as exc:
        if _is_concurrent_modification(exc):
            exc = ConcurrentRunError(
                f"another {stage} run committed to the same Delta table first ({type(exc).__name__}); "
                f"rows are merged by key, so nothing is duplicated: re-run it (processed input is skipped)")
        record_run(spark, settings, ctx, "failed", {}, f"{type(exc).__name__}: {exc}"[:2000])
        raise exc
    record_run(spark, settings, ctx, "succeeded", counts)
    log.info("stage %s finished: %s", stage, counts, extra={"fields": {**fields, "event": "end", "counts": counts}})
    return counts
