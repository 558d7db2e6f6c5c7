"""Readers of labeled sentiment files and the hash-based validation split."""

import json

import pytest
from chispa import assert_df_equality
from pyspark.sql import functions as F

from newslake.training import datasets as D

ROWS_DDL = "text string, label string, entity string, line long"


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return str(path)


def _rows(df):
    return df.select("text", "label", "entity", "line")


# --- phrasebank ---------------------------------------------------------------------------


def test_phrasebank_reads_latin1_lines_and_skips_blank_ones(spark, tmp_path):
    path = _write(
        tmp_path / "pb.txt",
        "Sales of Seppälä rose 8 % .@positive\n\nThe board met in Espoo .@neutral\r\n"
        "Net loss widened @ EUR 5 mn .@Negative\n",
        encoding="latin-1",
    )
    expected = spark.createDataFrame(
        [
            ("Sales of Seppälä rose 8 % .", "positive", None, 1),
            ("The board met in Espoo .", "neutral", None, 3),
            ("Net loss widened @ EUR 5 mn .", "negative", None, 4),
        ],
        ROWS_DDL,
    )
    assert_df_equality(_rows(D.read_phrasebank(spark, path)), expected, ignore_row_order=True, ignore_nullable=True)


def test_phrasebank_line_without_label_names_file_and_line(spark, tmp_path):
    path = _write(tmp_path / "bad.txt", "Fine .@neutral\nNo separator here\n")
    with pytest.raises(D.MalformedDataError, match=r"bad\.txt: line 2: expected 'sentence@label'"):
        D.read_phrasebank(spark, path)


def test_phrasebank_unknown_label_names_file_and_line(spark, tmp_path):
    path = _write(tmp_path / "bad.txt", "Fine .@neutral\nUp .@positive\nHm .@mixed\n")
    with pytest.raises(D.MalformedDataError, match=r"bad\.txt: line 3: label \[\"mixed\"\]"):
        D.read_phrasebank(spark, path)


def test_missing_file_is_reported(spark, tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        D.read_phrasebank(spark, str(tmp_path / "nope.txt"))


# --- sentfin ------------------------------------------------------------------------------


SENTFIN = (
    "S No.,Title,Decisions,Words\n"
    '1,SpiceJet to issue 6.4 crore warrants,"{""SpiceJet"": ""neutral""}",6\n'
    '2,"Gold up, silver down","{""Gold"": ""positive"", ""silver"": ""negative""}",4\n'
)


def test_sentfin_explodes_one_row_per_entity(spark, tmp_path):
    path = _write(tmp_path / "sentfin.csv", SENTFIN)
    expected = spark.createDataFrame(
        [
            ("SpiceJet to issue 6.4 crore warrants", "neutral", "SpiceJet", 2),
            ("Gold up, silver down", "positive", "Gold", 3),
            ("Gold up, silver down", "negative", "silver", 3),
        ],
        ROWS_DDL,
    )
    assert_df_equality(_rows(D.read_sentfin(spark, path)), expected, ignore_row_order=True, ignore_nullable=True)


def test_sentfin_bad_decisions_names_the_line(spark, tmp_path):
    path = _write(tmp_path / "sentfin.csv", SENTFIN + '3,Oops,"{not json}",1\n')
    with pytest.raises(D.MalformedDataError, match=r"sentfin\.csv: line 4: Decisions"):
        D.read_sentfin(spark, path)


def test_sentfin_wrong_field_count_names_the_line(spark, tmp_path):
    path = _write(tmp_path / "sentfin.csv", SENTFIN + "3,too,many,fields,here\n")
    with pytest.raises(D.MalformedDataError, match=r"line 4: expected 4 CSV fields"):
        D.read_sentfin(spark, path)


def test_sentfin_without_decisions_column_is_rejected(spark, tmp_path):
    path = _write(tmp_path / "s.csv", "Title,Label\nA,positive\n")
    with pytest.raises(D.MalformedDataError, match=r"line 1: header .* no 'decisions'"):
        D.read_sentfin(spark, path)


# --- finentity ----------------------------------------------------------------------------

FINENTITY = [
    {
        "content": "Siemens rallied 6% while Huhtamaki slipped.",
        "annotations": [
            {"start": 0, "end": 7, "value": "Siemens", "tag": "Positive", "label": "Positive"},
            {"start": 25, "end": 34, "value": "Huhtamaki", "tag": "Negative", "label": "Negative"},
        ],
    },
    {
        "content": "UBS kept its rating.",
        "annotations": [{"start": 0, "end": 3, "tag": "Neutral", "label": "Neutral"}],
    },
]


def test_finentity_array_one_row_per_entity(spark, tmp_path):
    path = _write(tmp_path / "fe.json", json.dumps(FINENTITY, indent=1))
    expected = spark.createDataFrame(
        [
            ("Siemens rallied 6% while Huhtamaki slipped.", "positive", "Siemens", 1),
            ("Siemens rallied 6% while Huhtamaki slipped.", "negative", "Huhtamaki", 1),
            # no "value": the entity comes from the start/end span
            ("UBS kept its rating.", "neutral", "UBS", 2),
        ],
        ROWS_DDL,
    )
    assert_df_equality(_rows(D.read_finentity(spark, path)), expected, ignore_row_order=True, ignore_nullable=True)


def test_finentity_json_lines_and_bad_line(spark, tmp_path):
    good = "\n".join(json.dumps(r) for r in FINENTITY)
    path = _write(tmp_path / "fe.jsonl", good + "\n")
    assert D.read_finentity(spark, path).count() == 3
    bad = _write(tmp_path / "bad.jsonl", good + '\n{"content": "x", "annotations": [\n')
    with pytest.raises(D.MalformedDataError, match=r"bad\.jsonl: line 3: not a JSON object"):
        D.read_finentity(spark, bad)


def test_finentity_record_without_annotations_names_the_record(spark, tmp_path):
    path = _write(tmp_path / "fe.json", json.dumps(FINENTITY + [{"content": "no annotations"}]))
    with pytest.raises(D.MalformedDataError, match=r"fe\.json: record 3: missing"):
        D.read_finentity(spark, path)


# --- generic csv --------------------------------------------------------------------------


def test_csv_with_header_and_entity(spark, tmp_path):
    path = _write(
        tmp_path / "l.csv",
        'label,text,entity\npos,"Acme beat estimates, shares up",Acme\nneutral,Board meets,\n',
    )
    expected = spark.createDataFrame(
        [
            ("Acme beat estimates, shares up", "positive", "Acme", 2),
            ("Board meets", "neutral", None, 3),
        ],
        ROWS_DDL,
    )
    assert_df_equality(_rows(D.read_labeled_csv(spark, path)), expected, ignore_row_order=True, ignore_nullable=True)


def test_csv_without_header(spark, tmp_path):
    path = _write(tmp_path / "l.csv", "Profit fell,negative\nProfit rose,positive\n")
    assert sorted(r["label"] for r in D.read_labeled(spark, "csv", path).collect()) == [
        "negative",
        "positive",
    ]


def test_csv_malformed_line(spark, tmp_path):
    path = _write(tmp_path / "l.csv", "text,label\nProfit fell,negative\nonly one field\n")
    with pytest.raises(D.MalformedDataError, match=r"l\.csv: line 3: expected 2 CSV fields"):
        D.read_labeled_csv(spark, path)


def test_unknown_format(spark):
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        D.read_labeled(spark, "xml", "x")


# --- split --------------------------------------------------------------------------------


def test_split_is_stable_and_ignores_case_and_punctuation(spark):
    df = spark.createDataFrame(
        [("Net sales rose 5 % .",), ("net sales rose 5%",), ("NET  SALES, ROSE 5 %",)], "text string"
    )
    buckets = {r["b"] for r in df.select(D.split_bucket(F.col("text")).alias("b")).collect()}
    assert len(buckets) == 1


def test_split_sends_about_a_fifth_to_validation(spark):
    df = spark.range(4000).select(F.concat(F.lit("sentence number "), F.col("id")).alias("text"))
    share = df.filter(D.is_validation(F.col("text"))).count() / 4000
    assert 0.17 < share < 0.23
    first = D.with_split(df).filter("split = 'validation'").select("text")
    again = D.with_split(df).filter("split = 'validation'").select("text")
    assert_df_equality(first, again, ignore_row_order=True, ignore_nullable=True)


# --- the shared data (skipped when ../shared/data is absent) ------------------------------


@pytest.mark.shared_data
def test_shared_entity_files_parse(spark, shared_data):
    sentfin = D.read_sentfin(spark, str(shared_data / D.SENTFIN_FILE))
    decisions = sentfin.groupBy("line").count()
    assert decisions.count() == len((shared_data / D.SENTFIN_FILE).read_bytes().splitlines()) - 1
    finentity = D.read_finentity(spark, str(shared_data / D.FINENTITY_FILE))
    records = json.loads((shared_data / D.FINENTITY_FILE).read_text(encoding="utf-8"))
    assert finentity.count() == sum(len(r["annotations"]) for r in records)
