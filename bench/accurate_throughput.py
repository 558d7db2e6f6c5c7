"""The accurate tier's sentences/s beside a BERT-base model's, on the same rows and cores.

Issue #3 asks for MiniLM's throughput "beside a BERT-base model's on the same cores" (FinBERT
is a BERT-base). No BERT-base weights can be downloaded here, and none are needed for a cost
figure: a BERT-base with random weights (12 layers, hidden 768, 12 heads, feed-forward 3072,
the 30,522-word vocabulary; 109M parameters) does exactly the arithmetic FinBERT does. It is
built with torch, exported to ONNX the way the accurate tier is, and imported into Spark NLP
the same way; its labels are meaningless and are not looked at. Both models score the same
cached rows (the validation rows of ../shared/data: PhraseBank 50%-agree sentences, SEntFiN
headline x entity and FinEntity passage x entity rows, entity rows marked) through
``score_sentences`` into a no-op sink, one after the other in one Spark session on local[2]:

    .venv/bin/python -m bench.accurate_throughput [--rows 2000] [--data-dir ../shared/data] \
        [--bert-base-onnx DIR] [--json OUT.json]

Needs the built accurate model (``models/sentiment_accurate``) and, unless ``--bert-base-onnx``
names an exported folder, the accurate extra (torch) to build the BERT-base. Prints one JSON
document with each model's sentences/s (wall clock), JVM CPU seconds, sentences per CPU
second and the ratio; wall clock on shared cores measures the neighbours too, so compare the
CPU figures when the load average was above the core count.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]

BERT_BASE = dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072)


def export_random_bert_base(out_dir: str, seed: int = 0) -> Dict[str, object]:
    """A random-weight BERT-base with a 3-way head, exported like the accurate tier."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    from newslake.nlp.sentiment import SENTIMENT_LABELS
    from newslake.training import finetune

    torch.manual_seed(seed)
    base = finetune.base_model_dir()
    vocab = os.path.join(tempfile.mkdtemp(prefix="bert-base-vocab-"), "vocab.txt")
    finetune.write_marker_vocab(os.path.join(base, "vocab.txt"), vocab)
    config = BertConfig(
        vocab_size=30522,
        max_position_embeddings=512,
        num_labels=3,
        id2label=dict(enumerate(SENTIMENT_LABELS)),
        label2id={label: i for i, label in enumerate(SENTIMENT_LABELS)},
        **BERT_BASE,
    )
    model = BertForSequenceClassification(config).eval()
    finetune.export_onnx(model, vocab, out_dir)
    return {"parameters": sum(p.numel() for p in model.parameters()), **BERT_BASE, "vocab_size": 30522}


def time_scoring(model, rows, warmup_rows: int = 200) -> Dict[str, float]:
    """Wall and JVM CPU seconds of scoring the cached ``rows`` into a no-op sink."""
    from newslake.training.evaluate import jvm_cpu_seconds, score_labeled

    spark = rows.sparkSession
    score_labeled(model, rows.limit(warmup_rows)).write.format("noop").mode("overwrite").save()
    load = os.getloadavg()[0]
    cpu0, t0 = jvm_cpu_seconds(spark), time.perf_counter()
    score_labeled(model, rows).write.format("noop").mode("overwrite").save()
    wall = time.perf_counter() - t0
    cpu1 = jvm_cpu_seconds(spark)
    n = rows.count()
    cpu = (cpu1 - cpu0) if cpu0 is not None and cpu1 is not None else None
    return {
        "rows": n,
        "wall_seconds": round(wall, 2),
        "sentences_per_second": round(n / wall, 1),
        "cpu_seconds": round(cpu, 2) if cpu is not None else None,
        "sentences_per_cpu_second": round(n / cpu, 1) if cpu else None,
        "load_average_1m": round(load, 2),
    }


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench.accurate_throughput", description=__doc__.split("\n\n")[0])
    parser.add_argument("--conf", default=str(ROOT / "conf" / "local.yaml"))
    parser.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--rows", type=int, default=2000, help="rows each model scores (default %(default)s)")
    parser.add_argument(
        "--bert-base-onnx", default=None, help="an exported BERT-base ONNX folder (default: build one with torch)"
    )
    parser.add_argument("--with-fast", action="store_true", help="time the fast tier on the same rows too")
    parser.add_argument("--json", default=None, help="also write the result here")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    from pyspark.sql import functions as F

    from newslake.config import load_settings
    from newslake.nlp.sentiment import load_sentiment_model
    from newslake.nlp.sequence_classifier import onnx_sentiment_pipeline
    from newslake.spark import build_spark
    from newslake.training.shared_data import load_shared_data

    args = parse_args(argv)
    settings = load_settings(args.conf, {"spark.master": "local[2]"})
    accurate_path = settings.model_path("sentiment_accurate")
    accurate = None
    bert_dir = args.bert_base_onnx
    bert_info: Dict[str, object] = {"weights": "random (architecture of BERT-base, as FinBERT)"}
    if bert_dir is None:
        bert_dir = tempfile.mkdtemp(prefix="bert-base-onnx-")
        started = time.perf_counter()
        bert_info.update(export_random_bert_base(bert_dir))
        print(f"accurate_throughput: BERT-base exported in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    spark = build_spark(settings.spark, app_name="newslake-bench-accurate-throughput")
    # The saved accurate model first: Spark NLP ships an imported model.onnx to the executors
    # under that file name, and a saved model under its own, so the two do not collide.
    accurate = load_sentiment_model(accurate_path)
    bert_base = onnx_sentiment_pipeline(spark, bert_dir)
    sets = load_shared_data(spark, args.data_dir)
    mixed = sets["phrasebank_50agree"].unionByName(sets["sentfin_entity"]).unionByName(sets["finentity_entity"])
    rows = mixed.orderBy(F.xxhash64("text", "entity")).limit(args.rows).repartition(2).cache()
    rows.count()
    result: Dict[str, object] = {
        "spark_master": spark.sparkContext.master,
        "cores": spark.sparkContext.defaultParallelism,
        "onnx_intra_op_threads": spark.conf.get("spark.jsl.settings.onnx.intraOpNumThreads", "6 (Spark NLP default)"),
        "rows": "validation rows of ../shared/data (PhraseBank 50%-agree, SEntFiN, FinEntity), mixed",
        "bert_base": bert_info,
    }
    timings = {}
    timings["minilm_l6_accurate"] = time_scoring(accurate, rows)
    timings["bert_base"] = time_scoring(bert_base, rows)
    if args.with_fast:
        timings["fast"] = time_scoring(load_sentiment_model(settings.model_path("sentiment_fast")), rows)
    result["timings"] = timings
    mini, bert = timings["minilm_l6_accurate"], timings["bert_base"]
    result["minilm_over_bert_base_wall"] = round(mini["sentences_per_second"] / bert["sentences_per_second"], 2)
    if mini["sentences_per_cpu_second"] and bert["sentences_per_cpu_second"]:
        result["minilm_over_bert_base_cpu"] = round(
            mini["sentences_per_cpu_second"] / bert["sentences_per_cpu_second"], 2
        )
    rows.unpersist()
    spark.stop()
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    for name, t in timings.items():
        print(
            f"{name:>20}: {t['sentences_per_second']:8.1f} sentences/s wall, "
            f"{t['sentences_per_cpu_second']} per CPU s ({t['rows']} rows, load {t['load_average_1m']})",
            file=sys.stderr,
        )
    print(
        f"MiniLM-L6 / BERT-base: {result['minilm_over_bert_base_wall']}x (wall), "
        f"{result.get('minilm_over_bert_base_cpu')}x (CPU)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
