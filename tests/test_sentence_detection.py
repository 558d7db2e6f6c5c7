"""News sentence detection (the marked-text pre-pass, then the cut at its bounds) on the
hand-labeled set, one run over all 182 passages, and the cut's rules one by one."""

import json

import pytest
from pyspark.sql import functions as F

from newslake.evaluation import sentences as E
from newslake.nlp.sentences import BOUND, PROTECT, sentence_marked_text

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


def test_spans_keep_closers_with_their_sentence_and_trim_like_the_detector():
    from newslake.nlp.sentences import sentence_spans

    text = "He left.\n\u201d Then she spoke.  \n"
    marked = "He left." + BOUND + "\u201d" + BOUND + "Then she spoke.  \n"
    spans = sentence_spans(text, marked)
    # The closing quote opens the second piece and is followed by whitespace: it closes the first.
    assert spans == [(0, 9, "He left.\n\u201d"), (11, 25, "Then she spoke.")]
    for begin, end, sentence in spans:
        assert text[begin:end + 1] == sentence


def test_a_piece_over_the_length_limit_stays_with_the_sentence_before():
    from newslake.nlp.sentences import sentence_spans

    text = "Short one. " + "x" * 30 + " Last."
    marked = "Short one." + BOUND + "x" * 30 + BOUND + "Last."
    assert [s for _, _, s in sentence_spans(text, marked, max_chars=20)] == ["Short one. " + "x" * 30, "Last."]
    assert [s for _, _, s in sentence_spans(text, marked)] == ["Short one.", "x" * 30, "Last."]
    assert sentence_spans("", "") == [] and sentence_spans("  ", BOUND + " ") == []


def test_extra_bounds_from_conf_end_sentences_wherever_they_occur(spark):
    from newslake.nlp.sentences import split_sentences

    df = spark.createDataFrame([("a", "Revenue rose *** costs fell")], "article_id string, clean_text string")
    rows = split_sentences(df, extra_bounds=["***", "\n\n"]).orderBy("sentence_index").collect()
    # A sentence runs to the next one's start, so the bound's own characters end the first.
    assert [(r.char_begin, r.char_end, r.sentence_text) for r in rows] == [(0, 15, "Revenue rose ***"), (17, 26, "costs fell")]
