"""Every read and write of a Delta table goes through here (the edges of the pipeline)."""

from __future__ import annotations

import time
from typing import Dict, Iterable, Mapping, Optional, Sequence

from delta.tables import DeltaTable
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType


_WAITS_FOR_RACING_CREATE = (0.5, 1.0, 2.0)


def table_exists(spark: SparkSession, path: str) -> bool:
    return DeltaTable.isDeltaTable(spark, path)


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


def read_table(spark: SparkSession, path: str, schema: Optional[StructType] = None) -> DataFrame:
    """The table, or an empty frame of ``schema`` when it does not exist yet."""
    if table_exists(spark, path):
        return spark.read.format("delta").load(path)
    if schema is None:
        raise FileNotFoundError(f"no Delta table at {path}; run the stage that writes it first")
    return spark.createDataFrame([], schema)


def last_operation_metrics(spark: SparkSession, path: str) -> Dict[str, int]:
    row = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").first()
    metrics = (row["operationMetrics"] if row else None) or {}
    return {key: int(value) for key, value in metrics.items() if str(value).lstrip("-").isdigit()}


def table_version(spark: SparkSession, path: str) -> int:
    return int(DeltaTable.forPath(spark, path).history(1).select("version").first()["version"])


def merge_insert_new(spark: SparkSession, path: str, df: DataFrame, keys: Iterable[str],
                     schema: StructType, update_on_match: Optional[Mapping[str, str]] = None,
                     partition_by: Sequence[str] = ()) -> Dict[str, int]:
    """Upsert ``df`` into the table at ``path`` keyed on ``keys``; returns Delta's merge metrics.

    Rows whose key exists get ``update_on_match`` (target column -> SQL expression over
    ``t.``/``s.``) or are left alone; new keys are inserted. Re-running with the same rows
    inserts nothing, which is what makes every stage idempotent.
    """
    table = ensure_table(spark, path, schema, partition_by)
    condition = " AND ".join(f"t.`{k}` = s.`{k}`" for k in keys)
    merge = table.alias("t").merge(df.select(*schema.fieldNames()).alias("s"), condition)
    if update_on_match:
        merge = merge.whenMatchedUpdate(set=dict(update_on_match))
    merge.whenNotMatchedInsertAll().execute()
    return last_operation_metrics(spark, path)


def upsert_and_delete(spark: SparkSession, path: str, rows: DataFrame, deleted_keys: DataFrame, key: str,
                      schema: StructType) -> None:
    """One MERGE keyed on ``key``: rows of ``rows`` whose key exists replace the table's row, new
    keys are inserted, and the table's rows whose key is in ``deleted_keys`` (a frame with the
    ``key`` column) and not in ``rows`` are deleted."""
    table = ensure_table(spark, path, schema)
    source = (rows.select(*schema.fieldNames()).withColumn("_delete", F.lit(False))
              .unionByName(deleted_keys.join(rows.select(key), key, "left_anti")
                           .select(*[F.col(key) if c == key else F.lit(None).cast(schema[c].dataType).alias(c)
                                     for c in schema.fieldNames()])
                           .withColumn("_delete", F.lit(True))))
    (table.alias("t").merge(source.alias("s"), f"t.`{key}` = s.`{key}`")
     .whenMatchedDelete(condition="s._delete")
     .whenMatchedUpdate(set={c: f"s.`{c}`" for c in schema.fieldNames()})
     .whenNotMatchedInsert(condition="NOT s._delete", values={c: f"s.`{c}`" for c in schema.fieldNames()})
     .execute())


def append(spark: SparkSession, path: str, df: DataFrame, schema: StructType,
           partition_by: Sequence[str] = (), merge_schema: bool = False) -> None:
    """Append ``df``'s ``schema`` columns; ``merge_schema`` adds columns the table lacks (rows
    written before read null there)."""
    ensure_table(spark, path, schema, partition_by)
    writer = df.select(*schema.fieldNames()).write.format("delta").mode("append")
    if merge_schema:
        writer = writer.option("mergeSchema", "true")
    writer.save(path)


def replace_where(spark: SparkSession, path: str, df: DataFrame, schema: StructType,
                  predicate: str, partition_by: Sequence[str] = ()) -> None:
    """Atomically replace the rows matching ``predicate`` with ``df`` (Delta replaceWhere)."""
    ensure_table(spark, path, schema, partition_by)
    (df.select(*schema.fieldNames()).write.format("delta").mode("overwrite")
     .option("replaceWhere", predicate).save(path))


def overwrite(spark: SparkSession, path: str, df: DataFrame, schema: StructType,
              partition_by: Sequence[str] = ()) -> None:
    ensure_table(spark, path, schema, partition_by)
    df.select(*schema.fieldNames()).write.format("delta").mode("overwrite").save(path)


def staged(df: DataFrame, path: str) -> DataFrame:
    """Write ``df`` as Parquet to ``path`` and return the frame read back from there.

    A MERGE whose source has a long lineage (the enrich stage's Spark NLP pipeline, joins and
    cached frames) took three to five times as long as the same MERGE from a plain scan; writing
    the batch once and merging from the files costs less than that difference, and, unlike
    ``localCheckpoint``, survives the loss of an executor. Remove ``path`` with
    :func:`remove_path` when the run is done."""
    df.write.mode("overwrite").parquet(path)
    return df.sparkSession.read.schema(df.schema).parquet(path)


def remove_path(spark: SparkSession, path: str) -> None:
    """Delete ``path`` (a folder, recursively) on whatever file system it is on; no error when
    it does not exist."""
    jvm_path = spark._jvm.org.apache.hadoop.fs.Path(path)
    jvm_path.getFileSystem(spark._jsc.hadoopConfiguration()).delete(jvm_path, True)
