"""Run identity and the ``ops/runs`` ledger: one row per stage run, written as ``running`` when it
starts and updated with its outcome when it ends; and the removal of dead runs' staging."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Dict, List, Mapping, Optional

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from newslake import __version__, catalogue, io
from newslake.config import Settings, redacted_settings
from newslake.errors import is_concurrent_modification


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
    def start(
        stage: str, run_id: Optional[str] = None, window_start: Optional[date] = None, window_end: Optional[date] = None
    ) -> "RunContext":
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


@dataclass(frozen=True)
class StageResult:
    """What a stage run did, as every stage runner returns it: its row counts (those named like
    an ``ops/runs`` column are recorded there), the wall seconds of its phases (see
    :class:`newslake.timing.PhaseTimer`) and the rows per second some phases measure."""

    counts: Dict[str, int]
    phase_seconds: Dict[str, float] = field(default_factory=dict)
    rows_per_second: Dict[str, float] = field(default_factory=dict)

    def figures(self) -> Dict[str, float]:
        """Counts, ``<phase>_seconds`` and ``<phase>_rows_per_second`` in one flat dictionary:
        what the run's log line shows."""
        return {
            **self.counts,
            **{f"{name}_seconds": s for name, s in self.phase_seconds.items()},
            **{f"{name}_rows_per_second": r for name, r in self.rows_per_second.items()},
        }


RUNNING, SUCCEEDED, FAILED = "running", "succeeded", "failed"

# Settings that say where things are, not what a run computes: left out of conf_hash, so the
# same configuration run against another lakehouse, input or jar folder hashes the same.
LOCATION_KEYS = (("paths",), ("spark", "jars_dir"), ("spark", "ivy_dir"), ("aggregate", "charts_dir"))


def conf_fingerprint(settings: Settings) -> str:
    """A short hash of the effective configuration (less its locations and secrets), recorded
    with each run: two runs with the same hash computed with the same settings."""
    tree = redacted_settings(settings)
    for keys in LOCATION_KEYS:
        node = tree
        for key in keys[:-1]:
            node = node.get(key, {})
        node.pop(keys[-1], None)
    return hashlib.sha256(json.dumps(tree, sort_keys=True).encode("utf-8")).hexdigest()[:12]


def _run_row(
    spark: SparkSession,
    settings: Settings,
    ctx: RunContext,
    status: str,
    counts: Mapping[str, Optional[int]],
    message: Optional[str],
) -> dict:
    columns = catalogue.RUNS.schema.fieldNames()
    row = {name: None for name in columns}
    row.update({key: counts.get(key) for key in columns if key in counts})
    row.update(
        run_id=ctx.run_id,
        stage=ctx.stage,
        status=status,
        started_at=ctx.started_at,
        finished_at=None if status == RUNNING else utc_now(),
        message=message,
        spark_app_id=spark.sparkContext.applicationId,
        code_version=__version__,
        conf_profile=settings.profile,
        window_start=ctx.window_start,
        window_end=ctx.window_end,
        model_version=settings.enrich.model_version(),
        conf_hash=conf_fingerprint(settings),
        conf_json=json.dumps(redacted_settings(settings), sort_keys=True),
    )
    return row


_CONFLICT_WAITS = (0.2, 0.5, 1.0, 2.0, 4.0)


def record_run(
    spark: SparkSession,
    settings: Settings,
    ctx: RunContext,
    status: str,
    counts: Mapping[str, Optional[int]],
    message: Optional[str] = None,
) -> None:
    """Write the run's row in ``ops/runs``: ``running`` when it starts, replaced by its outcome
    when it ends (one row per run and stage, keyed by run id, stage and start time). A run that
    is killed keeps its ``running`` row. Other runs append to the table at the same time; a
    commit that conflicts with theirs is retried (the row is the same each time)."""
    root = settings.lakehouse_root()
    runs = catalogue.RUNS
    frame = spark.createDataFrame([_run_row(spark, settings, ctx, status, counts, message)], runs.schema)
    io.add_missing_columns(spark, runs.path(root), runs.schema)
    for wait in (*_CONFLICT_WAITS, None):
        try:
            io.merge_new(spark, root, runs, frame, update_on_match={c: f"s.`{c}`" for c in runs.schema.fieldNames()})
            return
        except Exception as exc:
            if wait is None or not is_concurrent_modification(exc):
                raise
            time.sleep(wait)


def staging_root(settings: Settings) -> str:
    """``<lakehouse>/_staging``: the folder under which runs stage intermediate files (no tables)."""
    return f"{settings.lakehouse_root()}/_staging"


def remove_stale_staging(spark: SparkSession, settings: Settings, stale_after_hours: float) -> List[str]:
    """Remove the ``_staging/enrich-<run id>`` folders that no live run uses; returns them.

    A run removes its own staging when it ends; a killed run leaves it. A folder is stale when
    its run is not ``running`` in ops/runs (it finished, or never recorded itself), or when it
    is, but nothing in the folder changed for ``stale_after_hours`` (a killed run keeps its
    ``running`` row; a live one writes a file at every enrich step). So a concurrent run's
    staging is kept, and a killed run's goes once it is that old."""
    root = staging_root(settings)
    folders = {
        name[len("enrich-") :]: path
        for name, path in io.list_folders(spark, root).items()
        if name.startswith("enrich-")
    }
    if not folders:
        return []
    running = {
        row["run_id"]
        for row in io.read(spark, settings.lakehouse_root(), catalogue.RUNS)
        .filter((F.col("stage") == "enrich") & (F.col("status") == RUNNING) & F.col("run_id").isin(list(folders)))
        .select("run_id")
        .collect()
    }
    cutoff_ms = (time.time() - stale_after_hours * 3600) * 1000
    removed = []
    for run_id, folder in sorted(folders.items()):
        if run_id in running and io.newest_change_ms(spark, folder) >= cutoff_ms:
            continue
        io.remove_path(spark, folder)
        removed.append(folder)
    return removed
