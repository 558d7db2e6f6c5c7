"""Every read and write of a Delta table goes through here (the edges of the pipeline).

A failure here is a :class:`~newslake.errors.TableError` that names the table and the root
cause. Each write returns the metrics of its own Delta commit (found by a unique
``userMetadata`` tag, or returned by the MERGE statement), never those of the table's latest
commit: a MERGE that changes nothing makes no commit, and a concurrent run's commit may be the
latest one."""

from __future__ import annotations

import contextlib
import functools
import json
import re
import time
import uuid
from typing import Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, TypeVar

from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from newslake.catalogue import Table
from newslake.errors import TableError

_F = TypeVar("_F", bound=Callable)


def _names_table(action: str, path_arg: int = 1) -> Callable[[_F], _F]:
    """Re-raise a failure of the decorated function as a TableError naming ``action`` and the
    path (its ``path_arg``-th positional argument)."""

    def decorate(func: _F) -> _F:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except (TableError, FileNotFoundError):  # ours, and already naming the path
                raise
            except Exception as exc:
                path = args[path_arg] if len(args) > path_arg else kwargs.get("path", "?")
                raise TableError(action, str(path), exc) from exc

        return wrapper  # type: ignore[return-value]

    return decorate


_WAITS_FOR_RACING_CREATE = (0.5, 1.0, 2.0)
_COMMIT_FILE = re.compile(r"^(\d{20})\.json$")
_PARQUET_MAGIC = b"PAR1"


class DamagedTableError(RuntimeError):
    """A Delta table whose log or data files are damaged: the message names the table and what
    is broken (``python -m jobs.check`` lists every such problem in a lakehouse)."""


def table_exists(spark: SparkSession, path: str) -> bool:
    with naming_damage(spark, path):
        return DeltaTable.isDeltaTable(spark, path)


@_names_table("creating")
def ensure_table(
    spark: SparkSession,
    path: str,
    schema: StructType,
    partition_by: Sequence[str] = (),
    properties: Optional[Mapping[str, str]] = None,
) -> DeltaTable:
    """The table at ``path``, created with its declared schema if it does not exist yet.

    Two runs that create the same table at once (a retry racing a backfill) race inside
    ``createIfNotExists``: the loser sees the winner's half-made ``_delta_log`` and fails with
    DELTA_TABLE_NOT_FOUND or a protocol/metadata conflict. The table it wanted exists a moment
    later, so the loser opens that one instead of failing the run."""
    if table_exists(spark, path):
        with naming_damage(spark, path):
            return DeltaTable.forPath(spark, path)
    builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(schema)
    if partition_by:
        builder = builder.partitionedBy(*partition_by)
    for key, value in (properties or {}).items():
        builder = builder.property(key, value)
    try:
        return builder.execute()
    except Exception:
        for wait_seconds in _WAITS_FOR_RACING_CREATE:
            time.sleep(wait_seconds)
            if table_exists(spark, path):
                return DeltaTable.forPath(spark, path)
        raise


@_names_table("adding columns to")
def add_missing_columns(spark: SparkSession, path: str, schema: StructType) -> None:
    """Add the nullable columns of ``schema`` that the existing table at ``path`` lacks (a table
    written by an older version); rows already there read null in them."""
    if not table_exists(spark, path):
        return
    present = set(spark.read.format("delta").load(path).schema.fieldNames())
    missing = [field for field in schema.fields if field.name not in present]
    if missing:
        columns = ", ".join(f"`{field.name}` {field.dataType.simpleString()}" for field in missing)
        spark.sql(f"ALTER TABLE {_table_ref(path)} ADD COLUMNS ({columns})")


@_names_table("reading")
def read_table(spark: SparkSession, path: str, schema: Optional[StructType] = None) -> DataFrame:
    """The table, or an empty frame of ``schema`` when it does not exist yet."""
    if table_exists(spark, path):
        with naming_damage(spark, path):
            return spark.read.format("delta").load(path)
    if schema is None:
        raise FileNotFoundError(f"no Delta table at {path}; run the stage that writes it first")
    return spark.createDataFrame([], schema)


def last_operation_metrics(spark: SparkSession, path: str) -> Dict[str, int]:
    with naming_damage(spark, path):
        row = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").first()
    metrics = (row["operationMetrics"] if row else None) or {}
    return {key: int(value) for key, value in metrics.items() if str(value).lstrip("-").isdigit()}


def table_version(spark: SparkSession, path: str) -> int:
    with naming_damage(spark, path):
        return int(DeltaTable.forPath(spark, path).history(1).select("version").first()["version"])


def _table_ref(path: str) -> str:
    return "delta.`" + path.replace("`", "``") + "`"


@_names_table("merging into")
def merge_insert_new(
    spark: SparkSession,
    path: str,
    df: DataFrame,
    keys: Iterable[str],
    schema: StructType,
    update_on_match: Optional[Mapping[str, str]] = None,
    partition_by: Sequence[str] = (),
    update_condition: Optional[str] = None,
) -> Dict[str, int]:
    """Upsert ``df`` into the table at ``path`` keyed on ``keys``; returns this MERGE's own
    counts as ``numTargetRowsInserted``, ``numTargetRowsUpdated`` and ``numTargetRowsDeleted``
    (all 0 when it changed nothing, and so made no commit).

    Rows whose key exists get ``update_on_match`` (target column -> SQL expression over
    ``t.``/``s.``), where ``update_condition`` (SQL over ``t.``/``s.``) holds, or are left
    alone; new keys are inserted. Re-running with the same rows inserts nothing, which is what
    makes every stage idempotent. (SQL MERGE, since it returns its counts and the Python
    builder does not.)
    """
    ensure_table(spark, path, schema, partition_by)
    view = f"newslake_merge_source_{uuid.uuid4().hex}"
    df.select(*schema.fieldNames()).createOrReplaceTempView(view)
    condition = " AND ".join(f"t.`{k}` = s.`{k}`" for k in keys)
    statement = f"MERGE INTO {_table_ref(path)} AS t USING {view} AS s ON {condition}"
    if update_on_match:
        when = f" AND ({update_condition})" if update_condition else ""
        assignments = ", ".join(f"t.`{column}` = {expression}" for column, expression in update_on_match.items())
        statement += f" WHEN MATCHED{when} THEN UPDATE SET {assignments}"
    statement += " WHEN NOT MATCHED THEN INSERT *"
    try:
        row = spark.sql(statement).first()
    finally:
        spark.catalog.dropTempView(view)
    return {
        "numTargetRowsInserted": int(row["num_inserted_rows"] or 0),
        "numTargetRowsUpdated": int(row["num_updated_rows"] or 0),
        "numTargetRowsDeleted": int(row["num_deleted_rows"] or 0),
    }


def _tagged_commit_metrics(spark: SparkSession, path: str, tag: str) -> Dict[str, int]:
    """``operationMetrics`` of the commit written with ``userMetadata`` = ``tag``."""
    history = DeltaTable.forPath(spark, path)
    for limit in (20, None):
        entries = history.history(limit) if limit else history.history()
        row = entries.filter(F.col("userMetadata") == tag).select("operationMetrics").first()
        if row is not None:
            metrics = row["operationMetrics"] or {}
            return {key: int(value) for key, value in metrics.items() if str(value).lstrip("-").isdigit()}
    return {}


def _write(spark: SparkSession, path: str, writer) -> Dict[str, int]:
    """Save with ``writer`` under a fresh commit tag; the metrics of that commit."""
    tag = f"newslake-{uuid.uuid4().hex}"
    writer.option("userMetadata", tag).save(path)
    return _tagged_commit_metrics(spark, path, tag)


@_names_table("merging into")
def upsert_and_delete(
    spark: SparkSession, path: str, rows: DataFrame, deleted_keys: DataFrame, key: str, schema: StructType
) -> None:
    """One MERGE keyed on ``key``: rows of ``rows`` whose key exists replace the table's row, new
    keys are inserted, and the table's rows whose key is in ``deleted_keys`` (a frame with the
    ``key`` column) and not in ``rows`` are deleted."""
    table = ensure_table(spark, path, schema)
    source = (
        rows.select(*schema.fieldNames())
        .withColumn("_delete", F.lit(False))
        .unionByName(
            deleted_keys.join(rows.select(key), key, "left_anti")
            .select(
                *[
                    F.col(key) if c == key else F.lit(None).cast(schema[c].dataType).alias(c)
                    for c in schema.fieldNames()
                ]
            )
            .withColumn("_delete", F.lit(True))
        )
    )
    (
        table.alias("t")
        .merge(source.alias("s"), f"t.`{key}` = s.`{key}`")
        .whenMatchedDelete(condition="s._delete")
        .whenMatchedUpdate(set={c: f"s.`{c}`" for c in schema.fieldNames()})
        .whenNotMatchedInsert(condition="NOT s._delete", values={c: f"s.`{c}`" for c in schema.fieldNames()})
        .execute()
    )


@_names_table("appending to")
def append(
    spark: SparkSession,
    path: str,
    df: DataFrame,
    schema: StructType,
    partition_by: Sequence[str] = (),
    merge_schema: bool = False,
) -> Dict[str, int]:
    """Append ``df``'s ``schema`` columns; ``merge_schema`` adds columns the table lacks (rows
    written before read null there). Returns the commit's metrics (``numOutputRows``)."""
    ensure_table(spark, path, schema, partition_by)
    writer = df.select(*schema.fieldNames()).write.format("delta").mode("append")
    if merge_schema:
        writer = writer.option("mergeSchema", "true")
    return _write(spark, path, writer)


@_names_table("replacing rows of")
def replace_where(
    spark: SparkSession, path: str, df: DataFrame, schema: StructType, predicate: str, partition_by: Sequence[str] = ()
) -> Dict[str, int]:
    """Atomically replace the rows matching ``predicate`` with ``df`` (Delta replaceWhere).
    Returns the commit's metrics (``numOutputRows``)."""
    ensure_table(spark, path, schema, partition_by)
    return _write(
        spark,
        path,
        df.select(*schema.fieldNames()).write.format("delta").mode("overwrite").option("replaceWhere", predicate),
    )


@_names_table("overwriting")
def overwrite(
    spark: SparkSession, path: str, df: DataFrame, schema: StructType, partition_by: Sequence[str] = ()
) -> Dict[str, int]:
    """Replace the table's rows with ``df``; returns the commit's metrics (``numOutputRows``)."""
    ensure_table(spark, path, schema, partition_by)
    return _write(spark, path, df.select(*schema.fieldNames()).write.format("delta").mode("overwrite"))


# --- catalogue entries: a table's declared schema, keys and layout, under a lakehouse root ----


def exists(spark: SparkSession, root: str, table: Table) -> bool:
    return table_exists(spark, table.path(root))


def read(spark: SparkSession, root: str, table: Table, empty_if_missing: bool = True) -> DataFrame:
    """The table, or (``empty_if_missing``) an empty frame of its schema when it does not exist
    yet; otherwise a missing table is a ``FileNotFoundError`` naming it."""
    return read_table(spark, table.path(root), table.schema if empty_if_missing else None)


def create(spark: SparkSession, root: str, table: Table) -> DeltaTable:
    """The table, created empty with its declared schema, partitioning and properties if absent."""
    return ensure_table(spark, table.path(root), table.schema, table.partition_by, table.property_map())


def merge_new(
    spark: SparkSession,
    root: str,
    table: Table,
    df: DataFrame,
    update_on_match: Optional[Mapping[str, str]] = None,
    update_condition: Optional[str] = None,
) -> Dict[str, int]:
    """:func:`merge_insert_new` on the table's keys (see there for the counts returned)."""
    create(spark, root, table)
    return merge_insert_new(
        spark, table.path(root), df, table.keys, table.schema, update_on_match, table.partition_by, update_condition
    )


def overwrite_rows(spark: SparkSession, root: str, table: Table, df: DataFrame) -> Dict[str, int]:
    """:func:`overwrite` with the table's schema and partitioning."""
    create(spark, root, table)
    return overwrite(spark, table.path(root), df, table.schema, table.partition_by)


def append_rows(
    spark: SparkSession, root: str, table: Table, df: DataFrame, merge_schema: bool = False
) -> Dict[str, int]:
    """:func:`append` with the table's schema and partitioning."""
    create(spark, root, table)
    return append(spark, table.path(root), df, table.schema, table.partition_by, merge_schema)


def replace_rows(spark: SparkSession, root: str, table: Table, df: DataFrame, predicate: str) -> Dict[str, int]:
    """:func:`replace_where` with the table's schema and partitioning."""
    create(spark, root, table)
    return replace_where(spark, table.path(root), df, table.schema, predicate, table.partition_by)


def upsert_and_delete_rows(
    spark: SparkSession, root: str, table: Table, rows: DataFrame, deleted_keys: DataFrame
) -> None:
    """:func:`upsert_and_delete` on the table's one key column."""
    if len(table.keys) != 1:
        raise ValueError(f"{table.qualified_name}: upsert_and_delete needs one key column, not {table.keys}")
    create(spark, root, table)
    upsert_and_delete(spark, table.path(root), rows, deleted_keys, table.keys[0], table.schema)


@_names_table("staging", path_arg=1)
def staged(df: DataFrame, path: str) -> DataFrame:
    """Write ``df`` as Parquet to ``path`` and return the frame read back from there.

    A MERGE whose source has a long lineage (the enrich stage's Spark NLP pipeline, joins and
    cached frames) took three to five times as long as the same MERGE from a plain scan; writing
    the batch once and merging from the files costs less than that difference, and, unlike
    ``localCheckpoint``, survives the loss of an executor. Remove ``path`` with
    :func:`remove_path` when the run is done."""
    df.write.mode("overwrite").parquet(path)
    return df.sparkSession.read.schema(df.schema).parquet(path)


@_names_table("removing")
def remove_path(spark: SparkSession, path: str) -> None:
    """Delete ``path`` (a folder, recursively) on whatever file system it is on; no error when
    it does not exist."""
    jvm_path = spark._jvm.org.apache.hadoop.fs.Path(path)
    jvm_path.getFileSystem(spark._jsc.hadoopConfiguration()).delete(jvm_path, True)


# --- damage: what a table's log and current snapshot reference, and whether it is there --------


def _hadoop_path(spark: SparkSession, path: str):
    """(Hadoop FileSystem, Path) for ``path``, on whatever store it is."""
    jvm_path = spark._jvm.org.apache.hadoop.fs.Path(path)
    return jvm_path.getFileSystem(spark._jsc.hadoopConfiguration()), jvm_path


def qualified(spark: SparkSession, path: str) -> str:
    """``path`` as the file system names it (scheme and absolute path: ``file:/...``, ``s3a://...``)."""
    fs, jvm_path = _hadoop_path(spark, path)
    return fs.makeQualified(jvm_path).toString()


def file_lengths(spark: SparkSession, path: str) -> Dict[str, int]:
    """Every file under ``path`` (recursively; qualified URI -> bytes), from one listing: a
    paginated list on an object store, not one request per file. Empty when ``path`` is absent."""
    fs, jvm_path = _hadoop_path(spark, path)
    if not fs.exists(jvm_path):
        return {}
    found: Dict[str, int] = {}
    listing = fs.listFiles(jvm_path, True)
    while listing.hasNext():
        status = listing.next()
        found[fs.makeQualified(status.getPath()).toString()] = int(status.getLen())
    return found


def _read_bytes(spark: SparkSession, path: str, offset: int = 0, length: Optional[int] = None) -> bytes:
    """The bytes of the file at ``path`` from ``offset`` (``length`` of them, or to the end)."""
    fs, jvm_path = _hadoop_path(spark, path)
    io_utils = spark._jvm.org.apache.commons.io.IOUtils
    stream = fs.open(jvm_path)
    try:
        if offset:
            stream.seek(offset)
        return bytes(io_utils.toByteArray(stream) if length is None else io_utils.toByteArray(stream, length))
    finally:
        stream.close()


def log_problems(spark: SparkSession, path: str) -> List[str]:
    """What is wrong with the ``_delta_log`` of the table at ``path``: commit files (and
    ``_last_checkpoint``) that do not parse as JSON lines, gaps in the commit versions, and
    checkpoint files that are not Parquet. Empty when the log is sound (or absent)."""
    log_dir = f"{path.rstrip('/')}/_delta_log"
    files = file_lengths(spark, log_dir)
    problems: List[str] = []
    versions = []
    for uri, length in sorted(files.items()):
        name = uri.rsplit("/", 1)[-1]
        commit = _COMMIT_FILE.match(name)
        if commit or name == "_last_checkpoint":
            text = _read_bytes(spark, uri).decode("utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), 1):
                try:
                    if line.strip():
                        json.loads(line)
                except ValueError as exc:
                    problems.append(f"_delta_log/{name} line {number} is not valid JSON ({exc}; truncated?)")
                    break
            if commit:
                versions.append(int(commit.group(1)))
        elif ".checkpoint" in name and name.endswith(".parquet"):
            if not looks_like_parquet(spark, uri, length):
                problems.append(f"_delta_log/{name} is not a Parquet file (damaged checkpoint)")
    gaps = sorted(set(range(versions[0], versions[-1] + 1)) - set(versions)) if versions else []
    if gaps:
        problems.append(f"_delta_log has no commit file for version(s) {', '.join(map(str, gaps[:10]))}")
    return problems


@contextlib.contextmanager
def naming_damage(spark: SparkSession, path: str) -> Iterator[None]:
    """Run the block; when it fails and the table's log is damaged, fail with
    :class:`DamagedTableError` naming the table and the broken log file instead of Delta's
    parser error (MALFORMED_RECORD_IN_PARSING names neither)."""
    try:
        yield
    except DamagedTableError:
        raise
    except Exception as exc:
        try:
            problems = log_problems(spark, path)
        except Exception:  # the log cannot even be listed: the original error says more
            problems = []
        if problems:
            raise DamagedTableError(
                f"Delta table {path} is damaged: {'; '.join(problems)}. Restore the file "
                f"from a backup or the table from its source stage; "
                f"`python -m jobs.check` lists every damaged table"
            ) from exc
        raise


def snapshot_files(spark: SparkSession, path: str, version: Optional[int] = None) -> List[str]:
    """The data files (qualified URIs) that the table's current version, or ``version``, references."""
    reader = spark.read.format("delta")
    if version is not None:
        reader = reader.option("versionAsOf", version)
    fs, _ = _hadoop_path(spark, path)
    with naming_damage(spark, path):
        return sorted(
            fs.makeQualified(spark._jvm.org.apache.hadoop.fs.Path(f)).toString() for f in reader.load(path).inputFiles()
        )


def missing_files(spark: SparkSession, path: str, version: Optional[int] = None) -> List[str]:
    """The data files the table's ``version`` (default: current) references that are not there
    (one listing of the table's folder, not one request per file)."""
    present = file_lengths(spark, path)
    return [f for f in snapshot_files(spark, path, version) if f not in present]


def looks_like_parquet(spark: SparkSession, path: str, length: int) -> bool:
    """A Parquet file starts and ends with ``PAR1`` and its footer fits inside it: a truncated
    or overwritten file fails one of the three."""
    if length < 12:
        return False
    head = _read_bytes(spark, path, 0, 4)
    tail = _read_bytes(spark, path, length - 8, 8)
    footer = int.from_bytes(tail[:4], "little")
    return head == _PARQUET_MAGIC and tail[4:] == _PARQUET_MAGIC and footer <= length - 12


# --- files: Hadoop's FileSystem, so the same call works on a local disk, HDFS or an object store -


def write_bytes(spark: SparkSession, path: str, data: bytes) -> None:
    """Write a small file (replacing it), so a chart lands on any store Spark can write."""
    fs, jvm_path = _hadoop_path(spark, path)
    stream = fs.create(jvm_path, True)
    try:
        stream.write(bytearray(data))
    finally:
        stream.close()


def _children(spark: SparkSession, folder: str, folders: bool) -> Dict[str, str]:
    fs, jvm_path = _hadoop_path(spark, folder)
    if not fs.exists(jvm_path):
        return {}
    return {
        status.getPath().getName(): status.getPath().toString()
        for status in fs.listStatus(jvm_path)
        if bool(status.isDirectory()) == folders
    }


def list_files(spark: SparkSession, folder: str) -> Dict[str, str]:
    """The files directly in ``folder``: name -> qualified path; empty when it does not exist."""
    return _children(spark, folder, folders=False)


def list_folders(spark: SparkSession, folder: str) -> Dict[str, str]:
    """The folders directly in ``folder``: name -> qualified path; empty when it does not exist."""
    return _children(spark, folder, folders=True)


def newest_change_ms(spark: SparkSession, path: str) -> int:
    """The latest modification time (epoch milliseconds) of ``path`` and everything under it."""
    fs, jvm_path = _hadoop_path(spark, path)
    newest = fs.getFileStatus(jvm_path).getModificationTime()
    files = fs.listFiles(jvm_path, True)
    while files.hasNext():
        newest = max(newest, files.next().getModificationTime())
    return newest


def move_file(spark: SparkSession, source: str, target: str) -> str:
    """Move the file ``source`` to ``target``, replacing what is there; returns ``target`` as a
    Hadoop path prints it. On a local disk (a ChecksumFileSystem, whatever subclass the classpath
    picks) the file moves alone, without Hadoop's hidden ``.crc`` checksum file beside it."""
    fs, source_path = _hadoop_path(spark, source)
    hadoop = spark._jvm.org.apache.hadoop.fs
    checksummed = spark._jvm.java.lang.Class.forName("org.apache.hadoop.fs.ChecksumFileSystem").isInstance(fs)
    mover = fs.getRawFileSystem() if checksummed else fs
    target_path = hadoop.Path(target)
    for stale in (target_path, hadoop.Path(target_path.getParent(), f".{target_path.getName()}.crc")):
        if mover.exists(stale):
            mover.delete(stale, False)
    if not mover.rename(source_path, target_path):
        raise RuntimeError(f"could not move {source_path} to {target_path}")
    return target_path.toString()
