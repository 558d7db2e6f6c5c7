"""Are two lakehouses' tables the same rows? For refactors and performance work that must not
change results: run the pipeline on the same input with the old and the new code, then

    python -m bench.compare_lakehouses OLD_LAKEHOUSE NEW_LAKEHOUSE

Every table of the catalogue is compared with ``exceptAll`` both ways (duplicates count), on
every column except those that record *when* or *by which run* a row was written (run ids,
ingestion and processing times: they differ between any two runs by design). ``ops/runs`` and
``ops/gold_state`` are run ledgers and are not compared. Exit status 0 when every table matches,
1 otherwise."""

from __future__ import annotations

import argparse
import sys
from typing import Dict, List, Optional, Sequence, Tuple

from newslake import catalogue as C
from newslake import io

# Columns that say when, or in which run, a row was written: never the same in two runs.
RUN_COLUMNS: Dict[str, Tuple[str, ...]] = {
    "bronze/articles": ("ingest_run_id", "ingested_at", "first_seen_at", "last_seen_at"),
    "bronze/quarantine": ("ingest_run_id", "quarantined_at"),
    "silver/articles": ("enrich_run_id",),
    "silver/article_signatures": ("stories_run_id",),
    "silver/stories": ("stories_run_id",),
    "silver/article_stories": ("stories_run_id",),
    "ops/processed_files": ("ingest_run_id", "processed_at"),
}
LEDGERS = (C.RUNS, C.GOLD_STATE)


def compare(spark, old_root: str, new_root: str, tables: Sequence[C.Table] = C.TABLES) -> List[dict]:
    """One row per table: its row counts in each lakehouse and the rows found in one only."""
    results = []
    for table in tables:
        if table in LEDGERS:
            continue
        present = [io.exists(spark, root, table) for root in (old_root, new_root)]
        if not any(present):
            results.append({"table": table.qualified_name, "old": 0, "new": 0, "only_old": 0, "only_new": 0})
            continue
        ignored = set(RUN_COLUMNS.get(table.qualified_name, ()))
        columns = [name for name in table.schema.fieldNames() if name not in ignored]
        old, new = (io.read(spark, root, table).select(*columns) for root in (old_root, new_root))
        results.append(
            {
                "table": table.qualified_name,
                "old": old.count(),
                "new": new.count(),
                "only_old": old.exceptAll(new).count(),
                "only_new": new.exceptAll(old).count(),
                "ignored": sorted(ignored),
            }
        )
    return results


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare_lakehouses", description=__doc__.split("\n\n")[0])
    parser.add_argument("old", help="lakehouse written by the reference code")
    parser.add_argument("new", help="lakehouse written by the changed code, from the same input")
    parser.add_argument("--conf", default="conf/local.yaml", help="newslake profile (for the Spark session)")
    args = parser.parse_args(argv)

    from newslake.config import load_settings
    from newslake.spark import build_spark

    old, new = (load_settings(args.conf, {"paths.lakehouse": path}) for path in (args.old, args.new))
    spark = build_spark(old.spark, app_name="compare-lakehouses")
    rows = compare(spark, old.lakehouse_root(), new.lakehouse_root())
    print(f"{'table':<32} {'old rows':>9} {'new rows':>9} {'only old':>9} {'only new':>9}")
    for row in rows:
        print(f"{row['table']:<32} {row['old']:>9} {row['new']:>9} {row['only_old']:>9} {row['only_new']:>9}")
    same = all(row["only_old"] == 0 and row["only_new"] == 0 and row["old"] == row["new"] for row in rows)
    print("every table holds the same rows" if same else "TABLES DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
