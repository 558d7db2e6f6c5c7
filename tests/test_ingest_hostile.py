"""Ingest on a generated corpus of hostile inputs: it finishes, exits 0, and every record is in
bronze or quarantine with the right reason; counts reconcile; a full refresh gives the same."""

import json
from collections import Counter

import pytest
from chispa import assert_df_equality
from conftest import ROOT
from pyspark.sql import functions as F

from newslake.cli import ingest_main

TINY_FILES = 10_000
BODY = "Siemens said on Monday that orders for its factory automation business rose 12% in the quarter."


def article(i, **extra):
    record = {
        "title": f"Story {i}",
        "body": f"{BODY} Item {i}.",
        "url": f"https://hostile.example/{i}",
        "published": "2024-04-01T10:00:00Z",
    }
    record.update(extra)
    return record


def jsonl(*records):
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n").encode("utf-8")


def write_hostile_corpus(root):
    """Returns the expected quarantine reasons and the number of records written."""
    day = root / "dt=2024-04-01"
    day.mkdir(parents=True)
    expected = Counter()
    good = 0
    (day / "truncated.jsonl").write_bytes(jsonl(article(1)) + b'{"title": "cut", "body": "The compa')
    good += 1
    expected["unparseable_json"] += 1
    latin = json.dumps(
        article(
            2,
            title="Nestlé résultats",
            body="Nestlé said sales in Zürich rose strongly this quarter, beating forecasts.",
        ),
        ensure_ascii=False,
    )
    (day / "latin1.jsonl").write_bytes(latin.encode("latin-1") + b"\n")
    good += 1
    (day / "utf16.json").write_bytes(json.dumps([article(3), article(4)], ensure_ascii=False).encode("utf-16"))
    good += 2
    (day / "mixed.jsonl").write_bytes(jsonl(article(5)) + latin.replace("/2", "/6").encode("latin-1") + b"\n")
    good += 2
    (day / "nul.jsonl").write_bytes(json.dumps(article(7)).encode().replace(b"Siemens", b"Sie\x00mens") + b"\n")
    good += 1
    (day / "binary.jsonl").write_bytes(bytes(b for b in range(256) if b != 10) * 40 + b"\n")
    expected["undecodable_bytes"] += 1
    (day / "big.jsonl").write_bytes(jsonl(article(8, body="x " * (25 * 1024 * 1024))))
    expected["oversized_record"] += 1
    (day / "empty.jsonl").write_bytes(b"")
    expected["empty_file"] += 1
    (day / "scripts.html").write_text(
        "<html><head><script>var a = 1;</script></head><body><nav><a href='/'>Home</a>"
        "</nav><script>track()</script></body></html>",
        encoding="utf-8",
    )
    expected["empty_body"] += 1
    (day / "notes.pdf").write_bytes(b"%PDF-1.4 binary")
    expected["unsupported_format"] += 1
    (day / "dup_a.jsonl").write_bytes(jsonl(article(9)))
    later = root / "dt=2024-04-03"
    later.mkdir()
    (later / "dup_b.jsonl").write_bytes(jsonl(article(9)))
    good += 2  # one inserted, one duplicate
    nodate = root / "nodate"
    nodate.mkdir()
    (nodate / "dates.jsonl").write_bytes(
        jsonl(
            article(10, published="2099-01-01T00:00:00Z"),
            article(11, published="1970-01-01T00:00:00Z"),
            article(12, published="2024-04-02T08:00:00+02:00"),
            article(13, body="Read more."),
        )
    )
    expected["no_usable_date"] += 2
    expected["body_too_short"] += 1
    good += 1
    tiny = root / "dt=2024-04-02" / "tiny"
    tiny.mkdir(parents=True)
    for i in range(TINY_FILES):
        (tiny / f"{i:05d}.jsonl").write_bytes(jsonl(article(100 + i)))
    good += TINY_FILES
    return expected, good


@pytest.fixture(scope="module")
def hostile(spark, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    expected, good = write_hostile_corpus(root / "raw")
    argv = [
        "--conf",
        str(ROOT / "conf" / "local.yaml"),
        "--lakehouse",
        str(root / "lake"),
        "--input",
        str(root / "raw"),
    ]
    assert ingest_main(argv) == 0
    return root, argv, expected, good


def test_every_record_is_in_bronze_or_quarantine(spark, hostile):
    root, _, expected, good = hostile
    run = spark.read.format("delta").load(f"{root}/lake/ops/runs").first()
    quarantine = spark.read.format("delta").load(f"{root}/lake/bronze/quarantine")
    bronze = spark.read.format("delta").load(f"{root}/lake/bronze/articles")
    assert run.status == "succeeded"
    assert run.records_read == run.bronze_inserted + run.bronze_duplicates + run.quarantined
    assert run.records_read == good + sum(expected.values())
    assert (run.bronze_inserted, run.bronze_duplicates) == (good - 1, 1)
    assert bronze.count() == run.bronze_inserted
    assert Counter(r.reason for r in quarantine.collect()) == expected
    big = quarantine.filter("reason = 'oversized_record'").first()
    assert big.source_file.endswith("big.jsonl") and len(big.raw_prefix) <= 2000


def test_encodings_survive(spark, hostile):
    root = hostile[0]
    bronze = spark.read.format("delta").load(f"{root}/lake/bronze/articles")
    titles = {r.title for r in bronze.filter(F.col("title").startswith("Nestl")).collect()}
    assert titles == {"Nestlé résultats"}
    assert bronze.filter(F.col("body").contains("\x00")).count() == 0
    assert bronze.filter(F.col("url") == "https://hostile.example/7").first().body.startswith("Siemens")
    assert bronze.filter(F.col("source_file").endswith("utf16.json")).count() == 2


def test_dates_use_article_then_folder(spark, hostile):
    root = hostile[0]
    bronze = spark.read.format("delta").load(f"{root}/lake/bronze/articles")
    row = bronze.filter(F.col("url") == "https://hostile.example/12").first()
    assert (str(row.published_at), row.date_source) == ("2024-04-02 06:00:00", "article")
    assert bronze.filter(F.year("published_at") < 1980).count() == 0
    assert bronze.filter(F.year("published_at") > 2030).count() == 0


def test_rerun_adds_nothing_and_full_refresh_rebuilds_the_same(spark, hostile):
    root, argv, _, _ = hostile
    path = f"{root}/lake/bronze/articles"
    meta = ["ingest_run_id", "ingested_at", "first_seen_at", "last_seen_at"]
    before = spark.read.format("delta").load(path).drop(*meta).localCheckpoint()
    quarantine_before = (
        spark.read.format("delta")
        .load(f"{root}/lake/bronze/quarantine")
        .drop("ingest_run_id", "quarantined_at")
        .localCheckpoint()
    )
    assert ingest_main(argv) == 0
    runs = spark.read.format("delta").load(f"{root}/lake/ops/runs").orderBy("started_at").collect()
    assert runs[-1].records_read == 0
    assert ingest_main(argv + ["--full-refresh"]) == 0
    assert_df_equality(spark.read.format("delta").load(path).drop(*meta), before, ignore_row_order=True)
    assert_df_equality(
        spark.read.format("delta").load(f"{root}/lake/bronze/quarantine").drop("ingest_run_id", "quarantined_at"),
        quarantine_before,
        ignore_row_order=True,
    )
