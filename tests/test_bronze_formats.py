import bz2
import gzip
import json
from datetime import datetime
from pathlib import Path

import pytest

from newslake.bronze.dates import parse_published
from newslake.bronze.formats import REASON_CODES, ParseOptions, decode_bytes, detect_format, parse_file, parse_text_page

SEED = Path(__file__).resolve().parents[1] / "data" / "sample_corpus" / "scraped" / "dt=2024-04-28" / "seed_article.txt"
OPTS = ParseOptions()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2024-04-02T17:40:00+08:00", datetime(2024, 4, 2, 9, 40)),
        ("2024-04-02T09:15:00Z", datetime(2024, 4, 2, 9, 15)),
        ("Tue, 09 Apr 2024 14:30:00 GMT", datetime(2024, 4, 9, 14, 30)),
        ("Tue, 09 Apr 2024 14:30:00 +0100", datetime(2024, 4, 9, 13, 30)),
        ("April 2, 2024 5:40 PM EDT", datetime(2024, 4, 2, 21, 40)),
        ("2024-04-02", datetime(2024, 4, 2)),
        ("1712068800", datetime(2024, 4, 2, 14, 40)),
        ("1712068800000", datetime(2024, 4, 2, 14, 40)),
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_published(raw, expected):
    assert parse_published(raw) == expected


def test_seed_page_title_and_body():
    page = parse_text_page(SEED.read_text(encoding="utf-8"))
    assert page["title"] == "Elon Musk’s Beijing Shocker: Tesla’s China Triumph Secures Data Safety"
    assert page["body"].startswith("Musk makes surprise visit to Beijing")
    assert "HomeFinance" not in page["body"]
    assert page["published"] is None


def test_text_page_headers():
    page = parse_text_page(
        "Title: Nio cuts prices\nBy: A. Writer\nDate: 2024-04-02\n\nNio said on Tuesday it cut prices."
    )
    assert (page["title"], page["author"], page["published"]) == ("Nio cuts prices", "A. Writer", "2024-04-02")
    assert page["body"] == "Nio said on Tuesday it cut prices."


def test_text_page_header_names_come_from_conf_and_datelines_give_dates():
    from newslake.bronze.ingest import parse_options
    from newslake.config import IngestSettings

    opts = parse_options(IngestSettings(text_headers={"title": ["Überschrift"], "published": ["Datum"]}))
    page = parse_text_page(
        "Überschrift: Siemens wächst\nDatum: 2024-04-02\n\nSiemens hat mehr verkauft.",
        opts.text_headers,
        opts.dateline_pattern,
    )
    assert (page["title"], page["published"]) == ("Siemens wächst", "2024-04-02")
    wire = "Title: VW cuts outlook\n\nWOLFSBURG, April 3, 2024 (Autos Wire) - Volkswagen cut its outlook."
    page = parse_text_page(wire, parse_options(IngestSettings()).text_headers, IngestSettings().dateline_pattern)
    assert page["published"] == "April 3, 2024"
    assert parse_published(page["published"]) == datetime(2024, 4, 3)


def test_jsonl_good_broken_and_offsets():
    lines = [
        json.dumps({"headline": "A", "content": "x" * 80, "link": "https://a.example/1", "pubDate": "2024-04-02"}),
        '{"title": "cut',
        "",
        "[1, 2]",
        "<html>502</html>",
    ]
    data = ("\n".join(lines) + "\n").encode()
    records = parse_file("dump/a.jsonl", data, None, OPTS)
    assert [r["record_number"] for r in records] == [1, 2, 3, 4]
    assert [r["parse_error"] for r in records] == [None, "unparseable_json", "not_an_object", "unparseable_json"]
    assert records[0]["title"] == "A" and records[0]["url"] == "https://a.example/1"
    assert records[0]["published_parsed"] == datetime(2024, 4, 2)
    assert records[1]["byte_offset"] == len(lines[0]) + 1


def test_json_array_and_wrapped_array():
    arr = json.dumps([{"title": "A", "body": "b"}, {"title": "B", "body": "c"}]).encode()
    wrapped = json.dumps({"articles": [{"title": "A", "body": "b"}]}).encode()
    assert [r["title"] for r in parse_file("x.json", arr, None, OPTS)] == ["A", "B"]
    assert [r["title"] for r in parse_file("x.json", wrapped, None, OPTS)] == ["A"]


def test_csv_with_multiline_quoted_body():
    data = 'title,body,url\n"A","line one\nline two",https://a.example/1\n"B","x",\n'.encode()
    records = parse_file("x.csv", data, None, OPTS)
    assert [r["body"] for r in records] == ["line one\nline two", "x"]


def test_compressed_inputs_are_transparent():
    payload = (json.dumps({"title": "A", "body": "b" * 70}) + "\n").encode()
    assert detect_format("a/b.jsonl.gz") == ("jsonl", ".gz")
    assert parse_file("b.jsonl.gz", gzip.compress(payload), None, OPTS)[0]["title"] == "A"
    assert parse_file("b.jsonl.bz2", bz2.compress(payload), None, OPTS)[0]["title"] == "A"
    assert parse_file("b.jsonl.gz", b"not gzip", None, OPTS)[0]["parse_error"] == "unreadable_file"


def test_encodings():
    assert decode_bytes("Nestlé".encode("utf-16"))[0] == "Nestlé"
    assert decode_bytes("Nestlé".encode("latin-1"))[0] == "Nestlé"
    assert (
        decode_bytes(b"Nest\x00l\xc3\xa9 reported higher sales this quarter")[0]
        == "Nestlé reported higher sales this quarter"
    )
    assert decode_bytes(bytes(range(0, 32)) * 20) == (None, "undecodable_bytes")


def test_bad_files_become_records_with_reasons():
    assert parse_file("x.pdf", b"%PDF", None, OPTS)[0]["parse_error"] == "unsupported_format"
    assert parse_file("x.jsonl", b"", None, OPTS)[0]["parse_error"] == "empty_file"
    big = (json.dumps({"title": "A", "body": "b" * 200}) + "\n").encode()
    small = ParseOptions(max_record_bytes=100)
    assert parse_file("x.jsonl", big, None, small)[0]["parse_error"] == "oversized_record"
    for record in parse_file("x.jsonl", b'{"a":\n', None, OPTS):
        assert record["parse_error"] in REASON_CODES


CORPUS = Path(__file__).resolve().parents[1] / "data" / "sample_corpus"


def _sample(pattern):
    return sorted(CORPUS.glob(pattern))


def test_html_pages_keep_main_text_and_drop_chrome():
    pages = _sample("html/dt=*/*.html")
    records = [r for page in pages for r in parse_file(str(page), page.read_bytes(), None, OPTS)]
    good = [r for r in records if r["parse_error"] is None and r["body"]]
    assert len(good) == 4
    for record in good:
        assert record["title"] and record["published_parsed"] is not None
        assert "<script" in record["raw_payload"]  # bronze keeps the raw page
        assert "<script" not in record["body"] and "accept all" not in record["body"].lower()
    assert sum(1 for r in records if not r["body"]) == 1  # the script-only page


def test_warc_reads_html_responses_and_flags_non_text():
    (warc,) = _sample("warc/dt=*/*.warc.gz")
    records = parse_file(str(warc), warc.read_bytes(), None, OPTS)
    assert [r["parse_error"] for r in records] == [None, None, "non_text_content", None, None]
    assert all(r["url"].startswith("http") for r in records if r["parse_error"] is None)
    assert all(len(r["body"]) > 400 for r in records if r["parse_error"] is None)


def test_csv_export_and_json_array_samples():
    (csv_file,) = _sample("vendor_c/dt=*/export.csv")
    csv_records = parse_file(str(csv_file), csv_file.read_bytes(), None, OPTS)
    assert [r["parse_error"] for r in csv_records].count("unparseable_csv") == 1
    assert sum(1 for r in csv_records if r["parse_error"] is None and "\n" in r["body"]) == 5
    (json_file,) = _sample("vendor_d/dt=*/articles.json")
    json_records = parse_file(str(json_file), json_file.read_bytes(), None, OPTS)
    assert [r["parse_error"] for r in json_records].count("not_an_object") == 1
    assert all(r["published_parsed"] for r in json_records if r["parse_error"] is None)


def test_gzip_jsonl_sample_and_language_detection():
    (gz,) = _sample("vendor_e/dt=*/articles.jsonl.gz")
    records = parse_file(str(gz), gz.read_bytes(), None, OPTS)
    assert len(records) == 4
    assert sorted(r["detected_language"] for r in records) == ["de", "en", "en", "en"]
