"""Production behaviour: the jobs through the real spark-submit, concurrent runs, windows,
data-quality failures, and a failing pipeline stage that stops the run with a message."""

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from pyspark.sql import functions as F

from newslake.cli import ingest_main, pipeline_main

from conftest import ROOT

SEED = ROOT / "data" / "sample_corpus" / "scraped" / "dt=2024-04-28" / "seed_article.txt"


def corpus(root: Path) -> Path:
    raw = root / "raw"
    (raw / "dt=2024-04-28").mkdir(parents=True)
    shutil.copy(SEED, raw / "dt=2024-04-28" / "seed_article.txt")
    day = raw / "dt=2024-04-02"
    day.mkdir()
    body = ("Siemens said on Tuesday that orders for its automation business in Germany rose 12% in the "
            "quarter, beating forecasts, and it raised its outlook for the year.")
    lines = [json.dumps({"title": f"Siemens orders {i}", "body": body + f" Update {i}.",
                         "url": f"https://ops.example/{i}", "published": "2024-04-02T08:00:00Z"}) for i in range(20)]
    (day / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


def argv(lake: Path, raw: Path, *extra: str):
    return ["--conf", str(ROOT / "conf" / "local.yaml"), "--lakehouse", str(lake), "--input", str(raw),
            "--models", str(ROOT / "models"), "--set", f"paths.gazetteer={ROOT / 'conf' / 'gazetteer'}",
            "--quiet-summary", *extra]


def at_once(*calls):
    """Run ``calls`` in threads released together; their results in order, or the first error."""
    go = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        go.wait()
        try:
            results[i] = (True, call())
        except BaseException as exc:  # noqa: BLE001 - re-raised below, in the test's thread
            results[i] = (False, exc)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for ok, value in results:
        if not ok:
            raise value
    return [value for _, value in results]


@pytest.mark.skipif(os.environ.get("NEWSLAKE_SUBMIT_TESTS") == "0",
                    reason="NEWSLAKE_SUBMIT_TESTS=0: the spark-submit JVM (minutes on 2 cores) is skipped")
def test_spark_submit_runs_the_pipeline_from_the_wheel(spark, tmp_path):
    """The README's air-gapped command in local mode: the wheel as --py-files, the jars of
    .cache/jars as --jars, jobs/pipeline.py running ingest, enrich, stories and aggregate in one JVM
    (one JVM, not four: each costs about a minute on 2 cores, and the pipeline job runs each
    stage's code; the stage entry points are checked below without a JVM)."""
    raw = corpus(tmp_path)
    lake = tmp_path / "lake"
    wheel_dir = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir),
                    str(ROOT)], check=True, cwd=tmp_path)
    wheel = next(wheel_dir.glob("newslake-*.whl"))
    jars = ",".join(str(j) for j in sorted((ROOT / ".cache" / "jars").glob("*.jar")))
    submit = Path(sys.executable).parent / "spark-submit"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    cmd = [str(submit), "--master", "local[2]", "--driver-memory", "2g", "--jars", jars,
           "--py-files", str(wheel), "--conf", "spark.ui.enabled=false",
           str(ROOT / "jobs" / "pipeline.py"),
           *argv(lake, raw, "--start", "2024-04-01", "--end", "2024-04-30", "--run-id", "submitted",
                 "--set", "spark.jar_source=provided", "--set", "spark.master=null")]
    done = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"spark-submit pipeline failed:\n{done.stderr[-3000:]}"
    bronze = spark.read.format("delta").load(str(lake / "bronze" / "articles"))
    assert bronze.count() == bronze.select("article_id").distinct().count() == 21
    gold = spark.read.format("delta").load(str(lake / "gold" / "sentiment_weekly"))
    assert {(r.company, r.country, r.iso_week) for r in gold.collect()} >= {("Tesla", "CN", 17), ("Siemens", "DE", 14)}
    runs = spark.read.format("delta").load(str(lake / "ops" / "runs")).orderBy("started_at").collect()
    assert [(r.stage, r.status, r.run_id) for r in runs] == [
        (stage, "succeeded", "submitted") for stage in ("ingest", "enrich", "stories", "aggregate")]
    assert {(str(r.window_start), str(r.window_end)) for r in runs} == {("2024-04-01", "2024-04-30")}
    app_ids = {r.spark_app_id for r in runs}  # one submitted application, not this test's session
    assert len(app_ids) == 1 and spark.sparkContext.applicationId not in app_ids
    assert runs[0].bronze_inserted == 21


@pytest.mark.parametrize("stage", ["ingest", "enrich", "stories", "aggregate", "pipeline"])
def test_each_job_file_runs_its_own_stage(stage):
    done = subprocess.run([sys.executable, str(ROOT / "jobs" / f"{stage}.py"), "--help"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: jobs.{stage} ")


def test_two_concurrent_ingests_on_overlapping_windows_do_not_duplicate(spark, tmp_path):
    """Two ingests at once (as a retry racing a backfill would), windows overlapping on both dump
    folders: Delta's optimistic concurrency lets one commit first; the other succeeds having
    merged nothing twice, or fails with a message that says to re-run. Either way no duplicates."""
    raw = corpus(tmp_path)
    lake = tmp_path / "lake"
    windows = [("2024-04-01", "2024-04-28"), ("2024-04-02", "2024-04-30")]
    codes = at_once(*(lambda w=w: ingest_main(argv(lake, raw, "--start", w[0], "--end", w[1]))
                      for w in windows))
    assert 0 in codes and set(codes) <= {0, 1}
    bronze = spark.read.format("delta").load(str(lake / "bronze" / "articles"))
    assert bronze.count() == bronze.select("article_id").distinct().count() == 21
    runs = spark.read.format("delta").load(str(lake / "ops" / "runs")).collect()
    assert sorted((str(r.window_start), str(r.window_end)) for r in runs) == windows  # both recorded
    assert max(r.started_at for r in runs) < min(r.finished_at for r in runs)  # they did overlap
    succeeded = [r for r in runs if r.status == "succeeded"]
    assert sum(r.bronze_inserted for r in succeeded) == 21  # each article counted by the run that wrote it
    for failed in (r for r in runs if r.status == "failed"):
        assert "ConcurrentRunError" in failed.message and "re-run" in failed.message
    assert ingest_main(argv(lake, raw, "--start", "2024-04-01", "--end", "2024-04-30")) == 0  # the retry
    assert spark.read.format("delta").load(str(lake / "bronze" / "articles")).count() == 21


def test_two_runs_creating_the_same_table_at_once_both_get_it(spark, tmp_path):
    """The race behind the concurrent-ingest test, without the rest of the stage: both
    creators of a new table return it, and the table exists once, with its schema."""
    from newslake import io
    from newslake.schemas import BRONZE_ARTICLES

    for attempt in range(3):
        path = str(tmp_path / f"t{attempt}")
        at_once(lambda: io.ensure_table(spark, path, BRONZE_ARTICLES),
                lambda: io.ensure_table(spark, path, BRONZE_ARTICLES))  # raises what either raised
        assert spark.read.format("delta").load(path).schema.fieldNames() == BRONZE_ARTICLES.fieldNames()


def test_window_selects_the_days_dump_folder(spark, tmp_path):
    raw = corpus(tmp_path)
    lake = tmp_path / "lake"
    assert ingest_main(argv(lake, raw, "--run-date", "2024-04-28")) == 0
    bronze = spark.read.format("delta").load(str(lake / "bronze" / "articles"))
    assert bronze.count() == 1
    assert ingest_main(argv(lake, raw, "--start", "2024-04-01", "--end", "2024-04-27")) == 0
    run = spark.read.format("delta").load(str(lake / "ops" / "runs")).orderBy(F.desc("started_at")).first()
    assert (str(run.window_start), str(run.window_end), run.bronze_inserted) == ("2024-04-01", "2024-04-27", 20)
    assert ingest_main(argv(lake, raw, "--run-date", "2024-04-28", "--start", "2024-04-01", "--end", "2024-04-02")) == 2


def test_failing_stage_stops_the_pipeline_with_its_name(spark, tmp_path, caplog):
    raw = corpus(tmp_path)
    lake = tmp_path / "lake"
    # An impossible rule makes ingest fail its data-quality check; enrich must not run.
    code = pipeline_main(argv(lake, raw, "--set", "quality.rules={'bronze/articles': {'never': 'false'}}"))
    assert code == 1
    runs = spark.read.format("delta").load(str(lake / "ops" / "runs")).collect()
    assert [(r.stage, r.status) for r in runs] == [("ingest", "failed")]
    assert "data-quality rules broken in bronze/articles: never (21 rows)" in runs[0].message
