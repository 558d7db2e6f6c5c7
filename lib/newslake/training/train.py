"""Train the fast sentiment model: Spark NLP text stages -> TF-IDF -> logistic regression.

Pipeline (every column it creates starts with ``__snt_``)::

    DocumentAssembler -> RegexTokenizer -> Finisher            (Spark NLP)
      -> NGram(2) -> SQLTransformer (words + bigrams + direction cues + entity context)
      -> CountVectorizer(binary) -> IDF
      -> LogisticRegression (sentence) + LogisticRegression (entity)
      -> SQLTransformer (entity-marked inputs take the entity classifier's output)

Training data: the union of the Financial PhraseBank agreement levels (deduplicated, each
sentence weighted by the highest agreement level it appears in), SEntFiN entity rows and
FinEntity entity rows, the entity replaced by the ``TGT`` marker. The validation split is a
hash of the normalised text (:func:`newslake.training.datasets.is_validation`), so the same
text is on the same side in every file and every run; it is never trained on.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Dict, Mapping, Optional

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.feature import IDF, CountVectorizer, NGram, SQLTransformer
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.window import Window
from sparknlp.base import DocumentAssembler, Finisher
from sparknlp.annotator import Normalizer, RegexTokenizer, Stemmer, Tokenizer

from newslake.nlp.sentiment import (
    INTERNAL_PREFIX,
    MODEL_INPUT_COL,
    SENTIMENT_LABELS,
    TARGET_MARKER,
    model_input,
)
from newslake.training import datasets
from newslake.training.features import (
    context_tokens_sql,
    cue_tokens_sql,
    entity_copy_sql,
    word_classes_sql,
)

LABEL_INDEX_COL = INTERNAL_PREFIX + "label"


@dataclass(frozen=True)
class SentimentParams:
    """Everything that decides the fitted model (recorded in metrics.json and the card)."""

    min_df: float = 2.0
    stem: bool = False
    bigrams: bool = True
    cues: bool = True
    entity_context: int = 3
    entity_copy: bool = False
    tokenizer: str = "regex"
    branch_vocabulary: bool = True
    idf: bool = True
    # Regularisation of the sentence-level and the entity-targeted classifier.
    sentence_reg_param: float = 0.02
    entity_reg_param: float = 0.02
    elastic_net: float = 0.0
    max_iter: int = 300
    standardization: bool = False
    class_weights: bool = True
    # Weight, in the other branch, of rows that belong to one: sentence rows (unmarked) in
    # the entity classifier, and single-entity rows (unmarked) in the sentence classifier.
    entity_aux_weight: float = 0.0
    sentence_aux_weight: float = 0.0
    # Sample weight of a PhraseBank sentence by the highest agreement level it appears in.
    level_weights: Mapping[str, float] = field(
        default_factory=lambda: {"all": 1.0, "75": 1.0, "66": 0.8, "50": 0.6}
    )
    dataset_weights: Mapping[str, float] = field(
        default_factory=lambda: {"phrasebank": 1.0, "sentfin": 1.0, "finentity": 1.0}
    )
    train_on: tuple = ("phrasebank", "sentfin", "finentity")
    validation_percent: int = datasets.VALIDATION_PERCENT
    seed: int = 42

    def to_dict(self) -> Dict[str, object]:
        out = dataclasses.asdict(self)
        out["level_weights"] = dict(self.level_weights)
        out["dataset_weights"] = dict(self.dataset_weights)
        out["train_on"] = list(self.train_on)
        return out


# ---------------------------------------------------------------------------------------
# Pipeline
# ---------------------------------------------------------------------------------------

P = INTERNAL_PREFIX
WORDS_COL = P + "words"
FEATURES_COL = P + "features"
SENTENCE_WEIGHT_COL = P + "weight_sentence"
ENTITY_WEIGHT_COL = P + "weight_entity"
BRANCHES = ("sentence", "entity")
ENTITY_TERM_PREFIX = "e:"
# Characters that are not part of a word: everything but letters and "%".
WORD_SEPARATORS = "[^\\p{L}%]+"


def _terms_sql(params: SentimentParams, words: str, bigrams: Optional[str]) -> str:
    """One statement adding ``__snt_terms``: words, bigrams, cues, entity context."""
    marker = TARGET_MARKER.lower()
    position, classes = P + "target_position", P + "word_classes"
    parts = [words]
    if bigrams:
        parts.append(bigrams)
    if params.cues:
        parts.append(cue_tokens_sql(classes))
    if params.entity_context > 0:
        parts.append(context_tokens_sql(words, position, marker, params.entity_context))
    if params.entity_copy:
        parts.append(entity_copy_sql(words, position))
    terms = f"concat({', '.join(parts)})"
    if params.branch_vocabulary:
        # Entity inputs get their own terms ("e:profit"), so each branch has its own vocabulary.
        terms = (
            f"CASE WHEN {position} > 0 "
            f"THEN transform({terms}, t -> concat('{ENTITY_TERM_PREFIX}', t)) ELSE {terms} END"
        )
    inner = [f"array_position({words}, '{marker}') AS {position}"]
    if params.cues:
        inner.append(f"{word_classes_sql(words)} AS {classes}")
    return f"SELECT *, {terms} AS {P}terms FROM (SELECT *, {', '.join(inner)} FROM __THIS__)"


def _select_branch_sql() -> str:
    """Entity-marked inputs take the entity classifier's output, the others the sentence one."""
    marker = TARGET_MARKER.lower()
    is_entity = f"array_contains({WORDS_COL}, '{marker}')"
    picks = ", ".join(
        f"CASE WHEN {is_entity} THEN {P}entity_{what} ELSE {P}sentence_{what} END AS {P}{what}"
        for what in ("prediction", "probability")
    )
    return f"SELECT *, {picks} FROM __THIS__"


def text_stages(params: SentimentParams) -> list:
    """Stages from the input text to ``__snt_words`` (and ``__snt_bigrams``).

    Spark NLP does the text work (DocumentAssembler, then RegexTokenizer splitting on
    anything but letters and ``%`` and lower-casing, or Tokenizer + Normalizer, then an
    optional Stemmer); the Finisher hands plain arrays to Spark ML's NGram for bigrams,
    which is several times faster than NGramGenerator + a second Finisher column.
    """
    document = DocumentAssembler().setInputCol(MODEL_INPUT_COL).setOutputCol(P + "document")
    document = document.setCleanupMode("shrink")
    if params.tokenizer == "regex":
        stages = [
            document,
            RegexTokenizer()
            .setInputCols([P + "document"])
            .setOutputCol(P + "normal")
            .setPattern(WORD_SEPARATORS)
            .setToLowercase(True),
        ]
    elif params.tokenizer == "standard":
        stages = [
            document,
            Tokenizer().setInputCols([P + "document"]).setOutputCol(P + "token"),
            Normalizer()
            .setInputCols([P + "token"])
            .setOutputCol(P + "normal")
            .setLowercase(True)
            .setCleanupPatterns([WORD_SEPARATORS]),
        ]
    else:
        raise ValueError(f"tokenizer must be 'regex' or 'standard', not {params.tokenizer!r}")
    words_annotation = P + "normal"
    if params.stem:
        stages.append(Stemmer().setInputCols([P + "normal"]).setOutputCol(P + "stem"))
        words_annotation = P + "stem"
    stages.append(
        Finisher()
        .setInputCols([words_annotation])
        .setOutputCols([WORDS_COL])
        .setOutputAsArray(True)
        # True would drop every annotation column of the frame, the caller's own included.
        .setCleanAnnotations(False)
    )
    if params.bigrams:
        stages.append(NGram(n=2, inputCol=WORDS_COL, outputCol=P + "bigrams"))
    return stages


def feature_stages(params: SentimentParams) -> list:
    """Terms (words, bigrams, cues, entity context) -> binary counts -> IDF features."""
    return [
        SQLTransformer(
            statement=_terms_sql(params, WORDS_COL, P + "bigrams" if params.bigrams else None)
        ),
        CountVectorizer(
            inputCol=P + "terms",
            outputCol=P + "tf" if params.idf else FEATURES_COL,
            minDF=params.min_df,
            binary=True,
        ),
    ] + ([IDF(inputCol=P + "tf", outputCol=FEATURES_COL)] if params.idf else [])


def classifier(params: SentimentParams, branch: str) -> LogisticRegression:
    """Multinomial logistic regression of one branch, trained on rows with its weight > 0."""
    reg = params.sentence_reg_param if branch == "sentence" else params.entity_reg_param
    return LogisticRegression(
        featuresCol=FEATURES_COL,
        labelCol=LABEL_INDEX_COL,
        weightCol=SENTENCE_WEIGHT_COL if branch == "sentence" else ENTITY_WEIGHT_COL,
        predictionCol=f"{P}{branch}_prediction",
        probabilityCol=f"{P}{branch}_probability",
        rawPredictionCol=f"{P}{branch}_raw_prediction",
        family="multinomial",
        regParam=reg,
        elasticNetParam=params.elastic_net,
        maxIter=params.max_iter,
        standardization=params.standardization,
        tol=1e-7,
    )


def build_training_pipeline(params: SentimentParams = SentimentParams()) -> Pipeline:
    """The unfitted pipeline.

    Reads :data:`MODEL_INPUT_COL`, the label index and the two branch weights (see
    :func:`prepare_training_frame`); the fitted model needs only :data:`MODEL_INPUT_COL` and
    adds ``__snt_prediction`` and ``__snt_probability`` (plus other ``__snt_`` columns).
    """
    stages = text_stages(params) + feature_stages(params)
    stages += [classifier(params, branch) for branch in BRANCHES]
    stages.append(SQLTransformer(statement=_select_branch_sql()))
    return Pipeline(stages=stages)


# ---------------------------------------------------------------------------------------
# Training frames
# ---------------------------------------------------------------------------------------


def with_model_input(df: DataFrame) -> DataFrame:
    """Add the model's input column from ``text`` and, when present, ``entity``."""
    entity = F.col("entity") if "entity" in df.columns else None
    return df.withColumn(MODEL_INPUT_COL, model_input(F.col("text"), entity))


def with_label_index(df: DataFrame) -> DataFrame:
    """Add the label index (position in ``SENTIMENT_LABELS``) the classifier trains on."""
    pairs = [F.lit(x) for i, label in enumerate(SENTIMENT_LABELS) for x in (label, float(i))]
    return df.withColumn(LABEL_INDEX_COL, F.create_map(*pairs)[F.col("label")])


def with_class_weights(df: DataFrame, weight_col: str) -> DataFrame:
    """Multiply ``weight_col`` by W / (k * W_label) (balanced class weights) in place."""
    total = Window.partitionBy()
    per_label = Window.partitionBy("label")
    k = len(SENTIMENT_LABELS)
    weight = F.col(weight_col)
    return df.withColumn(
        weight_col,
        F.when(weight > 0, weight * F.sum(weight).over(total) / (F.lit(k) * F.sum(weight).over(per_label)))
        .otherwise(F.lit(0.0)),
    )


def phrasebank_levels(spark: SparkSession, data_dir: str) -> DataFrame:
    """Every row of every PhraseBank level file, with ``level`` (all, 75, 66, 50)."""
    frames = [
        datasets.read_phrasebank(spark, f"{data_dir.rstrip('/')}/{rel}").withColumn(
            "level", F.lit(level)
        )
        for level, rel in datasets.PHRASEBANK_LEVELS.items()
    ]
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


def dedupe_phrasebank(levels: DataFrame, level_weights: Mapping[str, float]) -> DataFrame:
    """One row per normalised sentence: the label of its highest agreement level, weighted."""
    order = {level: i for i, level in enumerate(datasets.PHRASEBANK_LEVELS)}
    rank = F.create_map(*[F.lit(x) for kv in order.items() for x in kv])[F.col("level")]
    weight = F.create_map(*[F.lit(x) for kv in level_weights.items() for x in kv])[F.col("level")]
    key = datasets.normalised_text(F.col("text"))
    best = Window.partitionBy(key).orderBy(rank, F.col("label"), F.col("text"))
    return (
        levels.withColumn("_rank", F.row_number().over(best))
        .filter(F.col("_rank") == 1)
        .drop("_rank")
        .withColumn("weight", F.coalesce(weight, F.lit(1.0)).cast("double"))
    )


def load_shared_data(
    spark: SparkSession, data_dir: str, params: SentimentParams = SentimentParams()
) -> Dict[str, DataFrame]:
    """The training frame and the validation sets built from ``data_dir`` (../shared/data).

    Returns ``{"train": ..., "phrasebank_allagree": ..., "phrasebank_50agree": ...,
    "sentfin_entity": ..., "finentity_entity": ...}``; every frame has ``text``, ``label``,
    ``entity``; ``train`` also ``dataset`` and ``weight``.
    """
    root = data_dir.rstrip("/")
    pct = params.validation_percent
    levels = phrasebank_levels(spark, root).withColumn(
        "is_validation", datasets.is_validation(F.col("text"), pct)
    )
    sentfin = datasets.read_sentfin(spark, f"{root}/{datasets.SENTFIN_FILE}").withColumn(
        "is_validation", datasets.is_validation(F.col("text"), pct)
    )
    finentity = datasets.read_finentity(spark, f"{root}/{datasets.FINENTITY_FILE}").withColumn(
        "is_validation", datasets.is_validation(F.col("text"), pct)
    )
    weights = params.dataset_weights
    parts = []
    if "phrasebank" in params.train_on:
        pb = dedupe_phrasebank(levels.filter(~F.col("is_validation")), params.level_weights)
        parts.append(
            pb.select("text", "label", "entity", F.lit("phrasebank").alias("dataset"), "weight")
        )
    for name, frame in (("sentfin", sentfin), ("finentity", finentity)):
        if name in params.train_on:
            parts.append(
                frame.filter(~F.col("is_validation")).select(
                    "text", "label", "entity", F.lit(name).alias("dataset"), F.lit(1.0).alias("weight")
                )
            )
    train = parts[0]
    for part in parts[1:]:
        train = train.unionByName(part)
    dataset_weight = F.create_map(*[F.lit(x) for kv in weights.items() for x in kv])
    train = train.withColumn(
        "weight", F.col("weight") * F.coalesce(dataset_weight[F.col("dataset")], F.lit(1.0))
    )
    val = F.col("is_validation")
    cols = ["text", "label", "entity"]
    return {
        "train": train,
        "phrasebank_allagree": levels.filter(val & (F.col("level") == "all")).select(*cols),
        "phrasebank_50agree": levels.filter(val & (F.col("level") == "50")).select(*cols),
        "sentfin_entity": sentfin.filter(val).select(*cols),
        "finentity_entity": finentity.filter(val).select(*cols),
    }


def prepare_training_frame(train: DataFrame, params: SentimentParams = SentimentParams()) -> DataFrame:
    """Rows the pipeline fits on, from ``text``, ``label``, optional ``entity`` and ``weight``.

    Entity rows (entity given) are marked and weigh in the entity classifier; sentence rows
    weigh in the sentence classifier. With ``entity_aux_weight`` sentence rows also weigh in
    the entity classifier; with ``sentence_aux_weight`` rows of texts that carry a single
    entity are added unmarked to the sentence classifier.
    """
    if "weight" not in train.columns:
        train = train.withColumn("weight", F.lit(1.0))
    if "entity" not in train.columns:
        train = train.withColumn("entity", F.lit(None).cast("string"))
    base = train.select("text", "label", "entity", F.col("weight").cast("double").alias("weight"))
    has_entity = F.col("entity").isNotNull() & (F.length(F.trim("entity")) > 0)
    zero = F.lit(0.0)
    sentence_rows = base.filter(~has_entity).select(
        "text",
        "label",
        F.lit(None).cast("string").alias("entity"),
        F.col("weight").alias(SENTENCE_WEIGHT_COL),
        (F.col("weight") * F.lit(params.entity_aux_weight)).alias(ENTITY_WEIGHT_COL),
    )
    entity_rows = base.filter(has_entity).select(
        "text",
        "label",
        "entity",
        zero.alias(SENTENCE_WEIGHT_COL),
        F.col("weight").alias(ENTITY_WEIGHT_COL),
    )
    rows = sentence_rows.unionByName(entity_rows)
    if params.sentence_aux_weight > 0:
        single = Window.partitionBy("text")
        aux = (
            base.filter(has_entity)
            .withColumn("_n", F.count(F.lit(1)).over(single))
            .filter(F.col("_n") == 1)
            .select(
                "text",
                "label",
                F.lit(None).cast("string").alias("entity"),
                (F.col("weight") * F.lit(params.sentence_aux_weight)).alias(SENTENCE_WEIGHT_COL),
                zero.alias(ENTITY_WEIGHT_COL),
            )
        )
        rows = rows.unionByName(aux)
    rows = rows.filter((F.col(SENTENCE_WEIGHT_COL) > 0) | (F.col(ENTITY_WEIGHT_COL) > 0))
    prepared = rows.transform(with_model_input).transform(with_label_index)
    if params.class_weights:
        for col in (SENTENCE_WEIGHT_COL, ENTITY_WEIGHT_COL):
            prepared = prepared.transform(with_class_weights, col)
    return prepared


def train_sentiment(train: DataFrame, params: SentimentParams = SentimentParams()) -> PipelineModel:
    """Fit the pipeline on ``train`` (``text``, ``label``, optional ``entity`` and ``weight``).

    Deterministic for the same input rows: the split is a hash, the features are counts, and
    L-BFGS starts from zero; ``params.seed`` is recorded for provenance.
    """
    prepared = prepare_training_frame(train, params)
    sums = prepared.agg(
        F.sum(SENTENCE_WEIGHT_COL).alias("sentence"), F.sum(ENTITY_WEIGHT_COL).alias("entity")
    ).first()
    if not sums["sentence"] and not sums["entity"]:
        raise ValueError("train_sentiment: no training rows")
    # A branch without rows of its own learns from the other branch's rows.
    if not sums["entity"]:
        prepared = prepared.withColumn(ENTITY_WEIGHT_COL, F.col(SENTENCE_WEIGHT_COL))
    if not sums["sentence"]:
        prepared = prepared.withColumn(SENTENCE_WEIGHT_COL, F.col(ENTITY_WEIGHT_COL))
    # One ordered partition: the same rows give the same model, run after run.
    prepared = prepared.orderBy(MODEL_INPUT_COL, "label", SENTENCE_WEIGHT_COL).coalesce(1).cache()
    try:
        return build_training_pipeline(params).fit(prepared)
    finally:
        prepared.unpersist()


# ---------------------------------------------------------------------------------------
# The training job
# ---------------------------------------------------------------------------------------

DESIGN = """\
Spark NLP `DocumentAssembler -> RegexTokenizer` (split on anything but letters and `%`,
lower case) `-> Finisher`, then Spark ML `NGram` (bigrams) and a `SQLTransformer` that adds
financial-direction cues (a direction word such as rose/fell together with an object such as
profit/loss in the same sentence: `cue_up_good`, `cue_down_bad`, `cue_down_good`,
`cue_up_bad`) and, for entity inputs, the words within 3 tokens of the target marker
(`ctx_*`). Entity inputs' terms get an `e:` prefix so the two branches have separate
vocabularies. `CountVectorizer` (binary, minDF 2) `-> IDF ->` two multinomial
`LogisticRegression`s with balanced class weights: a sentence classifier trained on the union
of the PhraseBank agreement levels (deduplicated, weighted by the highest agreement level a
sentence appears in) and an entity-targeted classifier trained on SEntFiN and FinEntity rows
whose entity is replaced by the `TGT` marker. A last `SQLTransformer` routes marked inputs to
the entity classifier and the others to the sentence classifier."""

SPLIT_RULE = """\
A row is in the validation split when `pmod(xxhash64('newslake-sentiment-split-v1',
normalised_text), 100) < 20`, where normalised_text is the lower-cased text with runs of
non-alphanumerics collapsed to one space (`newslake.training.datasets.is_validation`). The
rule is the same in every run and every file, so a PhraseBank sentence sits on the same
side at every agreement level (levels are deduplicated on the normalised text before
training) and all entities of a headline or passage sit on the side of their text.
Validation rows are never trained on."""


def _versions(spark: SparkSession) -> Dict[str, str]:
    import platform
    from importlib import metadata

    import sparknlp

    import newslake

    def dist(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "n/a"

    return {
        "newslake": newslake.__version__,
        "spark": spark.version,
        "pyspark": dist("pyspark"),
        "spark-nlp": sparknlp.version(),
        "delta-spark": dist("delta-spark"),
        "java": spark.sparkContext._jvm.java.lang.System.getProperty("java.version"),
        "python": platform.python_version(),
    }


def _dir_size(path: str) -> int:
    import os

    return sum(
        os.path.getsize(os.path.join(root, name))
        for root, _, names in os.walk(path)
        for name in names
    )


def _training_files(data_dir: str) -> Dict[str, Dict[str, str]]:
    from newslake.training.evaluate import _sha256

    out = {}
    for name, rel in datasets.SHARED_FILES.items():
        path = f"{data_dir.rstrip('/')}/{rel}"
        out[name] = {"path": f"../shared/data/{rel}", "sha256": _sha256(path) or "missing"}
    return out


def _split_sizes(spark: SparkSession, data_dir: str, params: SentimentParams, sets) -> Dict:
    train = sets["train"]
    counts = {r["dataset"]: r["n"] for r in train.groupBy("dataset").agg(F.count(F.lit(1)).alias("n")).collect()}
    sizes = {
        "phrasebank (deduplicated sentences)": {
            "train": counts.get("phrasebank", 0),
            "validation": datasets.read_phrasebank(
                spark, f"{data_dir.rstrip('/')}/{datasets.PHRASEBANK_LEVELS['50']}"
            )
            .filter(datasets.is_validation(F.col("text"), params.validation_percent))
            .select(datasets.normalised_text(F.col("text")))
            .distinct()
            .count(),
            "unit": "sentences",
        },
        "phrasebank all-agree": {
            "validation": sets["phrasebank_allagree"].count(), "unit": "sentences"
        },
        "phrasebank 50%-agree": {
            "validation": sets["phrasebank_50agree"].count(), "unit": "sentences"
        },
        "sentfin": {
            "train": counts.get("sentfin", 0),
            "validation": sets["sentfin_entity"].count(),
            "unit": "headline x entity rows",
        },
        "finentity": {
            "train": counts.get("finentity", 0),
            "validation": sets["finentity_entity"].count(),
            "unit": "passage x entity rows",
        },
    }
    return sizes


MAX_MODEL_BYTES = 20 * 1000 * 1000


def parse_args(argv=None):
    import argparse

    parser = argparse.ArgumentParser(
        prog="jobs.train_sentiment",
        description="Train the fast sentiment model from ../shared/data and save it with a model card.",
    )
    parser.add_argument("--conf", required=True, help="configuration profile, e.g. conf/local.yaml")
    parser.add_argument("--data-dir", default="../shared/data", help="the shared labeled data")
    parser.add_argument("--out", default=None, help="model folder (default: <models>/sentiment_fast)")
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args(argv)


def run(args) -> Dict[str, object]:
    """Train, validate, save the model, its metrics.json and MODEL_CARD.md; return the metrics."""
    import datetime
    import os
    import shutil
    import sys

    from newslake.config import load_settings
    from newslake.spark import build_spark
    from newslake.training import card
    from newslake.training.evaluate import score_labeled, sentences_per_second
    from newslake.training.metrics import classification_metrics

    settings = load_settings(args.conf)
    out = args.out or settings.model_path("sentiment_fast")
    if not os.path.isdir(args.data_dir):
        raise FileNotFoundError(
            f"--data-dir {args.data_dir!r} does not exist; the labeled data lives in ../shared/data"
        )
    spark = build_spark(settings.spark, app_name="newslake-train-sentiment")
    params = SentimentParams(seed=args.seed)
    sets = {k: v.cache() for k, v in load_shared_data(spark, args.data_dir, params).items()}
    started = datetime.datetime.now(datetime.timezone.utc)
    model = train_sentiment(sets["train"], params)
    print(f"train_sentiment: fitted in {(datetime.datetime.now(datetime.timezone.utc) - started).total_seconds():.0f}s", file=sys.stderr)

    validation = {
        name: classification_metrics(score_labeled(model, sets[name]))
        for name in ("phrasebank_allagree", "phrasebank_50agree", "sentfin_entity", "finentity_entity")
    }
    mixed = sets["phrasebank_50agree"].unionByName(sets["sentfin_entity"]).unionByName(
        sets["finentity_entity"]
    )
    throughput = sentences_per_second(model, mixed)
    throughput["spark_master"] = spark.sparkContext.master
    throughput["cores"] = spark.sparkContext.defaultParallelism

    tmp_out = out.rstrip("/") + ".tmp"
    if os.path.isdir(tmp_out):
        shutil.rmtree(tmp_out)
    model.write().overwrite().save(tmp_out)
    # Provenance names the folder as the command was run from (models/sentiment_fast), not the
    # building machine's absolute path.
    shown_out = os.path.relpath(out) if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", out) else out
    command = (
        "python -m jobs.train_sentiment --conf conf/local.yaml --data-dir ../shared/data "
        f"--out {shown_out} --seed {args.seed}"
    )
    payload = {
        "model": "sentiment_fast",
        "out": shown_out,
        "trained_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": command,
        "design": DESIGN,
        "params": params.to_dict(),
        "split_rule": SPLIT_RULE,
        "split_sizes": _split_sizes(spark, args.data_dir, params, sets),
        "training_files": _training_files(args.data_dir),
        "validation": validation,
        "throughput": throughput,
        "versions": _versions(spark),
        "model_size_bytes": 0,
    }
    card.write_metrics(tmp_out, payload)
    card.write_card(tmp_out, payload)
    size = _dir_size(tmp_out)
    payload["model_size_bytes"] = size
    card.write_metrics(tmp_out, payload)
    card.write_card(tmp_out, payload)
    if size >= MAX_MODEL_BYTES:
        raise RuntimeError(f"model is {size / 1e6:.1f} MB, over the 20 MB limit; not replacing {out}")
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.replace(tmp_out, out)
    return payload


def main(argv=None) -> int:
    """Entry point of ``jobs/train_sentiment.py``; returns the process exit code."""
    import json
    import sys

    args = parse_args(argv)
    try:
        payload = run(args)
    except (FileNotFoundError, ValueError, RuntimeError, datasets.MalformedDataError) as exc:
        print(f"train_sentiment: {exc}", file=sys.stderr)
        return 1
    summary = {name: m["macro_f1"] for name, m in payload["validation"].items()}
    print(json.dumps({"out": payload["out"], "macro_f1": summary, "throughput": payload["throughput"]}))
    return 0
