"""The ingest stage: raw dump files -> ``bronze/articles`` and ``bronze/quarantine``."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Dict, Iterator, List, Tuple
from urllib.parse import unquote, urlsplit

import pandas as pd
from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import functions as F

from newslake import io
from newslake.bronze import transform as T
from newslake.bronze.formats import ParseOptions, parse_file
from newslake.catalogue import BRONZE_ARTICLES, BRONZE_QUARANTINE, PROCESSED_FILES
from newslake.config import IngestSettings, Settings
from newslake.runs import RunContext, StageResult
from newslake.schemas import RAW_RECORD


def parse_options(settings: IngestSettings) -> ParseOptions:
    mapping = settings.field_mapping
    return ParseOptions(
        title_fields=tuple(mapping.title),
        body_fields=tuple(mapping.body),
        url_fields=tuple(mapping.url),
        published_fields=tuple(mapping.published),
        source_fields=tuple(mapping.source),
        language_fields=tuple(mapping.language),
        max_record_bytes=settings.max_record_bytes,
        payload_prefix=settings.quarantine_payload_prefix,
        text_headers=tuple((key, tuple(names)) for key, names in sorted(settings.text_headers.items())),
        dateline_pattern=settings.dateline_pattern,
    )


def _hadoop_path_string(uri: str) -> str:
    """``file:///a%20b`` (a file index URI) as ``file:/a b`` (the ``path`` column's form)."""
    parts = urlsplit(uri)
    if parts.netloc:
        return f"{parts.scheme}://{parts.netloc}{unquote(parts.path)}"
    return f"{parts.scheme}:{unquote(parts.path)}"


def list_input_files(spark: SparkSession, input_path: str, ignore_name_pattern: str) -> DataFrame:
    """``path, size, modified_at`` of every input file (content is not read here).

    Spark's file scans skip zero-length files, so those come from the file index and get
    their modification time from the file system: an empty file must still reach quarantine."""
    source = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(input_path)
    non_empty = source.select("path", F.col("length").alias("size"), F.col("modificationTime").alias("modified_at"))
    indexed = {_hadoop_path_string(uri) for uri in source.inputFiles()}
    scanned = {row["path"] for row in non_empty.select("path").collect()}
    empty_paths = sorted(indexed - scanned)
    listing = non_empty
    if empty_paths:
        jvm = spark.sparkContext._jvm
        conf = spark.sparkContext._jsc.hadoopConfiguration()
        rows = []
        for path in empty_paths:
            hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
            status = hadoop_path.getFileSystem(conf).getFileStatus(hadoop_path)
            rows.append((path, int(status.getLen()), int(status.getModificationTime())))
        empty = spark.createDataFrame(rows, "path string, size long, mtime_ms long").select(
            "path", "size", F.expr("timestamp_millis(mtime_ms)").alias("modified_at")
        )
        listing = non_empty.unionByName(empty)
    name = F.regexp_extract("path", r"([^/]+)$", 1)
    return listing.filter(~name.rlike(ignore_name_pattern))


def in_dump_window(listing: DataFrame, start, end) -> DataFrame:
    """Files of dump folders dated within [start, end]; an orchestrator's daily run reads its
    day's folder (``dt=YYYY-MM-DD``). Files in no dated folder belong to no window."""
    dump_date = F.to_date(F.regexp_extract("path", T.DUMP_DATE_PATTERN, 1))
    return listing.filter(dump_date.between(F.lit(start), F.lit(end)))


def unprocessed_files(listing: DataFrame, processed: DataFrame) -> DataFrame:
    """Files not ingested before, keyed by path, size and modification time."""
    return listing.join(processed.select("path", "size", "modified_at"), ["path", "size", "modified_at"], "left_anti")


def parse_files(files: DataFrame, opts: ParseOptions) -> DataFrame:
    """One row per record of each file (``path, modified_at, content``), in ``RAW_RECORD``."""
    options = asdict(opts)
    columns = RAW_RECORD.fieldNames()

    def parse_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        parse_opts = ParseOptions(**options)
        pending: list = []
        pending_bytes = 0
        for batch in batches:
            for path, modified, content in zip(batch["path"], batch["modified_at"], batch["content"]):
                modified_py = None if pd.isna(modified) else pd.Timestamp(modified).to_pydatetime()
                pending.extend(parse_file(path, bytes(content), modified_py, parse_opts))
                pending_bytes += len(content)
                # Many tiny files share one Arrow batch; a big file flushes on its own.
                if len(pending) >= 2000 or pending_bytes >= 32 * 1024 * 1024:
                    yield pd.DataFrame.from_records(pending, columns=columns)
                    pending, pending_bytes = [], 0
        if pending:
            yield pd.DataFrame.from_records(pending, columns=columns)

    return files.select("path", "modified_at", "content").mapInPandas(parse_batches, RAW_RECORD)


def empty_file_records(spark: SparkSession, empty_files: list, opts: ParseOptions) -> DataFrame:
    """Quarantine records for zero-length files, which no Spark scan returns."""
    records = []
    for row in empty_files:
        # A naive local datetime: what createDataFrame converts back to the same instant.
        modified = datetime.fromtimestamp(row["mtime_ms"] / 1000)
        records.extend(parse_file(row["path"], b"", modified, opts))
    return spark.createDataFrame(records, RAW_RECORD)


def build_batches(
    raw: DataFrame, settings: IngestSettings, run_id: str, ingested_at: datetime
) -> Tuple[DataFrame, DataFrame, DataFrame]:
    """(candidate articles with their copy counts, every good record, quarantine rows)."""
    checked = (
        raw.transform(T.with_dump_date)
        .transform(T.with_article_date, ingested_at, settings.min_year, settings.max_future_days)
        .transform(T.with_reject_reason, settings.min_body_chars)
    )
    good, bad = T.split_rejects(checked)
    articles = (
        good.transform(T.with_article_id)
        .transform(T.first_per_article)
        .transform(T.to_bronze_articles, run_id, ingested_at)
    )
    quarantine = bad.transform(T.to_quarantine, run_id, ingested_at, settings.quarantine_payload_prefix)
    return articles, good, quarantine


# Exactly once per input record. bronze/articles, bronze/quarantine and ops/processed_files are
# three Delta tables, so a run can die between their commits, and two runs (a retry racing its
# first attempt, an overlapping backfill, a windowed --full-refresh) can read the same files
# before either lists them in ops/processed_files. Rather than trust the file ledger, each write
# is idempotent on its own: quarantine rows are keyed by file and record number, the ledger by
# file, and an article row keeps the set of (file, record number) that carried it in seen_in.
# The merge below updates an existing article only for records not yet in that set, and counts
# only those, so replaying any records any number of times changes nothing (and makes no
# commit). Rows written before seen_in existed count as seen in their own first record.
KNOWN_SIGHTINGS = (
    "coalesce(t.seen_in, array(named_struct('source_file', t.source_file, 'record_number', t.record_number)))"
)
NEW_SIGHTINGS = f"size(array_except(s.seen_in, {KNOWN_SIGHTINGS})) > 0"
SEEN_AGAIN = {
    "last_seen_at": "s.last_seen_at",
    "seen_count": f"t.seen_count + size(array_except(s.seen_in, {KNOWN_SIGHTINGS}))",
    "seen_in": f"array_sort(array_union({KNOWN_SIGHTINGS}, s.seen_in))",
}

IGNORED_FILE_NAMES = r"^(\.|_)|^README|\.(md|crc|tmp|part)$"


def files_to_ingest(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> List[Row]:
    """``path, size, mtime_ms`` of the input files this run reads: the run's window, less the
    files ``ops/processed_files`` already lists (unless ``full_refresh``)."""
    listing = list_input_files(spark, settings.paths.input, IGNORED_FILE_NAMES)
    if ctx.has_window:
        listing = in_dump_window(listing, ctx.window_start, ctx.window_end)
    if not full_refresh:
        processed = io.read(spark, settings.lakehouse_root(), PROCESSED_FILES)
        listing = unprocessed_files(listing, processed)
    # Collected with exact epoch millis so the processed-files log records what was listed.
    return listing.select("path", "size", F.expr("unix_millis(modified_at)").alias("mtime_ms")).collect()


def run_ingest(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> StageResult:
    """Ingest every new file under the input path; returns the reconciliation counts."""
    return StageResult(
        ingest_files(spark, settings, ctx, files_to_ingest(spark, settings, ctx, full_refresh), full_refresh)
    )


def ingest_files(
    spark: SparkSession, settings: Settings, ctx: RunContext, new_files: List[Row], full_refresh: bool = False
) -> Dict[str, int]:
    """Parse ``new_files`` (rows of :func:`files_to_ingest`) into ``bronze/articles`` and
    ``bronze/quarantine`` and list them in ``ops/processed_files``."""
    root = settings.lakehouse_root()
    counts = {
        "records_read": 0,
        "bronze_inserted": 0,
        "bronze_duplicates": 0,
        "quarantined": 0,
        "files": len(new_files),
    }
    if not new_files:
        return counts

    files = spark.createDataFrame([tuple(r) for r in new_files], "path string, size long, mtime_ms long").select(
        "path", "size", F.expr("timestamp_millis(mtime_ms)").alias("modified_at")
    )
    opts = parse_options(settings.ingest)
    contents = (
        spark.read.format("binaryFile")
        .load([r["path"] for r in new_files if r["size"] > 0])
        .select("path", F.col("modificationTime").alias("modified_at"), "content")
        if any(r["size"] > 0 for r in new_files)
        else None
    )
    raw = empty_file_records(spark, [r for r in new_files if r["size"] == 0], opts)
    if contents is not None:
        raw = parse_files(contents, opts).unionByName(raw)
    raw = raw.persist()
    try:
        articles, good, quarantine = build_batches(raw, settings.ingest, ctx.run_id, ctx.started_at)
        records_read = raw.count()
        good_records = good.count()
        per_file = raw.groupBy(F.col("source_file").alias("path")).agg(F.count(F.lit(1)).alias("records"))
        log = files.join(per_file, "path", "left").select(
            "path",
            "size",
            "modified_at",
            F.lit(ctx.run_id).alias("ingest_run_id"),
            F.lit(ctx.started_at).cast("timestamp").alias("processed_at"),
            F.coalesce("records", F.lit(0)).cast("long").alias("records"),
        )
        # Bronze written before seen_in existed gets the column (null: see KNOWN_SIGHTINGS).
        io.add_missing_columns(spark, BRONZE_ARTICLES.path(root), BRONZE_ARTICLES.schema)
        if full_refresh and not ctx.has_window:
            # Rebuild from every file: the same articles, ids and quarantine rows as the
            # incremental runs produced, with this run's metadata. (With a window, a full
            # refresh re-reads that window's files and merges them like new input.)
            io.overwrite_rows(spark, root, BRONZE_ARTICLES, articles)
            io.overwrite_rows(spark, root, BRONZE_QUARANTINE, quarantine)
            io.overwrite_rows(spark, root, PROCESSED_FILES, log)
            inserted = io.read(spark, root, BRONZE_ARTICLES).count()
        else:
            metrics = io.merge_new(
                spark, root, BRONZE_ARTICLES, articles, update_on_match=SEEN_AGAIN, update_condition=NEW_SIGHTINGS
            )
            inserted = metrics.get("numTargetRowsInserted", 0)
            io.merge_new(spark, root, BRONZE_QUARANTINE, quarantine)
            io.merge_new(spark, root, PROCESSED_FILES, log)
        quarantined = records_read - good_records
    finally:
        raw.unpersist()
    counts.update(
        records_read=records_read,
        bronze_inserted=inserted,
        bronze_duplicates=good_records - inserted,
        quarantined=quarantined,
    )
    return counts
