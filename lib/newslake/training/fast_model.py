"""The fast sentiment model: Spark NLP text stages -> TF-IDF -> logistic regression.

Pipeline (every column it creates starts with ``__snt_``)::

    DocumentAssembler -> RegexTokenizer -> Finisher            (Spark NLP)
      -> NGram(2) -> SQLTransformer (words + bigrams + direction cues + entity context)
      -> CountVectorizer(binary) -> IDF
      -> LogisticRegression (sentence) + LogisticRegression (entity)
      -> SQLTransformer (entity-marked inputs take the entity classifier's output)

:func:`train_sentiment` fits it on a frame of ``text``, ``label``, optional ``entity`` and
``weight`` (:func:`prepare_training_frame` turns those into the pipeline's input, label index
and branch weights); the job that trains the shipped model is :mod:`newslake.training.train`.
"""

from __future__ import annotations

from typing import Optional

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import LogisticRegression
from pyspark.ml.feature import IDF, CountVectorizer, NGram, SQLTransformer
from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.window import Window
from sparknlp.annotator import Normalizer, RegexTokenizer, Stemmer, Tokenizer
from sparknlp.base import DocumentAssembler, Finisher

from newslake.nlp.sentiment import model_input
from newslake.nlp.sentiment_columns import INTERNAL_PREFIX, MODEL_INPUT_COL, SENTIMENT_LABELS, TARGET_MARKER
from newslake.training.features import (
    context_tokens_sql,
    cue_tokens_sql,
    entity_copy_sql,
    word_classes_sql,
)
from newslake.training.params import SentimentParams

LABEL_INDEX_COL = INTERNAL_PREFIX + "label"

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
            f"CASE WHEN {position} > 0 THEN transform({terms}, t -> concat('{ENTITY_TERM_PREFIX}', t)) ELSE {terms} END"
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
        SQLTransformer(statement=_terms_sql(params, WORDS_COL, P + "bigrams" if params.bigrams else None)),
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
        F.when(weight > 0, weight * F.sum(weight).over(total) / (F.lit(k) * F.sum(weight).over(per_label))).otherwise(
            F.lit(0.0)
        ),
    )


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
    sums = prepared.agg(F.sum(SENTENCE_WEIGHT_COL).alias("sentence"), F.sum(ENTITY_WEIGHT_COL).alias("entity")).first()
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
