"""Ingest counts every input record once, whatever retries, overlaps and crashes do: a rerun
of files already in bronze, a crash between the bronze commit and the file ledger, and two
runs that listed the same files before either wrote its ledger all leave bronze as one clean
run leaves it."""

import json
from pathlib import Path

from chispa import assert_df_equality
from conftest import ROOT
from pyspark.sql import functions as F

from newslake.bronze.ingest import files_to_ingest, ingest_files
from newslake.cli import ingest_main
from newslake.runs import RunContext

BODY = "Siemens said on Monday that orders for its factory automation business rose 12% in the quarter."


def jsonl(path: Path, *ids: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(
            json.dumps(
                {
                    "title": f"Story {i}",
                    "body": f"{BODY} Item {i}.",
                    "url": f"https://once.example/{i}",
                    "published": "2024-04-24T10:00:00Z",
                }
            )
            + "\n"
            for i in ids
        ),
        encoding="utf-8",
    )


def corpus(root: Path) -> Path:
    """Six articles in seven records on two days; article 1 comes twice (another file, same day)."""
    raw = root / "raw"
    jsonl(raw / "dt=2024-04-24" / "a.jsonl", 1, 2, 3, 4)
    jsonl(raw / "dt=2024-04-24" / "b.jsonl", 1)
    jsonl(raw / "dt=2024-04-25" / "c.jsonl", 5, 6)
    return raw


def argv(lake: Path, raw: Path, *extra: str):
    return ["--conf", str(ROOT / "conf" / "local.yaml"), "--lakehouse", str(lake), "--input", str(raw), *extra]


EXPECTED_SEEN = {f"https://once.example/{i}": (2 if i == 1 else 1) for i in range(1, 7)}


def seen_counts(spark, lake: Path) -> dict:
    return {r.url: r.seen_count for r in spark.read.format("delta").load(str(lake / "bronze" / "articles")).collect()}


def test_full_refresh_of_a_window_already_ingested_changes_nothing(spark, tmp_path):
    """The issue's first case: an ingest, then ``--full-refresh --run-date`` of a day it read."""
    raw, lake = corpus(tmp_path), tmp_path / "lake"
    assert ingest_main(argv(lake, raw)) == 0
    bronze = str(lake / "bronze" / "articles")
    before = spark.read.format("delta").load(bronze).localCheckpoint()
    assert ingest_main(argv(lake, raw, "--full-refresh", "--run-date", "2024-04-24")) == 0
    assert_df_equality(spark.read.format("delta").load(bronze), before, ignore_row_order=True, ignore_nullable=True)
    assert seen_counts(spark, lake) == EXPECTED_SEEN
    last = spark.read.format("delta").load(str(lake / "ops" / "runs")).orderBy(F.desc("started_at")).first()
    assert (last.status, last.records_read, last.bronze_inserted) == ("succeeded", 5, 0)


def test_crash_after_the_bronze_commit_then_a_rerun_counts_each_record_once(spark, tmp_path):
    """A run dies after committing bronze and before listing its files in ops/processed_files
    (a plain file where that table goes makes its write fail for real); the rerun reads the
    same files again and must change no count."""
    raw, lake = corpus(tmp_path), tmp_path / "lake"
    blocker = lake / "ops" / "processed_files"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("not a Delta table", encoding="utf-8")
    assert ingest_main(argv(lake, raw)) == 1
    assert seen_counts(spark, lake) == EXPECTED_SEEN  # bronze was committed before the crash
    blocker.unlink()
    assert ingest_main(argv(lake, raw)) == 0
    assert seen_counts(spark, lake) == EXPECTED_SEEN
    processed = spark.read.format("delta").load(str(lake / "ops" / "processed_files"))
    assert processed.count() == 3


def test_overlapping_ingests_that_listed_the_same_files_count_them_once(spark, settings_factory, tmp_path):
    """Run B lists the input before run A has written its file ledger (a retry starting while
    the first attempt still runs); both then write. The interleaving is made exact by calling
    the stage's two steps in that order."""
    raw = corpus(tmp_path)
    settings = settings_factory(**{"paths.input": str(raw)})
    first, second = RunContext.start("ingest"), RunContext.start("ingest")
    files_first = files_to_ingest(spark, settings, first)
    files_second = files_to_ingest(spark, settings, second)
    assert len(files_first) == len(files_second) == 3
    counts_first = ingest_files(spark, settings, first, files_first)
    counts_second = ingest_files(spark, settings, second, files_second)
    lake = Path(settings.paths.lakehouse)
    assert seen_counts(spark, lake) == EXPECTED_SEEN
    assert (counts_first["bronze_inserted"], counts_second["bronze_inserted"]) == (6, 0)
    bronze = spark.read.format("delta").load(str(lake / "bronze" / "articles"))
    assert {r.ingest_run_id for r in bronze.collect()} == {first.run_id}
    assert spark.read.format("delta").load(str(lake / "ops" / "processed_files")).count() == 3
