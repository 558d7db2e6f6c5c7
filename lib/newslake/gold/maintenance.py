"""Delta table management for gold: creation with Change Data Feed, layout checks, OPTIMIZE /
Z-ORDER and VACUUM. These run at the stage's edges, like ``newslake.io`` (they are table I/O that
``io`` does not offer yet)."""

from __future__ import annotations

import logging
from typing import Optional, Sequence

from delta.tables import DeltaTable
from pyspark.sql import SparkSession
from pyspark.sql.types import StructType

from newslake import io

log = logging.getLogger("newslake.gold")

# Downstream loaders read only what changed with ``readChangeFeed`` / ``table_changes``.
GOLD_PROPERTIES = {"delta.enableChangeDataFeed": "true"}
_RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled"


def layout_matches(spark: SparkSession, path: str, schema: StructType, partition_by: Sequence[str]) -> bool:
    """True when the table at ``path`` has ``schema``'s columns and types, is partitioned by
    ``partition_by`` and has the gold table properties."""
    table = DeltaTable.forPath(spark, path)
    detail = table.detail().select("partitionColumns", "properties").first()
    actual = [(f.name, f.dataType) for f in table.toDF().schema]
    properties = detail["properties"] or {}
    return (
        actual == [(f.name, f.dataType) for f in schema]
        and list(detail["partitionColumns"] or []) == list(partition_by)
        and all(properties.get(k) == v for k, v in GOLD_PROPERTIES.items())
    )


def ensure_gold_table(spark: SparkSession, path: str, schema: StructType, partition_by: Sequence[str]) -> bool:
    """Create the table with Change Data Feed on; replace it (empty, history kept) when an older
    layout is there (columns, partitioning or properties differ). True when the table is new or
    was replaced, that is when it must be filled by a full rebuild."""
    if not io.table_exists(spark, path):
        io.ensure_table(spark, path, schema, partition_by, GOLD_PROPERTIES)
        return True
    if layout_matches(spark, path, schema, partition_by):
        return False
    log.warning("gold table %s has an older layout: replacing it and rebuilding gold", path)
    writer = spark.createDataFrame([], schema).write.format("delta").mode("overwrite") \
        .option("overwriteSchema", "true")
    if partition_by:
        writer = writer.partitionBy(*partition_by)
    writer.save(path)
    settings = ", ".join(f"'{k}' = '{v}'" for k, v in GOLD_PROPERTIES.items())
    spark.sql(f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES ({settings})")
    return True


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
