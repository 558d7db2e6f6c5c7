"""``ops/runs`` tells the truth about every run: a ``running`` row from the start (so a killed
run shows), counts from the run's own commits, the effective configuration without secrets,
and a configuration hash that does not change with the paths. Staging folders of dead runs are
removed by the next run."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, local_conf_with_models

from newslake import catalogue, io
from newslake.cli import ingest_main
from newslake.config import load_settings
from newslake.runner import run_stage
from newslake.runs import RunContext, conf_fingerprint, record_run
from newslake.schemas import PROCESSED_FILES


def test_merge_counts_come_from_its_own_commit(spark, tmp_path):
    """A MERGE that changes nothing makes no Delta commit: the table's latest history entry is
    then an earlier write's, which is what the run used to log (795 sentences for 0 written)."""
    path = str(tmp_path / "t")
    rows = spark.sql(
        "SELECT concat('f', id) AS path, id AS size, timestamp'2024-01-01' AS modified_at, "
        "'r' AS ingest_run_id, timestamp'2024-01-01' AS processed_at, 1L AS records FROM range(3)"
    )
    first = io.merge_insert_new(spark, path, rows, ["path"], PROCESSED_FILES)
    again = io.merge_insert_new(spark, path, rows, ["path"], PROCESSED_FILES)
    assert first.get("numTargetRowsInserted") == 3
    assert again.get("numTargetRowsInserted", 0) == 0


def test_a_killed_run_leaves_a_running_row(spark, tmp_path):
    """kill -9 of a running ingest: its row in ops/runs says ``running`` (written when it
    started); the next run records itself beside it."""
    raw = tmp_path / "raw" / "dt=2024-04-24"
    raw.mkdir(parents=True)
    body = "Siemens said on Monday that orders for its factory automation business rose 12% in the quarter."
    for i in range(3000):
        (raw / f"{i:05d}.jsonl").write_text(
            json.dumps({"title": f"S {i}", "body": f"{body} {i}", "url": f"https://kill.example/{i}"}) + "\n",
            encoding="utf-8",
        )
    lake = tmp_path / "lake"
    conf = local_conf_with_models(tmp_path, ROOT / "models")
    cmd = [
        sys.executable,
        "-m",
        "jobs.ingest",
        "--conf",
        conf,
        "--lakehouse",
        str(lake),
        "--input",
        str(raw.parent),
        "--run-id",
        "killed",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "lib"), str(ROOT)])}
    job = subprocess.Popen(
        cmd, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    first_append = lake / "ops" / "runs" / "_delta_log" / f"{1:020d}.json"
    try:
        deadline = time.time() + 300
        while not first_append.exists() and job.poll() is None and time.time() < deadline:
            time.sleep(0.2)
    finally:
        os.killpg(job.pid, signal.SIGKILL)  # the driver and its JVM, mid-run
        job.wait()
    runs = spark.read.format("delta").load(str(lake / "ops" / "runs")).collect()
    assert [(r.run_id, r.stage, r.status, r.finished_at) for r in runs] == [("killed", "ingest", "running", None)]
    assert ingest_main(["--conf", conf, "--lakehouse", str(lake), "--input", str(raw.parent), "--run-id", "rerun"]) == 0
    runs = {r.run_id: r.status for r in spark.read.format("delta").load(str(lake / "ops" / "runs")).collect()}
    assert runs == {"killed": "running", "rerun": "succeeded"}


def _staged_folder(lake: Path, run_id: str, age_hours: float = 0.0) -> Path:
    folder = lake / "_staging" / f"enrich-{run_id}" / "sentences"
    folder.mkdir(parents=True)
    part = folder / "part-00000.parquet"
    part.write_bytes(b"PAR1")
    stamp = time.time() - age_hours * 3600
    for path in (part, folder, folder.parent):
        os.utime(path, (stamp, stamp))
    return folder.parent


def test_next_run_removes_the_staging_of_dead_runs_only(spark, settings_factory):
    settings = settings_factory()
    lake = Path(settings.paths.lakehouse)
    for run_id, status in (("live", "running"), ("stuck", "running"), ("failed", "failed")):
        record_run(spark, settings, RunContext.start("enrich", run_id), status, {})
    live = _staged_folder(lake, "live", age_hours=0.1)  # a concurrent run, still writing
    stuck = _staged_folder(lake, "stuck", age_hours=48)  # killed two days ago: row still says running
    failed = _staged_folder(lake, "failed")  # finished (its own cleanup failed)
    unknown = _staged_folder(lake, "unknown")  # no row at all
    run_stage(spark, settings, "enrich")
    assert live.exists()
    assert not stuck.exists() and not failed.exists() and not unknown.exists()


def test_run_row_holds_the_configuration_without_secrets(spark, settings_factory, tmp_path):
    (tmp_path / "empty").mkdir()
    settings = settings_factory(
        **{"paths.input": str(tmp_path / "empty"), "spark.extra": {"spark.hadoop.fs.s3a.secret.key": "supersecret123"}}
    )
    result = run_stage(spark, settings, "ingest", "withconf")
    row = spark.read.format("delta").load(catalogue.RUNS.path(settings.lakehouse_root())).first()
    assert result.counts == {
        "records_read": 0,
        "bronze_inserted": 0,
        "bronze_duplicates": 0,
        "quarantined": 0,
        "files": 0,
    }
    assert (row.status, row.records_read, row.bronze_inserted) == ("succeeded", 0, 0)  # the result's counts
    assert "supersecret123" not in row.conf_json
    stored = json.loads(row.conf_json)
    assert stored["spark"]["extra"]["spark.hadoop.fs.s3a.secret.key"] == "***"
    assert stored["ingest"]["min_body_chars"] == settings.ingest.min_body_chars
    assert row.conf_hash == conf_fingerprint(settings)


def test_conf_hash_ignores_paths_and_follows_settings():
    base = load_settings(str(ROOT / "conf" / "local.yaml"), environ={})
    moved = load_settings(
        str(ROOT / "conf" / "local.yaml"),
        {
            "paths.lakehouse": "/elsewhere/lake",
            "paths.input": "s3a://b/raw",
            "paths.models": "/m",
            "spark.jars_dir": "/opt/jars",
        },
        environ={},
    )
    changed = load_settings(str(ROOT / "conf" / "local.yaml"), {"ingest.min_body_chars": 61}, environ={})
    assert conf_fingerprint(base) == conf_fingerprint(moved)
    assert conf_fingerprint(base) != conf_fingerprint(changed)
