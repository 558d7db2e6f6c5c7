"""Make tests/data/tiny_sentiment_onnx (a tiny BERT) and tests/data/tiny_mpnet_onnx (a tiny
MPNet): sentiment classifiers exported to ONNX.

The accurate tier's tests run in CI without torch (the ``accurate`` extra is several GB), so
they import this checked-in folder into Spark NLP instead of a real model. It is produced by
the accurate tier's own code (:mod:`newslake.training.finetune`): a randomly initialised
BERT (2 layers, hidden 32, a vocabulary of the words below) fine-tuned on :data:`TINY_ROWS`
until it labels them all correctly, then exported the same way as MiniLM-L6. Regenerate
(needs the accurate extra; the output is deterministic for the seed):

    .venv/bin/python tests/data/make_tiny_sentiment_onnx.py          # BERT
    .venv/bin/python tests/data/make_tiny_sentiment_onnx.py mpnet    # MPNet

Layout (what ``BertForSequenceClassification.loadSavedModel`` and
``MPNetForSequenceClassification.loadSavedModel`` read): ``model.onnx``, ``assets/vocab.txt``,
``assets/labels.txt``. The MPNet one is the teacher tier's stand-in: the same code as
all-mpnet-base-v2's build (MPNet vocabulary layout with ``<s>``/``<pad>``/``</s>`` in front, the
marker in ``[unused0]``, padding 1, the export's mask wrapper) on 2 layers of width 32, and it
also holds ``torch_probabilities.json``: torch's probabilities for :data:`PARITY_TEXTS`, which
the tests compare with Spark NLP's where torch is not installed.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

OUT = Path(__file__).resolve().parent / "tiny_sentiment_onnx"
OUT_MPNET = Path(__file__).resolve().parent / "tiny_mpnet_onnx"
TORCH_PROBABILITIES = "torch_probabilities.json"
SEED = 7
MPNET_EPOCHS = 120

# (text, label, entity): sentence rows, and entity rows whose entity the marker replaces.
TINY_ROWS: List[Tuple[str, str, Optional[str]]] = [
    ("Profit rose and sales increased", "positive", None),
    ("Shares jumped on record earnings", "positive", None),
    ("Operating profit increased to EUR 5 million", "positive", None),
    ("Net sales grew strongly in the quarter", "positive", None),
    ("Profit fell and sales decreased", "negative", None),
    ("Shares slumped on a net loss", "negative", None),
    ("Operating loss widened to EUR 5 million", "negative", None),
    ("Net sales dropped sharply in the quarter", "negative", None),
    ("The meeting is held in March", "neutral", None),
    ("The office is in Helsinki", "neutral", None),
    ("The company has 200 employees", "neutral", None),
    ("The report is published in English", "neutral", None),
    ("Acme rose while Zeta fell", "positive", "Acme"),
    ("Acme rose while Zeta fell", "negative", "Zeta"),
    ("Zeta jumped while Acme slumped", "positive", "Zeta"),
    ("Zeta jumped while Acme slumped", "negative", "Acme"),
    ("Acme holds its meeting in March", "neutral", "Acme"),
    ("Zeta has its office in Helsinki", "neutral", "Zeta"),
]

# The MPNet rows add what Spark NLP's default tokenizer splits unlike BERT's basic tokenizer:
# "5%", "company's", "3.2".
TINY_MPNET_ROWS: List[Tuple[str, str, Optional[str]]] = TINY_ROWS + [
    ("The company's profit rose 5% to EUR 3.2 million", "positive", None),
    ("The company's sales fell 5% to EUR 3.2 million", "negative", None),
    ("Zeta's profit rose 5% while Acme's sales fell", "positive", "Zeta"),
    ("Zeta's profit rose 5% while Acme's sales fell", "negative", "Acme"),
]

# Texts scored by torch when the MPNet fixture is made and by Spark NLP in the tests: the rows,
# and words the tiny vocabulary lacks ([UNK]), accents, symbols and ideographs.
PARITY_TEXTS: List[Tuple[str, Optional[str]]] = [(text, entity) for text, _, entity in TINY_MPNET_ROWS] + [
    ("Profit rose 3.2% (EUR 5 million) - the company's report", None),
    ("Café Müller's profit rose €5 million, résumé 日本", None),
    ("Acme's shares slumped; Zeta's jumped 5%.", "Acme"),
]

SPECIALS = ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
# MPNet's vocab.txt is BERT's with its own specials in front and <mask> at the end.
MPNET_SPECIALS = ["<s>", "<pad>", "</s>", "<unk>"] + SPECIALS


def tiny_vocabulary(rows: Sequence[Tuple[str, str, Optional[str]]], architecture: str = "bert") -> List[str]:
    """Special tokens, then every lower-cased word and punctuation mark of the rows (the
    entities' own words too, and the marker through ``[unused0]`` as the real build does)."""
    words = set()
    for text, _, entity in rows:
        for part in (text, entity or ""):
            words.update(re.findall(r"\w+|[^\w\s]", part.lower()))
    if architecture == "mpnet":
        return MPNET_SPECIALS + sorted(words) + ["<mask>"]
    return SPECIALS + sorted(words)


def model_text(text: str, entity: Optional[str]) -> str:
    """What newslake.nlp.sentiment.mark_entity makes of a row (in Spark): entity -> " TGT "."""
    from newslake.nlp.sentiment import TARGET_MARKER

    if not entity:
        return text
    return re.sub(re.escape(entity), f" {TARGET_MARKER} ", text, flags=re.IGNORECASE)


def tiny_model(architecture: str, vocab_size: int):
    """A randomly initialised 2-layer, width-32 classifier of ``architecture``."""
    from transformers import BertConfig, BertForSequenceClassification, MPNetConfig, MPNetForSequenceClassification

    from newslake.nlp.sentiment import SENTIMENT_LABELS

    shape = dict(
        vocab_size=vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=3,
        id2label=dict(enumerate(SENTIMENT_LABELS)),
        label2id={label: i for i, label in enumerate(SENTIMENT_LABELS)},
    )
    if architecture == "mpnet":
        # Positions start after the padding id (1), as in all-mpnet-base-v2 (514 = 512 + 2).
        return MPNetForSequenceClassification(
            MPNetConfig(max_position_embeddings=66, pad_token_id=1, bos_token_id=0, eos_token_id=2, **shape)
        )
    return BertForSequenceClassification(BertConfig(max_position_embeddings=64, **shape))


def build(
    out_dir: Path = OUT,
    rows: Sequence[Tuple[str, str, Optional[str]]] = TINY_ROWS,
    epochs: int = 60,
    architecture: str = "bert",
) -> dict:
    """Fine-tune a tiny random BERT (or MPNet) on ``rows`` and export it to ``out_dir``; returns
    figures (training accuracy, ONNX vs torch difference) for the caller to check. The MPNet
    folder also gets torch's probabilities of :data:`PARITY_TEXTS`."""
    import json

    import torch

    from newslake.nlp.sentiment import SENTIMENT_LABELS
    from newslake.training import finetune

    work = out_dir.parent / (out_dir.name + ".work")
    work.mkdir(parents=True, exist_ok=True)
    base_vocab = work / "base_vocab.txt"
    base_vocab.write_text("\n".join(tiny_vocabulary(rows, architecture)) + "\n", encoding="utf-8")
    vocab = work / "vocab.txt"
    marker_id = finetune.write_marker_vocab(str(base_vocab), str(vocab))
    tokenizer = finetune.load_tokenizer(str(vocab), architecture)

    texts = [model_text(text, entity) for text, _, entity in rows]
    labels = [SENTIMENT_LABELS.index(label) for _, label, _ in rows]
    encoded = finetune.encode(tokenizer, texts, 32)
    params = finetune.FinetuneParams(
        max_length=32,
        epochs=epochs,
        batch_size=6,
        learning_rate=3e-3,
        warmup_fraction=0.05,
        class_weighting="none",
        train_word_embeddings=True,
        bf16=False,
        threads=1,
        seed=SEED,
    )
    finetune.seed_everything(SEED, 1)
    model = tiny_model(architecture, len(tokenizer.vocab))
    model = finetune.finetune(model, encoded, labels, [1.0] * len(labels), params, marker_id, log=lambda message: None)
    probs = finetune.predict_probabilities(model, encoded)
    accuracy = float((probs.argmax(axis=1) == torch.tensor(labels).numpy()).mean())
    onnx_path = finetune.export_onnx(model, str(vocab), str(out_dir))
    difference = finetune.check_onnx_matches(model, onnx_path, encoded)
    if architecture == "mpnet":
        parity_ids = finetune.encode(tokenizer, [model_text(t, e) for t, e in PARITY_TEXTS], 32)
        parity = finetune.predict_probabilities(model, parity_ids)
        lines = [
            json.dumps({"text": t, "entity": e, "probabilities": [round(float(p), 7) for p in row]}, ensure_ascii=False)
            for (t, e), row in zip(PARITY_TEXTS, parity)
        ]
        (out_dir / TORCH_PROBABILITIES).write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    for name in ("base_vocab.txt", "vocab.txt"):
        os.remove(work / name)
    work.rmdir()
    return {
        "train_accuracy": accuracy,
        "onnx_max_probability_difference": difference,
        "marker_id": marker_id,
        "onnx_bytes": os.path.getsize(onnx_path),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))
    if sys.argv[1:] == ["mpnet"]:
        figures = build(OUT_MPNET, TINY_MPNET_ROWS, epochs=MPNET_EPOCHS, architecture="mpnet")
    else:
        figures = build()
    print(figures)
    if figures["train_accuracy"] < 1.0:
        sys.exit("the tiny model does not fit its own rows; change SEED or epochs")
