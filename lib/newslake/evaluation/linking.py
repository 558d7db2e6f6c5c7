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

TRAP_IDS = tuple(
    f"ln-{n:03d}"
    for n in (
        4,
        6,
        82,
        83,
        121,  # apple the fruit, the Big Apple
        9,
        10,
        85,
        86,
        165,  # shell the noun
        13,
        43,
        64,
        65,
        110,
        111,
        143,
        153,  # target the noun
        16,
        67,
        88,
        155,  # meta the word
        19,
        61,
        62,
        116,  # the lotus flower, position, product
        21,
        68,
        71,
        72,
        118,
        158,  # Harrison Ford, "ford", the Ford Foundation
        24,
        59,
        119,
        156,  # the Amazon river and rainforest
    )
)
"""The look-alike passages of ``linking_gold.jsonl`` (its README lists them): the trap set.
A company linked there that the gold does not have is a trap sprung."""


def load_gold(path: str) -> List[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def passage_sets(mentions: DataFrame, id_col: str) -> Dict[str, Set[str]]:
    """``article_id -> {ids}`` from a mention frame (small evaluation data, so collected)."""
    rows = mentions.groupBy("article_id").agg(F.collect_set(id_col).alias("ids")).collect()
    return {r.article_id: set(r.ids) for r in rows}


def link_passages(
    spark: SparkSession, gazetteer_dir: str, enrich: EnrichSettings, passages: Sequence[tuple]
) -> Dict[str, Dict[str, Set[str]]]:
    """Run the enrich stage's annotation on ``(id, text)`` passages at once; ``{"companies":
    id -> set, "countries": id -> set}``."""
    df = spark.createDataFrame(list(passages), "article_id string, clean_text string")
    with linking_resources(spark, gazetteer_dir, enrich) as resources:
        result = annotate(df, resources, enrich)
        try:
            return {
                "companies": passage_sets(result.companies, "company_id"),
                "countries": passage_sets(result.countries, "country"),
            }
        finally:
            result.unpersist()


def score(rows: Sequence[dict], predicted: Dict[str, Dict[str, Set[str]]]) -> Dict[str, object]:
    ids = [r["id"] for r in rows]
    out: Dict[str, object] = {"passages": len(rows)}
    for kind in ("companies", "countries"):
        gold = {r["id"]: set(r[kind]) for r in rows}
        found = predicted.get(kind, {})
        out[kind] = micro_prf(gold, found, ids)
        if kind == "companies":
            traps = [i for i in ids if i in TRAP_IDS]
            out["trap_set"] = {
                "passages": len(traps),
                "false_companies": sum(len(found.get(i, set()) - gold[i]) for i in traps),
                "missed_companies": sum(len(gold[i] - found.get(i, set())) for i in traps),
            }
        out[kind]["errors"] = [
            {"id": i, "missed": sorted(gold[i] - found.get(i, set())), "extra": sorted(found.get(i, set()) - gold[i])}
            for i in ids
            if gold[i] != found.get(i, set())
        ]
    return out


def evaluate(spark: SparkSession, path: str, gazetteer_dir: str, enrich: EnrichSettings) -> Dict[str, object]:
    rows = load_gold(path)
    return score(rows, link_passages(spark, gazetteer_dir, enrich, [(r["id"], r["text"]) for r in rows]))


RIC_TEXT = r"^[A-Z0-9][A-Za-z0-9_]*\.[A-Z]{1,3}$"


def evaluate_rics(spark: SparkSession, path: str, gazetteer_dir: str, enrich: EnrichSettings) -> Dict[str, object]:
    """Reuters instrument codes on ``tests/data/labeled/wire_tickers.jsonl``: each passage's gold
    is the set of ``(ric, company_id)`` pairs; the linker's are its ticker mentions written as a
    RIC. Micro P/R/F1 over all passages and over each ``part`` (``tune``, ``held_out``)."""
    rows = load_gold(path)
    df = spark.createDataFrame([(r["id"], r["text"]) for r in rows], "article_id string, clean_text string")
    with linking_resources(spark, gazetteer_dir, enrich) as resources:
        result = annotate(df, resources, enrich)
        try:
            rics = result.companies.filter((F.col("link_method") == "ticker") & F.col("matched_text").rlike(RIC_TEXT))
            found = passage_sets(
                rics.select("article_id", F.struct("matched_text", "company_id").alias("pair")), "pair"
            )
        finally:
            result.unpersist()
    found = {key: {(p.matched_text, p.company_id) for p in pairs} for key, pairs in found.items()}
    gold = {r["id"]: {tuple(pair) for pair in r["rics"]} for r in rows}
    out: Dict[str, object] = {"passages": len(rows), **micro_prf(gold, found, [r["id"] for r in rows])}
    for part in ("tune", "held_out"):
        ids = [r["id"] for r in rows if r.get("part") == part]
        out[part] = {"passages": len(ids), **micro_prf(gold, found, ids)}
    out["errors"] = [
        {"id": i, "missed": sorted(gold[i] - found.get(i, set())), "extra": sorted(found.get(i, set()) - gold[i])}
        for i in gold
        if gold[i] != found.get(i, set())
    ]
    return out
