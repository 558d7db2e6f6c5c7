"""Sentence and entity-targeted sentiment with a fitted Spark NLP ``PipelineModel``.

Tiers, saved under the models path; ``enrich.sentiment_model`` picks the one for sentences,
``enrich.entity_sentiment_model`` the one for the sentiment toward each company (gold's):

- ``sentiment_fast``: TF-IDF features and logistic regression, trained by
  ``jobs/train_sentiment.py`` (``newslake.training.train``), shipped in the repository; the
  default for sentences;
- ``sentiment_compact``: the accurate tier's transformer fused and quantized to int8, shipped
  as a source that ``scripts/setup.sh`` assembles without torch (:mod:`newslake.nlp.compact`);
  the default for companies;
- ``sentiment_accurate``: a fine-tuned MiniLM-L6 transformer run by Spark NLP's ONNX Runtime
  (``newslake.nlp.sequence_classifier``), built by ``jobs/build_accurate_sentiment.py``
  (``newslake.training.accurate``; needs the ``accurate`` extra and ``../shared/data``).

Either model's input is one text column named :data:`MODEL_INPUT_COL`; every column it
creates starts with :data:`INTERNAL_PREFIX` and it ends with :data:`PREDICTION_COL` (label
index) and :data:`PROBABILITY_COL` (a vector or an array of the three class probabilities in
:data:`SENTIMENT_LABELS` order), so :func:`score_sentences` can drop them all and hand back
the caller's frame plus three columns.

Entity-targeted sentiment: the entity's surface text is replaced in the sentence by the
marker token :data:`TARGET_MARKER` before the model sees it (``"SpiceJet to issue warrants"``
toward ``SpiceJet`` becomes ``" TGT  to issue warrants"``). A model trained on marked entity
rows has the marker in its vocabulary; :func:`model_supports_entities` checks that.
"""

from __future__ import annotations

import os
import re
from typing import Optional

from pyspark.ml import PipelineModel
from pyspark.ml.feature import CountVectorizerModel
from pyspark.ml.functions import vector_to_array
from pyspark.ml.linalg import VectorUDT
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake.nlp.sentiment_columns import (
    INTERNAL_PREFIX,
    MODEL_INPUT_COL,
    OUTPUT_COLS,
    PREDICTION_COL,
    PROBABILITY_COL,
    SENTIMENT_LABELS,
    TARGET_MARKER,
)
from newslake.nlp.sequence_classifier import pretrained_sentiment_pipeline, vocabulary_contains

BUILD_COMMANDS = {
    "sentiment_fast": "python -m jobs.train_sentiment --conf conf/local.yaml --data-dir ../shared/data",
    "sentiment_compact": "./scripts/setup.sh (it runs python -m jobs.assemble_compact_sentiment --conf conf/local.yaml)",
    "sentiment_accurate": (
        "pip install -e '.[accurate]' && python -m jobs.build_accurate_sentiment "
        "--conf conf/local.yaml --data-dir ../shared/data"
    ),
    "sentiment_teacher": (
        "pip install -e '.[teacher]' && python -m jobs.build_teacher_sentiment "
        "--conf conf/local.yaml --data-dir ../shared/data"
    ),
}
"""How each tier is (re)built; named by the error raised when a selected tier is missing."""

PRETRAINED_PREFIX = "pretrained:"
"""``enrich.sentiment_model: pretrained:<name>`` loads a Spark NLP Models Hub classifier (online)."""


class ModelNotBuiltError(FileNotFoundError):
    """The selected sentiment model has not been built/saved at the models path."""


def load_sentiment_model(path: str) -> PipelineModel:
    """Load a fitted sentiment ``PipelineModel`` saved by a training job (no download).

    Raises :class:`ModelNotBuiltError`, naming the command that builds it, when ``path``
    holds no saved model.
    """
    is_uri = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) is not None  # s3a://, file:/, ...
    if not is_uri and not os.path.isdir(os.path.join(path, "stages")):
        name = os.path.basename(path.rstrip("/"))
        build = BUILD_COMMANDS.get(name, "the job that trains it (see README, 'Sentiment model')")
        raise ModelNotBuiltError(f"no sentiment model at {path!r}: {name} has not been built; build it with {build}")
    return PipelineModel.load(path)


def load_configured_model(spark: SparkSession, models_dir: str, name: str) -> PipelineModel:
    """The model that ``enrich.sentiment_model`` names: a folder under ``models_dir``
    (``sentiment_fast``, ``sentiment_accurate``), or ``pretrained:<name>[:<lang>]`` for a
    Spark NLP Models Hub ``BertForSequenceClassification`` (downloads: online users only)."""
    if name.startswith(PRETRAINED_PREFIX):
        hub_name, _, lang = name[len(PRETRAINED_PREFIX) :].partition(":")
        return pretrained_sentiment_pipeline(spark, hub_name, lang or "en")
    return load_sentiment_model(f"{models_dir.rstrip('/')}/{name}")


def model_supports_entities(model: PipelineModel) -> bool:
    """True when the model was trained on entity rows marked with :data:`TARGET_MARKER`.

    Fast tier: the marker is a term of its vocabulary. Accurate tier: the marker is a whole
    word piece of the transformer's vocabulary (the build adds it only when it trains on
    entity rows; a hub model's vocabulary has no such word, so it scores sentences).
    """
    markers = {TARGET_MARKER.lower(), "e:" + TARGET_MARKER.lower()}
    for stage in model.stages:
        if isinstance(stage, CountVectorizerModel) and markers & set(stage.vocabulary):
            return True
        if vocabulary_contains(stage, TARGET_MARKER.lower()):
            return True
    return False


def mark_entity(text: Column, entity: Column) -> Column:
    """Replace every case-insensitive occurrence of ``entity`` in ``text`` by the marker.

    Rows whose entity is null or blank, or does not occur in the text, keep their text.
    """
    # \\Q...\\E quotes the entity as a literal; an entity containing "\\E" is split around it.
    quoted = F.concat(F.lit("(?i)\\Q"), F.replace(entity, F.lit("\\E"), F.lit("\\E\\\\E\\Q")), F.lit("\\E"))
    marked = F.regexp_replace(text, quoted, F.lit(f" {TARGET_MARKER} "))
    usable = entity.isNotNull() & (F.length(F.trim(entity)) > 0)
    return F.when(usable, marked).otherwise(text)


def model_input(text: Column, entity: Optional[Column] = None) -> Column:
    """The string the model reads: the text (null -> ""), entity-marked when ``entity`` is given."""
    base = F.coalesce(text.cast("string"), F.lit(""))
    return base if entity is None else mark_entity(base, entity.cast("string"))


def _quoted(name: str) -> str:
    """A column name usable in ``F.col`` even when it holds dots or backticks."""
    return "`" + name.replace("`", "``") + "`"


def score_sentences(
    model: PipelineModel,
    df: DataFrame,
    text_col: str = "sentence_text",
    entity_col: Optional[str] = None,
    distinct_inputs: bool = False,
) -> DataFrame:
    """Add sentiment columns to ``df`` using a fitted sentiment model.

    Requires: ``text_col`` (string; null or blank allowed) and, when given, ``entity_col``
    (the entity's surface text in that row's sentence; null means sentence level).

    Adds exactly three columns, keeping every other column and the row count:

    - ``sentiment_label`` (string): one of :data:`SENTIMENT_LABELS`;
    - ``sentiment_score`` (double in [-1, 1]): P(positive) - P(negative);
    - ``sentiment_confidence`` (double in [0, 1]): the probability of the chosen label.

    Null or blank text gives ``neutral``, score 0.0 and confidence 0.0 (nothing was scored).
    With ``entity_col`` and a model trained on entity rows (see
    :func:`model_supports_entities`) the sentiment is toward that entity; a model without
    entity training scores the sentence and ignores ``entity_col``.

    ``distinct_inputs`` scores each distinct model input once and joins the result back: worth
    its shuffle for a transformer, whose cost per row dwarfs it, on rows that repeat (a
    sentence naming one company twice, syndicated copies of one story).
    """
    clashing = [c for c in df.columns if c.startswith(INTERNAL_PREFIX) or c in OUTPUT_COLS]
    if clashing:
        raise ValueError(f"score_sentences: input already has columns {clashing}")
    if text_col not in df.columns:
        raise ValueError(f"score_sentences: no column {text_col!r} in {df.columns}")
    if entity_col is not None and entity_col not in df.columns:
        raise ValueError(f"score_sentences: no column {entity_col!r} in {df.columns}")

    use_entity = entity_col is not None and model_supports_entities(model)
    entity = F.col(_quoted(entity_col)) if use_entity and entity_col is not None else None
    original = df.columns
    prepared = df.withColumn(MODEL_INPUT_COL, model_input(F.col(_quoted(text_col)), entity))
    if not distinct_inputs:
        return _scored_inputs(model, prepared).select(*[F.col(_quoted(c)) for c in original], *OUTPUT_COLS)
    # model_input is never null (null text becomes ""), so the equi-join keeps every row.
    inputs = _scored_inputs(model, prepared.select(MODEL_INPUT_COL).distinct())
    return prepared.join(inputs, MODEL_INPUT_COL).select(*[F.col(_quoted(c)) for c in original], *OUTPUT_COLS)


def _scored_inputs(model: PipelineModel, prepared: DataFrame) -> DataFrame:
    """``prepared`` (holding :data:`MODEL_INPUT_COL`) with the model's internal columns
    turned into :data:`OUTPUT_COLS`; blank inputs get neutral, 0.0 and 0.0."""
    scored = model.transform(prepared)
    # The fast tier's classifiers give a vector, the transformer tiers' SQL stage an array.
    is_vector = isinstance(scored.schema[PROBABILITY_COL].dataType, VectorUDT)
    probs = vector_to_array(F.col(PROBABILITY_COL)) if is_vector else F.col(PROBABILITY_COL)
    has_text = F.length(F.trim(F.col(MODEL_INPUT_COL))) > 0
    label_index = F.col(PREDICTION_COL).cast("int")
    labels = F.array(*[F.lit(label) for label in SENTIMENT_LABELS])
    return scored.select(
        *[F.col(_quoted(c)) for c in prepared.columns],
        F.when(has_text, F.element_at(labels, label_index + 1)).otherwise(F.lit("neutral")).alias("sentiment_label"),
        F.when(has_text, probs[2] - probs[0]).otherwise(F.lit(0.0)).alias("sentiment_score"),
        F.when(has_text, F.element_at(probs, label_index + 1)).otherwise(F.lit(0.0)).alias("sentiment_confidence"),
    )
