"""What changed in silver since the last aggregate run: the incremental stage's watermark.

Each aggregate run records the Delta versions of the silver tables it read (``ops/gold_state``).
The next run reads the commits after those versions from each table's ``_delta_log`` (the Delta
protocol's add / remove actions with ``dataChange``), reads the week keys of the data files those
commits added or removed, and so knows every ISO week whose rows were inserted, deleted or
rewritten (a MERGE, an overwrite, a late article). Files rewritten without a data change
(OPTIMIZE) are skipped. When the commits or files are gone (log cleanup, VACUUM) the run cannot
tell and rebuilds everything (:class:`NeedsFullRefresh`).
"""

from __future__ import annotations

from datetime import date
from typing import Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import unquote

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import BooleanType, StringType, StructField, StructType

from newslake import io

_FILE_ACTION = StructType([StructField("path", StringType(), True), StructField("dataChange", BooleanType(), True)])
_LOG_SCHEMA = StructType([StructField("add", _FILE_ACTION, True), StructField("remove", _FILE_ACTION, True)])


class NeedsFullRefresh(Exception):
    """The changes since the last run cannot be known; the reason is the message."""


def table_version(spark: SparkSession, path: str) -> Optional[int]:
    """The table's current version, None when there is no table."""
    return io.table_version(spark, path) if io.table_exists(spark, path) else None


def read_version(spark: SparkSession, path: str, version: Optional[int], schema: StructType) -> DataFrame:
    """The table as of ``version`` (what the run pinned), or an empty frame when there is none."""
    if version is None:
        return spark.createDataFrame([], schema)
    return spark.read.format("delta").option("versionAsOf", version).load(path)


def _absolute(table_path: str, file_path: str) -> str:
    if "://" in file_path or file_path.startswith("/"):
        return file_path
    return f"{table_path.rstrip('/')}/{unquote(file_path)}"


def _file_actions(spark: SparkSession, path: str, since: int, until: int) -> DataFrame:
    """``action`` ("add" / "remove") and ``file`` (as the log writes it) of every data-changing
    file action in the commits after ``since`` up to ``until`` of the table at ``path``."""
    commits = [f"{path.rstrip('/')}/_delta_log/{v:020d}.json" for v in range(since + 1, until + 1)]
    try:
        actions = spark.read.schema(_LOG_SCHEMA).json(commits)
    except Exception as exc:  # a commit file was cleaned up: the changes cannot be known
        raise NeedsFullRefresh(f"commits {since + 1}..{until} of {path} are no longer readable") from exc
    data_change = [
        F.when(
            F.col(k).isNotNull() & F.coalesce(F.col(f"{k}.dataChange"), F.lit(True)),
            F.struct(F.lit(k).alias("action"), F.col(f"{k}.path").alias("file")),
        )
        for k in ("add", "remove")
    ]
    return actions.select(F.explode(F.array(*data_change)).alias("a")).where(F.col("a").isNotNull()).select("a.*")


def changed_files(spark: SparkSession, ranges: Mapping[str, Tuple[str, int, int]]) -> Dict[str, List[str]]:
    """Per source (name -> table path, since version, until version): the data files that the
    commits after ``since`` up to ``until`` added or removed with a data change. File metadata, a
    few paths per commit: one Spark job for all sources, collected."""
    frames = [
        _file_actions(spark, path, since, until).select(F.lit(name).alias("source"), "file")
        for name, (path, since, until) in ranges.items()
        if until > since
    ]
    found: Dict[str, set] = {name: set() for name in ranges}
    if frames:
        union = frames[0]
        for frame in frames[1:]:
            union = union.unionByName(frame)
        for row in union.distinct().collect():
            found[row["source"]].add(_absolute(ranges[row["source"]][0], row["file"]))
    return {name: sorted(files) for name, files in found.items()}


def net_changed_files(spark: SparkSession, path: str, since: int, until: int) -> Tuple[List[str], List[str]]:
    """(added, removed): the data files that the commits after ``since`` up to ``until`` added and
    that are still there at ``until``, and the files that were there at ``since`` and are gone at
    ``until``. A file both added and removed in between holds neither the old nor the new rows."""
    if until <= since:
        return [], []
    per_file = _file_actions(spark, path, since, until).groupBy("file").agg(F.collect_set("action").alias("actions"))
    added, removed = [], []
    for row in per_file.where(F.size("actions") == 1).collect():
        (added if row["actions"][0] == "add" else removed).append(_absolute(path, row["file"]))
    return sorted(added), sorted(removed)


def changed_rows(new: Optional[DataFrame], old: Optional[DataFrame]) -> Optional[DataFrame]:
    """Rows of ``new`` not in ``old`` and rows of ``old`` not in ``new`` (distinct; the same
    columns on both sides): what a rewrite of files really changed. None when both are None."""
    if new is None or old is None:
        return new if old is None else old
    return new.subtract(old).unionByName(old.subtract(new))


def read_files(spark: SparkSession, path: str, files: Sequence[str], columns: Sequence[str]) -> Optional[DataFrame]:
    """``columns`` of every row of the table's data ``files`` (as listed by :func:`changed_files`:
    a superset of the changed rows, since a file rewritten by a MERGE counts whole); None when
    there are no files."""
    if not files:
        return None
    return spark.read.option("basePath", path).parquet(*files).select(*columns)


def distinct_weeks(weeks: Optional[DataFrame]) -> List[date]:
    """The distinct ``week_start`` values, sorted (a few dates)."""
    if weeks is None:
        return []
    try:
        return sorted(row[0] for row in weeks.select("week_start").distinct().collect() if row[0] is not None)
    except Exception as exc:  # a changed file was vacuumed away
        raise NeedsFullRefresh(f"changed silver files are no longer readable: {type(exc).__name__}") from exc
