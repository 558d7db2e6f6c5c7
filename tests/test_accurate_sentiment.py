"""The accurate tier: an ONNX transformer imported into Spark NLP, scored like the fast tier.

CI does not install the ``accurate`` extra (torch is several GB), so most tests use the
checked-in tiny BERT of tests/data/tiny_sentiment_onnx (made by the accurate tier's own
fine-tuning code, see tests/data/make_tiny_sentiment_onnx.py): Spark NLP import, PipelineModel
save/load, the score_sentences contract, entity targeting and jobs.evaluate's JSON. The tests
that train and export need torch and are skipped, saying so, where it is not installed.
"""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from chispa import assert_approx_df_equality
from conftest import TINY_LABELED_CSV, local_conf_with_models
from pyspark.sql import functions as F

from newslake.nlp import sequence_classifier as SC
from newslake.nlp.sentiment import (
    BUILD_COMMANDS,
    SENTIMENT_LABELS,
    ModelNotBuiltError,
    load_configured_model,
    load_sentiment_model,
    model_supports_entities,
    score_sentences,
)

ROOT = Path(__file__).resolve().parents[1]
TINY_ONNX = ROOT / "tests" / "data" / "tiny_sentiment_onnx"
sys.path.insert(0, str(ROOT / "tests" / "data"))
import make_tiny_sentiment_onnx as tiny  # noqa: E402  (the fixture's own rows and recipe)

HAS_TORCH = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "onnx", "onnxruntime"))
needs_torch = pytest.mark.skipif(
    not HAS_TORCH,
    reason="the accurate extra (torch, transformers, onnx, onnxruntime) is not installed: "
    "pip install -e '.[accurate]' to run the fine-tuning and export tests",
)
DDL = "text string, label string, entity string"


@pytest.fixture(scope="module")
def accurate_model(spark):
    return SC.onnx_sentiment_pipeline(spark, str(TINY_ONNX), max_length=32)


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory, accurate_model):
    models = tmp_path_factory.mktemp("models")
    accurate_model.write().overwrite().save(str(models / "sentiment_accurate"))
    return models


def test_pipeline_is_spark_nlp_bert_classifier_on_onnx(accurate_model):
    names = [type(stage).__name__ for stage in accurate_model.stages]
    assert names == ["DocumentAssembler", "RegexTokenizer", "BertForSequenceClassification", "SQLTransformer"]
    assert sorted(accurate_model.stages[2].getClasses()) == sorted(SENTIMENT_LABELS)
    assert model_supports_entities(accurate_model)


def test_imported_model_labels_the_rows_it_was_fitted_on(spark, accurate_model):
    rows = spark.createDataFrame(tiny.TINY_ROWS, DDL)
    scored = score_sentences(accurate_model, rows, "text", entity_col="entity")
    wrong = (
        scored.filter(F.col("label") != F.col("sentiment_label"))
        .select("text", "entity", "label", "sentiment_label")
        .collect()
    )
    # The tiny model fits its rows (torch said so when it was made); Spark NLP must agree,
    # entity rows included: the same sentence is positive toward one company, negative toward the other.
    assert wrong == []


def test_score_sentences_contract(spark, accurate_model):
    df = spark.createDataFrame(
        [
            (1, "Profit rose and sales increased", None),
            (2, None, None),
            (3, "   ", None),
            (4, "Acme rose while Zeta fell", "Zeta"),
            (5, "Zeta jumped while Acme slumped", "Nobody"),
        ],
        "id int, sentence_text string, company string",
    )
    scored = score_sentences(accurate_model, df, entity_col="company")
    assert scored.columns == df.columns + ["sentiment_label", "sentiment_score", "sentiment_confidence"]
    assert dict(scored.dtypes)["sentiment_score"] == "double"
    rows = {r["id"]: r for r in scored.collect()}
    assert len(rows) == 5
    for r in rows.values():
        assert r["sentiment_label"] in SENTIMENT_LABELS
        assert -1.0 <= r["sentiment_score"] <= 1.0 and 0.0 <= r["sentiment_confidence"] <= 1.0
    assert rows[1]["sentiment_label"] == "positive" and rows[1]["sentiment_score"] > 0
    assert rows[1]["sentiment_confidence"] > 1 / 3
    for blank in (2, 3):
        assert (
            rows[blank]["sentiment_label"],
            rows[blank]["sentiment_score"],
            rows[blank]["sentiment_confidence"],
        ) == ("neutral", 0.0, 0.0)
    assert rows[4]["sentiment_label"] == "negative" and rows[4]["sentiment_score"] < 0


def test_probabilities_are_in_label_order_and_sum_to_one(spark, accurate_model):
    df = spark.createDataFrame([("Shares slumped on a net loss",), ("The office is in Helsinki",)], "__snt_text string")
    probs = [r[SC.PROBABILITY_COL] for r in accurate_model.transform(df).collect()]
    predictions = [r[SC.PREDICTION_COL] for r in accurate_model.transform(df).collect()]
    for p in probs:
        assert len(p) == 3 and abs(sum(p) - 1.0) < 1e-4
    assert [SENTIMENT_LABELS[int(i)] for i in predictions] == ["negative", "neutral"]
    assert [max(range(3), key=p.__getitem__) for p in probs] == [0, 1]


def test_save_load_round_trip_scores_the_same(spark, accurate_model, models_dir):
    loaded = load_sentiment_model(str(models_dir / "sentiment_accurate"))
    df = spark.createDataFrame(tiny.TINY_ROWS, DDL).withColumn("row", F.monotonically_increasing_id())
    before = score_sentences(accurate_model, df, "text", "entity")
    after = score_sentences(loaded, df, "text", "entity")
    assert_approx_df_equality(before, after, precision=1e-6, ignore_row_order=True)
    assert model_supports_entities(loaded)


def test_configured_model_selects_the_tier_or_names_its_build_command(spark, models_dir, tmp_path):
    chosen = load_configured_model(spark, str(models_dir), "sentiment_accurate")
    assert [type(s).__name__ for s in chosen.stages][2] == "BertForSequenceClassification"
    with pytest.raises(ModelNotBuiltError) as missing:
        load_configured_model(spark, str(tmp_path), "sentiment_accurate")
    assert BUILD_COMMANDS["sentiment_accurate"] in str(missing.value)
    assert "jobs.build_accurate_sentiment" in str(missing.value)
    # A stage that reports FileNotFoundError gets the short log line (no traceback).
    assert isinstance(missing.value, FileNotFoundError)


def test_onnx_folder_checks(tmp_path):
    folder = tmp_path / "onnx"
    shutil.copytree(TINY_ONNX, folder)
    (folder / "assets" / "labels.txt").write_text("LABEL_0\nLABEL_1\nLABEL_2\n", encoding="utf-8")
    with pytest.raises(SC.ClassifierLabelsError, match="LABEL_0"):
        SC.check_onnx_folder(str(folder))
    (folder / "assets" / "labels.txt").unlink()
    with pytest.raises(FileNotFoundError, match="labels.txt"):
        SC.check_onnx_folder(str(folder))


def test_evaluate_accurate_prints_the_json(spark, tmp_path, models_dir):
    data = tmp_path / "tiny.csv"
    data.write_text(TINY_LABELED_CSV, encoding="utf-8")
    # A process of its own: its stdout must hold the JSON alone, though the JVM it starts
    # prints on its stdout (Spark NLP's ONNX wrapper says "Using CPUs").
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "jobs.evaluate",
            "--conf",
            local_conf_with_models(tmp_path, models_dir),
            "--format",
            "csv",
            "--path",
            str(data),
            "--model",
            "accurate",
            "--throughput-rows",
            "200",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["model"] == "accurate" and result["model_path"].endswith("sentiment_accurate")
    assert result["n"] == 5 and result["split"] == "all" and result["entity_level"] is True
    assert result["labels"] == list(SENTIMENT_LABELS)
    assert result["confusion_matrix"] == [[2, 0, 0], [0, 1, 0], [0, 0, 2]]
    assert result["accuracy"] == 1.0 and result["macro_f1"] == 1.0
    assert set(result["per_class"]) == set(SENTIMENT_LABELS)
    assert result["per_class"]["negative"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert result["sentences_per_second"] > 0 and result["throughput_rows"] >= 200


# ---------------------------------------------------------------------------------------
# Fine-tuning and export: need the accurate extra
# ---------------------------------------------------------------------------------------


@needs_torch
def test_finetune_on_a_tiny_labeled_set_and_export(tmp_path):
    first = tiny.build(tmp_path / "a")
    assert first["train_accuracy"] == 1.0
    assert first["onnx_max_probability_difference"] < 1e-4
    for name in (SC.ONNX_FILE, SC.VOCAB_FILE, SC.LABELS_FILE):
        assert (tmp_path / "a" / name).is_file()
    assert (tmp_path / "a" / SC.LABELS_FILE).read_text(encoding="utf-8").split() == list(SENTIMENT_LABELS)
    # Same seed, same rows: the same bytes.
    tiny.build(tmp_path / "b")
    assert (tmp_path / "a" / SC.ONNX_FILE).read_bytes() == (tmp_path / "b" / SC.ONNX_FILE).read_bytes()


@needs_torch
def test_marker_is_one_word_piece(tmp_path):
    from newslake.training import finetune

    base = tmp_path / "base.txt"
    base.write_text(
        "\n".join(["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "t", "##g", "##t", "rose"]) + "\n", encoding="utf-8"
    )
    vocab = tmp_path / "vocab.txt"
    assert finetune.write_marker_vocab(str(base), str(vocab)) == 1
    tokenizer = finetune.load_tokenizer(str(vocab))
    assert tokenizer.tokenize(" TGT  rose") == ["tgt", "rose"]
    assert finetune.write_marker_vocab(str(vocab), str(tmp_path / "again.txt")) == 1


@needs_torch
def test_length_batches_cover_every_row_once():
    import numpy as np

    from newslake.training import finetune

    lengths = [5, 40, 7, 39, 6, 41, 8, 38, 9, 37, 10]
    batches = finetune.length_batches(lengths, 2, np.random.default_rng(0), window=3)
    assert sorted(int(i) for b in batches for i in b) == list(range(len(lengths)))
    again = finetune.length_batches(lengths, 2, np.random.default_rng(0), window=3)
    assert [list(b) for b in batches] == [list(b) for b in again]
    # Inside a window, a batch holds neighbours in length.
    assert max(abs(lengths[b[0]] - lengths[b[-1]]) for b in batches if len(b) == 2) < 30
