"""The benchmark corpus generator (bench/generate.py): pure Python, no Spark session."""

from __future__ import annotations

import csv
import json
import re
import statistics
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ lives at the repo root, next to lib/
    sys.path.insert(0, str(ROOT))

from bench.corpus import MAX_WORDS  # noqa: E402
from bench.generate import TIMING_FIELDS, Config, generate  # noqa: E402
from newslake.bronze import formats  # noqa: E402
from newslake.bronze.dates import parse_published  # noqa: E402
from newslake.bronze.formats import ParseOptions, parse_file  # noqa: E402
from newslake.bronze.transform import DUMP_DATE_PATTERN  # noqa: E402
from newslake.config import IngestSettings  # noqa: E402

N = 2000
WEEKS = 12  # fewer dump folders (files) than the default 26 keeps the suite fast
OPTS = ParseOptions()
INGEST = IngestSettings()


def _read_csv(path: Path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _corpus_files(root: Path):
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "corpus"
    summary = generate(Config(articles=N, out=out, seed=42, weeks=WEEKS))
    return out, summary


@pytest.fixture(scope="module")
def truth(corpus):
    root, _ = corpus
    return _read_csv(root / "_truth" / "stories.csv"), _read_csv(root / "_truth" / "bad_records.csv")


def _parse(root: Path, rel: str):
    path = root / rel
    return parse_file(str(path), path.read_bytes(), None, OPTS)


def _expected_reason(record, path: str):
    """The reason the ingest job would give: ``parse_error``, then the body and date rules of
    ``transform.with_reject_reason`` and ``with_article_date`` (applied here in pure Python)."""
    if record["parse_error"]:
        return record["parse_error"]
    body = (record["body"] or "").strip()
    if not body:
        return "empty_body"
    if len(body) < INGEST.min_body_chars:
        return "body_too_short"
    parsed = record["published_parsed"]
    plausible = parsed is not None and parsed.year >= INGEST.min_year
    if not plausible and not re.search(DUMP_DATE_PATTERN, path):
        return "no_usable_date"
    return None


def _skip_extraction(monkeypatch):
    """Reason codes are decided before HTML extraction and language detection: stub both (the
    slow parts: trafilatura, py3langid) so the reason tests stay fast."""
    monkeypatch.setattr(
        formats,
        "_html_fields",
        lambda html, url=None: {
            "title": "t",
            "body": "b" * 100,
            "url": url,
            "source": None,
            "published": "2024-01-01",
            "author": None,
            "language": None,
        },
    )
    monkeypatch.setattr(formats, "detect_language", lambda title, body: "en")


def test_same_seed_gives_identical_files(corpus, tmp_path):
    root, summary = corpus
    again = tmp_path / "again"
    summary2 = generate(Config(articles=N, out=again, seed=42, weeks=WEEKS))
    files = [p.relative_to(root) for p in _corpus_files(root)]
    assert files == [p.relative_to(again) for p in _corpus_files(again)]
    for rel in files:
        if rel.as_posix() != "_truth/summary.json":
            assert (root / rel).read_bytes() == (again / rel).read_bytes(), rel
    strip = lambda s: {k: v for k, v in s.items() if k not in TIMING_FIELDS}  # noqa: E731
    assert strip(summary) == strip(summary2)
    assert strip(json.loads((root / "_truth" / "summary.json").read_text())) == strip(summary)


def test_another_seed_gives_another_corpus(tmp_path):
    a = generate(Config(articles=150, out=tmp_path / "a", seed=1, formats=("jsonl",), weeks=1))
    b = generate(Config(articles=150, out=tmp_path / "b", seed=2, formats=("jsonl",), weeks=1))
    stories_a = (tmp_path / "a" / "_truth" / "stories.csv").read_text()
    assert stories_a != (tmp_path / "b" / "_truth" / "stories.csv").read_text()
    assert a["records"] == b["records"] == 150


def test_counts_match_truth_files(corpus, truth):
    from warcio.archiveiterator import ArchiveIterator

    root, summary = corpus
    stories, bad = truth
    records = Counter()
    for path in _corpus_files(root):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("_truth/"):
            continue
        if rel.endswith(".jsonl"):
            lines = path.read_bytes().split(b"\n")
            assert lines[-1] == b"" and all(line.strip() for line in lines[:-1]), rel
            records["jsonl"] += len(lines) - 1
        elif rel.endswith(".html"):
            records["html"] += 1
        elif rel.endswith(".warc.gz"):
            with open(path, "rb") as handle:
                records["warc"] += sum(1 for r in ArchiveIterator(handle) if r.rec_type == "response")
        else:
            pytest.fail(f"unexpected file {rel}")
    assert sum(records.values()) == len(stories) + len(bad) == N == summary["records"]
    assert dict(records) == summary["records_by_format"]
    assert len(stories) == summary["good_articles"] and len(bad) == summary["bad_records"]
    assert sum(s["is_copy"] == "1" for s in stories) == summary["syndicated_copies"]
    assert Counter(s["source_format"] for s in stories) == Counter(summary["articles_by_format"])
    assert Counter(b["expected_reason"] for b in bad) == Counter(summary["bad_by_reason"])
    locations = [(r["path"], r["record_number"]) for r in stories + bad]
    assert len(set(locations)) == len(locations)
    assert len({s["url"] for s in stories}) == len(stories)


def test_lengths_look_like_news(corpus, truth):
    root, summary = corpus
    stories, _ = truth
    words = [int(s["words"]) for s in stories]
    median = statistics.median(words)
    assert 70 <= median <= 130  # Reuters-21578 bodies: median 88 words (bench.corpus_stats)
    # Log-normal lengths: the longest of 2,000 draws lands near 1,000 words and moves with the
    # draws (a wider gazetteer shifts them); the 99th percentile is stable, about 440 words.
    assert statistics.quantiles(words, n=100)[-1] <= 600
    assert max(words) <= MAX_WORDS
    assert statistics.quantiles(words, n=10)[-1] > 2.0 * median  # a long right tail
    assert min(words) >= 15
    # the truth's word counts are the bodies' real counts
    sample = [s for s in stories if s["source_format"] == "jsonl"][:200]
    by_file, paragraphed = {}, 0
    for s in sample:
        lines = by_file.setdefault(s["path"], (root / s["path"]).read_bytes().split(b"\n"))
        obj = json.loads(lines[int(s["record_number"]) - 1])
        body = obj.get("body") or obj.get("content")
        assert len(body.split()) == int(s["words"])
        assert obj.get("title") or obj.get("headline")
        paragraphed += "\n\n" in body
    assert paragraphed > 0.6 * len(sample)  # a one-paragraph item now and then, as on the wire


def test_legacy_profile_keeps_the_long_articles(tmp_path):
    out = tmp_path / "legacy"
    summary = generate(Config(articles=300, out=out, seed=42, weeks=2, formats=("jsonl",), profile="legacy"))
    words = [int(s["words"]) for s in _read_csv(out / "_truth" / "stories.csv")]
    assert summary["profile"] == "legacy"
    assert 400 <= statistics.median(words) <= 800 and max(words) <= 5000 and min(words) >= 60


def test_shares_of_copies_and_bad_records(corpus, truth):
    _, summary = corpus
    stories, bad = truth
    copies = [s for s in stories if s["is_copy"] == "1"]
    assert abs(len(copies) / len(stories) - 0.15) < 0.03
    assert abs(len(bad) / N - 0.02) < 0.01
    originals = {s["story_id"]: s for s in stories if s["is_copy"] == "0"}
    assert len(originals) == len(stories) - len(copies)
    for copy in copies:
        original = originals[copy["story_id"]]
        delay = datetime.fromisoformat(copy["published_utc"][:-1]) - datetime.fromisoformat(
            original["published_utc"][:-1]
        )
        assert timedelta(0) <= delay <= timedelta(days=3)
        assert copy["site"] != original["site"] and copy["url"] != original["url"]
        assert copy["main_company_id"] == original["main_company_id"]
        assert abs(int(copy["words"]) - int(original["words"])) < 60


def test_copies_are_near_duplicates(corpus, truth):
    root, _ = corpus
    stories, _ = truth
    originals = {s["story_id"]: s for s in stories if s["is_copy"] == "0" and s["source_format"] == "jsonl"}
    pairs = [
        (s, originals[s["story_id"]])
        for s in stories
        if s["is_copy"] == "1" and s["source_format"] == "jsonl" and s["story_id"] in originals
    ][:20]
    assert len(pairs) >= 10

    def body(s):
        obj = json.loads((root / s["path"]).read_bytes().split(b"\n")[int(s["record_number"]) - 1])
        return (
            (obj.get("body") or obj.get("content")).replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
        )

    for copy, original in pairs:
        a, b = body(copy).split("\n\n"), body(original).split("\n\n")
        assert a != b and abs(len(a) - len(b)) <= 1  # a footer more or less
        # only the first paragraph (wire prefix), 1-2 reworded ones and the footer differ
        assert len(set(a) - set(b)) <= 4 and len(set(b) - set(a)) <= 4


def test_every_jsonl_line_parses_or_is_listed_bad(corpus, truth):
    root, summary = corpus
    _, bad = truth
    listed = {(b["path"], int(b["record_number"])) for b in bad}
    checked = 0
    for path in root.rglob("*.jsonl"):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_bytes().split(b"\n")[:-1], start=1):
            checked += 1
            try:
                obj = json.loads(line)
            except ValueError:  # JSONDecodeError and UnicodeDecodeError
                obj = None
            good = isinstance(obj, dict) and len((obj.get("body") or obj.get("content") or "").strip()) >= 60
            if good:
                published = parse_published(obj.get("published") or obj.get("pubDate"))
                good = published is not None and published.year >= 2020
            assert good != ((rel, number) in listed), (rel, number)
    assert checked == summary["records_by_format"]["jsonl"]


def test_parse_file_gives_the_expected_reason(corpus, truth, monkeypatch):
    root, _ = corpus
    _, bad = truth
    _skip_extraction(monkeypatch)
    kinds = Counter()
    parsed = {}
    for b in bad:
        records = parsed.setdefault(b["path"], _parse(root, b["path"]))
        record = next(r for r in records if r["record_number"] == int(b["record_number"]))
        assert _expected_reason(record, b["path"]) == b["expected_reason"], b
        if b["expected_reason"] == "no_usable_date":
            assert not re.search(DUMP_DATE_PATTERN, b["path"])
            assert record["published_parsed"].year == 1970 and record["parse_error"] is None
        kinds[b["kind"]] += 1
    assert len(kinds) >= 6  # the mix covers most kinds even at 2,000 records
    # and the good records in the same files pass every rule
    for rel, records in parsed.items():
        listed = {int(b["record_number"]) for b in bad if b["path"] == rel}
        for record in records:
            if record["record_number"] not in listed:
                assert _expected_reason(record, rel) is None, (rel, record["record_number"])


def test_bad_kinds_each_get_their_reason(tmp_path, monkeypatch):
    out = tmp_path / "bad"
    summary = generate(
        Config(
            articles=400,
            out=out,
            seed=7,
            bad_share=0.5,
            formats=("jsonl", "warc"),
            warc_share=0.05,
            warc_records=50,
            weeks=1,
        )
    )
    _skip_extraction(monkeypatch)
    bad = _read_csv(out / "_truth" / "bad_records.csv")
    assert set(summary["bad_by_kind"]) == {
        "truncated_json",
        "error_page",
        "binary_junk",
        "json_not_object",
        "empty_body",
        "body_too_short",
        "epoch_date",
        "non_html_response",
    }
    parsed = {}
    for b in bad:
        records = parsed.setdefault(b["path"], _parse(out, b["path"]))
        record = next(r for r in records if r["record_number"] == int(b["record_number"]))
        assert _expected_reason(record, b["path"]) == b["expected_reason"], b


def test_html_and_warc_pages_extract(tmp_path):
    out = tmp_path / "pages"
    generate(Config(articles=60, out=out, seed=3, formats=("html", "warc"), bad_share=0.0, warc_records=4, weeks=1))
    stories = _read_csv(out / "_truth" / "stories.csv")
    html = [s for s in stories if s["source_format"] == "html"][:2]
    warc_file = next(s["path"] for s in stories if s["source_format"] == "warc")
    warc = [s for s in stories if s["path"] == warc_file]
    assert html and 1 <= len(warc) <= 4
    for s in html + warc:
        record = next(r for r in _parse(out, s["path"]) if r["record_number"] == int(s["record_number"]))
        assert record["parse_error"] is None and record["url"] == s["url"]
        assert len(record["body"]) > 200 and record["title"]
        assert record.get("detected_language", "en") == "en"
        assert record["published_parsed"].date() in {
            date.fromisoformat(s["published_utc"][:10]) + timedelta(days=d) for d in (-1, 0, 1)
        }


def test_entities_dates_and_layout(corpus, truth):
    root, summary = corpus
    stories, _ = truth
    aliases = {}
    with open(ROOT / "conf" / "gazetteer" / "companies.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            aliases[row["company_id"]] = row["aliases"].split("|")
    main = Counter(s["main_company_id"] for s in stories if s["is_copy"] == "0")
    top = main.most_common()
    assert top[0][1] > 10 * statistics.median(n for _, n in top)  # Zipf-like: a few dominate
    assert all(1 <= len(s["company_ids"].split("|")) <= 4 for s in stories)
    assert all(s["country"] and len(s["country"]) == 2 for s in stories)
    for s in [s for s in stories if s["source_format"] == "jsonl"][:300]:
        obj = json.loads((root / s["path"]).read_bytes().split(b"\n")[int(s["record_number"]) - 1])
        text = (obj.get("title") or obj.get("headline")) + " " + (obj.get("body") or obj.get("content"))
        text = text.replace("\u2019", "'")
        assert any(a in text for a in aliases[s["main_company_id"]]), s["url"]
        folder = re.search(DUMP_DATE_PATTERN, s["path"]).group(1)
        assert folder == s["published_utc"][:10]  # the dump folder is the UTC publication day
    published = [s["published_utc"] for s in stories]
    assert min(published) >= "2024-01-01" and max(published) < str(date(2024, 1, 1) + timedelta(weeks=WEEKS))
    assert summary["iso_weeks"] == WEEKS


def test_cli_writes_a_summary_and_refuses_a_foreign_folder(tmp_path):
    out = tmp_path / "cli"
    cmd = [
        sys.executable,
        "-m",
        "bench.generate",
        "--articles",
        "40",
        "--out",
        str(out),
        "--seed",
        "5",
        "--formats",
        "jsonl",
        "--weeks",
        "1",
    ]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "records" in done.stdout and json.loads((out / "_truth" / "summary.json").read_text())["records"] == 40
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60).returncode != 0
    assert subprocess.run(cmd + ["--force"], cwd=ROOT, capture_output=True, text=True, timeout=60).returncode == 0
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not a corpus")
    cmd[cmd.index(str(out))] = str(foreign)
    assert subprocess.run(cmd + ["--force"], cwd=ROOT, capture_output=True, text=True, timeout=60).returncode != 0
    assert (foreign / "keep.txt").read_text() == "not a corpus"
