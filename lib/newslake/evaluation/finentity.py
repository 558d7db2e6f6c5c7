"""The company linker on FinEntity (Tang et al. 2023, ODC-BY): real financial news with the
spans of the financial entities its annotators found (companies mostly, also indices, sectors,
regulators and commodities). Figures are micro-averaged over spans.

Spans are re-anchored on the text (:func:`anchor`). Figures:

* ``span_recall``: share of all annotated spans that a linked company mention overlaps;
* ``gazetteer_span_recall``: the same over the spans that name a gazetteer company (the span,
  without a legal suffix or possessive, is an alias of it, compared without case): how well the
  linker finds the companies it knows, apart from the gazetteer's coverage;
* ``mentions_on_spans``: share of linked mentions that overlap an annotated span (the
  precision figure), and the most frequent linked surface forms outside the spans
  (``other_linked``: "what else is linked"). FinEntity annotates a company's name, not the
  Reuters instrument code bracketed right after it ("Johnson & Johnson <JNJ.N>"), so a span is
  taken to reach over such a code; ``mentions_on_spans_strict`` is the share without that.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from newslake.config import EnrichSettings
from newslake.evaluation.metrics import prf
from newslake.nlp import gazetteer as G
from newslake.silver.annotate import annotate, linking_resources

_SUFFIX = re.compile(
    r"(?:[’']s|\s+(?:Inc|Corp|Corporation|Co|Company|Ltd|plc|PLC|LLC|Group|Holdings?|SA|AG|NV|SE)\.?)+$"
)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_TRAILING_RIC = re.compile(r"\s{0,2}[(<]\s{0,2}[A-Z0-9][A-Za-z0-9_]{0,11}\.[A-Z]{1,3}\s{0,2}[)>]")


def anchor(text: str, start: int, value: str) -> Optional[Tuple[int, int]]:
    """The span of ``value`` in ``text`` nearest to ``start``: FinEntity's offsets are off by a
    few characters in passages with mis-encoded characters ("Apple\ufffd\ufffds")."""
    if text[start : start + len(value)] == value:
        return start, start + len(value)
    best = None
    for match in re.finditer(re.escape(value), text):
        if best is None or abs(match.start() - start) < abs(best - start):
            best = match.start()
    return (best, best + len(value)) if best is not None and abs(best - start) <= 40 else None


def load(path: str, limit: Optional[int] = None) -> List[dict]:
    """Passages ``{"id", "text", "spans": [(begin, end_exclusive, value, reach)]}`` (first
    ``limit``); ``reach`` is ``end_exclusive`` or, when a bracketed RIC follows the span, the end
    of that RIC. The text is cleaned like silver's ``clean_text`` is of emoji, and the spans
    re-anchored on it (:func:`anchor`); a span whose text is not found near its offset is dropped."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    rows = []
    for i, item in enumerate(data[:limit] if limit else data):
        text = _ASTRAL.sub("", item["content"])
        spans = []
        for a in item.get("annotations", []):
            found = anchor(text, int(a["start"]), a["value"])
            if found:
                ric = _TRAILING_RIC.match(text, found[1])
                spans.append((found[0], found[1], a["value"], ric.end() if ric else found[1]))
        rows.append({"id": f"fe-{i:04d}", "text": text, "spans": spans})
    return rows


def gazetteer_keys(companies: Iterable[G.CompanyEntry]) -> Set[str]:
    """Lower-case keys of every company surface form."""
    return {G.alias_key(form).lower() for entry in companies for form in G.company_surface_forms(entry)}


def names_gazetteer_company(value: str, keys: Set[str]) -> bool:
    key = G.alias_key(_SUFFIX.sub("", value.strip())).lower()
    return bool(key) and key in keys


def score(
    rows: Sequence[dict], mentions: Dict[str, List[Tuple[int, int, str]]], keys: Set[str], top: int = 15
) -> Dict[str, object]:
    """``mentions``: passage id -> linked ``(begin, end_inclusive, matched_text)``."""
    found_all = total_all = found_gaz = total_gaz = 0
    on_span = off_span = on_strict = 0
    other: Counter = Counter()
    for row in rows:
        linked = mentions.get(row["id"], [])
        spans = row["spans"]
        for begin, _end, value, reach in spans:
            hit = any(b < reach and begin <= e for b, e, _ in linked)
            total_all += 1
            found_all += hit
            if names_gazetteer_company(value, keys):
                total_gaz += 1
                found_gaz += hit
        for b, e, text in linked:
            on_strict += any(b < end and begin <= e for begin, end, _, _ in spans)
            if any(b < reach and begin <= e for begin, _, _, reach in spans):
                on_span += 1
            else:
                off_span += 1
                other[text] += 1
    gaz = prf(found_gaz, 0, total_gaz - found_gaz)
    return {
        "passages": len(rows),
        "spans": total_all,
        "span_recall": round(found_all / total_all, 4) if total_all else 1.0,
        "gazetteer_spans": total_gaz,
        "gazetteer_span_recall": gaz["recall"],
        "linked_mentions": on_span + off_span,
        "mentions_on_spans": round(on_span / (on_span + off_span), 4) if on_span + off_span else 1.0,
        "mentions_on_spans_strict": round(on_strict / (on_span + off_span), 4) if on_span + off_span else 1.0,
        "other_linked": [{"text": t, "count": n} for t, n in other.most_common(top)],
    }


def evaluate(
    spark: SparkSession, path: str, gazetteer_dir: str, enrich: EnrichSettings, limit: Optional[int] = None
) -> Dict[str, object]:
    rows = load(path, limit)
    df = spark.createDataFrame([(r["id"], r["text"]) for r in rows], "article_id string, clean_text string")
    with linking_resources(spark, gazetteer_dir, enrich) as resources:
        result = annotate(df, resources, enrich)
        try:
            collected = (
                result.companies.groupBy("article_id")
                .agg(F.collect_list(F.struct("char_begin", "char_end", "matched_text")).alias("m"))
                .collect()
            )
        finally:
            result.unpersist()
    mentions = {r.article_id: [(m.char_begin, m.char_end, m.matched_text) for m in r.m] for r in collected}
    return score(rows, mentions, gazetteer_keys(G.read_companies(gazetteer_dir)))
