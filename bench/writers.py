"""Streaming, deterministic writers: JSON Lines dumps, HTML pages, gzipped WARC files, truth CSVs.

Nothing here reads the clock: WARC record ids and dates are derived from the seed and the
article, and gzip members carry no timestamp, so two runs with one seed are byte-identical.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import uuid
import zlib
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench import vocab


class FormatStats:
    def __init__(self) -> None:
        self.files: Dict[str, int] = {}
        self.bytes: Dict[str, int] = {}
        self.records: Dict[str, int] = {}

    def add(self, fmt: str, files: int = 0, nbytes: int = 0, records: int = 0) -> None:
        self.files[fmt] = self.files.get(fmt, 0) + files
        self.bytes[fmt] = self.bytes.get(fmt, 0) + nbytes
        self.records[fmt] = self.records.get(fmt, 0) + records


class _Dirs:
    def __init__(self, root: Path) -> None:
        self.root, self.made = root, set()

    def file(self, rel: str) -> Path:
        path = self.root / rel
        parent = path.parent
        if parent not in self.made:
            parent.mkdir(parents=True, exist_ok=True)
            self.made.add(parent)
        return path


class JsonlSink:
    """One open file per stream: a vendor's dated dumps (``vendor_a/dt=...``, the folder moves
    forward with the publication date) or its undated folder. A new part every ``max_lines``."""

    NAMES = {"a": "articles", "b": "feed"}

    def __init__(self, root: Path, stats: FormatStats, max_lines: int) -> None:
        self.dirs, self.stats, self.max_lines = _Dirs(root), stats, max_lines
        self.open: Dict[Tuple[str, bool], list] = {}  # stream -> [folder, part, handle, lines, relpath]

    def write(self, vendor: str, folder: str, line: bytes) -> Tuple[str, int]:
        """Append one line; returns (path relative to the root, 1-based line number)."""
        stream = (vendor, folder.startswith("dt="))
        state = self.open.get(stream)
        if state is None or state[0] != folder or state[3] >= self.max_lines:
            part = state[1] + 1 if state is not None and state[0] == folder else 0
            if state is not None:
                state[2].close()
            rel = f"vendor_{vendor}/{folder}/{self.NAMES[vendor]}-{part:05d}.jsonl"
            # "xb": a folder revisited out of order would fail here instead of truncating a file
            state = [folder, part, open(self.dirs.file(rel), "xb", buffering=1 << 20), 0, rel]
            self.open[stream] = state
            self.stats.add("jsonl", files=1)
        state[2].write(line)
        state[2].write(b"\n")
        state[3] += 1
        self.stats.add("jsonl", nbytes=len(line) + 1, records=1)
        return state[4], state[3]

    def close(self) -> None:
        for state in self.open.values():
            state[2].close()
        self.open.clear()


def iso_local(published: datetime, tz) -> str:
    text = published.astimezone(tz).isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def rfc822_local(published: datetime, tz) -> str:
    local = published.astimezone(tz)
    if local.utcoffset().total_seconds() == 0:
        return format_datetime(published.astimezone(timezone.utc), usegmt=True)
    return format_datetime(local)


def jsonl_record(
    vendor: str,
    title: Optional[str],
    body: str,
    url: str,
    published: Optional[str],
    site_name: str,
    author: Optional[str],
) -> bytes:
    if vendor == "a":
        obj = {"title": title, "body": body, "url": url, "published": published, "source": site_name, "language": "en"}
        if author:
            obj["author"] = author
    else:
        obj = {"headline": title, "content": body, "link": url, "pubDate": published, "site": site_name}
    return json.dumps(obj, ensure_ascii=False).encode("utf-8")


_NAV = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in vocab.NAV)
_STYLE = "body{font-family:Georgia,serif;margin:0}nav ul{list-style:none}nav li{display:inline;margin:0 8px}"


def html_page(
    title: str, body: str, url: str, published_iso: str, site_name: str, author: str, section: str, related: List[str]
) -> bytes:
    """A news page: head metadata, nav, cookie banner, the <article>, related links, footer, scripts."""
    e = html.escape
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": title,
            "datePublished": published_iso,
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "Organization", "name": site_name},
        },
        ensure_ascii=False,
    )
    ld = ld.replace("</", "<\\/")
    paragraphs = "<p>" + e(body, quote=False).replace("\n\n", "</p>\n<p>") + "</p>"
    nav = _NAV
    links = "".join(f'<li><a href="/{section}/related-{i}">{e(t, quote=False)}</a></li>' for i, t in enumerate(related))
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{e(title, quote=False)} | {e(site_name, quote=False)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(title)}">
<meta property="og:site_name" content="{e(site_name)}">
<meta property="og:url" content="{e(url)}">
<meta property="article:published_time" content="{published_iso}">
<meta property="article:section" content="{section}">
<meta name="author" content="{e(author)}">
<link rel="canonical" href="{e(url)}">
<script type="application/ld+json">{ld}</script>
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"section":"{section}","paywall":false}});</script>
<style>{_STYLE}</style>
</head>
<body>
<header class="site-header"><a class="logo" href="/">{e(site_name, quote=False)}</a>
<nav><ul>{nav}</ul></nav></header>
<div class="cookie-banner" role="dialog"><p>We use cookies to personalise content and ads. <a href="/privacy">Manage preferences</a></p></div>
<main>
<article>
<h1>{e(title, quote=False)}</h1>
<p class="byline">By <span class="author">{e(author, quote=False)}</span></p>
<time datetime="{published_iso}">{published_iso[:10]}</time>
<div class="article-body">
{paragraphs}
</div>
</article>
<aside class="related"><h2>More from {e(section, quote=False)}</h2><ul>{links}</ul></aside>
</main>
<footer class="site-footer"><p>&copy; {published_iso[:4]} {e(site_name, quote=False)}. All rights reserved.</p>
<a href="/about">About us</a> <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
<script src="/static/js/app.min.js" async></script>
</body>
</html>
"""
    return page.encode("utf-8")


class HtmlSink:
    def __init__(self, root: Path, stats: FormatStats) -> None:
        self.dirs, self.stats = _Dirs(root), stats

    def write(self, rel: str, page: bytes) -> Tuple[str, int]:
        with open(self.dirs.file(rel), "xb") as handle:
            handle.write(page)
        self.stats.add("html", files=1, nbytes=len(page), records=1)
        return rel, 1


def record_id(seed: int, *parts: object) -> str:
    digest = hashlib.sha256(":".join(map(str, (seed, *parts))).encode()).digest()
    return f"<urn:uuid:{uuid.UUID(bytes=digest[:16], version=4)}>"


def warc_date(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcSink:
    """CC-NEWS style ``cc_news/YYYY/MM/CC-NEWS-<first fetch>-<serial>.warc.gz``: a warcinfo record,
    then up to ``max_records`` responses, each its own gzip member (as warcio writes them)."""

    def __init__(self, root: Path, stats: FormatStats, max_records: int, seed: int) -> None:
        self.dirs, self.stats, self.max_records, self.seed = _Dirs(root), stats, max_records, seed
        self.handle = None
        self.buffer = io.BytesIO()
        self.writer: Optional[WARCWriter] = None
        self.rel = ""
        self.count = 0
        self.serial = 0

    def _open(self, fetched: datetime) -> None:
        self.close()
        name = f"CC-NEWS-{fetched.astimezone(timezone.utc):%Y%m%d%H%M%S}-{self.serial:05d}.warc.gz"
        self.rel = f"cc_news/{fetched:%Y/%m}/{name}"
        self.handle = open(self.dirs.file(self.rel), "xb", buffering=1 << 20)
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=False)
        info = (
            b"software: newslake bench.generate\r\nformat: WARC File Format 1.0\r\n"
            b"description: synthetic news corpus (invented text)\r\n"
        )
        record = self.writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": record_id(self.seed, "warcinfo", self.serial),
                "WARC-Date": warc_date(fetched),
                "WARC-Filename": name,
            },
        )
        self._write(record)
        self.serial += 1
        self.count = 0
        self.stats.add("warc", files=1)

    def write(self, url: str, fetched: datetime, payload: bytes, content_type: str, key: object) -> Tuple[str, int]:
        if self.writer is None or self.count >= self.max_records:
            self._open(fetched)
        http_headers = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(payload))),
                ("Date", format_datetime(fetched.astimezone(timezone.utc), usegmt=True)),
                ("Server", "nginx"),
            ],
            protocol="HTTP/1.1",
        )
        record = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(payload),
            length=len(payload),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Record-ID": record_id(self.seed, "response", key),
                "WARC-Date": warc_date(fetched),
            },
        )
        self._write(record)
        self.count += 1
        self.stats.add("warc", records=1)
        return self.rel, self.count

    def _write(self, record) -> None:
        """One gzip member per record, as warcio writes them, at level 6 rather than warcio's 9
        (a third of the CPU for 2% larger files); zlib's gzip header carries no timestamp."""
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.write_record(record)
        packer = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.handle.write(packer.compress(self.buffer.getvalue()) + packer.flush())

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.stats.add("warc", nbytes=os.path.getsize(self.dirs.root / self.rel))
            self.handle, self.writer = None, None


class TruthSink:
    STORY_COLUMNS = [
        "url",
        "story_id",
        "is_copy",
        "source_format",
        "path",
        "record_number",
        "published_utc",
        "site",
        "main_company_id",
        "company_ids",
        "country",
        "polarity",
        "event",
        "words",
    ]
    BAD_COLUMNS = ["path", "record_number", "source_format", "kind", "expected_reason", "url", "published_raw"]

    def __init__(self, root: Path) -> None:
        truth = root / "_truth"
        truth.mkdir(parents=True, exist_ok=True)
        self._files = [
            open(truth / "stories.csv", "w", encoding="utf-8", newline="", buffering=1 << 20),
            open(truth / "bad_records.csv", "w", encoding="utf-8", newline=""),
        ]
        self.stories = csv.writer(self._files[0], lineterminator="\n")
        self.bad = csv.writer(self._files[1], lineterminator="\n")
        self.stories.writerow(self.STORY_COLUMNS)
        self.bad.writerow(self.BAD_COLUMNS)

    def close(self) -> None:
        for handle in self._files:
            handle.close()
