"""The transformer tiers' Spark side: a sequence classifier in Spark NLP.

A fine-tuned BERT-family model exported to ONNX (``model.onnx`` with inputs ``input_ids``,
``attention_mask``, ``token_type_ids`` and output ``logits``, plus ``assets/vocab.txt`` and
``assets/labels.txt``; see :mod:`newslake.training.accurate`) is imported with Spark NLP's
``BertForSequenceClassification.loadSavedModel`` (the accurate tier, MiniLM-L6), or an MPNet
(inputs ``input_ids`` and ``attention_mask`` only) with ``MPNetForSequenceClassification``
(the teacher tier, all-mpnet-base-v2: ``architecture="mpnet"``), and wrapped in a Spark ML
``PipelineModel`` whose output columns are the ones
:func:`newslake.nlp.sentiment.score_sentences` reads::

    DocumentAssembler(__snt_text -> __snt_document)
      -> RegexTokenizer(__snt_token: split on whitespace and around punctuation, as BERT's
         basic tokenizer does)
      -> Bert/MPNetForSequenceClassification(__snt_class: one CATEGORY annotation, its
         metadata holding each label's probability)
      -> SQLTransformer(__snt_prediction: label index, __snt_probability: array of
         P(negative), P(neutral), P(positive))

Both architectures read uncased BERT word pieces after BERT's basic tokenizer (MPNet's
vocab.txt is BERT's with ``<s>``, ``<pad>``, ``</s>``, ``<unk>`` in front and ``<mask>`` at the
end), so one tokenizer pattern serves both. Spark NLP's MPNet classifier wraps a text in
``<s> .. </s>``, pads with ``<pad>`` (1) and sends the mask ``input_id != 0``; the exported
MPNet graph rebuilds its mask from the padding instead (``newslake.training.finetune``).

Nothing here needs torch: the ONNX model runs in Spark NLP's ONNX Runtime. The optional
online source, :func:`pretrained_sentiment_pipeline`, wraps a Spark NLP Models Hub classifier
the same way (it downloads, so it is never a default and never used by a test).
"""

from __future__ import annotations

import os
from typing import Iterable, Optional

from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.feature import SQLTransformer
from pyspark.sql import SparkSession

from newslake.nlp.sentiment_columns import (
    INTERNAL_PREFIX,
    MODEL_INPUT_COL,
    PREDICTION_COL,
    PROBABILITY_COL,
    SENTIMENT_LABELS,
)

DOCUMENT_COL = INTERNAL_PREFIX + "document"
TOKEN_COL = INTERNAL_PREFIX + "token"
CLASS_COL = INTERNAL_PREFIX + "class"

ONNX_FILE = "model.onnx"
VOCAB_FILE = os.path.join("assets", "vocab.txt")
LABELS_FILE = os.path.join("assets", "labels.txt")

# What BERT's basic tokenizer calls punctuation: every ASCII non-alphanumeric printable
# character ($, +, <, =, >, ^, `, |, ~ included) and every Unicode punctuation character.
BERT_PUNCTUATION = r"[!-/:-@\[-`{-~\p{P}]"
# What BERT's basic tokenizer makes a word of its own: each CJK ideograph (its _is_chinese_char
# blocks). Spark NLP's classifier keeps only the first piece of a token its own basic tokenizer
# would split, so "日本" must arrive as two tokens.
BERT_CJK = (
    r"[\x{4E00}-\x{9FFF}\x{3400}-\x{4DBF}\x{20000}-\x{2A6DF}\x{2A700}-\x{2B73F}"
    r"\x{2B740}-\x{2B81F}\x{2B820}-\x{2CEAF}\x{F900}-\x{FAFF}\x{2F800}-\x{2FA1F}]"
)
BERT_SPLIT_CHARACTER = rf"(?:{BERT_PUNCTUATION}|{BERT_CJK})"
# Split on whitespace and on both sides of each punctuation character (and ideograph), keeping
# it as a token. Spark NLP's classifier word-pieces each token as it comes (it does not split
# "patience,"), so the tokens must already be what the Hugging Face tokenizer saw in training.
# Not [^\w\s]: Java's \w is ASCII, so that would cut "Café" before "é" (BERT reads "cafe"),
# and it would split "€5", which BERT keeps as one word ("€", "##5").
BERT_BASIC_SPLIT = rf"\s+|(?<={BERT_SPLIT_CHARACTER})|(?={BERT_SPLIT_CHARACTER})"

SPARK_NLP_CLASSIFIERS = {
    "bert": "BertForSequenceClassification",
    "mpnet": "MPNetForSequenceClassification",
}
"""The Spark NLP annotator that runs an exported classifier of each architecture."""

DEFAULT_MAX_LENGTH = 128
# Rows per ONNX Runtime call; each batch is padded to its longest row, so a larger batch
# wastes more on padding while a smaller one pays the per-call overhead more often.
DEFAULT_BATCH_SIZE = 16


class ClassifierLabelsError(ValueError):
    """The classifier's labels are not negative / neutral / positive."""


def check_labels(labels: Iterable[str], source: str) -> None:
    """Raise :class:`ClassifierLabelsError` unless ``labels`` are exactly the sentiment labels."""
    found = sorted(str(label).lower() for label in labels)
    if found != sorted(SENTIMENT_LABELS):
        raise ClassifierLabelsError(f"{source}: classifier labels {sorted(labels)} are not {list(SENTIMENT_LABELS)}")


def check_onnx_folder(folder: str) -> None:
    """Raise FileNotFoundError naming what is missing from an ONNX classifier folder."""
    missing = [name for name in (ONNX_FILE, VOCAB_FILE, LABELS_FILE) if not os.path.isfile(os.path.join(folder, name))]
    if missing:
        raise FileNotFoundError(
            f"{folder}: not an ONNX classifier folder, missing {', '.join(missing)} "
            f"(expected {ONNX_FILE}, {VOCAB_FILE}, {LABELS_FILE})"
        )
    with open(os.path.join(folder, LABELS_FILE), encoding="utf-8") as handle:
        check_labels([line.strip() for line in handle if line.strip()], folder)


def import_onnx_classifier(
    spark: SparkSession,
    folder: str,
    max_length: int = DEFAULT_MAX_LENGTH,
    batch_size: int = DEFAULT_BATCH_SIZE,
    architecture: str = "bert",
):
    """Spark NLP ``BertForSequenceClassification`` (or, with ``architecture="mpnet"``,
    ``MPNetForSequenceClassification``) from an exported ONNX folder.

    The model reads ``__snt_document`` and ``__snt_token`` and writes ``__snt_class``;
    lower-casing happens inside it (``caseSensitive=False``, as the uncased vocabulary was
    trained), and inputs longer than ``max_length`` word pieces are cut, as in training.

    One fresh import per SparkContext: Spark NLP registers the graph as ``model.onnx`` with
    ``SparkContext.addFile`` and reads it back by that name, so a second, different folder
    fails ("model.onnx exists and does not match contents"). Save the pipeline and load it
    (saved models load under random names), or import in another session.
    """
    import sparknlp.annotator as annotators

    if architecture not in SPARK_NLP_CLASSIFIERS:
        raise ValueError(f"architecture must be one of {', '.join(SPARK_NLP_CLASSIFIERS)}, not {architecture!r}")
    check_onnx_folder(folder)
    annotator = getattr(annotators, SPARK_NLP_CLASSIFIERS[architecture])
    classifier = annotator.loadSavedModel(os.path.abspath(folder), spark)
    return configure_classifier(classifier, max_length, batch_size)


def configure_classifier(classifier, max_length: int = DEFAULT_MAX_LENGTH, batch_size: int = DEFAULT_BATCH_SIZE):
    """Wire a Spark NLP sequence classifier to the pipeline's internal columns."""
    return (
        classifier.setInputCols([DOCUMENT_COL, TOKEN_COL])
        .setOutputCol(CLASS_COL)
        .setCaseSensitive(False)
        .setMaxSentenceLength(max_length)
        .setBatchSize(batch_size)
        .setCoalesceSentences(False)
    )


def _outputs_sql() -> str:
    """``__snt_prediction`` and ``__snt_probability`` from the CATEGORY annotation.

    The probabilities are read from the annotation's metadata by label name, so the order of
    the model's own labels.txt does not matter. A row without an annotation (no tokens) gets
    neutral with all probabilities 0: nothing was scored.
    """
    first = f"try_element_at({CLASS_COL}, 1)"
    labels = ", ".join(f"'{label}'" for label in SENTIMENT_LABELS)
    probabilities = ", ".join(
        f"coalesce(CAST({first}.metadata['{label}'] AS DOUBLE), 0D)" for label in SENTIMENT_LABELS
    )
    neutral = SENTIMENT_LABELS.index("neutral")
    prediction = f"CAST(coalesce(array_position(array({labels}), lower({first}.result)) - 1, {neutral}) AS DOUBLE)"
    return f"SELECT *, {prediction} AS {PREDICTION_COL}, array({probabilities}) AS {PROBABILITY_COL} FROM __THIS__"


def classifier_pipeline(spark: SparkSession, classifier) -> PipelineModel:
    """The scoring ``PipelineModel`` around a configured classifier (see module docstring).

    Only transformers: fitting the pipeline on one row learns nothing and returns the model.
    """
    from sparknlp.annotator import RegexTokenizer
    from sparknlp.base import DocumentAssembler

    check_labels(classifier.getClasses(), "sequence classifier")
    stages = [
        DocumentAssembler().setInputCol(MODEL_INPUT_COL).setOutputCol(DOCUMENT_COL),
        # The classifier lower-cases, strips accents and word-pieces; the punctuation split
        # before it is this tokenizer's (see BERT_BASIC_SPLIT).
        RegexTokenizer().setInputCols([DOCUMENT_COL]).setOutputCol(TOKEN_COL).setPattern(BERT_BASIC_SPLIT),
        classifier,
        SQLTransformer(statement=_outputs_sql()),
    ]
    one_row = spark.createDataFrame([("",)], f"{MODEL_INPUT_COL} string")
    return Pipeline(stages=stages).fit(one_row)


def onnx_sentiment_pipeline(
    spark: SparkSession,
    folder: str,
    max_length: int = DEFAULT_MAX_LENGTH,
    batch_size: int = DEFAULT_BATCH_SIZE,
    architecture: str = "bert",
) -> PipelineModel:
    """Import an ONNX classifier folder and wrap it: the accurate tier's scoring model
    (``architecture="bert"``) or the teacher's (``"mpnet"``)."""
    return classifier_pipeline(spark, import_onnx_classifier(spark, folder, max_length, batch_size, architecture))


PRETRAINED_ANNOTATORS = (
    "BertForSequenceClassification",
    "DistilBertForSequenceClassification",
    "RoBertaForSequenceClassification",
    "DeBertaForSequenceClassification",
    "XlmRoBertaForSequenceClassification",
    "AlbertForSequenceClassification",
)


def pretrained_sentiment_pipeline(
    spark: SparkSession,
    name: str,
    lang: str = "en",
    annotator: str = "BertForSequenceClassification",
    max_length: int = DEFAULT_MAX_LENGTH,
) -> PipelineModel:
    """A Spark NLP Models Hub sentiment classifier wrapped like the accurate tier (ONLINE).

    Downloads ``name`` with ``pretrained()`` (then Spark NLP's cache), so it works only where
    the hub is reachable; the model's labels must be negative / neutral / positive.
    """
    import sparknlp.annotator as annotators

    if annotator not in PRETRAINED_ANNOTATORS:
        raise ValueError(f"annotator must be one of {', '.join(PRETRAINED_ANNOTATORS)}, not {annotator!r}")
    classifier = getattr(annotators, annotator).pretrained(name, lang)
    return classifier_pipeline(spark, configure_classifier(classifier, max_length))


def vocabulary_contains(stage, token: str) -> Optional[bool]:
    """Whether a Spark NLP transformer classifier's word-piece vocabulary holds ``token``
    (None for stages that are not such classifiers)."""
    from py4j.protocol import Py4JError

    if not type(stage).__name__.endswith("ForSequenceClassification"):
        return None
    try:
        return bool(stage._java_obj.vocabulary().getOrDefault().contains(token))
    except Py4JError:
        return None
