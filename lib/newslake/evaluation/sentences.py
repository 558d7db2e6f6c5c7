"""Sentence-boundary evaluation on labeled passages.

The sets (:data:`LABELED_SETS`, all in ``tests/data/labeled``, described in its README): the house
set of news passages, and passages in the style of the English "Golden Rules" of sentence
segmentation (lists, spaced ellipses, times, lone initials ...) in a tuning part and a held-out
part that no rule was fitted to. :func:`golden_rules_rows` adds pySBD's own 48 English Golden
Rules (MIT licence, read from the installed ``pysbd`` package, not copied here) when it is
installed.

A boundary is the start offset of every sentence but the first of a passage (leading whitespace
skipped). Precision, recall and F1 are micro-averaged over all passages, overall and per
``kind``; a passage's sentences are also counted as exact matches when its boundaries all agree.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from typing import Dict, List, Mapping, Optional, Sequence, Set, Tuple

from pyspark.sql import SparkSession

from newslake.evaluation.metrics import prf, set_counts
from newslake.nlp.sentences import split_sentences

Span = Tuple[int, int]

LABELED_SETS = {
    "house": "sentence_boundaries.jsonl",
    "rules_tuning": "sentence_rules_tuning.jsonl",
    "rules_heldout": "sentence_rules_heldout.jsonl",
}
"""Name -> file in ``tests/data/labeled``."""

# pySBD's Golden Rules are a list in rule order (1-48) without categories; these are the
# categories of its comments, by the number of the first rule of each.
_GOLDEN_KINDS = (
    (1, "punctuation"),
    (4, "abbreviations"),
    (18, "times"),
    (19, "numbers"),
    (21, "punctuation"),
    (31, "lists"),
    (40, "numbers"),
    (41, "punctuation"),
    (42, "initials"),
    (43, "ellipses"),
)


def load_gold(path: str) -> List[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def golden_rules_rows() -> Optional[List[dict]]:
    """pySBD's English Golden Rules as labeled rows (``id`` ``golden-en-NN`` by rule number),
    or None when ``pysbd`` (the ``test`` extra) is not installed. Its wheel ships them as
    ``benchmarks.english_golden_rules``."""
    try:
        from benchmarks.english_golden_rules import GOLDEN_EN_RULES
    except ImportError:
        return None
    rows = []
    for number, (text, sentences) in enumerate(GOLDEN_EN_RULES, start=1):
        kind = [k for first, k in _GOLDEN_KINDS if first <= number][-1]
        rows.append({"id": f"golden-en-{number:02d}", "kind": kind, "text": text, "sentences": list(sentences)})
    return rows


def gold_starts(text: str, sentences: Sequence[str]) -> List[int]:
    """Start offsets of the gold sentences, found in order with ``str.find``."""
    starts, pos = [], 0
    for sentence in sentences:
        start = text.find(sentence, pos)
        if start < 0:
            raise ValueError(f"gold sentence not found in order: {sentence!r}")
        starts.append(start)
        pos = start + len(sentence)
    return starts


def boundaries(text: str, starts: Sequence[int]) -> Set[int]:
    """Sentence starts (whitespace skipped) except the first: the inner boundaries."""
    skipped = set()
    for start in starts:
        while start < len(text) and text[start].isspace():
            start += 1
        if start < len(text):
            skipped.add(start)
    if skipped:
        skipped.discard(min(skipped))
    return skipped


def score(rows: Sequence[dict], predicted: Mapping[str, Sequence[Span]]) -> Dict[str, object]:
    """Boundary P/R/F1 overall and per kind, exact-passage rate, and the ids of passages whose
    boundaries differ. ``predicted`` maps a passage id to its sentences' ``(begin, end)``."""
    totals: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0])
    exact, wrong = 0, []
    for row in rows:
        gold = boundaries(row["text"], gold_starts(row["text"], row["sentences"]))
        found = boundaries(row["text"], [b for b, _ in predicted.get(row["id"], ())])
        counts = set_counts(gold, found)
        for key in ("overall", row["kind"]):
            totals[key] = [a + c for a, c in zip(totals[key], counts)]
        if gold == found:
            exact += 1
        else:
            wrong.append(row["id"])
    result: Dict[str, object] = {"overall": prf(*totals.pop("overall"))}
    result["per_kind"] = {kind: prf(*counts) for kind, counts in sorted(totals.items())}
    result["passages"] = len(rows)
    result["passages_exact"] = exact
    result["wrong_passages"] = wrong
    return result


def detect(spark: SparkSession, rows: Sequence[dict]) -> Dict[str, List[Tuple[int, int, str]]]:
    """Cut every passage into sentences as the enrich stage does, all at once; ``id -> [(begin,
    end, sentence)]`` in text order (small labeled data, so it is collected)."""
    df = spark.createDataFrame([(r["id"], r["text"]) for r in rows], "id string, clean_text string")
    found: Dict[str, List[Tuple[int, int, str]]] = {r["id"]: [] for r in rows}
    for r in split_sentences(df, id_col="id").orderBy("id", "sentence_index").collect():
        found[r.id].append((r.char_begin, r.char_end, r.sentence_text))
    return found


def evaluate_rows(spark: SparkSession, rows: Sequence[dict]) -> Dict[str, object]:
    detected = detect(spark, rows)
    return score(rows, {key: [(b, e) for b, e, _ in spans] for key, spans in detected.items()})


def evaluate(spark: SparkSession, path: str) -> Dict[str, object]:
    return evaluate_rows(spark, load_gold(path))


def evaluate_sets(spark: SparkSession, labeled_dir: str) -> Dict[str, object]:
    """Every set of :data:`LABELED_SETS` (from ``labeled_dir``) and pySBD's Golden Rules:
    name -> :func:`score`'s result, or ``"skipped: ..."`` for a set that is not there."""
    out: Dict[str, object] = {}
    for name, file_name in LABELED_SETS.items():
        path = os.path.join(labeled_dir, file_name)
        out[name] = evaluate(spark, path) if os.path.isfile(path) else f"skipped: {path} not found"
    golden = golden_rules_rows()
    out["pysbd_golden_rules_en"] = (
        evaluate_rows(spark, golden)
        if golden is not None
        else "skipped: pysbd is not installed (pip install -e '.[test]')"
    )
    return out
