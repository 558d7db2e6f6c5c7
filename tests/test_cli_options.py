"""The entry points' command lines: the pinned ones parse as documented, the common options
come from one parser builder (newslake.arguments), and the defaults that name the checkout's
folders come from jobs/, not from the library."""

import ast
import runpy
from pathlib import Path

import pytest

from newslake import arguments, cli
from newslake.evaluation import job as silver_job
from newslake.training import compact as compact_build
from newslake.training import evaluate, train

ROOT = Path(__file__).resolve().parents[1]


def test_stage_command_line_parses_the_common_and_the_stage_options():
    args = cli.build_parser("jobs.enrich", "enrich").parse_args(
        [
            "--conf",
            "conf/local.yaml",
            "--lakehouse",
            "/tmp/lh",
            "--input",
            "data/sample",
            "--set",
            "spark.shuffle_partitions=2",
            "--set",
            "spark.app_name=t",
            "--run-date",
            "2024-01-02",
        ]
    )
    assert (args.conf, args.lakehouse, args.input, args.models) == ("conf/local.yaml", "/tmp/lh", "data/sample", None)
    assert args.set == ["spark.shuffle_partitions=2", "spark.app_name=t"]
    assert cli.window_from_args(args)[0].isoformat() == "2024-01-02"
    settings = arguments.settings_from_args(args)
    assert (settings.paths.lakehouse, settings.spark.shuffle_partitions, settings.spark.app_name) == ("/tmp/lh", 2, "t")


def test_evaluate_command_line_as_pinned():
    args = evaluate.parse_args(
        [
            "--conf",
            "conf/local.yaml",
            "--format",
            "sentfin",
            "--path",
            "f.csv",
            "--model",
            "accurate",
            "--split",
            "validation",
        ]
    )
    assert (args.conf, args.format, args.path, args.model, args.split) == (
        "conf/local.yaml",
        "sentfin",
        "f.csv",
        "accurate",
        "validation",
    )
    with pytest.raises(SystemExit):
        evaluate.parse_args(["--format", "csv", "--path", "f.csv"])  # --conf is required


def test_training_jobs_share_conf_data_dir_and_out():
    args = train.parse_args(["--conf", "conf/local.yaml"])
    assert (args.conf, args.data_dir, args.out, args.seed) == ("conf/local.yaml", "../shared/data", None, 42)
    args = compact_build.parse_args(["--conf", "c.yaml", "--data-dir", "d"])
    assert (args.data_dir, args.realnews) == ("d", None)


def test_evaluate_silver_takes_its_labeled_folder_from_the_jobs_entry_point(monkeypatch):
    with pytest.raises(SystemExit):
        silver_job.parse_args([])  # the library has no default for the labeled sets
    seen = {}
    monkeypatch.setattr(silver_job, "main", lambda argv=None, **defaults: seen.update(defaults) or 0)
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ROOT / "jobs" / "evaluate_silver.py"), run_name="__main__")
    assert done.value.code == 0
    assert seen == {
        "labeled_dir": str(ROOT / "tests" / "data" / "labeled"),
        "shared_data": str(ROOT.parent / "shared" / "data"),
    }
    args = silver_job.parse_args([], **seen)
    assert (args.conf, args.labeled_dir, args.set) == ("conf/local.yaml", seen["labeled_dir"], [])


def test_only_the_builder_makes_parsers_with_the_common_options():
    """Every ArgumentParser under lib/ comes from arguments.job_parser, except resolve_jars
    (a setup tool with none of the common options) and gold/export (not converted yet)."""
    allowed = {"newslake/arguments.py", "newslake/resolve_jars.py", "newslake/gold/export.py"}
    direct = set()
    for path in (ROOT / "lib").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", "")) == "ArgumentParser"
            ):
                direct.add(path.relative_to(ROOT / "lib").as_posix())
    assert "newslake/arguments.py" in direct
    assert direct <= allowed
