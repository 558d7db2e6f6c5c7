"""Run identity and the ``ops/runs`` ledger: one row per stage run, success or failure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
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
    run_id: str
    stage: str
    started_at: datetime

    @staticmethod
    def start(stage: str, run_id: Optional[str] = None) -> "RunContext":
        return RunContext(run_id or uuid.uuid4().hex[:16], stage, utc_now())


def record_run(spark: SparkSession, settings: Settings, ctx: RunContext, status: str,
               counts: Mapping[str, Optional[int]], message: Optional[str] = None) -> None:
    row = {name: None for name in RUNS.fieldNames()}
    row.update({key: counts.get(key) for key in RUNS.fieldNames() if key in counts})
    row.update(
        run_id=ctx.run_id, stage=ctx.stage, status=status, started_at=ctx.started_at,
        finished_at=utc_now(), message=message, spark_app_id=spark.sparkContext.applicationId,
        code_version=__version__, conf_profile=settings.profile,
    )
    append(spark, settings.table_path("ops", "runs"), spark.createDataFrame([row], RUNS), RUNS)
