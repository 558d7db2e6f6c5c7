"""Generate a synthetic news corpus for the benchmarks (issue #8).

    python -m bench.generate --articles 20000 --out /tmp/bench20k --seed 42 \\
        [--formats jsonl,html,warc] [--bad-share 0.02] [--syndicated-share 0.15]
        [--flood-company volkswagen --flood-share 0.8]

``--articles`` is the number of records written (every input record the ingest job will read:
good articles, syndicated copies and bad records). Bad records go into JSONL files (truncated
line, HTML error page, binary junk, JSON that is not an object, empty body, "Read more." body,
a 1970 date in an undated folder) and WARC files (an image response); the reason the ingest
quarantine must give each one is in ``_truth/bad_records.csv``. Layout of ``--out``:

    vendor_a/dt=YYYY-MM-DD/articles-NNNNN.jsonl   JSON Lines, title/body/url/published/source
    vendor_b/dt=YYYY-MM-DD/feed-NNNNN.jsonl       JSON Lines, headline/content/link/pubDate/site
    vendor_{a,b}/backfill/*.jsonl                 the 1970-dated bad records (no dt= folder)
    html/dt=YYYY-MM-DD/<slug>-<id>.html           one page per article
    cc_news/YYYY/MM/CC-NEWS-*.warc.gz             up to --warc-records responses per file
    _truth/stories.csv, bad_records.csv, summary.json   ground truth (ignored by ingest)

Articles are written one by one in publication order; only a bounded window of recent
originals (story number, date and site; no text) is kept for syndication, so memory stays
flat whatever ``--articles`` is. The same seed gives byte-identical files.

``--flood-company ID --flood-share P``: a syndicated copy copies a recent original whose main
company is ``ID`` with probability ``P`` (when one is within the syndication window), so that
company's stories are copied far more often than others' (issue #9's "company flooded by
copies"). Without it the output is the same as before the option existed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from bench import vocab
from bench.corpus import (
    DEFAULT_PROFILE,
    MAX_WORDS,
    PROFILES,
    SITES,
    Gazetteer,
    Site,
    Story,
    StoryMaker,
    article_url,
    day_counts,
    render_body,
    seconds_of_day,
    slugify,
    syndicate,
)
from bench.writers import (
    FormatStats,
    HtmlSink,
    JsonlSink,
    TruthSink,
    WarcSink,
    html_page,
    iso_local,
    jsonl_record,
    rfc822_local,
)

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("jsonl", "html", "warc")
SYNDICATION_WINDOW = timedelta(days=3)
RESERVOIR_MAX = 200_000  # originals kept for syndication (about 50 bytes each)

# kind, expected quarantine reason, weight, format it lives in
BAD_KINDS = (
    ("truncated_json", "unparseable_json", 0.22, "jsonl"),
    ("error_page", "unparseable_json", 0.12, "jsonl"),
    ("binary_junk", "undecodable_bytes", 0.10, "jsonl"),
    ("json_not_object", "not_an_object", 0.06, "jsonl"),
    ("empty_body", "empty_body", 0.14, "jsonl"),
    ("body_too_short", "body_too_short", 0.14, "jsonl"),
    ("epoch_date", "no_usable_date", 0.14, "jsonl"),
    ("non_html_response", "non_text_content", 0.08, "warc"),
)
EPOCH_DATES = {"a": "1970-01-01T00:00:00Z", "b": "Thu, 01 Jan 1970 00:00:00 GMT"}
UNDATED_FOLDER = "backfill"
STATS_SAMPLE = 3000  # --stats: bodies read from the written corpus
TIMING_FIELDS = ("seconds", "cpu_seconds", "records_per_second", "records_per_cpu_second")


@dataclass(frozen=True)
class Config:
    articles: int
    out: Path
    seed: int = 42
    formats: Tuple[str, ...] = FORMATS
    bad_share: float = 0.02
    syndicated_share: float = 0.15
    html_share: float = 0.05
    warc_share: float = 0.05
    start: date = date(2024, 1, 1)
    weeks: int = 26
    jsonl_lines: int = 5000
    warc_records: int = 1000
    gazetteer: Path = ROOT / "conf" / "gazetteer"
    flood_company: Optional[str] = None
    flood_share: float = 0.0
    profile: str = DEFAULT_PROFILE

    def format_shares(self) -> List[Tuple[str, float]]:
        """(format, share of articles) for the selected formats; JSONL takes the remainder."""
        shares = {
            "html": self.html_share if "html" in self.formats else 0.0,
            "warc": self.warc_share if "warc" in self.formats else 0.0,
        }
        if "jsonl" in self.formats:
            shares["jsonl"] = max(0.0, 1.0 - shares["html"] - shares["warc"])
        total = sum(shares.values())
        if total <= 0:  # e.g. --formats html --html-share 0
            shares = {f: 1.0 for f in self.formats}
            total = float(len(self.formats))
        return [(f, shares[f] / total) for f in FORMATS if shares.get(f, 0) > 0]

    def bad_kinds(self) -> List[Tuple[str, str, float, str]]:
        kinds = [k for k in BAD_KINDS if k[3] in self.formats]
        total = sum(k[2] for k in kinds)
        return [(kind, reason, weight / total, fmt) for kind, reason, weight, fmt in kinds]


class Generator:
    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.rng = random.Random(f"main:{cfg.seed}")
        self.maker = StoryMaker(Gazetteer(cfg.gazetteer), cfg.seed, PROFILES[cfg.profile])
        self.stats = FormatStats()
        self.jsonl = JsonlSink(cfg.out, self.stats, cfg.jsonl_lines)
        self.html = HtmlSink(cfg.out, self.stats)
        self.warc = WarcSink(cfg.out, self.stats, cfg.warc_records, cfg.seed)
        self.truth = TruthSink(cfg.out)
        self.format_shares = cfg.format_shares()
        self.bad_kinds = cfg.bad_kinds()
        self.reservoir: deque = deque(maxlen=RESERVOIR_MAX)  # (published, story_no, site index)
        self.flood_reservoir: deque = deque(maxlen=RESERVOIR_MAX)  # the same, of the flooded company
        self.next_story = 0
        self.counts: Dict[str, int] = {"originals": 0, "syndicated_copies": 0, "bad_records": 0}
        self.good_by_format: Dict[str, int] = {f: 0 for f in FORMATS}
        self.bad_by_reason: Dict[str, int] = {}
        self.bad_by_kind: Dict[str, int] = {}
        self.word_hist = [0] * (MAX_WORDS + 200)
        self.companies_seen: set = set()
        self.weeks_seen: set = set()
        self.first: Optional[datetime] = None
        self.last: Optional[datetime] = None

    # --- the stream --------------------------------------------------------------------------

    def run(self) -> None:
        cfg, r = self.cfg, self.rng.random
        days = cfg.weeks * 7
        schedule_rng = random.Random(f"schedule:{cfg.seed}")
        slot = 0
        for offset, count in enumerate(day_counts(cfg.articles, cfg.start, days, schedule_rng)):
            day = cfg.start + timedelta(days=offset)
            midnight = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
            for second in seconds_of_day(count, schedule_rng):
                slot += 1
                published = midnight + timedelta(seconds=second)
                reservoir = self.reservoir
                for recent in (reservoir, self.flood_reservoir):
                    while recent and recent[0][0] < published - SYNDICATION_WINDOW:
                        recent.popleft()
                if self.bad_kinds and r() < cfg.bad_share:
                    self.bad_record(slot, published)
                elif reservoir and r() < cfg.syndicated_share:
                    source = reservoir
                    if self.flood_reservoir and r() < cfg.flood_share:
                        source = self.flood_reservoir
                    orig_published, story_no, site_index = source[int(r() * len(source))]
                    orig_site = SITES[site_index]
                    story = self.maker.make(story_no, orig_published, orig_site)
                    site = self.other_site(orig_site)
                    copy = syndicate(story, orig_published, orig_site, self.rng)
                    self.emit(copy, site, published, slot, is_copy=True)
                    self.counts["syndicated_copies"] += 1
                else:
                    story_no = self.next_story
                    self.next_story += 1
                    site = SITES[int(r() * len(SITES))]
                    story = self.maker.make(story_no, published, site)
                    self.emit(story, site, published, slot, is_copy=False)
                    reservoir.append((published, story_no, site.index))
                    if cfg.flood_company and story.companies[0].id == cfg.flood_company:
                        self.flood_reservoir.append((published, story_no, site.index))
                    self.counts["originals"] += 1

    def close(self) -> None:
        self.jsonl.close()
        self.warc.close()
        self.truth.close()

    def other_site(self, site: Site) -> Site:
        index = int(self.rng.random() * (len(SITES) - 1))
        return SITES[index + 1 if index >= site.index else index]

    def pick_format(self) -> str:
        u = self.rng.random()
        for fmt, share in self.format_shares:
            u -= share
            if u < 0:
                return fmt
        return self.format_shares[-1][0]

    # --- good articles -----------------------------------------------------------------------

    def emit(self, story: Story, site: Site, published: datetime, slot: int, is_copy: bool) -> None:
        body, words = render_body(story, site.curly)
        uid = f"{slot:08x}"
        url = article_url(site, story.section, story.title, published, uid)
        fmt = self.pick_format()
        if fmt == "jsonl":
            stamp = iso_local(published, site.tz) if site.vendor == "a" else rfc822_local(published, site.tz)
            line = jsonl_record(site.vendor, story.title, body, url, stamp, site.name, story.author)
            path, number = self.jsonl.write(site.vendor, f"dt={published:%Y-%m-%d}", line)
        else:
            page = self.page(story, site, body, url, published)
            if fmt == "html":
                path, number = self.html.write(
                    f"html/dt={published:%Y-%m-%d}/{slugify(story.title, 60)}-{uid}.html", page
                )
            else:
                fetched = published + timedelta(minutes=5 + int(self.rng.random() * 600))
                path, number = self.warc.write(url, fetched, page, "text/html; charset=utf-8", slot)
        main = story.companies[0]
        self.truth.stories.writerow(
            [
                url,
                story.story_id,
                int(is_copy),
                fmt,
                path,
                number,
                published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                site.name,
                main.id,
                "|".join(c.id for c in story.companies),
                story.country.iso2,
                story.polarity,
                story.event,
                words,
            ]
        )
        self.good_by_format[fmt] += 1
        self.word_hist[min(words, len(self.word_hist) - 1)] += 1
        self.companies_seen.update(c.id for c in story.companies)
        iso = published.isocalendar()
        self.weeks_seen.add((iso[0], iso[1]))
        self.first = self.first or published
        self.last = published

    def page(self, story: Story, site: Site, body: str, url: str, published: datetime) -> bytes:
        r = self.rng.random
        related = [
            self.maker.gaz.companies.pick(r).name + " " + t
            for t in ("shares in focus", "results preview", "what analysts say")
        ]
        return html_page(
            story.title, body, url, iso_local(published, site.tz), site.name, story.author, story.section, related
        )

    # --- bad records -------------------------------------------------------------------------

    def bad_record(self, slot: int, published: datetime) -> None:
        r = self.rng.random
        u = r()
        for kind, reason, weight, fmt in self.bad_kinds:  # noqa: B007 - the entry picked is used after the loop
            u -= weight
            if u < 0:
                break
        site = SITES[int(r() * len(SITES))]
        uid = f"{slot:08x}"
        url, published_raw = "", ""
        if fmt == "warc":
            url = f"https://www.{site.domain}/images/{published:%Y/%m/%d}/photo-{uid}.jpg"
            junk = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + self.rng.randbytes(2000 + int(r() * 20000))
            fetched = published + timedelta(minutes=5 + int(r() * 600))
            path, number = self.warc.write(url, fetched, junk, "image/jpeg", slot)
        else:
            vendor = site.vendor
            folder = f"dt={published:%Y-%m-%d}"
            if kind == "error_page":
                line = _pick(r, vocab.ERROR_PAGES).encode()
            elif kind == "json_not_object":
                line = _pick(r, vocab.NOT_OBJECTS).encode()
            elif kind == "binary_junk":
                line = binary_junk(self.rng)
            else:
                story = self.maker.make(10**12 + slot, published, site)  # never syndicated
                body, _ = render_body(story, site.curly)
                url = article_url(site, story.section, story.title, published, uid)
                published_raw = iso_local(published, site.tz) if vendor == "a" else rfc822_local(published, site.tz)
                if kind == "empty_body":
                    body = ""
                elif kind == "body_too_short":
                    body = _pick(r, vocab.READ_MORE)
                elif kind == "epoch_date":
                    published_raw, folder = EPOCH_DATES[vendor], UNDATED_FOLDER
                line = jsonl_record(vendor, story.title, body, url, published_raw, site.name, story.author)
                if kind == "truncated_json":
                    line = truncate_inside_body(line, self.rng)
            path, number = self.jsonl.write(vendor, folder, line)
        self.truth.bad.writerow([path, number, fmt, kind, reason, url, published_raw])
        self.counts["bad_records"] += 1
        self.bad_by_reason[reason] = self.bad_by_reason.get(reason, 0) + 1
        self.bad_by_kind[kind] = self.bad_by_kind.get(kind, 0) + 1

    # --- summary -----------------------------------------------------------------------------

    def summary(self, seconds: float, cpu_seconds: float, argv: Sequence[str]) -> dict:
        cfg = self.cfg
        good = sum(self.good_by_format.values())
        total_bytes = sum(self.stats.bytes.values())
        return {
            "seed": cfg.seed,
            "profile": cfg.profile,
            "records": cfg.articles,
            "good_articles": good,
            "originals": self.counts["originals"],
            "syndicated_copies": self.counts["syndicated_copies"],
            "syndicated_share_of_good": round(self.counts["syndicated_copies"] / good, 4) if good else 0.0,
            "bad_records": self.counts["bad_records"],
            "bad_share": round(self.counts["bad_records"] / cfg.articles, 4) if cfg.articles else 0.0,
            "bad_by_reason": dict(sorted(self.bad_by_reason.items())),
            "bad_by_kind": dict(sorted(self.bad_by_kind.items())),
            "articles_by_format": {f: n for f, n in self.good_by_format.items() if f in cfg.formats},
            "records_by_format": dict(sorted(self.stats.records.items())),
            "files_by_format": dict(sorted(self.stats.files.items())),
            "bytes_by_format": dict(sorted(self.stats.bytes.items())),
            "mb_written": round(total_bytes / 1e6, 1),
            "words": word_stats(self.word_hist),
            "companies_mentioned": len(self.companies_seen),
            "iso_weeks": len(self.weeks_seen),
            "first_published": self.first.strftime("%Y-%m-%dT%H:%M:%SZ") if self.first else None,
            "last_published": self.last.strftime("%Y-%m-%dT%H:%M:%SZ") if self.last else None,
            "settings": {
                "formats": list(cfg.formats),
                "bad_share": cfg.bad_share,
                "syndicated_share": cfg.syndicated_share,
                "html_share": cfg.html_share,
                "warc_share": cfg.warc_share,
                "start": cfg.start.isoformat(),
                "weeks": cfg.weeks,
                "jsonl_lines": cfg.jsonl_lines,
                "warc_records": cfg.warc_records,
            },
            "command": "python -m bench.generate " + " ".join(argv),
            # the only fields that differ between two runs with one seed (TIMING_FIELDS):
            "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2),
            "records_per_second": round(cfg.articles / seconds, 1) if seconds > 0 else None,
            "records_per_cpu_second": round(cfg.articles / cpu_seconds, 1) if cpu_seconds > 0 else None,
        }


def _pick(r, seq):
    return seq[int(r() * len(seq))]


def binary_junk(rng: random.Random) -> bytes:
    """Bytes the ingest reader must call ``undecodable_bytes``: gzip magic, then noise with
    more than 5% C0 control bytes and no newline (one line of the JSONL file)."""
    while True:
        data = b"\x1f\x8b\x08\x00" + rng.randbytes(64 + int(rng.random() * 1500)).replace(b"\n", b"\x00")
        sample = data[:8192]
        if sum(1 for b in sample if b < 32 and b not in (9, 10, 13)) / len(sample) > 0.08:
            return data


def truncate_inside_body(line: bytes, rng: random.Random) -> bytes:
    """The line cut off in the middle of its body string (no closing quote or brace)."""
    text = line.decode("utf-8")
    start = max(text.find('"body": "'), text.find('"content": "'))
    start = text.index('": "', start) + 4
    end = text.index('", "', start)
    return text[: start + 1 + int(rng.random() * (end - start - 1))].encode("utf-8")


def word_stats(hist: List[int]) -> dict:
    n = sum(hist)
    if not n:
        return {}
    out, seen, marks = {}, 0, {"p10": 0.10, "median": 0.5, "p90": 0.9, "p99": 0.99}
    for words, count in enumerate(hist):
        seen += count
        for name, q in list(marks.items()):
            if seen >= q * n:
                out[name] = words
                del marks[name]
    out["mean"] = round(sum(w * c for w, c in enumerate(hist)) / n, 1)
    out["max"] = max(w for w, c in enumerate(hist) if c)
    return out


def parse_args(argv: Sequence[str]) -> Tuple[Config, bool, bool, bool]:
    p = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--articles", type=int, required=True, help="records to write (good, copies and bad)")
    p.add_argument("--out", type=Path, required=True, help="output folder (must be empty or absent)")
    p.add_argument("--seed", type=int, default=42, help="same seed, same bytes")
    p.add_argument("--formats", default="jsonl,html,warc", help="comma-separated subset of jsonl,html,warc")
    p.add_argument(
        "--bad-share",
        type=float,
        default=0.02,
        help="share of records that are bad (written into JSONL and WARC files only)",
    )
    p.add_argument("--syndicated-share", type=float, default=0.15, help="share of good articles that are copies")
    p.add_argument("--html-share", type=float, default=0.05, help="share of articles written as HTML pages")
    p.add_argument("--warc-share", type=float, default=0.05, help="share of articles written into WARC files")
    p.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1), help="first publication day")
    p.add_argument("--weeks", type=int, default=26, help="publication period in weeks")
    p.add_argument("--jsonl-lines", type=int, default=5000, help="lines per JSONL file at most")
    p.add_argument("--warc-records", type=int, default=1000, help="responses per WARC file at most")
    p.add_argument(
        "--gazetteer",
        type=Path,
        default=ROOT / "conf" / "gazetteer",
        help="folder with companies.csv and countries.csv",
    )
    p.add_argument("--flood-company", help="company id (conf/gazetteer) whose stories are copied most")
    p.add_argument(
        "--flood-share",
        type=float,
        default=0.0,
        help="with --flood-company: share of copies that copy that company's recent stories",
    )
    p.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=DEFAULT_PROFILE,
        help="article shape: 'calibrated' is fitted to Reuters-21578 (bench.corpus_stats); "
        "'legacy' is the generator before issue #17 (42 sentences an article)",
    )
    p.add_argument(
        "--stats",
        action="store_true",
        help="also print the corpus statistics of the written corpus beside Reuters-21578's "
        "(bench.corpus_stats), and keep them in _truth/corpus_stats.json",
    )
    p.add_argument("--force", action="store_true", help="replace --out when it holds an earlier generated corpus")
    p.add_argument("--quiet", action="store_true", help="print no summary (it is in _truth/summary.json)")
    a = p.parse_args(argv)
    formats = tuple(f for f in FORMATS if f in {x.strip() for x in a.formats.split(",")})
    unknown = {x.strip() for x in a.formats.split(",")} - set(FORMATS)
    if unknown or not formats:
        p.error(f"--formats: choose from {','.join(FORMATS)} (got {a.formats!r})")
    for name in ("bad_share", "syndicated_share", "html_share", "warc_share", "flood_share"):
        if not 0.0 <= getattr(a, name) < 1.0:
            p.error(f"--{name.replace('_', '-')} must be in [0, 1)")
    if a.articles < 1 or a.weeks < 1 or a.jsonl_lines < 1 or a.warc_records < 1:
        p.error("--articles, --weeks, --jsonl-lines and --warc-records must be positive")
    cfg = Config(
        articles=a.articles,
        out=a.out,
        seed=a.seed,
        formats=formats,
        bad_share=a.bad_share,
        syndicated_share=a.syndicated_share,
        html_share=a.html_share,
        warc_share=a.warc_share,
        start=a.start,
        weeks=a.weeks,
        jsonl_lines=a.jsonl_lines,
        warc_records=a.warc_records,
        gazetteer=a.gazetteer,
        flood_company=a.flood_company,
        flood_share=a.flood_share,
        profile=a.profile,
    )
    return cfg, a.force, a.quiet, a.stats


def prepare_out(out: Path, force: bool) -> None:
    if out.exists() and any(out.iterdir()):
        if not (force and (out / "_truth" / "summary.json").is_file()):
            raise SystemExit(f"{out} is not empty; use --force to replace a corpus generated earlier")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def generate(cfg: Config, argv: Sequence[str] = ()) -> dict:
    """Write the corpus and its truth files; returns the summary (also in _truth/summary.json)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    gen = Generator(cfg)
    try:
        gen.run()
    finally:
        gen.close()
    summary = gen.summary(time.perf_counter() - started, time.process_time() - cpu_started, argv)
    with open(cfg.out / "_truth" / "summary.json", "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
        handle.write("\n")
    return summary


def print_summary(s: dict, out: Path) -> None:
    print(
        f"corpus written to {out} in {s['seconds']:.1f} s: {s['records_per_second']:,.0f} records/s "
        f"({s['cpu_seconds']:.1f} s CPU, {s['records_per_cpu_second']:,.0f} records per CPU second)"
    )
    print(f"  profile          {s.get('profile', 'legacy'):>10}")
    print(f"  records          {s['records']:>10,}")
    print(
        f"  good articles    {s['good_articles']:>10,}  (originals {s['originals']:,}, "
        f"syndicated copies {s['syndicated_copies']:,} = {s['syndicated_share_of_good']:.1%})"
    )
    print(f"  bad records      {s['bad_records']:>10,}  {s['bad_by_reason']}")
    for fmt in FORMATS:
        if fmt in s["files_by_format"]:
            print(
                f"  {fmt:<6} {s['records_by_format'].get(fmt, 0):>10,} records in {s['files_by_format'][fmt]:>7,} files, "
                f"{s['bytes_by_format'].get(fmt, 0) / 1e6:>9.1f} MB"
            )
    print(f"  total            {s['mb_written']:>10,.1f} MB")
    w = s["words"]
    if w:
        print(
            f"  words/article    median {w['median']}, mean {w['mean']}, p90 {w['p90']}, p99 {w['p99']}, max {w['max']}"
        )
    print(
        f"  {s['companies_mentioned']} companies, {s['iso_weeks']} ISO weeks "
        f"({s['first_published']} .. {s['last_published']})"
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    cfg, force, quiet, stats = parse_args(argv)
    prepare_out(cfg.out, force)
    summary = generate(cfg, argv)
    if not quiet:
        print_summary(summary, cfg.out)
    if stats:
        from bench.corpus_stats import DEFAULT_REUTERS, compare, format_table

        columns = compare(DEFAULT_REUTERS, (), STATS_SAMPLE, cfg.seed, cfg.out)
        columns[f"corpus ({cfg.profile})"] = columns.pop("corpus")
        with open(cfg.out / "_truth" / "corpus_stats.json", "w", encoding="utf-8") as handle:
            json.dump(columns, handle, indent=2)
            handle.write("\n")
        if "reuters-21578" not in columns:
            print(f"note: no Reuters-21578 files under {DEFAULT_REUTERS}; real-text column left out")
        print(format_table(columns))
    return 0


if __name__ == "__main__":
    sys.exit(main())
