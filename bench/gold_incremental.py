"""Incremental gold against a full refresh, side by side on the same data (issue #6).

Runs the pipeline on the bundled sample corpus into a scratch lakehouse (or takes an existing
lakehouse, such as one the benchmark runner built, with ``--lakehouse``), then adds one late
article (published in an early week, delivered in a dump folder of its own), ingests and
enriches it, and times the aggregate stage twice on the same silver tables: the incremental
run (which recomputes only the touched weeks) and ``--full-refresh``. It checks that every gold
table holds the same rows either way and prints one JSON document:

    .venv/bin/python -m bench.gold_incremental [--lakehouse DIR] [--work-dir DIR] [--json OUT.json]

With ``--lakehouse`` the late article stays in that lakehouse's bronze and silver tables.

Like every figure here, the times are wall-clock on shared cores: compare the two runs of one
invocation, not runs of different invocations.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional, Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake import io
from newslake.catalogue import GOLD_SENTIMENT_WEEKLY, GOLD_TABLES
from newslake.config import Settings, load_settings
from newslake.runner import run_stage
from newslake.spark import build_spark

ROOT = Path(__file__).resolve().parents[1]

LATE_ARTICLE = {
    "title": "Siemens wins record rail signalling order in Germany",
    "body": (
        "Siemens said on Tuesday it had won a record order to modernise rail signalling across "
        "southern Germany, a contract worth about 1.4 billion euros that will run until 2031.\n\n"
        "The Munich-based company said the order would lift its mobility unit's backlog to a new "
        "high. Shares of Siemens rose 2.1% in Frankfurt trading, outperforming the DAX index.\n\n"
        "Analysts said the win showed that Germany's rail investment plans were turning into "
        "orders faster than expected."
    ),
    "url": "https://newswire.example/siemens-rail-signalling-order",
    "published": "2024-03-19T09:30:00Z",
    "source": "newswire.example",
}
"""An invented article, dated in an early week of the sample corpus and delivered late."""


def gold_rows(spark: SparkSession, settings: Settings) -> Dict[str, DataFrame]:
    """Every gold table, checkpointed (gold rows carry no run ids or run times)."""
    root = settings.lakehouse_root()
    return {
        table.name: io.read(spark, root, table).localCheckpoint()
        for table in GOLD_TABLES
        if io.exists(spark, root, table)
    }


def differing_rows(left: DataFrame, right: DataFrame) -> int:
    return left.exceptAll(right).count() + right.exceptAll(left).count()


def timed_aggregate(spark: SparkSession, settings: Settings, full_refresh: bool) -> Dict[str, object]:
    started = time.perf_counter()
    counts = run_stage(spark, settings, "aggregate", full_refresh=full_refresh).counts
    return {"wall_s": round(time.perf_counter() - started, 2), "counts": counts}


def run(work_dir: Path, lakehouse: Optional[Path]) -> Dict[str, object]:
    base = {
        "paths.models": str(ROOT / "models"),
        "paths.gazetteer": str(ROOT / "conf" / "gazetteer"),
        "spark.master": "local[2]",
        "aggregate.charts_dir": "",
    }
    conf = str(ROOT / "conf" / "local.yaml")
    settings = load_settings(
        conf,
        {
            **base,
            "paths.lakehouse": str(lakehouse or work_dir / "lake"),
            "paths.input": str(ROOT / "data" / "sample_corpus"),
        },
    )
    spark = build_spark(settings.spark)
    # An existing lakehouse gets one aggregate run first (nothing to do when gold is current; a
    # rebuild when it was written by an older gold layout), so the timed run is incremental.
    for stage in ("ingest", "enrich", "aggregate") if lakehouse is None else ("aggregate",):
        run_stage(spark, settings, stage)

    late = work_dir / "late" / "dt=2024-05-14"
    late.mkdir(parents=True)
    (late / "articles.jsonl").write_text(json.dumps(LATE_ARTICLE) + "\n", encoding="utf-8")
    settings = load_settings(
        conf, {**base, "paths.lakehouse": settings.paths.lakehouse, "paths.input": str(work_dir / "late")}
    )
    ingest = run_stage(spark, settings, "ingest").counts
    enrich = run_stage(spark, settings, "enrich").figures()

    root = settings.lakehouse_root()
    before = io.read(spark, root, GOLD_SENTIMENT_WEEKLY, empty_if_missing=False).select("week_start").distinct().count()
    incremental = timed_aggregate(spark, settings, full_refresh=False)
    after_incremental = gold_rows(spark, settings)
    full = timed_aggregate(spark, settings, full_refresh=True)
    after_full = gold_rows(spark, settings)
    differences = {name: differing_rows(after_incremental[name], after_full[name]) for name in after_full}
    late_week = (
        io.read(spark, root, GOLD_SENTIMENT_WEEKLY, empty_if_missing=False)
        .filter(F.col("company") == "Siemens")
        .filter(F.col("week_start") == F.lit("2024-03-18").cast("date"))
        .select("company", "country", "iso_year", "iso_week", "articles", "mentions", "mean_score")
        .orderBy("country")
        .collect()
    )
    spark.stop()
    return {
        "late_article": {"published": LATE_ARTICLE["published"], "ingest": ingest, "enrich": enrich},
        "gold_weeks": before,
        "aggregate_incremental": incremental,
        "aggregate_full_refresh": full,
        "full_over_incremental": round(full["wall_s"] / incremental["wall_s"], 2) if incremental["wall_s"] else None,
        "rows_differing_per_table": differences,
        "identical": all(n == 0 for n in differences.values()),
        "late_week_rows": [row.asDict() for row in late_week],
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lakehouse",
        help="an existing lakehouse with silver and gold built (default: the sample corpus in a scratch lakehouse)",
    )
    parser.add_argument("--work-dir", help="scratch folder (default: a new temporary folder, removed after)")
    parser.add_argument("--json", help="also write the result document here")
    args = parser.parse_args(argv)
    work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="newslake-gold-incr-"))
    try:
        result = run(work, Path(args.lakehouse) if args.lakehouse else None)
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0 if result["identical"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
