"""Make tests/data/tiny_sentiment_onnx: a tiny BERT sentiment classifier exported to ONNX.

The accurate tier's tests run in CI without torch (the ``accurate`` extra is several GB), so
they import this checked-in folder into Spark NLP instead of a real model. It is produced by
the accurate tier's own code (:mod:`newslake.training.finetune`): a randomly initialised
BERT (2 layers, hidden 32, a vocabulary of the words below) fine-tuned on :data:`TINY_ROWS`
until it labels them all correctly, then exported the same way as MiniLM-L6. Regenerate
(needs the accurate extra; the output is deterministic for the seed):

    .venv/bin/python tests/data/make_tiny_sentiment_onnx.py

Layout (what ``BertForSequenceClassification.loadSavedModel`` reads): ``model.onnx``,
``assets/vocab.txt``, ``assets/labels.txt``.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

OUT = Path(__file__).resolve().parent / "tiny_sentiment_onnx"
SEED = 7

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

SPECIALS = ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def tiny_vocabulary(rows: Sequence[Tuple[str, str, Optional[str]]]) -> List[str]:
    """Special tokens, then every lower-cased word and punctuation mark of the rows (the
    entities' own words too, and the marker through ``[unused0]`` as the real build does)."""
    words = set()
    for text, _, entity in rows:
        for part in (text, entity or ""):
            words.update(re.findall(r"\w+|[^\w\s]", part.lower()))
    return SPECIALS + sorted(words)


def build(out_dir: Path = OUT, rows: Sequence[Tuple[str, str, Optional[str]]] = TINY_ROWS,
          epochs: int = 60) -> dict:
    """Fine-tune a tiny random BERT on ``rows`` and export it to ``out_dir``; returns figures
    (training accuracy, ONNX vs torch difference) for the caller to check."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from newslake.nlp.sentiment import SENTIMENT_LABELS, TARGET_MARKER
    from newslake.training import finetune

    work = out_dir.parent / (out_dir.name + ".work")
    work.mkdir(parents=True, exist_ok=True)
    base_vocab = work / "base_vocab.txt"
    base_vocab.write_text("\n".join(tiny_vocabulary(rows)) + "\n", encoding="utf-8")
    vocab = work / "vocab.txt"
    marker_id = finetune.write_marker_vocab(str(base_vocab), str(vocab))
    tokenizer = finetune.load_tokenizer(str(vocab))

    def model_text(text: str, entity: Optional[str]) -> str:
        # What newslake.nlp.sentiment.mark_entity makes of it (in Spark): entity -> " TGT ".
        if not entity:
            return text
        return re.sub(re.escape(entity), f" {TARGET_MARKER} ", text, flags=re.IGNORECASE)

    texts = [model_text(text, entity) for text, _, entity in rows]
    labels = [SENTIMENT_LABELS.index(label) for _, label, _ in rows]
    encoded = finetune.encode(tokenizer, texts, 32)
    params = finetune.FinetuneParams(
        max_length=32, epochs=epochs, batch_size=6, learning_rate=3e-3, warmup_fraction=0.05,
        class_weighting="none", train_word_embeddings=True, bf16=False, threads=1, seed=SEED,
    )
    finetune.seed_everything(SEED, 1)
    config = BertConfig(
        vocab_size=len(tokenizer.vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=64, max_position_embeddings=64, num_labels=3,
        id2label=dict(enumerate(SENTIMENT_LABELS)), label2id={l: i for i, l in enumerate(SENTIMENT_LABELS)},
    )
    model = BertForSequenceClassification(config)
    model = finetune.finetune(model, encoded, labels, [1.0] * len(labels), params, marker_id,
                              log=lambda message: None)
    probs = finetune.predict_probabilities(model, encoded)
    accuracy = float((probs.argmax(axis=1) == torch.tensor(labels).numpy()).mean())
    onnx_path = finetune.export_onnx(model, str(vocab), str(out_dir))
    difference = finetune.check_onnx_matches(model, onnx_path, encoded)
    for name in ("base_vocab.txt", "vocab.txt"):
        os.remove(work / name)
    work.rmdir()
    return {"train_accuracy": accuracy, "onnx_max_probability_difference": difference,
            "marker_id": marker_id, "onnx_bytes": os.path.getsize(onnx_path)}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "lib"))
    figures = build()
    print(figures)
    if figures["train_accuracy"] < 1.0:
        sys.exit("the tiny model does not fit its own rows; change SEED or epochs")
