"""Runs one stage as an operation: run context and window, the stage itself, data-quality
checks on what it wrote, and a row in ``ops/runs`` whatever happens."""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Dict, List, Optional, Tuple

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake import catalogue, io
from newslake.config import Settings
from newslake.errors import TableError, describe, is_concurrent_modification
from newslake.quality import count_violations, enforce
from newslake.runs import FAILED, RUNNING, SUCCEEDED, RunContext, StageResult, record_run, remove_stale_staging
from newslake.stages import stage as registered_stage

log = logging.getLogger("newslake")


class ConcurrentRunError(RuntimeError):
    """Another run committed to the same table first (Delta optimistic concurrency)."""


def written_rows(spark: SparkSession, settings: Settings, stage: str, ctx: RunContext) -> List[Tuple[str, DataFrame]]:
    """The rows a stage run wrote, per table, for the quality checks."""
    root = settings.lakehouse_root()

    def table(entry: catalogue.Table) -> Optional[DataFrame]:
        return io.read(spark, root, entry) if io.exists(spark, root, entry) else None

    if stage == "ingest":
        bronze = table(catalogue.BRONZE_ARTICLES)
        return (
            []
            if bronze is None
            else [(catalogue.BRONZE_ARTICLES.qualified_name, bronze.filter(F.col("ingest_run_id") == ctx.run_id))]
        )
    if stage == "enrich":
        articles = table(catalogue.SILVER_ARTICLES)
        if articles is None:
            return []
        mine = articles.filter(F.col("enrich_run_id") == ctx.run_id).select("article_id")
        return [
            (entry.qualified_name, frame.join(mine, "article_id", "left_semi"))
            for entry in (catalogue.SILVER_SENTENCES, catalogue.SILVER_MENTIONS)
            if (frame := table(entry)) is not None
        ]
    if stage == "stories":
        return [
            (entry.qualified_name, frame.filter(F.col("stories_run_id") == ctx.run_id))
            for entry in (catalogue.SILVER_ARTICLE_STORIES, catalogue.SILVER_STORIES)
            if (frame := table(entry)) is not None
        ]
    gold = table(catalogue.GOLD_SENTIMENT_WEEKLY)
    return [] if gold is None else [(catalogue.GOLD_SENTIMENT_WEEKLY.qualified_name, gold)]


def check_quality(
    spark: SparkSession, settings: Settings, stage: str, ctx: RunContext, counts: Dict[str, int]
) -> Dict[str, int]:
    violations: Dict[str, int] = {}
    for table, rows in written_rows(spark, settings, stage, ctx):
        found = count_violations(rows, settings.quality.rules.get(table, {}))
        if table == "bronze/articles" and "bronze_inserted" in counts:
            written = rows.count()
            found["reconciles_with_run_counts"] = 0 if written == counts["bronze_inserted"] else 1
        violations.update({f"{table}:{rule}": n for rule, n in found.items()})
        enforce(table, found, settings.quality.on_failure)
    return violations


class RunRecordError(RuntimeError):
    """The stage committed its tables but its row in ops/runs could not be written."""


def _record_start(spark: SparkSession, settings: Settings, ctx: RunContext) -> None:
    """The ``running`` row; a ledger that cannot be written does not stop the stage (its own
    writes then fail, or succeed, and say so: the first error the run logs is the stage's)."""
    try:
        record_run(spark, settings, ctx, RUNNING, {})
    except Exception as exc:
        log.warning(
            "stage %s: could not record the start of run %s in ops/runs: %s",
            ctx.stage,
            ctx.run_id,
            describe(exc),
            extra={"fields": {"stage": ctx.stage, "event": "ledger_failed", "error": describe(exc)}},
        )


def _remove_stale_staging(spark: SparkSession, settings: Settings) -> None:
    try:
        for path in remove_stale_staging(spark, settings, settings.enrich.staging_stale_after_hours):
            log.info("removed the staging folder of a run that is no longer running: %s", path)
    except Exception as exc:  # cleaning up is never a reason to fail a run
        log.warning("could not remove stale staging folders: %s", describe(exc))


def expected_failures() -> tuple:
    """Failures whose message says it all: no traceback in the log."""
    from newslake.quality import DataQualityError

    return (DataQualityError, ConcurrentRunError, RunRecordError, TableError, FileNotFoundError)


def _log_failure(stage: str, started: float, failure: Exception, fields: dict) -> None:
    """The failure's one line (stage, table or file, root cause); the traceback follows only for
    failures that are not already explained (bugs). Marks it logged for the command line."""
    log.error(
        "stage %s failed after %.1fs: %s",
        stage,
        time.time() - started,
        describe(failure),
        exc_info=not isinstance(failure, expected_failures()),
        extra={"fields": {**fields, "event": "failed", "error": describe(failure)}},
    )
    failure.newslake_logged = True  # type: ignore[attr-defined]


def run_stage(
    spark: SparkSession,
    settings: Settings,
    stage: str,
    run_id: Optional[str] = None,
    window: Tuple[Optional[date], Optional[date]] = (None, None),
    full_refresh: bool = False,
) -> StageResult:
    """Run ``stage`` (a name in ``newslake.stages.STAGES``) and record it in ops/runs
    (``running`` first, then its outcome, with the result's counts).

    A failure is raised as it happened: when recording it in ops/runs fails too, that second
    failure is logged, never raised in its place."""
    runner = registered_stage(stage).run
    ctx = RunContext.start(stage, run_id, *window)
    fields = {"run_id": ctx.run_id, "stage": stage, "window_start": ctx.window_start, "window_end": ctx.window_end}
    log.info(
        "stage %s started (run %s, window %s..%s)",
        stage,
        ctx.run_id,
        ctx.window_start,
        ctx.window_end,
        extra={"fields": {**fields, "event": "start"}},
    )
    started = time.time()
    _record_start(spark, settings, ctx)
    try:
        if stage == "enrich":
            _remove_stale_staging(spark, settings)
        result = runner(spark, settings, ctx, full_refresh=full_refresh)
        check_quality(spark, settings, stage, ctx, result.counts)
    except Exception as exc:
        failure: Exception = exc
        if is_concurrent_modification(exc):
            failure = ConcurrentRunError(
                f"another {stage} run committed to the same Delta table first ({describe(exc)[:300]}); "
                f"rows are merged by key, so nothing is duplicated: re-run it (processed input is skipped)"
            )
            failure.__cause__ = exc
        # Logged here, first, so that a second failure while recording it comes after it.
        _log_failure(stage, started, failure, fields)
        try:
            record_run(spark, settings, ctx, FAILED, {}, describe(failure))
        except Exception as record_exc:
            log.error(
                "stage %s: could not record its failure in ops/runs: %s",
                stage,
                describe(record_exc),
                extra={"fields": {**fields, "event": "ledger_failed", "error": describe(record_exc)}},
            )
        raise failure  # noqa: B904 - its __cause__ is set above, or it is the exception itself
    try:
        record_run(spark, settings, ctx, SUCCEEDED, result.counts)
    except Exception as exc:
        failure = RunRecordError(
            f"stage {stage} committed its tables, but could not record run {ctx.run_id} "
            f"in ops/runs: {describe(exc)}; re-running it changes no table"
        )
        failure.__cause__ = exc
        _log_failure(stage, started, failure, fields)
        raise failure  # noqa: B904 - its __cause__ is set above
    log.info(
        "stage %s finished: %s",
        stage,
        result.figures(),
        extra={
            "fields": {
                **fields,
                "event": "end",
                "counts": result.counts,
                "phase_seconds": result.phase_seconds,
                "rows_per_second": result.rows_per_second,
            }
        },
    )
    return result
