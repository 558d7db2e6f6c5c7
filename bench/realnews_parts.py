"""A sentiment tier's figures on the team's real-news set, by part, source and phenomenon.

``python -m jobs.evaluate --format realnews`` gives the whole set's figures (and sentences/s);
this adds what the model cards need beside them: macro-F1 on the ``tune`` and ``heldout`` parts
(nobody tunes on ``heldout``), on the Reuters-21578 and sample-corpus rows, accuracy per
phenomenon, and the seed page's "lifted restrictions" sentence toward Tesla:

    .venv/bin/python -m bench.realnews_parts --conf conf/local.yaml [--model fast] \
        [--path tests/data/labeled/realnews_entity.jsonl] [--data-dir ../shared/data]

Prints one JSON document. Without the shared data only the sample-corpus rows are scored (the
reader warns on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Dict, List, Optional

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

SEED_SENTENCE = "Chinese authorities have lifted restrictions on Tesla vehicles"


def figures(scored: DataFrame) -> Dict[str, object]:
    """Macro-F1 overall, per part and per source; accuracy per phenomenon; the seed sentence."""
    from newslake.training.metrics import classification_metrics

    out: Dict[str, object] = {}
    groups = [("all", F.lit(True))]
    groups += [(part, F.col("part") == part) for part in ("tune", "heldout")]
    groups += [(source, F.col("source") == source) for source in ("reuters21578", "sample_corpus")]
    for name, condition in groups:
        metrics = classification_metrics(scored.filter(condition))
        out[name] = {"n": metrics["n"], "accuracy": metrics["accuracy"], "macro_f1": metrics["macro_f1"]}
    by_phenomenon = (
        scored.groupBy("phenomenon")
        .agg(F.count("*").alias("n"), F.avg((F.col("label") == F.col("sentiment_label")).cast("int")).alias("acc"))
        .orderBy("phenomenon")
        .collect()
    )
    out["accuracy_by_phenomenon"] = {
        r["phenomenon"]: {"n": r["n"], "accuracy": round(r["acc"], 3)} for r in by_phenomenon
    }
    seed = scored.filter(F.col("text").startswith(SEED_SENTENCE) & (F.col("entity") == "Tesla"))
    out["seed_lifted_restrictions_tesla"] = [
        {"label": r["label"], "predicted": r["sentiment_label"], "score": round(r["sentiment_score"], 3)}
        for r in seed.select("label", "sentiment_label", "sentiment_score").collect()
    ]
    return out


def main(argv: Optional[List[str]] = None) -> int:
    from newslake.config import load_settings
    from newslake.json_stdout import stdout_kept_for_result
    from newslake.nlp.sentiment import ModelNotBuiltError, load_sentiment_model
    from newslake.spark import build_spark
    from newslake.training import datasets
    from newslake.training.evaluate import MODEL_TIERS, resolve_model_path, score_labeled

    parser = argparse.ArgumentParser(prog="bench.realnews_parts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--conf", default="conf/local.yaml")
    parser.add_argument("--model", default="fast", choices=sorted(MODEL_TIERS))
    parser.add_argument("--path", default="tests/data/labeled/realnews_entity.jsonl")
    parser.add_argument(
        "--data-dir", default=None, help="the shared data (default: $NEWSLAKE_SHARED_DATA or ../shared/data)"
    )
    args = parser.parse_args(argv)
    settings = load_settings(args.conf)
    try:
        model_path = resolve_model_path(settings.paths.models, args.model)
    except ModelNotBuiltError as exc:
        print(f"realnews_parts: {exc}", file=sys.stderr)
        return 2
    with stdout_kept_for_result():
        spark = build_spark(settings.spark, app_name="newslake-realnews-parts")
        rows = datasets.realnews_rows(spark, args.path, args.data_dir).cache()
        scored = score_labeled(load_sentiment_model(model_path), rows).cache()
        result = {"model": args.model, "model_path": model_path, "path": args.path, **figures(scored)}
        scored.unpersist()
        rows.unpersist()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
