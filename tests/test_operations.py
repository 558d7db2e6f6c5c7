"""Production behaviour: the pipeline submitted to a real standalone cluster, concurrent runs,
windows, data-quality failures, and a failing pipeline stage that stops the run with a message."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyspark
import pytest
from chispa import assert_approx_df_equality, assert_df_equality
from conftest import ROOT
from pyspark.sql import functions as F

from newslake import catalogue
from newslake.cli import ingest_main, pipeline_main

SEED = ROOT / "data" / "sample_corpus" / "scraped" / "dt=2024-04-28" / "seed_article.txt"


def corpus(root: Path) -> Path:
    raw = root / "raw"
    (raw / "dt=2024-04-28").mkdir(parents=True)
    shutil.copy(SEED, raw / "dt=2024-04-28" / "seed_article.txt")
    day = raw / "dt=2024-04-02"
    day.mkdir()
    body = (
        "Siemens said on Tuesday that orders for its automation business in Germany rose 12% in the "
        "quarter, beating forecasts, and it raised its outlook for the year."
    )
    lines = [
        json.dumps(
            {
                "title": f"Siemens orders {i}",
                "body": body + f" Update {i}.",
                "url": f"https://ops.example/{i}",
                "published": "2024-04-02T08:00:00Z",
            }
        )
        for i in range(20)
    ]
    (day / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


def argv(lake: Path, raw: Path, *extra: str):
    return [
        "--conf",
        str(ROOT / "conf" / "local.yaml"),
        "--lakehouse",
        str(lake),
        "--input",
        str(raw),
        "--models",
        str(ROOT / "models"),
        "--set",
        f"paths.gazetteer={ROOT / 'conf' / 'gazetteer'}",
        "--quiet-summary",
        *extra,
    ]


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


def build_wheel(folder: Path) -> Path:
    """The project's wheel, built into ``folder`` as a user would (``pip wheel .``)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder), str(ROOT)],
        check=True,
        cwd=folder.parent,
    )
    return next(folder.glob("newslake-*.whl"))


def shipped_jars() -> str:
    """The jars scripts/setup.sh resolved (Spark NLP, Delta and theirs), as ``--jars`` takes them."""
    return ",".join(str(j) for j in sorted((ROOT / ".cache" / "jars").glob("*.jar")))


def free_ports(n: int):
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def without_pythonpath():
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def executor_python(folder: Path) -> Path:
    """The Python that executors start their workers with: the virtualenv's interpreter without
    ``site`` (so the editable install of newslake, a ``.pth`` file there, is not seen) and with the
    virtualenv's packages on PYTHONPATH after what Spark puts there (pyspark, the --py-files).
    newslake can then only come from the shipped wheel, as on a cluster's nodes."""
    site_packages = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    script = folder / "executor-python"
    script.write_text(
        f'#!/bin/sh\nPYTHONPATH="${{PYTHONPATH:+$PYTHONPATH:}}{site_packages}" exec "{sys.executable}" -S "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


class StandaloneCluster:
    """Spark's standalone master and ``workers`` workers (one core each) from the pyspark package,
    on free ports of 127.0.0.1, logging under ``folder``; :meth:`stop` ends every process it
    started (the daemons and, through their process groups, the executors the workers ran)."""

    def __init__(self, folder: Path, workers: int = 2, worker_memory: str = "2g"):
        self.folder = folder
        self.processes = []
        port, ui, *worker_ports = free_ports(2 + 2 * workers)
        self.url = f"spark://127.0.0.1:{port}"
        # Without the caller's PYTHONPATH: executors inherit the workers' environment, and a
        # PYTHONPATH naming the checkout would let their Python import newslake without the wheel.
        self.env = {
            **without_pythonpath(),
            "SPARK_HOME": str(Path(pyspark.__file__).parent),
            "SPARK_DAEMON_MEMORY": "384m",
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_LOG_DIR": str(folder),
        }
        self._start(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--webui-port",
            str(ui),
        )
        self._wait_for("master", "I have been elected leader")
        for i in range(workers):
            self._start(
                f"worker{i}",
                "org.apache.spark.deploy.worker.Worker",
                self.url,
                "--cores",
                "1",
                "--memory",
                worker_memory,
                "--host",
                "127.0.0.1",
                "--port",
                str(worker_ports[2 * i]),
                "--webui-port",
                str(worker_ports[2 * i + 1]),
                "--work-dir",
                str(folder / f"work{i}"),
            )
        for i in range(workers):
            self._wait_for(f"worker{i}", "Successfully registered with master")

    def _start(self, name, main_class, *args):
        spark_class = Path(sys.executable).parent / "spark-class"
        log = open(self.folder / f"{name}.log", "w")
        self.processes.append(
            subprocess.Popen(
                [str(spark_class), main_class, *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
            )
        )

    def _wait_for(self, name, line, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if line in (self.folder / f"{name}.log").read_text(errors="replace"):
                return
            if any(p.poll() is not None for p in self.processes):
                break
            time.sleep(0.5)
        raise RuntimeError(f"standalone {name} did not start:\n" + (self.folder / f"{name}.log").read_text()[-3000:])

    def stop(self):
        for process in reversed(self.processes):  # workers first: they end their executors
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture()
def cluster(tmp_path):
    folder = tmp_path / "cluster"
    folder.mkdir()
    started = StandaloneCluster(folder)
    try:
        yield started
    finally:
        started.stop()


# The 21 articles of corpus(): the seed page and 20 wire items. The sample corpus's 100 articles
# cost the submit about four times as long on 2 cores (432 s on a loaded machine) and exercise
# no other code path.
SMALL_WINDOW = ("--start", "2024-04-01", "--end", "2024-04-30")


@pytest.mark.skipif(
    os.environ.get("NEWSLAKE_SUBMIT_TESTS") == "0",
    reason="NEWSLAKE_SUBMIT_TESTS=0: the spark-submit JVMs (minutes on 2 cores) are skipped",
)
def test_pipeline_submitted_to_a_standalone_cluster_matches_local_mode(spark, tmp_path, cluster):
    """The README's cluster command against Spark's own standalone cluster: a master and two
    one-core workers started here, jobs/pipeline.py submitted in client mode with the wheel as
    --py-files and the jars of .cache/jars as --jars. Executors are their own JVMs and their Python
    workers cannot import newslake except from the wheel, so a driver-only path, an unshipped
    dependency or an executor-side import fails here. Gold must equal a local-mode run's on the
    small corpus (one JVM for all four stages: each costs about a minute on 2 cores; the stage
    entry points are checked below without a JVM)."""
    wheel = build_wheel(tmp_path / "dist")
    python = executor_python(tmp_path)
    hidden = subprocess.run(
        [str(python), "-c", "import newslake"], capture_output=True, text=True, env=without_pythonpath(), cwd=tmp_path
    )
    assert hidden.returncode != 0 and "No module named 'newslake'" in hidden.stderr  # only the wheel serves it
    assert subprocess.run([str(python), "-c", "import pyspark, pandas, pyarrow, sparknlp"]).returncode == 0

    raw = corpus(tmp_path)
    cluster_lake, local_lake = tmp_path / "cluster-lake", tmp_path / "local-lake"
    submit = Path(sys.executable).parent / "spark-submit"
    env = {
        **os.environ,
        "PYSPARK_PYTHON": str(python),
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "SPARK_HOME": cluster.env["SPARK_HOME"],
        "SPARK_LOCAL_IP": "127.0.0.1",
    }
    cmd = [
        str(submit),
        "--master",
        cluster.url,
        "--deploy-mode",
        "client",
        "--driver-memory",
        "2g",
        "--executor-memory",
        "1536m",
        "--executor-cores",
        "1",
        "--total-executor-cores",
        "2",
        "--jars",
        shipped_jars(),
        "--py-files",
        str(wheel),
        "--conf",
        "spark.ui.enabled=false",
        str(ROOT / "jobs" / "pipeline.py"),
        *argv(cluster_lake, raw, *SMALL_WINDOW, "--run-id", "submitted", "--set", "spark.jar_source=provided"),
    ]
    # The local-mode run below runs in this test's session while the submitted one waits on its
    # JVMs (driver, executors, jar shipping): both at once, not one after the other. The
    # submit's output goes to a file, which cannot fill up and stall it the way a pipe can.
    started = time.time()
    with open(tmp_path / "submit.log", "w+") as log:
        submitted = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            local_code = pipeline_main(argv(local_lake, raw, *SMALL_WINDOW))  # local mode, this test's session
            returncode = submitted.wait(timeout=1200)
        finally:
            if submitted.poll() is None:
                submitted.kill()
                submitted.wait()
        log.seek(0)
        output = log.read()
    print(f"pipeline on the standalone cluster and in local mode at once: {time.time() - started:.0f} s")
    assert returncode == 0, f"spark-submit to the cluster failed:\n{output[-4000:]}"
    assert "app-" in "".join(p.read_text() for p in cluster.folder.glob("worker*.log"))  # executors ran there

    runs = spark.read.format("delta").load(str(cluster_lake / "ops" / "runs")).orderBy("started_at").collect()
    assert [(r.stage, r.status, r.run_id) for r in runs] == [
        (stage, "succeeded", "submitted") for stage in ("ingest", "enrich", "stories", "aggregate")
    ]
    assert {(str(r.window_start), str(r.window_end)) for r in runs} == {("2024-04-01", "2024-04-30")}
    # One submitted application, on the cluster (not local-*: conf/local.yaml's local[*] must not
    # override spark-submit's --master), and not this test's session.
    app_ids = {r.spark_app_id for r in runs}
    assert len(app_ids) == 1 and next(iter(app_ids)).startswith("app-")

    assert local_code == 0  # local mode, this test's session

    def load(lake, table):
        return spark.read.format("delta").load(str(lake / table))

    bronze = load(cluster_lake, "bronze/articles")
    assert (
        bronze.count() == bronze.select("article_id").distinct().count() == load(local_lake, "bronze/articles").count()
    )
    assert runs[0].bronze_inserted == bronze.count() == 21
    assert_df_equality(
        bronze.select("article_id", "url", "published_at"),
        load(local_lake, "bronze/articles").select("article_id", "url", "published_at"),
        ignore_row_order=True,
    )
    gold = [table.name for table in catalogue.GOLD_TABLES]
    for name in gold:
        assert_approx_df_equality(
            load(cluster_lake, f"gold/{name}"),
            load(local_lake, f"gold/{name}"),
            1e-9,
            ignore_row_order=True,
            ignore_nullable=True,
        )
    cells = {(r.company, r.country, r.iso_week) for r in load(cluster_lake, "gold/sentiment_weekly").collect()}
    assert ("Tesla", "CN", 17) in cells


@pytest.mark.parametrize("stage", ["ingest", "enrich", "stories", "aggregate", "pipeline", "check"])
def test_each_job_file_runs_its_own_stage(stage):
    done = subprocess.run(
        [sys.executable, str(ROOT / "jobs" / f"{stage}.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: jobs.{stage} ")


def test_two_concurrent_ingests_on_overlapping_windows_do_not_duplicate(spark, tmp_path):
    """Two ingests at once (as a retry racing a backfill would), windows overlapping on both dump
    folders: Delta's optimistic concurrency lets one commit first; the other succeeds having
    merged nothing twice, or fails with a message that says to re-run. Either way no duplicates."""
    raw = corpus(tmp_path)
    lake = tmp_path / "lake"
    windows = [("2024-04-01", "2024-04-28"), ("2024-04-02", "2024-04-30")]
    codes = at_once(*(lambda w=w: ingest_main(argv(lake, raw, "--start", w[0], "--end", w[1])) for w in windows))
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
        at_once(
            lambda path=path: io.ensure_table(spark, path, BRONZE_ARTICLES),
            lambda path=path: io.ensure_table(spark, path, BRONZE_ARTICLES),
        )  # raises what either raised
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
