"""Company and country linking evaluation on ``tests/data/labeled/linking_gold.jsonl``.

Each passage has the *set* of companies (gazetteer ids) and countries (ISO alpha-2 codes) it
refers to. The linker's passage-level sets are the distinct ids of its mentions; precision and
recall are micro-averaged over passages (a passage contributes its true positives, false
positives and false negatives).
"""

from __future__ import annotations

import json
from typing import Dict, List, Sequence, Set

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake.config import EnrichSettings
from newslake.evaluation.metrics import micro_prf
from newslake.silver.annotate import annotate, linking_resources


def load_gold(path: str) -> List[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def passage_sets(mentions: DataFrame, id_col: str) -> Dict[str, Set[str]]:
    """``article_id -> {ids}`` from a mention frame (small evaluation data, so collected)."""
    rows = mentions.groupBy("article_id").agg(F.collect_set(id_col).alias("ids")).collect()
    return {r.article_id: set(r.ids) for r in rows}


def link_passages(spark: SparkSession, gazetteer_dir: str, enrich: EnrichSettings, passages: Sequence[tuple]) -> Dict[str, Dict[str, Set[str]]]:
    """Run the enrich stage's annotation on ``(id, text)`` passages at once; ``{"companies":
    id -> set, "countries": id -> set}``."""
    df = spark.createDataFrame(list(passages), "article_id string, clean_text string")
    with linking_resources(spark, gazetteer_dir, enrich) as resources:
        result = annotate(df, resources, enrich)
        try:
            return {"companies": passage_sets(result.companies, "company_id"),
                    "countries": passage_sets(result.countries, "country")}
        finally:
            result.unpersist()


def score(rows: Sequence[dict], predicted: Dict[str, Dict[str, Set[str]]]) -> Dict[str, object]:
    ids = [r["id"] for r in rows]
    out: Dict[str, object] = {"passages": len(rows)}
    for kind in ("companies", "countries"):
        gold = {r["id"]: set(r[kind]) for r in rows}
        found = predicted.get(kind, {})
        out[kind] = micro_prf(gold, found, ids)
        out[kind]["errors"] = [
            {"id": i, "missed": sorted(gold[i] - found.get(i, set())), "extra": sorted(found.get(i, set()) - gold[i])}
            for i in ids if gold[i] != found.get(i, set())
        ]
    return out


def evaluate(spark: SparkSession, path: str, gazetteer_dir: str, enrich: EnrichSettings) -> Dict[str, object]:
    rows = load_gold(path)
    return score(rows, link_passages(spark, gazetteer_dir, enrich, [(r["id"], r["text"]) for r in rows]))
