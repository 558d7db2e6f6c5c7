"""Evaluate a sentiment model on a labeled file and print one JSON object.

``python -m jobs.evaluate --conf conf/local.yaml --format phrasebank|sentfin|finentity|csv
--path FILE [--model fast|accurate|compact|teacher|default] [--split validation|all]``
(``--model`` also takes the folder names, e.g. ``sentiment_teacher``)

Entity files (sentfin, finentity, csv with an entity column) are scored per (text, entity)
with the entity-targeted branch. ``--split validation`` keeps only the rows of the
hash-based validation split (:func:`newslake.training.datasets.is_validation`); it is the
default for the shared training files, so their figures are never measured on trained rows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Dict, List, Optional, Sequence

from pyspark.ml import PipelineModel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newslake.arguments import job_parser, settings_from_args
from newslake.json_stdout import stdout_kept_for_result
from newslake.nlp.compact import file_sha256
from newslake.nlp.sentiment import (
    BUILD_COMMANDS,
    ModelNotBuiltError,
    load_sentiment_model,
    model_supports_entities,
    score_sentences,
)
from newslake.training import datasets
from newslake.training.metrics import classification_metrics

MODEL_TIERS = {
    "fast": "sentiment_fast",
    "accurate": "sentiment_accurate",
    "compact": "sentiment_compact",
    "teacher": "sentiment_teacher",
}
DEFAULT_TIER = "default"
"""``--model default``: the tier that scores what gold reads, as the profile configures it
(``enrich.entity_sentiment_model``; ``sentiment_compact`` out of the box)."""
THROUGHPUT_MIN_ROWS = 20_000
METRICS_FILE = "metrics.json"


def score_labeled(model: PipelineModel, df: DataFrame) -> DataFrame:
    """Score a reader's frame (``text``, ``label``, ``entity``): entity-targeted where an
    entity is given and the model has an entity branch, sentence level otherwise."""
    entity_col = "entity" if "entity" in df.columns else None
    return score_sentences(model, df, text_col="text", entity_col=entity_col)


def jvm_cpu_seconds(spark) -> Optional[float]:
    """CPU seconds the driver JVM (which runs the local executors) has used so far, read from
    /proc; None where that is not available (not Linux, or a remote JVM)."""
    proc = getattr(spark.sparkContext._gateway, "proc", None)
    stat = f"/proc/{getattr(proc, 'pid', None)}/stat"
    if proc is None or not os.path.exists(stat):
        return None
    with open(stat, encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    # fields[11], fields[12]: utime and stime (after the command name), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sentences_per_second(model: PipelineModel, df: DataFrame, min_rows: int = THROUGHPUT_MIN_ROWS) -> Dict[str, float]:
    """Time scoring ``df`` (repeated up to ``min_rows`` rows) end to end with a no-op sink.

    The input is cached first, so the figure is the model's cost (Spark NLP stages, features,
    classifiers), not the file parsing. Returns ``sentences_per_second`` (wall clock),
    ``throughput_rows``, and, because wall clock on a shared machine measures the neighbours
    too, the JVM's CPU seconds for the run, ``sentences_per_cpu_second`` and the 1-minute
    load average when the timing started.
    """
    n = df.count()
    if n == 0:
        return {"sentences_per_second": 0.0, "throughput_rows": 0}
    spark = df.sparkSession
    copies = max(1, -(-min_rows // n))
    bench = df.withColumn("_copy", F.explode(F.sequence(F.lit(1), F.lit(copies)))).drop("_copy")
    bench = bench.repartition(max(2, spark.sparkContext.defaultParallelism)).cache()
    rows = bench.count()
    # One warm-up pass so JIT and annotator initialisation are not billed to the timing.
    score_labeled(model, bench.limit(5000)).write.format("noop").mode("overwrite").save()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else -1.0
    cpu_start, start = jvm_cpu_seconds(spark), time.perf_counter()
    score_labeled(model, bench).write.format("noop").mode("overwrite").save()
    seconds = time.perf_counter() - start
    cpu_end = jvm_cpu_seconds(spark)
    cpu = cpu_end - cpu_start if cpu_start is not None and cpu_end is not None else None
    bench.unpersist()
    return {
        "sentences_per_second": round(rows / seconds, 1),
        "throughput_rows": rows,
        "wall_seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2) if cpu is not None else None,
        "sentences_per_cpu_second": round(rows / cpu, 1) if cpu else None,
        "load_average_1m": round(load, 2),
    }


def evaluate_frame(model: PipelineModel, df: DataFrame, min_rows: int = THROUGHPUT_MIN_ROWS) -> Dict[str, object]:
    """Metrics and throughput of ``model`` on a labeled frame."""
    rows = df.cache()
    result = classification_metrics(score_labeled(model, rows))
    result.update(sentences_per_second(model, rows, min_rows))
    rows.unpersist()
    return result


def trained_on(model_path: str, path: str) -> bool:
    """True when ``path`` is one of the shared training files (by name) or a file the model
    was trained from (by SHA-256, recorded in the model's metrics.json)."""
    names = {os.path.basename(rel) for rel in datasets.SHARED_FILES.values()}
    if os.path.basename(path) in names:
        return True
    metrics_path = os.path.join(model_path, METRICS_FILE)
    if not os.path.isfile(metrics_path):
        return False
    with open(metrics_path, encoding="utf-8") as handle:
        recorded = json.load(handle).get("training_files", {})
    digest = file_sha256(path) if os.path.isfile(path) else None
    return digest is not None and digest in {f.get("sha256") for f in recorded.values()}


def resolve_model_path(models_dir: str, tier: str, default_model: str = "sentiment_compact") -> str:
    """The folder of ``--model tier``: a tier's short name or folder name (``sentiment_teacher``,
    as in the profile); ``default`` is ``default_model``, the profile's entity tier."""
    tier = {folder: name for name, folder in MODEL_TIERS.items()}.get(tier, tier)
    if tier != DEFAULT_TIER and tier not in MODEL_TIERS:
        raise ValueError(f"--model must be one of {', '.join([*MODEL_TIERS, DEFAULT_TIER])}, not {tier!r}")
    name = default_model if tier == DEFAULT_TIER else MODEL_TIERS[tier]
    path = os.path.join(models_dir, name)
    if not os.path.isdir(os.path.join(path, "stages")):
        raise ModelNotBuiltError(
            f"no {tier} sentiment model at {path!r}: it has not been built; build it with "
            f"{BUILD_COMMANDS.get(name, 'the job that trains it (see README)')}"
        )
    return path


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = job_parser("jobs.evaluate", __doc__.split("\n\n")[0], conf_required=True)
    parser.add_argument("--format", required=True, choices=datasets.FORMATS)
    parser.add_argument("--path", required=True, help="labeled file to evaluate on")
    parser.add_argument(
        "--model",
        default="fast",
        choices=sorted([*MODEL_TIERS, DEFAULT_TIER]) + sorted(MODEL_TIERS.values()),
        help="a tier, or default: the tier the pipeline scores companies with",
    )
    parser.add_argument(
        "--split",
        choices=("validation", "all"),
        default=None,
        help="validation rows only, or every row (default: validation for the shared training files, all otherwise)",
    )
    parser.add_argument(
        "--throughput-rows",
        type=int,
        default=THROUGHPUT_MIN_ROWS,
        help="time scoring on the evaluated rows repeated up to this many (default %(default)s)",
    )
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> Dict[str, object]:
    """Evaluate as the command line asks; returns the JSON-ready result."""
    from newslake.spark import build_spark

    settings = settings_from_args(args)
    model_path = resolve_model_path(settings.paths.models, args.model, settings.enrich.entity_sentiment_model)
    split = args.split or ("validation" if trained_on(model_path, args.path) else "all")
    spark = build_spark(settings.spark, app_name="newslake-evaluate-sentiment")
    model = load_sentiment_model(model_path)
    rows = datasets.read_labeled(spark, args.format, args.path)
    if split == "validation":
        rows = rows.filter(datasets.is_validation(F.col("text")))
    entity_level = bool(model_supports_entities(model)) and (
        rows.filter(F.col("entity").isNotNull()).limit(1).count() > 0
    )
    result: Dict[str, object] = {
        "format": args.format,
        "path": args.path,
        "model": args.model,
        "model_path": model_path,
        "split": split,
        "entity_level": entity_level,
    }
    result.update(evaluate_frame(model, rows, args.throughput_rows))
    result["spark_master"] = spark.sparkContext.master
    result["cores"] = spark.sparkContext.defaultParallelism
    return result


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point of ``jobs/evaluate.py``: prints one JSON object, returns the exit code."""
    args = parse_args(argv)
    try:
        with stdout_kept_for_result():
            result = run(args)
    except ModelNotBuiltError as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 2
    except (datasets.MalformedDataError, FileNotFoundError, ValueError) as exc:
        print(f"evaluate: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, sort_keys=False))
    return 0
