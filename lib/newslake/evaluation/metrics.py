"""Precision, recall and F1 from counts, and micro-averaged set comparisons."""

from __future__ import annotations

from typing import Dict, Hashable, Iterable, Mapping, Set, Tuple


def prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    """``precision``, ``recall``, ``f1`` (1.0 when there is nothing to find and nothing found)
    plus the counts."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def set_counts(gold: Set[Hashable], predicted: Set[Hashable]) -> Tuple[int, int, int]:
    return len(gold & predicted), len(predicted - gold), len(gold - predicted)


def micro_prf(
    gold: Mapping[str, Set[Hashable]], predicted: Mapping[str, Set[Hashable]], keys: Iterable[str] = ()
) -> Dict[str, float]:
    """Micro-averaged P/R/F1 over items (``keys``, default: every gold key): a missing
    prediction is the empty set."""
    tp = fp = fn = 0
    for key in list(keys) or list(gold):
        t, p, n = set_counts(set(gold.get(key, ())), set(predicted.get(key, ())))
        tp, fp, fn = tp + t, fp + p, fn + n
    return prf(tp, fp, fn)
