"""Run identity and the ``ops/runs`` ledger: one row per stage run, success or failure."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Mapping, Optional

from pyspark.sql import SparkSession

from newslake import __version__
from newslake.config import Settings
from newslake.io import append
from newslake.schemas import RUNS


def utc_now() -> datetime:
    """Naive UTC (the session time zone is UTC), truncated to milliseconds like Delta stores it."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    return now.replace(microsecond=(now.microsecond // 1000) * 1000)


@dataclass(frozen=True)
class RunContext:
    """Who is running what: the run id, the stage, its start, and the logical window.

    The window (``window_start`` .. ``window_end``, inclusive dates, UTC) is what an
    orchestrator's ``--run-date``/``--start``/``--end`` asked for; None means "everything new".
    """

    run_id: str
    stage: str
    started_at: datetime
    window_start: Optional[date] = None
    window_end: Optional[date] = None

    @staticmethod
    def start(stage: str, run_id: Optional[str] = None, window_start: Optional[date] = None,
              window_end: Optional[date] = None) -> "RunContext":
        if (window_start is None) != (window_end is None):
            raise ValueError("a window needs both a start and an end date")
        if window_start and window_end and window_end < window_start:
            raise ValueError(f"window end {window_end} is before its start {window_start}")
        return RunContext(run_id or uuid.uuid4().hex[:16], stage, utc_now(), window_start, window_end)

    @property
    def has_window(self) -> bool:
        return self.window_start is not None

    def window_bounds(self) -> tuple:
        """[start, end) as timestamps: the window's first instant and the day after its end."""
        start = datetime.combine(self.window_start, datetime.min.time())
        return start, datetime.combine(self.window_end + timedelta(days=1), datetime.min.time())


def conf_fingerprint(settings: Settings) -> str:
    """A short hash of the effective configuration, recorded with each run."""
    return hashlib.sha256(settings.model_dump_json().encode("utf-8")).hexdigest()[:12]


def record_run(spark: SparkSession, settings: Settings, ctx: RunContext, status: str,
               counts: Mapping[str, Optional[int]], message: Optional[str] = None) -> None:
    row = {name: None for name in RUNS.fieldNames()}
    row.update({key: counts.get(key) for key in RUNS.fieldNames() if key in counts})
    row.update(
        run_id=ctx.run_id, stage=ctx.stage, status=status, started_at=ctx.started_at,
        finished_at=utc_now(), message=message, spark_app_id=spark.sparkContext.applicationId,
        code_version=__version__, conf_profile=settings.profile, window_start=ctx.window_start,
        window_end=ctx.window_end, model_version=settings.enrich.sentiment_model,
        conf_hash=conf_fingerprint(settings),
    )
    append(spark, settings.table_path("ops", "runs"), spark.createDataFrame([row], RUNS), RUNS)
