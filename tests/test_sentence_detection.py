"""News sentence detection (Spark NLP SentenceDetector + the news pre- and post-pass) on the
hand-labeled set: one pipeline run over all 182 passages."""

import json

import pytest
from pyspark.sql import functions as F

from newslake.evaluation import sentences as E
from newslake.nlp.pipeline import BOUND, PROTECT, sentence_marked_text

from conftest import ROOT

GOLD = ROOT / "tests" / "data" / "labeled" / "sentence_boundaries.jsonl"


@pytest.fixture(scope="module")
def detected(spark):
    rows = E.load_gold(str(GOLD))
    return rows, E.detect(spark, rows)


def test_boundary_f1_on_the_labeled_set(detected):
    rows, found = detected
    result = E.score(rows, {key: [(b, e) for b, e, _ in spans] for key, spans in found.items()})
    print("\nsentence boundaries:", json.dumps({"overall": result["overall"],
                                                 "per_kind_f1": {k: v["f1"] for k, v in result["per_kind"].items()},
                                                 "wrong_passages": result["wrong_passages"]}))
    assert result["overall"]["f1"] >= 0.97, result["wrong_passages"]
    assert set(result["per_kind"]) == {"abbreviations", "numbers_currency", "quotes", "bullets", "headlines",
                                       "scraped_paragraphs", "mixed"}
    assert min(v["f1"] for v in result["per_kind"].values()) >= 0.9


def test_sentences_are_exact_spans_that_cover_the_text(detected):
    rows, found = detected
    for row in rows:
        spans = found[row["id"]]
        assert spans, row["id"]
        for begin, end, text in spans:
            assert row["text"][begin:end + 1] == text and text == text.strip(), row["id"]
        covered = "".join("".join(text.split()) for _, _, text in spans)
        assert covered == "".join(row["text"].split()), row["id"]


def test_marked_text_keeps_the_length_and_marks_the_news_cases(spark):
    text = ("Shares of Apple Inc. rose in the U.S. Treasury market. Sales fell in the U.S. Analysts said so.\n\n"
            "Highlights:\n• Revenue up 1.5%\n• EPS: $1.23 (est. $1.10)")
    marked = spark.createDataFrame([(text,)], "t string").select(sentence_marked_text(F.col("t")).alias("m")).first().m
    assert len(marked) == len(text)
    assert marked.count(BOUND) >= 4            # "U.S. Analysts", blank line, before/after bullet lines
    assert "Inc" + PROTECT in marked and "U" + PROTECT + "S" + PROTECT + " Treasury" in marked
    assert "(est" + PROTECT in marked and "U" + PROTECT + "S." + BOUND + "Analysts" in marked
