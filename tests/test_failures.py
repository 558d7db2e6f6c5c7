"""A failing run says in its first line which stage failed, on which table or file, and why
(the innermost Java cause, not "An error occurred while calling o519.execute"); recording the
failure in ops/runs never replaces it; missing JVM classes say what to pass to spark-submit."""

import json
import os
import subprocess
import sys

from conftest import ROOT, local_conf_with_models

from newslake.cli import ingest_main

BODY = "Siemens said on Monday that orders for its factory automation business rose 12% in the quarter."


def corpus(tmp_path):
    day = tmp_path / "raw" / "dt=2024-04-24"
    day.mkdir(parents=True)
    (day / "a.jsonl").write_text(
        json.dumps({"title": "S", "body": BODY, "url": "https://f.example/1"}) + "\n", encoding="utf-8"
    )
    return tmp_path / "raw"


def error_lines(text):
    return [line for line in text.splitlines() if " ERROR " in line]


def test_write_failure_names_stage_table_and_cause_and_survives_a_broken_ledger(spark, tmp_path, capsys):
    """bronze/articles cannot be written (a plain file stands where the table goes) and neither
    can ops/runs: the run fails on bronze/articles, and says so first."""
    raw, lake = corpus(tmp_path), tmp_path / "lake"
    for table in ("bronze/articles", "ops/runs"):
        (lake / table).parent.mkdir(parents=True, exist_ok=True)
        (lake / table).write_text("in the way", encoding="utf-8")
    code = ingest_main(["--conf", str(ROOT / "conf" / "local.yaml"), "--lakehouse", str(lake), "--input", str(raw)])
    assert code == 1
    errors = error_lines(capsys.readouterr().err)
    first = errors[0]
    assert "stage ingest failed" in first and "bronze/articles" in first, first
    assert f"{lake}/bronze/articles" in first
    assert "Py4JJavaError" not in first and "An error occurred while calling" not in first
    assert "ops/runs" not in first
    assert any("ops/runs" in line and "could not record" in line for line in errors[1:]), errors


def test_missing_jvm_classes_say_what_to_pass(tmp_path):
    """``spark-submit`` without --jars / --packages used to fail with "TypeError: 'JavaPackage'
    object is not callable"; the job now exits 2 naming the packages to pass."""
    raw, conf = corpus(tmp_path), local_conf_with_models(tmp_path, ROOT / "models")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "lib"), str(ROOT)])}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jobs.ingest",
            "--conf",
            conf,
            "--lakehouse",
            str(tmp_path / "lake"),
            "--input",
            str(raw),
            "--set",
            "spark.jar_source=provided",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 2, done.stderr[-3000:]
    errors = error_lines(done.stderr)
    assert errors and "JavaPackage" not in done.stderr
    assert "io.delta:delta-spark_2.12:3.3.2" in errors[0] and "--packages" in errors[0] and "--jars" in errors[0]
    assert "com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3" in errors[0]
