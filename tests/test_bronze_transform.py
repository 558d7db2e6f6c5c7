from datetime import date, datetime

from chispa import assert_df_equality
from pyspark.sql import functions as F

from newslake.bronze import transform as T

RUN_AT = datetime(2024, 5, 1, 12, 0)


def test_dump_date_from_folder(spark):
    df = spark.createDataFrame(
        [("file:/x/dt=2024-04-28/a.txt",), ("file:/x/date=2024-01-02/b",), ("file:/x/c.txt",)], "source_file string"
    )
    actual = df.transform(T.with_dump_date)
    expected = spark.createDataFrame(
        [
            ("file:/x/dt=2024-04-28/a.txt", date(2024, 4, 28)),
            ("file:/x/date=2024-01-02/b", date(2024, 1, 2)),
            ("file:/x/c.txt", None),
        ],
        "source_file string, dump_date date",
    )
    assert_df_equality(actual, expected, ignore_row_order=True)


def test_article_date_precedence(spark):
    rows = [
        ("ok", "2024-04-02", datetime(2024, 4, 2), date(2024, 4, 3)),  # article's own date
        ("1970", "0", datetime(1970, 1, 1), date(2024, 4, 3)),  # implausible -> dump folder
        ("future", "2030-01-01", datetime(2030, 1, 1), None),  # implausible, no folder
        ("none", None, None, None),  # no date given -> ingestion
        ("bad", "soon", None, date(2024, 4, 3)),  # unreadable -> dump folder
    ]
    df = spark.createDataFrame(rows, "k string, published_raw string, published_parsed timestamp, dump_date date")
    actual = df.transform(T.with_article_date, RUN_AT, 1980, 2).select("k", "date_source", "published_at")
    expected = spark.createDataFrame(
        [
            ("ok", "article", datetime(2024, 4, 2)),
            ("1970", "dump_folder", datetime(2024, 4, 3)),
            ("future", None, None),
            ("none", "ingestion", RUN_AT),
            ("bad", "dump_folder", datetime(2024, 4, 3)),
        ],
        "k string, date_source string, published_at timestamp",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_reject_reasons(spark):
    rows = [
        ("a", None, "x" * 80, datetime(2024, 1, 1)),
        ("b", "unparseable_json", None, None),
        ("c", None, "  ", datetime(2024, 1, 1)),
        ("d", None, "Read more.", datetime(2024, 1, 1)),
        ("e", None, "x" * 80, None),
    ]
    df = (
        spark.createDataFrame(rows, "k string, parse_error string, body string, published_at timestamp")
        .withColumn("parse_detail", F.lit(None).cast("string"))
        .withColumn("published_raw", F.lit("2099"))
    )
    actual = df.transform(T.with_reject_reason, 60).select("k", "reject_reason")
    expected = spark.createDataFrame(
        [("a", None), ("b", "unparseable_json"), ("c", "empty_body"), ("d", "body_too_short"), ("e", "no_usable_date")],
        "k string, reject_reason string",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_article_id_normalises_url_and_falls_back_to_text(spark):
    rows = [
        ("1", "https://www.News.example/a/b/?utm_source=x#top", "T", "B"),
        ("2", "http://news.example/a/b", "Other", "Other"),
        ("3", None, "Title", "Body  text"),
        ("4", "", "title", "body text"),
    ]
    df = spark.createDataFrame(rows, "k string, url string, title string, body string").transform(T.with_article_id)
    ids = {r.k: r.article_id for r in df.collect()}
    assert ids["1"] == ids["2"] and ids["3"] == ids["4"] and ids["1"] != ids["3"]
    assert len(ids["1"]) == 64


def test_first_per_article_counts_copies(spark):
    df = spark.createDataFrame(
        [("x", "f2", 1), ("x", "f1", 9), ("y", "f1", 1)], "article_id string, source_file string, record_number int"
    )
    actual = df.transform(T.first_per_article)
    expected = spark.createDataFrame(
        [("x", "f1", 9, 2, [("f1", 9), ("f2", 1)]), ("y", "f1", 1, 1, [("f1", 1)])],
        "article_id string, source_file string, record_number int, batch_copies long, "
        "seen_in array<struct<source_file: string, record_number: int>>",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)
