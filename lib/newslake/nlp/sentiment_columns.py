"""What every sentiment model reads and writes: its input column, its internal columns, its
labels and the entity marker.

Shared by the scoring side (:mod:`newslake.nlp.sentiment`), the transformer tiers' Spark
pipeline (:mod:`newslake.nlp.sequence_classifier`) and the training code, so none of them has to
import another for a constant.
"""

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
"""The columns :func:`newslake.nlp.sentiment.score_sentences` adds."""
