"""Data-quality checks: named SQL predicates from conf, evaluated in one pass per table."""

from __future__ import annotations

import logging
from typing import Dict, Mapping

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

log = logging.getLogger("newslake")


class DataQualityError(RuntimeError):
    """A stage wrote rows that break a data-quality rule (``quality.on_failure: fail``)."""


def count_violations(df: DataFrame, rules: Mapping[str, str]) -> Dict[str, int]:
    """Rows breaking each rule (a null predicate counts as broken), in a single aggregation."""
    if not rules:
        return {}
    aggregates = [
        F.sum(F.when(F.coalesce(F.expr(predicate), F.lit(False)), 0).otherwise(1)).alias(name)
        for name, predicate in rules.items()
    ]
    row = df.agg(*aggregates).first()
    return {name: int(row[name] or 0) for name in rules}


def enforce(table: str, violations: Mapping[str, int], on_failure: str) -> None:
    broken = {rule: n for rule, n in violations.items() if n}
    if not broken:
        return
    message = f"data-quality rules broken in {table}: " + ", ".join(f"{r} ({n} rows)" for r, n in broken.items())
    if on_failure == "fail":
        raise DataQualityError(message + "; fix the input or set quality.on_failure: warn")
    log.warning(message)
