"""The fast sentiment model: training on a tiny set, scoring contract, save/load, entities."""

from pathlib import Path

import pytest
from chispa import assert_approx_df_equality, assert_df_equality
from pyspark.sql import functions as F

from newslake.nlp.sentiment import (
    SENTIMENT_LABELS,
    load_sentiment_model,
    mark_entity,
    model_supports_entities,
    score_sentences,
)
from newslake.training.fast_model import build_training_pipeline, train_sentiment
from newslake.training.params import SentimentParams

SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "sentiment_fast"

TINY = [
    ("Operating profit rose to EUR 13.1 mn from EUR 8.7 mn", "positive", None),
    ("Net sales increased by 18 % and profit improved", "positive", None),
    ("The company reported record sales and higher profit", "positive", None),
    ("Shares jumped after strong quarterly earnings", "positive", None),
    ("Operating profit fell to EUR 3.1 mn from EUR 8.7 mn", "negative", None),
    ("Net sales decreased by 18 % and the loss widened", "negative", None),
    ("The company reported a net loss and weaker sales", "negative", None),
    ("Shares slumped after weak quarterly earnings", "negative", None),
    ("The company is headquartered in Helsinki", "neutral", None),
    ("The annual general meeting will be held in March", "neutral", None),
    ("The board appointed a new chief financial officer", "neutral", None),
    ("The report is available on the company website", "neutral", None),
    ("Acme shares jumped while Zeta slumped", "positive", "Acme"),
    ("Acme shares jumped while Zeta slumped", "negative", "Zeta"),
    ("Zeta profit rose while Acme loss widened", "positive", "Zeta"),
    ("Zeta profit rose while Acme loss widened", "negative", "Acme"),
    ("Acme to hold its meeting in March", "neutral", "Acme"),
    ("Zeta to hold its meeting in March", "neutral", "Zeta"),
]
TINY_DDL = "text string, label string, entity string"
PARAMS = SentimentParams(min_df=1.0, max_iter=30)


@pytest.fixture(scope="module")
def tiny_model(tiny_sentiment_model):
    return tiny_sentiment_model  # trained on TINY with PARAMS, once for the session (conftest)


def test_pipeline_uses_spark_nlp_annotators_and_a_spark_ml_classifier(spark):
    names = [type(s).__name__ for s in build_training_pipeline(PARAMS).getStages()]
    assert names[:2] == ["DocumentAssembler", "RegexTokenizer"]
    assert "Finisher" in names and names.count("LogisticRegression") == 2


def test_tiny_model_learns_its_training_sentences(spark, tiny_model):
    scored = score_sentences(tiny_model, spark.createDataFrame(TINY, TINY_DDL), text_col="text", entity_col="entity")
    right = scored.filter(F.col("label") == F.col("sentiment_label")).count()
    assert right >= len(TINY) - 2
    assert model_supports_entities(tiny_model)


def test_score_contract_columns_rows_and_ranges(spark, tiny_model):
    df = spark.createDataFrame(
        [
            (1, "Net sales increased and profit improved", "x"),
            (2, None, "y"),
            (3, "   ", "z"),
            (4, "Shares slumped after weak earnings", "w"),
        ],
        "id int, sentence_text string, other string",
    )
    scored = score_sentences(tiny_model, df)
    assert scored.columns == df.columns + [
        "sentiment_label",
        "sentiment_score",
        "sentiment_confidence",
    ]
    assert scored.count() == 4
    rows = {r["id"]: r for r in scored.collect()}
    for i in (2, 3):
        assert (rows[i]["sentiment_label"], rows[i]["sentiment_score"]) == ("neutral", 0.0)
    for r in rows.values():
        assert r["sentiment_label"] in SENTIMENT_LABELS
        assert -1.0 <= r["sentiment_score"] <= 1.0
        assert 0.0 <= r["sentiment_confidence"] <= 1.0
    assert rows[1]["sentiment_label"] == "positive" and rows[1]["sentiment_score"] > 0
    assert rows[4]["sentiment_label"] == "negative" and rows[4]["sentiment_score"] < 0


def test_score_keeps_the_callers_annotation_columns(spark, tiny_model):
    from sparknlp.base import DocumentAssembler

    df = spark.createDataFrame([("Profit rose",)], "sentence_text string")
    annotated = DocumentAssembler().setInputCol("sentence_text").setOutputCol("document").transform(df)
    scored = score_sentences(tiny_model, annotated)
    assert scored.columns == ["sentence_text", "document"] + [
        "sentiment_label",
        "sentiment_score",
        "sentiment_confidence",
    ]


def test_save_load_round_trip_gives_identical_predictions(spark, tiny_model, tmp_path):
    path = str(tmp_path / "model")
    tiny_model.write().overwrite().save(path)
    loaded = load_sentiment_model(path)
    df = spark.createDataFrame(TINY, TINY_DDL).withColumnRenamed("text", "sentence_text")
    before = score_sentences(tiny_model, df, entity_col="entity")
    after = score_sentences(loaded, df, entity_col="entity")
    assert_df_equality(
        before.select("sentence_text", "entity", "sentiment_label"),
        after.select("sentence_text", "entity", "sentiment_label"),
        ignore_row_order=True,
    )
    assert_approx_df_equality(
        before.drop("label", "sentiment_label"),
        after.drop("label", "sentiment_label"),
        1e-12,
        ignore_row_order=True,
    )


def test_training_is_deterministic(spark, tiny_model):
    again = train_sentiment(spark.createDataFrame(TINY, TINY_DDL), PARAMS)
    df = spark.createDataFrame(TINY, TINY_DDL)
    first = score_sentences(tiny_model, df, "text", "entity").drop("label")
    second = score_sentences(again, df, "text", "entity").drop("label")
    assert_approx_df_equality(first, second, 1e-9, ignore_row_order=True)


def test_entity_targeting_tells_the_two_entities_apart(spark, tiny_model):
    df = spark.createDataFrame(
        [("Acme shares jumped while Zeta slumped", "Acme"), ("Acme shares jumped while Zeta slumped", "Zeta")],
        "sentence_text string, entity string",
    )
    scores = {r["entity"]: r["sentiment_score"] for r in score_sentences(tiny_model, df, entity_col="entity").collect()}
    assert scores["Acme"] > scores["Zeta"]


def test_mark_entity_is_literal_and_case_insensitive(spark):
    df = spark.createDataFrame(
        [
            ("S&P 500 (index) rose; s&p 500 (INDEX) again", "S&P 500 (index)"),
            ("Weird \\E name here", "Weird \\E"),
            ("Entity missing", "Acme"),
            ("No entity", None),
            ("Blank entity", "  "),
        ],
        "text string, entity string",
    )
    got = [r["m"] for r in df.select(mark_entity(F.col("text"), F.col("entity")).alias("m")).collect()]
    assert got == [
        " TGT  rose;  TGT  again",
        " TGT  name here",
        "Entity missing",
        "No entity",
        "Blank entity",
    ]


def test_score_rejects_missing_columns(spark, tiny_model):
    df = spark.createDataFrame([("x",)], "text string")
    with pytest.raises(ValueError, match="sentence_text"):
        score_sentences(tiny_model, df)


@pytest.mark.skipif(not SHIPPED_MODEL.is_dir(), reason="models/sentiment_fast is not built")
def test_shipped_model_scores_obvious_financial_sentences(spark):
    model = load_sentiment_model(str(SHIPPED_MODEL))
    assert model_supports_entities(model)
    assert (SHIPPED_MODEL / "MODEL_CARD.md").is_file()
    size = sum(f.stat().st_size for f in SHIPPED_MODEL.rglob("*") if f.is_file())
    assert size < 20 * 1000 * 1000
    df = spark.createDataFrame(
        [
            ("Operating profit rose to EUR 13.1 mn from EUR 8.7 mn .", None, "positive"),
            ("The company swung to a net loss and sales fell 20 % .", None, "negative"),
            ("The annual general meeting will be held on 5 May .", None, "neutral"),
            ("Infosys shares surge 5% while Wipro slumps on weak outlook", "Infosys", "positive"),
            ("Infosys shares surge 5% while Wipro slumps on weak outlook", "Wipro", "negative"),
        ],
        "sentence_text string, entity string, expected string",
    )
    scored = score_sentences(model, df, entity_col="entity")
    wrong = scored.filter(F.col("expected") != F.col("sentiment_label")).collect()
    assert not wrong, [(r["sentence_text"], r["entity"], r["sentiment_label"]) for r in wrong]
