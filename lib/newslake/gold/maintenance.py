"""Delta table management for gold: creation with the catalogue's table properties (Change Data
Feed), layout checks, OPTIMIZE / Z-ORDER and VACUUM. These run at the stage's edges, like
``newslake.io`` (they are table I/O that ``io`` does not offer yet)."""

from __future__ import annotations

import logging
from datetime import date
from typing import List, Optional, Sequence

from delta.tables import DeltaTable
from pyspark.sql import SparkSession

from newslake import io
from newslake.catalogue import Table
from newslake.gold.weeks import week_predicate

log = logging.getLogger("newslake.gold")

_RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled"


def layout_matches(spark: SparkSession, root: str, table: Table) -> bool:
    """True when the table at ``table.path(root)`` has the entry's columns and types, is
    partitioned as declared and has the entry's table properties."""
    delta = DeltaTable.forPath(spark, table.path(root))
    detail = delta.detail().select("partitionColumns", "properties").first()
    actual = [(f.name, f.dataType) for f in delta.toDF().schema]
    properties = detail["properties"] or {}
    return (
        actual == [(f.name, f.dataType) for f in table.schema]
        and list(detail["partitionColumns"] or []) == list(table.partition_by)
        and all(properties.get(k) == v for k, v in table.properties)
    )


def ensure_gold_table(spark: SparkSession, root: str, table: Table) -> bool:
    """Create the table with its properties (Change Data Feed on); replace it (empty, history
    kept) when an older layout is there (columns, partitioning or properties differ). True when
    the table is new or was replaced, that is when it must be filled by a full rebuild."""
    path = table.path(root)
    if not io.exists(spark, root, table):
        io.create(spark, root, table)
        return True
    if layout_matches(spark, root, table):
        return False
    log.warning("gold table %s has an older layout: replacing it and rebuilding gold", path)
    writer = (
        spark.createDataFrame([], table.schema)
        .write.format("delta")
        .mode("overwrite")
        .option("overwriteSchema", "true")
    )
    if table.partition_by:
        writer = writer.partitionBy(*table.partition_by)
    writer.save(path)
    if table.properties:
        settings = ", ".join(f"'{k}' = '{v}'" for k, v in table.properties)
        spark.sql(f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES ({settings})")
    return True


def maintain(
    spark: SparkSession, root: str, tables: Sequence[Table], recompute: Optional[List[date]], retention_hours: int
) -> None:
    """OPTIMIZE (Z-ORDER) what a run wrote (only the recomputed weeks' partitions on an
    incremental run), then VACUUM with ``retention_hours`` (``aggregate.vacuum_retention_hours``)."""
    for table in tables:
        where = week_predicate(recompute) if recompute and "week_start" in table.partition_by else None
        optimize(spark, table.path(root), table.zorder_by, where)
        vacuum(spark, table.path(root), retention_hours)


def optimize(spark: SparkSession, path: str, zorder_by: Sequence[str] = (), where: Optional[str] = None) -> None:
    """OPTIMIZE the table (only the partitions matching ``where``, a predicate on partition
    columns), Z-ordered by ``zorder_by`` when given, else plain compaction."""
    builder = DeltaTable.forPath(spark, path).optimize()
    if where:
        builder = builder.where(where)
    if zorder_by:
        builder.executeZOrderBy(*zorder_by)
    else:
        builder.executeCompaction()


def vacuum(spark: SparkSession, path: str, retention_hours: int) -> None:
    """VACUUM files no longer referenced for ``retention_hours``. Delta refuses less than 168
    hours unless told: a retention set below that in conf is the user's explicit choice, so the
    check is lifted for this call only."""
    previous = spark.conf.get(_RETENTION_CHECK, "true")
    if retention_hours < 168:
        spark.conf.set(_RETENTION_CHECK, "false")
    try:
        DeltaTable.forPath(spark, path).vacuum(float(retention_hours))
    finally:
        spark.conf.set(_RETENTION_CHECK, previous)
