"""The team's hand-labeled real-news set (tests/data/labeled/realnews_entity.jsonl) and its reader.

The file itself is checked in plain Python (every reference, label, entity, part); the reader is
checked on a real SparkSession: with ../shared/data it resolves every Reuters reference, without
it the sample-corpus rows still read.
"""

import collections
import hashlib
import json
import warnings

import pytest
from conftest import ROOT

from newslake.evaluation import reuters
from newslake.nlp.sentiment import SENTIMENT_LABELS
from newslake.training import datasets as D

SET_PATH = ROOT / "tests" / "data" / "labeled" / "realnews_entity.jsonl"
SAMPLE_CORPUS = ROOT / "data" / "sample_corpus"
PHENOMENA = {
    "negation",
    "guidance_cut",
    "beat_estimates",
    "lifted_restrictions",
    "lawsuit",
    "lawsuit_settled",
    "layoffs",
    "layoffs_savings",
    "rating_change",
    "dividend",
    "results",
    "two_companies",
    "neutral_report",
}
SEED_LIFTED = (
    "Chinese authorities have lifted restrictions on Tesla vehicles after the company demonstrated "
    "compliance with China’s rigorous data security regulations."
)


@pytest.fixture(scope="module")
def rows():
    with open(SET_PATH, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _sample_text(row) -> str:
    """The sample-corpus text a row quotes from: the page, or the JSON record's body."""
    content = (SAMPLE_CORPUS / row["file"]).read_text(encoding="utf-8")
    if "record" not in row:
        return content
    record = json.loads(content.splitlines()[row["record"] - 1])
    return record.get("body") or record.get("content")


def test_rows_have_valid_labels_entities_and_parts(rows):
    for n, row in enumerate(rows, 1):
        assert row["source"] in D.REALNEWS_SOURCES, n
        assert row["label"] in SENTIMENT_LABELS, n
        assert row["phenomenon"] in PHENOMENA | {"deal", "contrast"}, n
        # The part comes from the hash of the reference, never from a hand edit.
        assert row["part"] == D.realnews_part(row), n
        if row["source"] == "sample_corpus":
            assert row["entity"] in row["text"], n
            assert row["text"] in _sample_text(row), n
        else:
            assert "text" not in row, f"row {n}: Reuters text must not be copied into the repository"


def test_set_covers_the_phenomena_labels_and_a_third_held_out(rows):
    phenomena = collections.Counter(r["phenomenon"] for r in rows)
    assert PHENOMENA <= set(phenomena), PHENOMENA - set(phenomena)
    labels = collections.Counter(r["label"] for r in rows)
    assert min(labels.values()) >= 0.2 * len(rows), labels
    held_out = sum(r["part"] == "heldout" for r in rows) / len(rows)
    assert 0.25 <= held_out <= 0.42, held_out
    assert sum(r["source"] == "reuters21578" for r in rows) >= 150
    assert 20 <= sum(r["source"] == "sample_corpus" for r in rows) <= 40
    # Sentences naming two companies with opposite sentiment: the same span, different labels.
    by_span = collections.defaultdict(set)
    for r in rows:
        by_span[D.realnews_reference({**r, "entity": ""})].add(r["label"])
    assert sum({"positive", "negative"} <= labels for labels in by_span.values()) >= 4


def test_every_reuters_reference_resolves_with_its_sha1(rows, shared_data):
    refs = [r for r in rows if r["source"] == "reuters21578"]
    files = sorted({r["file"] for r in refs})
    bodies = {(a["file"], a["newid"]): a["body"] for a in reuters.articles(str(shared_data / "reuters21578"), files)}
    for r in refs:
        body = bodies[(r["file"], r["newid"])]
        span = body[r["start"] : r["end"]]
        assert hashlib.sha1(span.encode("utf-8")).hexdigest() == r["sentence_sha1"], r
        assert r["entity"] in " ".join(span.split()), r


def test_reader_resolves_every_row_with_shared_data(spark, shared_data, rows):
    df = D.realnews_rows(spark, str(SET_PATH), str(shared_data))
    got = df.collect()
    assert len(got) == len(rows) >= 150 + 20
    assert D.read_realnews(spark, str(SET_PATH), str(shared_data)).columns == list(D.OUTPUT_COLUMNS)
    by_line = {r["line"]: r for r in got}
    for n, row in enumerate(rows, 1):
        assert (by_line[n]["label"], by_line[n]["entity"], by_line[n]["part"]) == (
            row["label"],
            row["entity"],
            row["part"],
        )
        assert "\n" not in by_line[n]["text"] and "  " not in by_line[n]["text"]
    seed = [r for r in got if r["text"] == SEED_LIFTED]
    assert [(r["entity"], r["label"]) for r in seed] == [("Tesla", "positive")]


def test_reader_without_shared_data_reads_the_sample_corpus_rows(spark, rows, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = D.read_realnews(spark, str(SET_PATH), str(tmp_path / "no-shared-data"))
        got = df.collect()
    assert len(got) == sum(r["source"] == "sample_corpus" for r in rows)
    messages = [str(w.message) for w in caught if issubclass(w.category, D.SharedDataUnavailableWarning)]
    left_out = sum(r["source"] == "reuters21578" for r in rows)
    assert len(messages) == 1 and f"{left_out} reuters21578 rows left out" in messages[0]


def _write_lines(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


GOOD = {
    "source": "sample_corpus",
    "file": "x.txt",
    "text": "Acme rose.",
    "entity": "Acme",
    "label": "positive",
    "phenomenon": "results",
    "part": "tune",
}


@pytest.mark.parametrize(
    "bad, message",
    [
        ({**GOOD, "entity": "Zeta"}, r'line 2: entity \["Zeta"\] does not occur in the sentence'),
        ({**GOOD, "label": "mixed"}, r'line 2: label \["mixed"\] is not one of'),
        ({**GOOD, "source": "wire"}, r'line 2: source \["wire"\] is not one of reuters21578, sample_corpus'),
        ({**GOOD, "part": "test"}, r"line 2: part is not one of tune, heldout"),
    ],
)
def test_malformed_row_names_file_and_line(spark, tmp_path, bad, message):
    path = _write_lines(tmp_path / "set.jsonl", [GOOD, bad])
    with pytest.raises(D.MalformedDataError, match=r"set\.jsonl: " + message):
        D.read_realnews(spark, path, str(tmp_path))


def test_reuters_reference_with_wrong_sha1_names_file_and_line(spark, tmp_path, shared_data, rows):
    ref = next(r for r in rows if r["source"] == "reuters21578")
    path = _write_lines(tmp_path / "set.jsonl", [GOOD, {**ref, "sentence_sha1": "0" * 40}])
    with pytest.raises(
        D.MalformedDataError, match=r"set\.jsonl: line 2: span \[\d+, \d+\) of reut2-\d+\.sgm NEWID \d+ does not match"
    ):
        D.read_realnews(spark, path, str(shared_data))
