"""``python -m jobs.check``: is every Delta table of a lakehouse whole?

For each table under ``<lakehouse>/<layer>/<table>`` it checks that the ``_delta_log`` parses
(every commit is JSON lines, no version is missing, checkpoints are Parquet), that the current
version loads, and that every data file that version references is there and is a whole Parquet
file (starts and ends with its magic bytes, footer inside the file). It prints one line per table
and one per problem, writes nothing, and exits 1 when anything is broken (0 when all is whole, 2
for a configuration error or a lakehouse without tables), so it can gate a deployment or run
after a restore.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from pyspark.sql import SparkSession

from newslake import catalogue, io
from newslake.arguments import configure_logging, job_parser, settings_from_args

log = logging.getLogger("newslake")

# The catalogue's layers, in its order (bronze, silver, gold, ops); tables in them that the
# catalogue does not declare are checked too.
LAYERS = tuple(dict.fromkeys(table.layer for table in catalogue.TABLES))


@dataclass
class TableCheck:
    """What the check found in one table: its name (``layer/table``), the version it read, how
    many data files that version references, and the problems (empty: the table is whole)."""

    name: str
    version: Optional[int] = None
    files: int = 0
    problems: List[str] = field(default_factory=list)


def lakehouse_tables(spark: SparkSession, lakehouse: str) -> List[str]:
    """``layer/table`` of every Delta table in the lakehouse's layers, sorted."""
    root = lakehouse.rstrip("/")
    names = set()
    for layer in LAYERS:
        prefix = io.qualified(spark, f"{root}/{layer}") + "/"
        for uri in io.file_lengths(spark, f"{root}/{layer}"):
            parts = uri[len(prefix) :].split("/")
            if len(parts) > 2 and parts[1] == "_delta_log":
                names.add(f"{layer}/{parts[0]}")
    return sorted(names)


def check_table(spark: SparkSession, path: str, name: str) -> TableCheck:
    result = TableCheck(name)
    result.problems.extend(io.log_problems(spark, path))
    try:
        result.version = io.table_version(spark, path)
        files = io.snapshot_files(spark, path)
    except Exception as exc:  # noqa: BLE001 - whatever stops Delta loading it is the finding
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if not result.problems:
            result.problems.append(f"the current version does not load: {type(exc).__name__}: {first_line[:300]}")
        return result
    result.files = len(files)
    present = io.file_lengths(spark, path)
    prefix = io.qualified(spark, path) + "/"
    for uri in files:
        if uri not in present:
            state = "missing"
        elif not io.looks_like_parquet(spark, uri, present[uri]):
            state = "not a whole Parquet file"
        else:
            continue
        result.problems.append(f"data file {uri[len(prefix) :]} of version {result.version} is {state}")
    return result


def check_lakehouse(spark: SparkSession, lakehouse: str, tables: Sequence[str] = ()) -> List[TableCheck]:
    """Check ``tables`` (``layer/table``; default: every table in the lakehouse)."""
    root = lakehouse.rstrip("/")
    return [check_table(spark, f"{root}/{name}", name) for name in (tables or lakehouse_tables(spark, lakehouse))]


def report_lines(results: Sequence[TableCheck]) -> List[str]:
    lines = []
    for r in results:
        status = "BROKEN" if r.problems else "ok"
        where = f"version {r.version}, {r.files} data files" if r.version is not None else "does not load"
        lines.append(f"{status:<7}{r.name:<34}{where}")
        lines.extend(f"         - {problem}" for problem in r.problems)
    broken = sum(1 for r in results if r.problems)
    lines.append(f"{len(results)} tables checked, {broken} broken")
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    parser = job_parser(
        "jobs.check",
        __doc__.split("\n\n")[0],
        paths=("lakehouse", "input", "models"),
        path_help={
            "input": "accepted like every job's; the check reads no input",
            "models": "accepted like every job's; the check reads no models",
        },
        overrides=True,
        log_format=True,
    )
    parser.add_argument(
        "--table",
        action="append",
        default=[],
        metavar="LAYER/TABLE",
        help="check only this table (repeatable; default: every table)",
    )
    args = parser.parse_args(argv)
    configure_logging(args.log_format)
    try:
        settings = settings_from_args(args)
    except Exception as exc:  # bad conf or arguments are the user's to fix
        log.error("configuration error: %s", exc)
        return 2

    from newslake.spark import build_spark

    spark = build_spark(settings.spark, app_name=f"{settings.spark.app_name}-check")
    lakehouse = settings.paths.lakehouse
    results = check_lakehouse(spark, lakehouse, args.table)
    if not results:
        log.error("check: no Delta tables under %s (layers %s)", lakehouse, ", ".join(LAYERS))
        return 2
    print(f"Delta tables under {lakehouse}:")
    for line in report_lines(results):
        print(line)
    broken = [r.name for r in results if r.problems]
    if broken:
        log.error("check: %d of %d tables broken: %s", len(broken), len(results), ", ".join(broken))
        return 1
    log.info("check: all %d tables whole", len(results))
    return 0
