"""The fast tier's training job (``jobs/train_sentiment.py``): train, validate, save with a card.

The model is :mod:`newslake.training.fast_model` (Spark NLP text stages -> TF-IDF -> two
logistic regressions) with :class:`~newslake.training.params.SentimentParams`; it is trained on
:func:`newslake.training.shared_data.load_shared_data`'s rows of ../shared/data (the union of
the Financial PhraseBank agreement levels, deduplicated and weighted by agreement, SEntFiN and
FinEntity entity rows, the entity replaced by the ``TGT`` marker) and validated on its
hash-based validation split, which it never trains on. The folder gets ``metrics.json`` and
``MODEL_CARD.md`` (:mod:`newslake.training.card`, :mod:`newslake.training.provenance`) and
replaces the old one only when the model is under the 20 MB a shipped model may weigh.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import sys
from typing import Dict, List, Optional

from newslake.arguments import job_parser, settings_from_args
from newslake.spark import build_spark
from newslake.training import card, datasets
from newslake.training.evaluate import score_labeled, sentences_per_second
from newslake.training.fast_model import train_sentiment
from newslake.training.metrics import classification_metrics
from newslake.training.params import SentimentParams
from newslake.training.provenance import MAX_MODEL_BYTES, dir_size, training_files, versions
from newslake.training.shared_data import SPLIT_RULE, load_shared_data, split_sizes

TIER = "sentiment_fast"

DESIGN = """\
Spark NLP `DocumentAssembler -> RegexTokenizer` (split on anything but letters and `%`,
lower case) `-> Finisher`, then Spark ML `NGram` (bigrams) and a `SQLTransformer` that adds
financial-direction cues (a direction word such as rose/fell together with an object such as
profit/loss in the same sentence: `cue_up_good`, `cue_down_bad`, `cue_down_good`,
`cue_up_bad`) and, for entity inputs, the words within 3 tokens of the target marker
(`ctx_*`). Entity inputs' terms get an `e:` prefix so the two branches have separate
vocabularies. `CountVectorizer` (binary, minDF 2) `-> IDF ->` two multinomial
`LogisticRegression`s with balanced class weights: a sentence classifier trained on the union
of the PhraseBank agreement levels (deduplicated, weighted by the highest agreement level a
sentence appears in) and an entity-targeted classifier trained on SEntFiN and FinEntity rows
whose entity is replaced by the `TGT` marker. A last `SQLTransformer` routes marked inputs to
the entity classifier and the others to the sentence classifier."""


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = job_parser(
        "jobs.train_sentiment",
        "Train the fast sentiment model from ../shared/data and save it with a model card.",
        conf_required=True,
        data_dir=True,
        model_out=TIER,
    )
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> Dict[str, object]:
    """Train, validate, save the model, its metrics.json and MODEL_CARD.md; return the metrics."""
    settings = settings_from_args(args)
    out = args.out or settings.model_path(TIER)
    if not os.path.isdir(args.data_dir):
        raise FileNotFoundError(
            f"--data-dir {args.data_dir!r} does not exist; the labeled data lives in ../shared/data"
        )
    spark = build_spark(settings.spark, app_name="newslake-train-sentiment")
    params = SentimentParams(seed=args.seed)
    sets = {k: v.cache() for k, v in load_shared_data(spark, args.data_dir, params).items()}
    started = datetime.datetime.now(datetime.timezone.utc)
    model = train_sentiment(sets["train"], params)
    print(
        f"train_sentiment: fitted in {(datetime.datetime.now(datetime.timezone.utc) - started).total_seconds():.0f}s",
        file=sys.stderr,
    )

    validation = {
        name: classification_metrics(score_labeled(model, sets[name]))
        for name in ("phrasebank_allagree", "phrasebank_50agree", "sentfin_entity", "finentity_entity")
    }
    mixed = sets["phrasebank_50agree"].unionByName(sets["sentfin_entity"]).unionByName(sets["finentity_entity"])
    throughput = sentences_per_second(model, mixed)
    throughput["spark_master"] = spark.sparkContext.master
    throughput["cores"] = spark.sparkContext.defaultParallelism

    tmp_out = out.rstrip("/") + ".tmp"
    if os.path.isdir(tmp_out):
        shutil.rmtree(tmp_out)
    model.write().overwrite().save(tmp_out)
    # Provenance names the folder as the command was run from (models/sentiment_fast), not the
    # building machine's absolute path.
    shown_out = os.path.relpath(out) if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", out) else out
    command = (
        "python -m jobs.train_sentiment --conf conf/local.yaml --data-dir ../shared/data "
        f"--out {shown_out} --seed {args.seed}"
    )
    payload = {
        "model": TIER,
        "out": shown_out,
        "trained_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "design": DESIGN,
        "params": params.to_dict(),
        "split_rule": SPLIT_RULE,
        "split_sizes": split_sizes(spark, args.data_dir, params, sets),
        "training_files": training_files(args.data_dir),
        "validation": validation,
        "throughput": throughput,
        "versions": versions(spark),
        "model_size_bytes": 0,
    }
    card.write_metrics(tmp_out, payload)
    card.write_card(tmp_out, payload)
    size = dir_size(tmp_out)
    payload["model_size_bytes"] = size
    card.write_metrics(tmp_out, payload)
    card.write_card(tmp_out, payload)
    if size >= MAX_MODEL_BYTES:
        raise RuntimeError(f"model is {size / 1e6:.1f} MB, over the 20 MB limit; not replacing {out}")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.replace(tmp_out, out)
    return payload


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of ``jobs/train_sentiment.py``; returns the process exit code."""
    args = parse_args(argv)
    try:
        payload = run(args)
    except (FileNotFoundError, ValueError, RuntimeError, datasets.MalformedDataError) as exc:
        print(f"train_sentiment: {exc}", file=sys.stderr)
        return 1
    summary = {name: m["macro_f1"] for name, m in payload["validation"].items()}
    print(json.dumps({"out": payload["out"], "macro_f1": summary, "throughput": payload["throughput"]}))
    return 0
