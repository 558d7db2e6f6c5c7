"""Sentence-boundary evaluation on ``tests/data/labeled/sentence_boundaries.jsonl``.

A boundary is the start offset of every sentence but the first of a passage (leading whitespace
skipped). Precision, recall and F1 are micro-averaged over all passages, overall and per
``kind``; a passage's sentences are also counted as exact matches when its boundaries all agree.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Dict, List, Mapping, Sequence, Set, Tuple

from pyspark.sql import SparkSession

from newslake.evaluation.metrics import prf, set_counts
from newslake.nlp.sentences import split_sentences

Span = Tuple[int, int]


def load_gold(path: str) -> List[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


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


def evaluate(spark: SparkSession, path: str) -> Dict[str, object]:
    rows = load_gold(path)
    detected = detect(spark, rows)
    return score(rows, {key: [(b, e) for b, e, _ in spans] for key, spans in detected.items()})
