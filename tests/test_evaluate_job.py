"""jobs.evaluate: one JSON object on stdout, honest splits, a clear error without a model."""

import json
from pathlib import Path

import pytest
from conftest import TINY_LABELED_CSV, local_conf_with_models

from newslake.training import datasets as D
from newslake.training import evaluate

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tiny_models_dir(tiny_sentiment_model, tmp_path_factory):
    """A models folder whose sentiment_fast is the session's tiny model (conftest); it labels
    the five rows of TINY_LABELED_CSV right."""
    models = tmp_path_factory.mktemp("models")
    tiny_sentiment_model.write().overwrite().save(str(models / "sentiment_fast"))
    return models


def _run(capsys, argv):
    code = evaluate.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_evaluate_prints_one_json_object(spark, tmp_path, tiny_models_dir, capsys):
    data = tmp_path / "tiny.csv"
    data.write_text(TINY_LABELED_CSV, encoding="utf-8")
    code, out, err = _run(
        capsys,
        [
            "--conf",
            local_conf_with_models(tmp_path, tiny_models_dir),
            "--format",
            "csv",
            "--path",
            str(data),
            "--throughput-rows",
            "200",
        ],
    )
    assert code == 0, err
    result = json.loads(out)  # the whole of stdout is one JSON object
    for key in ("n", "accuracy", "macro_f1", "per_class", "labels", "confusion_matrix", "sentences_per_second"):
        assert key in result
    assert result["n"] == 5
    assert result["split"] == "all" and result["entity_level"] is True
    assert result["labels"] == ["negative", "neutral", "positive"]
    assert sum(sum(row) for row in result["confusion_matrix"]) == 5
    assert set(result["per_class"]) == set(result["labels"])
    assert set(result["per_class"]["positive"]) >= {"precision", "recall", "f1"}
    assert result["sentences_per_second"] > 0
    assert result["accuracy"] >= 0.8


def test_evaluate_accurate_without_model_fails_clearly(spark, tmp_path, tiny_models_dir, capsys):
    data = tmp_path / "t.csv"
    data.write_text("Profit rose,positive\n", encoding="utf-8")
    code, out, err = _run(
        capsys,
        [
            "--conf",
            local_conf_with_models(tmp_path, tiny_models_dir),
            "--format",
            "csv",
            "--path",
            str(data),
            "--model",
            "accurate",
        ],
    )
    assert code != 0 and out == ""
    assert "no accurate sentiment model" in err and "sentiment_accurate" in err


def test_evaluate_malformed_file_fails_with_file_and_line(spark, tmp_path, tiny_models_dir, capsys):
    data = tmp_path / "bad.txt"
    data.write_text("Good .@positive\nbad line\n", encoding="utf-8")
    code, out, err = _run(
        capsys,
        ["--conf", local_conf_with_models(tmp_path, tiny_models_dir), "--format", "phrasebank", "--path", str(data)],
    )
    assert code == 1 and out == ""
    assert "bad.txt: line 2" in err


@pytest.mark.shared_data
def test_shared_file_defaults_to_the_validation_split(spark, tmp_path, shared_data, capsys):
    if not (ROOT / "models" / "sentiment_fast" / "stages").is_dir():
        pytest.skip("models/sentiment_fast is not built")
    path = shared_data / D.PHRASEBANK_LEVELS["all"]
    code, out, err = _run(
        capsys,
        [
            "--conf",
            local_conf_with_models(tmp_path, ROOT / "models"),
            "--format",
            "phrasebank",
            "--path",
            str(path),
            "--throughput-rows",
            "200",
        ],
    )
    assert code == 0, err
    result = json.loads(out)
    total = len(path.read_bytes().splitlines())
    assert result["split"] == "validation"
    assert 0.15 * total < result["n"] < 0.25 * total
    assert result["macro_f1"] >= 0.85
