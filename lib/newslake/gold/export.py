"""Gold for tools that cannot read Delta, and gold without Spark.

* ``python -m jobs.export --conf conf/local.yaml --table gold/sentiment_weekly --format csv --out DIR``
  writes one table as a single Parquet or CSV file (with a header) ``DIR/<table>.<format>``.
* :func:`read_delta_pandas` / :func:`load_gold_pandas` read gold tables with delta-rs
  (``deltalake``), no JVM: what the notebook uses.
"""

from __future__ import annotations

import logging
import uuid
from typing import Dict, Iterable, List, Optional

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType

from newslake import catalogue, io
from newslake.config import Settings

log = logging.getLogger("newslake")

FORMATS = ("parquet", "csv")
# Rows come out in key order, so two exports of the same table are the same file.
_SORT_KEYS = ("week_start", "company_id", "country", "sign", "rank", "article_id", "sentence_index", "path", "run_id")


def parse_table(name: str) -> catalogue.Table:
    """The catalogue entry of ``layer/table`` (e.g. ``gold/sentiment_weekly``)."""
    try:
        return catalogue.table(name.strip("/"))
    except KeyError:
        known = ", ".join(table.qualified_name for table in catalogue.TABLES)
        raise ValueError(f"unknown table {name!r}; one of: {known}") from None


def flat_for_csv(df: DataFrame) -> DataFrame:
    """Arrays become ``|``-separated strings (CSV has no arrays); other columns are unchanged."""
    return df.select(
        *[
            F.concat_ws("|", F.col(f.name)).alias(f.name) if isinstance(f.dataType, ArrayType) else F.col(f.name)
            for f in df.schema.fields
        ]
    )


def export_frame(df: DataFrame, fmt: str) -> DataFrame:
    """The frame as it is written: one partition, sorted by its keys, flat for CSV."""
    if fmt not in FORMATS:
        raise ValueError(f"--format must be one of {FORMATS}, not {fmt!r}")
    keys = [k for k in _SORT_KEYS if k in df.columns]
    out = flat_for_csv(df) if fmt == "csv" else df
    return out.orderBy(*keys).coalesce(1) if keys else out.coalesce(1)


def export_table(spark: SparkSession, settings: Settings, table: str, fmt: str, out_dir: str) -> str:
    """Write ``table`` (``layer/name``) to ``out_dir/<name>.<fmt>`` as one file, replacing it;
    returns the path. Works on any file system Spark writes to (Hadoop FileSystem rename)."""
    entry = parse_table(table)
    name = entry.name
    frame = export_frame(io.read(spark, settings.lakehouse_root(), entry, empty_if_missing=False), fmt)
    out_dir = out_dir.rstrip("/")
    staging = f"{out_dir}/_{name}.{uuid.uuid4().hex[:8]}.tmp"
    writer = frame.write.mode("overwrite")
    if fmt == "csv":
        writer.option("header", True).csv(staging)
    else:
        writer.parquet(staging)
    parts = [path for name, path in io.list_files(spark, staging).items() if name.startswith("part-")]
    if len(parts) != 1:
        raise RuntimeError(f"expected one part file in {staging}, found {len(parts)}")
    target = io.move_file(spark, parts[0], f"{out_dir}/{name}.{fmt}")
    io.remove_path(spark, staging)
    return target


def export_main(argv: Optional[List[str]] = None) -> int:
    """``jobs.export``: the common options of every job plus ``--table``, ``--format``, ``--out``."""
    import argparse

    from newslake.cli import configure_logging, settings_from_args
    from newslake.spark import build_spark

    parser = argparse.ArgumentParser(
        prog="jobs.export", description="newslake export: write a table as one Parquet or CSV file"
    )
    parser.add_argument("--conf", default="conf/local.yaml", help="YAML profile (default: conf/local.yaml)")
    parser.add_argument("--lakehouse", help="root of the Delta tables; overrides paths.lakehouse")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override any conf key")
    parser.add_argument("--table", default="gold/sentiment_weekly", help="layer/table (default: gold/sentiment_weekly)")
    parser.add_argument("--format", choices=FORMATS, default="parquet")
    parser.add_argument("--out", required=True, help="output folder; the file is <out>/<table>.<format>")
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    parser.set_defaults(input=None, models=None)
    args = parser.parse_args(argv)
    configure_logging(args.log_format)
    try:
        settings = settings_from_args(args)
        parse_table(args.table)
    except Exception as exc:
        log.error("configuration error: %s", exc)
        return 2
    spark = build_spark(settings.spark, app_name=f"{settings.spark.app_name}-export")
    try:
        path = export_table(spark, settings, args.table, args.format, args.out)
    except Exception as exc:
        log.error("export of %s failed: %s: %s", args.table, type(exc).__name__, exc, exc_info=True)
        return 1
    log.info("exported %s to %s", args.table, path)
    print(path)
    return 0


def read_delta_pandas(path: str) -> pd.DataFrame:
    """A Delta table as pandas, read with delta-rs (no Spark)."""
    from deltalake import DeltaTable

    return DeltaTable(path).to_pandas()


def load_gold_pandas(
    lakehouse: str, tables: Iterable[catalogue.Table] = catalogue.GOLD_TABLES
) -> Dict[str, pd.DataFrame]:
    """The gold tables under ``lakehouse`` as pandas frames keyed by table name (delta-rs)."""
    return {table.name: read_delta_pandas(table.path(lakehouse)) for table in tables}
