"""The ISO weeks an incremental aggregate run touches (pure date arithmetic, no Spark): gold's
weekly tables are partitioned by ``week_start`` (the Monday), so a recomputed week is one
partition replaced and one ``week_start IN (...)`` predicate."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable, List, Sequence


def weeks_to_recompute(touched: Iterable[date]) -> List[date]:
    """The touched weeks and the week after each (whose previous-week change depends on them)."""
    weeks = set(touched)
    return sorted(weeks | {w + timedelta(days=7) for w in weeks})


def weeks_to_read(recompute: Iterable[date]) -> List[date]:
    """The recomputed weeks and the week before each (their previous-week values)."""
    weeks = set(recompute)
    return sorted(weeks | {w - timedelta(days=7) for w in weeks})


def window_weeks(start: date, end: date) -> List[date]:
    """Mondays of the ISO weeks that overlap the days ``start`` .. ``end`` (inclusive)."""
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(days=7 * i) for i in range((end - first).days // 7 + 1)]


def week_predicate(weeks: Sequence[date]) -> str:
    return "week_start IN (" + ", ".join(f"DATE'{w.isoformat()}'" for w in weeks) + ")"
