"""Sentence and entity-targeted sentiment with a fitted Spark NLP ``PipelineModel``.

The model is trained by ``jobs/train_sentiment.py`` (see ``newslake.training.train``) and
saved under the models path (``models/sentiment_fast``). Its input is one text column named
:data:`MODEL_INPUT_COL`; every column it creates starts with :data:`INTERNAL_PREFIX`, so
:func:`score_sentences` can drop them all and hand back the caller's frame plus three columns.

Entity-targeted sentiment: the entity's surface text is replaced in the sentence by the
marker token :data:`TARGET_MARKER` before the model sees it (``"SpiceJet to issue warrants"``
toward ``SpiceJet`` becomes ``" TGT  to issue warrants"``). A model trained on marked entity
rows has the marker in its vocabulary; :func:`model_supports_entities` checks that.
"""

from __future__ import annotations

from typing import Optional

from pyspark.ml import PipelineModel
from pyspark.ml.feature import CountVectorizerModel
from pyspark.ml.functions import vector_to_array
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

SENTIMENT_LABELS = ("negative", "neutral", "positive")
"""Class order of the model: label index 0, 1, 2."""

INTERNAL_PREFIX = "__snt_"
MODEL_INPUT_COL = INTERNAL_PREFIX + "text"
PREDICTION_COL = INTERNAL_PREFIX + "prediction"
PROBABILITY_COL = INTERNAL_PREFIX + "probability"
RAW_PREDICTION_COL = INTERNAL_PREFIX + "raw_prediction"

TARGET_MARKER = "TGT"
"""Token that stands for the target entity in entity-targeted inputs (lower-cased: ``tgt``)."""

OUTPUT_COLS = ("sentiment_label", "sentiment_score", "sentiment_confidence")


def load_sentiment_model(path: str) -> PipelineModel:
    """Load a fitted sentiment ``PipelineModel`` saved by the training job (no download)."""
    return PipelineModel.load(path)


def model_supports_entities(model: PipelineModel) -> bool:
    """True when the model was trained on entity rows marked with :data:`TARGET_MARKER`."""
    markers = {TARGET_MARKER.lower(), "e:" + TARGET_MARKER.lower()}
    for stage in model.stages:
        if isinstance(stage, CountVectorizerModel) and markers & set(stage.vocabulary):
            return True
    return False


def mark_entity(text: Column, entity: Column) -> Column:
    """Replace every case-insensitive occurrence of ``entity`` in ``text`` by the marker.

    Rows whose entity is null or blank, or does not occur in the text, keep their text.
    """
    # \\Q...\\E quotes the entity as a literal; an entity containing "\\E" is split around it.
    quoted = F.concat(
        F.lit("(?i)\\Q"), F.replace(entity, F.lit("\\E"), F.lit("\\E\\\\E\\Q")), F.lit("\\E")
    )
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
    scored = model.transform(prepared)

    probs = vector_to_array(F.col(PROBABILITY_COL))
    has_text = F.length(F.trim(F.coalesce(F.col(_quoted(text_col)).cast("string"), F.lit("")))) > 0
    label_index = F.col(PREDICTION_COL).cast("int")
    labels = F.array(*[F.lit(label) for label in SENTIMENT_LABELS])
    return scored.select(
        *[F.col(_quoted(c)) for c in original],
        F.when(has_text, F.element_at(labels, label_index + 1))
        .otherwise(F.lit("neutral"))
        .alias("sentiment_label"),
        F.when(has_text, probs[2] - probs[0]).otherwise(F.lit(0.0)).alias("sentiment_score"),
        F.when(has_text, F.element_at(probs, label_index + 1))
        .otherwise(F.lit(0.0))
        .alias("sentiment_confidence"),
    )
