"""``jobs/evaluate_silver.py``: every silver NLP metric, printed as one JSON document.

    python -m jobs.evaluate_silver --conf conf/local.yaml [--shared-data ../shared/data]
        [--reuters-limit 2000] [--finentity-limit N] [--labeled-only] [--set section.key=value]

Hand-labeled figures (``--labeled-dir``: the repository's ``tests/data/labeled``, which
``jobs/evaluate_silver.py`` passes) come first: sentence boundaries on the house set
and, under ``sentence_boundaries_rules``, on the Golden Rules-style tuning and held-out sets and
pySBD's own English Golden Rules (when ``pysbd`` is installed); the real-data figures (FinEntity
company spans, Reuters-21578 countries) are printed beside them when ``--shared-data`` exists,
else ``"skipped"`` with the reason.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Dict, List, Optional

from newslake.arguments import SHARED_DATA, job_parser, settings_from_args


def parse_args(
    argv: Optional[List[str]], labeled_dir: Optional[str] = None, shared_data: str = SHARED_DATA
) -> argparse.Namespace:
    """``labeled_dir`` and ``shared_data``: the defaults of ``--labeled-dir`` (the hand-labeled
    sets; without a default the option is required) and ``--shared-data``; the jobs/ entry
    point passes the repository's folders, so the library never locates a checkout."""
    parser = job_parser("jobs.evaluate_silver", __doc__.split("\n\n")[0], overrides=True)
    parser.add_argument(
        "--labeled-dir",
        default=labeled_dir,
        required=labeled_dir is None,
        help="the hand-labeled sets" + (" (default: %(default)s)" if labeled_dir else ""),
    )
    parser.add_argument("--shared-data", default=shared_data, help="the public labeled data (default: %(default)s)")
    parser.add_argument(
        "--reuters-limit", type=int, default=2000, help="first N Reuters stories with a BODY and PLACES (default 2000)"
    )
    parser.add_argument("--finentity-limit", type=int, default=None, help="first N FinEntity passages (default all)")
    parser.add_argument("--labeled-only", action="store_true", help="skip the real-data figures")
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None, labeled_dir: Optional[str] = None, shared_data: str = SHARED_DATA) -> int:
    """Entry point of ``jobs/evaluate_silver.py`` (``labeled_dir``, ``shared_data``: see
    :func:`parse_args`); prints the JSON document, returns the exit code."""
    from newslake.evaluation import finentity, linking, reuters, sentences
    from newslake.spark import build_spark

    args = parse_args(argv, labeled_dir, shared_data)
    settings = settings_from_args(args)
    spark = build_spark(settings.spark, app_name="newslake-evaluate-silver")
    enrich, gazetteer = settings.enrich, settings.paths.gazetteer
    out: Dict[str, object] = {}
    started = time.time()
    sentence_sets = {
        name: (
            {k: result[k] for k in ("overall", "per_kind", "passages", "wrong_passages")}
            if isinstance(result, dict)
            else result
        )
        for name, result in sentences.evaluate_sets(spark, args.labeled_dir).items()
    }
    sb = sentence_sets.pop("house")
    out["sentence_boundaries"] = sb
    out["sentence_boundaries_rules"] = sentence_sets
    ln = linking.evaluate(spark, os.path.join(args.labeled_dir, "linking_gold.jsonl"), gazetteer, enrich)
    out["linking_labeled"] = ln
    out["ric_linking"] = linking.evaluate_rics(
        spark, os.path.join(args.labeled_dir, "wire_tickers.jsonl"), gazetteer, enrich
    )
    finentity_path = os.path.join(args.shared_data, "finentity", "FinEntity_train.json")
    reuters_dir = os.path.join(args.shared_data, "reuters21578")
    if args.labeled_only:
        out["finentity"] = out["reuters21578"] = "skipped: --labeled-only"
    else:
        out["finentity"] = (
            finentity.evaluate(spark, finentity_path, gazetteer, enrich, args.finentity_limit)
            if os.path.isfile(finentity_path)
            else f"skipped: {finentity_path} not found"
        )
        out["reuters21578"] = (
            reuters.evaluate(spark, reuters_dir, gazetteer, enrich, args.reuters_limit)
            if os.path.isdir(reuters_dir)
            else f"skipped: {reuters_dir} not found"
        )
    out["summary"] = {
        "sentence_boundary_f1": sb["overall"]["f1"],
        "sentence_boundary_f1_per_kind": {k: v["f1"] for k, v in sb["per_kind"].items()},
        "sentence_boundary_f1_rules": {
            name: result["overall"]["f1"] if isinstance(result, dict) else None
            for name, result in sentence_sets.items()
        },
        "companies_labeled": {k: ln["companies"][k] for k in ("precision", "recall", "f1")},
        "countries_labeled": {k: ln["countries"][k] for k in ("precision", "recall", "f1")},
        "trap_set": ln["trap_set"],
        "ric_linking": {k: out["ric_linking"][k] for k in ("precision", "recall", "f1")},
        "ric_linking_held_out": {k: out["ric_linking"]["held_out"][k] for k in ("precision", "recall", "f1")},
        "finentity_span_recall": out["finentity"].get("span_recall") if isinstance(out["finentity"], dict) else None,
        "finentity_precision": (
            out["finentity"].get("mentions_on_spans") if isinstance(out["finentity"], dict) else None
        ),
        "finentity_gazetteer_span_recall": (
            out["finentity"].get("gazetteer_span_recall") if isinstance(out["finentity"], dict) else None
        ),
        "reuters_countries": (
            {k: out["reuters21578"][k] for k in ("precision", "recall", "f1")}
            if isinstance(out["reuters21578"], dict)
            else None
        ),
        "reuters_countries_held_out": (
            {k: out["reuters21578"]["held_out"][k] for k in ("precision", "recall", "f1")}
            if isinstance(out["reuters21578"], dict)
            else None
        ),
        "seconds": round(time.time() - started, 1),
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0
