"""Bronze transformations: DataFrame in, DataFrame out; no I/O, no clock (times are arguments)."""

from __future__ import annotations

from datetime import datetime
from typing import Tuple

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

DUMP_DATE_PATTERN = r"(?:^|/)(?:dt|date|day)=(\d{4}-\d{2}-\d{2})(?:/|$)"
_UTM = r"(?i)([?&])(utm_[a-z]+|fbclid|gclid|ocid|cmpid)=[^&#]*"


def normalise_url(col: Column) -> Column:
    """Lower-cased host and path without scheme, www., fragment, tracking parameters or
    trailing slash, so the same article fetched twice gets one id."""
    url = F.lower(F.trim(col))
    url = F.regexp_replace(url, r"#.*$", "")
    url = F.regexp_replace(url, _UTM, "$1")
    url = F.regexp_replace(url, r"[?&]+$", "")
    url = F.regexp_replace(url, r"\?&", "?")
    url = F.regexp_replace(url, r"^[a-z][a-z0-9+.-]*://", "")
    url = F.regexp_replace(url, r"^www\.", "")
    return F.regexp_replace(url, r"/+$", "")


def effective_language(vendor: Column, detected: Column) -> Column:
    """The detected language (vendors' language fields are often a site default), else the
    vendor's code reduced to ISO 639-1 ("en-US" -> "en")."""
    code = F.lower(F.regexp_extract(F.coalesce(vendor, F.lit("")), r"^\s*([A-Za-z]{2})(?:[-_].*)?\s*$", 1))
    return F.coalesce(detected, F.when(code != "", code))


def normalise_text(col: Column) -> Column:
    return F.trim(F.regexp_replace(F.lower(col), r"\s+", " "))


def with_dump_date(df: DataFrame) -> DataFrame:
    """``dump_date``: the date of the dump folder (``dt=YYYY-MM-DD``) the file came from."""
    raw = F.regexp_extract(F.col("source_file"), DUMP_DATE_PATTERN, 1)
    return df.withColumn("dump_date", F.when(raw != "", F.to_date(raw)).cast("date"))


def with_article_date(df: DataFrame, ingested_at: datetime, min_year: int, max_future_days: int) -> DataFrame:
    """``published_at`` (UTC) and ``date_source``.

    The article's own date when it is plausible (after ``min_year``, at most
    ``max_future_days`` after ingestion); else the dump folder's date; else, only when the
    record carried no date at all, the ingestion time. An unreadable or implausible date
    with no dump folder leaves ``published_at`` null (quarantined as no_usable_date).
    """
    upper = F.lit(ingested_at) + F.expr(f"INTERVAL {int(max_future_days)} DAYS")
    lower = F.make_timestamp(F.lit(min_year), F.lit(1), F.lit(1), F.lit(0), F.lit(0), F.lit(0))
    parsed = F.col("published_parsed")
    plausible = parsed.isNotNull() & (parsed >= lower) & (parsed <= upper)
    no_date_given = F.col("published_raw").isNull() | (F.trim(F.col("published_raw")) == "")
    return df.withColumn(
        "date_source",
        F.when(plausible, "article")
        .when(F.col("dump_date").isNotNull(), "dump_folder")
        .when(no_date_given, "ingestion"),
    ).withColumn(
        "published_at",
        F.when(F.col("date_source") == "article", parsed)
        .when(F.col("date_source") == "dump_folder", F.col("dump_date").cast("timestamp"))
        .when(F.col("date_source") == "ingestion", F.lit(ingested_at)),
    )


def with_reject_reason(df: DataFrame, min_body_chars: int) -> DataFrame:
    """``reject_reason``: the first rule a record breaks, or null for a usable article."""
    body_len = F.length(F.trim(F.coalesce(F.col("body"), F.lit(""))))
    return df.withColumn(
        "reject_reason",
        F.coalesce(
            F.col("parse_error"),
            F.when(body_len == 0, F.lit("empty_body")),
            F.when(body_len < min_body_chars, F.lit("body_too_short")),
            F.when(F.col("published_at").isNull(), F.lit("no_usable_date")),
        ),
    ).withColumn(
        "reject_detail",
        F.coalesce(
            F.col("parse_detail"),
            F.when(
                F.col("reject_reason") == "body_too_short",
                F.format_string(f"body has %d characters, fewer than ingest.min_body_chars={min_body_chars}", body_len),
            ),
            F.when(
                F.col("reject_reason") == "no_usable_date",
                F.concat(
                    F.lit("date "),
                    F.coalesce(F.col("published_raw"), F.lit("?")),
                    F.lit(" unreadable or implausible, and the file is in no dt=YYYY-MM-DD folder"),
                ),
            ),
            F.when(F.col("reject_reason") == "empty_body", F.lit("no body/text/content field with text")),
        ),
    )


def with_article_id(df: DataFrame) -> DataFrame:
    """``article_id``: SHA-256 of the normalised URL, or of normalised title and body."""
    url_key = normalise_url(F.col("url"))
    text_key = F.concat_ws("\n", normalise_text(F.coalesce(F.col("title"), F.lit(""))), normalise_text(F.col("body")))
    key = F.when(F.col("url").isNotNull() & (url_key != ""), F.concat(F.lit("url:"), url_key)).otherwise(
        F.concat(F.lit("text:"), text_key)
    )
    return df.withColumn("article_id", F.sha2(key, 256))


def split_rejects(df: DataFrame) -> Tuple[DataFrame, DataFrame]:
    return df.filter(F.col("reject_reason").isNull()), df.filter(F.col("reject_reason").isNotNull())


def first_per_article(df: DataFrame) -> DataFrame:
    """One row per article id in a batch (first by file and record), with ``batch_copies`` and
    ``seen_in``, the batch's records that carry it as sorted (source_file, record_number)."""
    order = Window.partitionBy("article_id").orderBy("source_file", "record_number")
    article = Window.partitionBy("article_id")
    return (
        df.withColumn("_rank", F.row_number().over(order))
        .withColumn("batch_copies", F.count(F.lit(1)).over(article))
        .withColumn("seen_in", F.array_sort(F.collect_set(F.struct("source_file", "record_number")).over(article)))
        .filter(F.col("_rank") == 1)
        .drop("_rank")
    )


def to_bronze_articles(df: DataFrame, run_id: str, ingested_at: datetime) -> DataFrame:
    now = F.lit(ingested_at).cast("timestamp")
    return df.select(
        "article_id",
        "source_file",
        "record_number",
        "byte_offset",
        "source_format",
        F.lit(run_id).alias("ingest_run_id"),
        now.alias("ingested_at"),
        now.alias("first_seen_at"),
        now.alias("last_seen_at"),
        F.col("batch_copies").cast("long").alias("seen_count"),
        "seen_in",
        "raw_payload",
        F.trim("title").alias("title"),
        F.trim("body").alias("body"),
        F.trim("url").alias("url"),
        "source",
        effective_language(F.col("language"), F.col("detected_language")).alias("language"),
        "detected_language",
        "author",
        "published_raw",
        "published_at",
        "date_source",
        "dump_date",
    )


def to_quarantine(df: DataFrame, run_id: str, quarantined_at: datetime, prefix_chars: int) -> DataFrame:
    return df.select(
        F.sha2(F.concat_ws("#", "source_file", F.col("record_number").cast("string")), 256).alias("quarantine_id"),
        "source_file",
        "record_number",
        "byte_offset",
        "source_format",
        F.col("reject_reason").alias("reason"),
        F.col("reject_detail").alias("detail"),
        F.substring(F.col("raw_payload"), 1, prefix_chars).alias("raw_prefix"),
        F.lit(run_id).alias("ingest_run_id"),
        F.lit(quarantined_at).cast("timestamp").alias("quarantined_at"),
    )
