"""News sentence detection (the marked-text pre-pass, then the cut at its bounds) on the
hand-labeled house set, one run over all 182 passages; on the Golden Rules-style tuning and
held-out sets and pySBD's own English Golden Rules (issue 18), one run over all of them and the
cases below; and the cut's rules one by one."""

import json

import pytest
from conftest import ROOT
from pyspark.sql import functions as F

from newslake.evaluation import sentences as E
from newslake.nlp.sentences import BOUND, PROTECT, sentence_marked_text

GOLD = ROOT / "tests" / "data" / "labeled" / "sentence_boundaries.jsonl"


@pytest.fixture(scope="module")
def detected(spark):
    rows = E.load_gold(str(GOLD))
    return rows, E.detect(spark, rows)


def test_boundary_f1_on_the_labeled_set(detected):
    rows, found = detected
    result = E.score(rows, {key: [(b, e) for b, e, _ in spans] for key, spans in found.items()})
    print(
        "\nsentence boundaries:",
        json.dumps(
            {
                "overall": result["overall"],
                "per_kind_f1": {k: v["f1"] for k, v in result["per_kind"].items()},
                "wrong_passages": result["wrong_passages"],
            }
        ),
    )
    assert result["overall"]["f1"] == 1.0, result["wrong_passages"]
    assert set(result["per_kind"]) == {
        "abbreviations",
        "numbers_currency",
        "quotes",
        "bullets",
        "headlines",
        "scraped_paragraphs",
        "mixed",
    }
    assert min(v["f1"] for v in result["per_kind"].values()) == 1.0


def test_sentences_are_exact_spans_that_cover_the_text(detected):
    rows, found = detected
    for row in rows:
        spans = found[row["id"]]
        assert spans, row["id"]
        for begin, end, text in spans:
            assert row["text"][begin : end + 1] == text and text == text.strip(), row["id"]
        covered = "".join("".join(text.split()) for _, _, text in spans)
        assert covered == "".join(row["text"].split()), row["id"]


def test_marked_text_keeps_the_length_and_marks_the_news_cases(spark):
    text = (
        "Shares of Apple Inc. rose in the U.S. Treasury market. Sales fell in the U.S. Analysts said so.\n\n"
        "Highlights:\n• Revenue up 1.5%\n• EPS: $1.23 (est. $1.10)"
    )
    marked = spark.createDataFrame([(text,)], "t string").select(sentence_marked_text(F.col("t")).alias("m")).first().m
    assert len(marked) == len(text)
    assert marked.count(BOUND) >= 4  # "U.S. Analysts", blank line, before/after bullet lines
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
        assert text[begin : end + 1] == sentence


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
    assert [(r.char_begin, r.char_end, r.sentence_text) for r in rows] == [
        (0, 15, "Revenue rose ***"),
        (17, 26, "costs fell"),
    ]


# Issue 18's kinds, each with its exact split; the last group is old Reuters wire copy whose
# split the rules for these kinds must not change.
CASES = [
    (
        "Please turn to p. 55 of the filing. It has the table.",
        ["Please turn to p. 55 of the filing.", "It has the table."],
    ),
    ("The cargo in the no. 3 hold and in N°. 4 was lost.", ["The cargo in the no. 3 hold and in N°. 4 was lost."]),
    (
        "The parcel is at N°. 2081.330.41. That is the depot.",
        ["The parcel is at N°. 2081.330.41.", "That is the depot."],
    ),
    (
        "At 7 a.m. Mr. Kato called the desk. He left at 5 P.M. Mr. Kato then flew home.",
        ["At 7 a.m. Mr. Kato called the desk.", "He left at 5 P.M.", "Mr. Kato then flew home."],
    ),
    (
        "Bids close at 5 p.m. Friday. Trading resumed at 10:05 a.m. Volume was thin.",
        ["Bids close at 5 p.m. Friday.", "Trading resumed at 10:05 a.m.", "Volume was thin."],
    ),
    ("It was down to you and I. Did Albert I. Jones sign?", ["It was down to you and I.", "Did Albert I. Jones sign?"]),
    ("1.) Cut costs 2.) Sell the unit", ["1.) Cut costs", "2.) Sell the unit"]),
    ("1) Cut costs. 2) Sell the unit.", ["1) Cut costs.", "2) Sell the unit."]),
    ("1. Cut costs 2. Sell the unit 3. Hire", ["1. Cut costs", "2. Sell the unit", "3. Hire"]),
    ("a. Cut costs b. Sell the unit", ["a. Cut costs", "b. Sell the unit"]),
    ("Goals:\n• 9. Cut costs • 10. Sell the unit", ["Goals:", "• 9. Cut costs", "• 10. Sell the unit"]),
    ("⁃9. Cut costs ⁃10. Sell the unit", ["⁃9. Cut costs", "⁃10. Sell the unit"]),
    ("• Revenue fell 2.1% - costs rose\n• Margin held", ["• Revenue fell 2.1% - costs rose", "• Margin held"]),
    ("Growth slowed from 3 to 2. The bank held rates.", ["Growth slowed from 3 to 2.", "The bank held rates."]),
    (
        "The outlook . . . is mixed and the costs . . . I would wait.",
        ["The outlook . . . is mixed and the costs . . . I would wait."],
    ),
    ("End it with a full stop . . . . Then go on.", ["End it with a full stop . . . .", "Then go on."]),
    (
        "Sales slowed . . . in May. . . . The unit closed. . . .",
        ["Sales slowed . . . in May.", ". . . The unit closed. . . ."],
    ),
    ("He wrote that “costs will rise. . . .”", ["He wrote that “costs will rise. . . .”"]),
    (
        '"Demand [...] held up [...]" (Annual report). It fell later.',
        ['"Demand [...] held up [...]" (Annual report).', "It fell later."],
    ),
    (
        "Prices rose... and rose. Then it stopped… Nobody knew why.",
        ["Prices rose... and rose.", "Then it stopped…", "Nobody knew why."],
    ),
    (
        "The meeting is at 10 A.M.\nLocal time (1600 GMT) to discuss it.",
        ["The meeting is at 10 A.M.\nLocal time (1600 GMT) to discuss it."],
    ),
    (
        "Banks open from 8 A.M. Until noon. P.A.M. Transportation Services Inc said so.",
        ["Banks open from 8 A.M. Until noon.", "P.A.M. Transportation Services Inc said so."],
    ),
    ("Exchange agreement no. 4 will also allow it.", ["Exchange agreement no. 4 will also allow it."]),
]


@pytest.fixture(scope="module")
def rules_detected(spark):
    """The tuning and held-out sets, pySBD's Golden Rules when installed, and :data:`CASES`, cut
    in one run."""
    sets = {name: E.load_gold(str(GOLD.parent / E.LABELED_SETS[name])) for name in ("rules_tuning", "rules_heldout")}
    golden = E.golden_rules_rows()
    if golden is not None:
        sets["pysbd_golden_rules_en"] = golden
    cases = [
        {"id": f"case-{i:02d}", "kind": "case", "text": text, "sentences": gold} for i, (text, gold) in enumerate(CASES)
    ]
    found = E.detect(spark, [row for rows in sets.values() for row in rows] + cases)
    return sets, cases, found


def _score(rows, found):
    return E.score(rows, {row["id"]: [(b, e) for b, e, _ in found[row["id"]]] for row in rows})


@pytest.mark.parametrize("name", ["rules_tuning", "rules_heldout"])
def test_boundary_f1_on_the_golden_rules_style_sets(rules_detected, name):
    sets, _, found = rules_detected
    result = _score(sets[name], found)
    print(f"\n{name}:", json.dumps({"overall": result["overall"], "wrong_passages": result["wrong_passages"]}))
    assert result["overall"]["f1"] >= 0.95, result["wrong_passages"]
    assert set(result["per_kind"]) == {
        "abbreviations",
        "times",
        "initials",
        "lists",
        "ellipses",
        "numbers",
        "punctuation",
    }


def test_boundary_f1_on_pysbd_golden_rules(rules_detected):
    sets, _, found = rules_detected
    if "pysbd_golden_rules_en" not in sets:
        pytest.skip("pysbd is not installed (the test extra): its English Golden Rules are read from it")
    result = _score(sets["pysbd_golden_rules_en"], found)
    print(
        "\npysbd golden rules:", json.dumps({"overall": result["overall"], "wrong_passages": result["wrong_passages"]})
    )
    assert result["passages"] == 48
    assert result["overall"]["f1"] >= 0.95, result["wrong_passages"]


@pytest.mark.parametrize("case", range(len(CASES)), ids=lambda i: CASES[i][0][:40])
def test_issue_18_kinds_split_exactly(rules_detected, case):
    _, cases, found = rules_detected
    row = cases[case]
    assert [sentence for _, _, sentence in found[row["id"]]] == row["sentences"]


def test_spaced_ellipses_never_make_a_sentence_of_full_stops(rules_detected):
    sets, cases, found = rules_detected
    for row in [r for rows in sets.values() for r in rows] + cases:
        for _, _, sentence in found[row["id"]]:
            assert sentence.replace(".", "").replace(" ", "").strip('”"') != "", (row["id"], sentence)
