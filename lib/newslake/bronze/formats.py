"""Turn one raw dump file into records: pure Python, no Spark, so every rule is unit-testable.

Each record is a dict with the columns of ``schemas.RAW_RECORD``. A record that cannot be
used carries a ``parse_error`` reason code (see ``REASON_CODES``) instead of being dropped, so
that the ingest stage can send it to quarantine and counts reconcile.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from newslake.bronze.dates import parse_published

# Reason codes a quarantined record can carry (documented in docs/data_dictionary.md).
REASON_CODES = {
    "unparseable_json": "the record is not valid JSON (truncated line, HTML error page, ...)",
    "not_an_object": "valid JSON, but not an object with article fields",
    "unparseable_csv": "the CSV row could not be read",
    "empty_body": "no article text in the record",
    "body_too_short": "article text shorter than ingest.min_body_chars",
    "undecodable_bytes": "binary content or bytes in no text encoding",
    "no_usable_date": "the record's date is unreadable or implausible and no dump date exists",
    "oversized_record": "the record is larger than ingest.max_record_bytes",
    "unsupported_format": "file extension not handled by any reader",
    "non_text_content": "a WARC/HTTP record whose content type is not HTML or text",
    "empty_file": "the file holds no record at all",
    "unreadable_file": "the file could not be decompressed or read",
}

_COMPRESSIONS = {".gz": gzip.decompress, ".bz2": bz2.decompress}
_FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".warc": "warc",
}
_HEADER_LINE = re.compile(r"^(\w[\w ]{0,20}?)\s*:\s*(.+)$")
DEFAULT_TEXT_HEADERS = (
    ("title", ("title", "headline")),
    ("author", ("author", "by", "byline")),
    ("published", ("date", "published")),
    ("url", ("url", "link")),
    ("source", ("source", "publisher")),
)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


@dataclass(frozen=True)
class ParseOptions:
    """The conf values the parsers need, as plain data (picklable for executors)."""

    title_fields: Sequence[str] = ("title", "headline")
    body_fields: Sequence[str] = ("body", "text", "content")
    url_fields: Sequence[str] = ("url", "link")
    published_fields: Sequence[str] = ("published", "date", "pubDate")
    source_fields: Sequence[str] = ("source", "site")
    language_fields: Sequence[str] = ("language", "lang")
    author_fields: Sequence[str] = ("author", "byline", "authors")
    max_record_bytes: int = 5_000_000
    payload_prefix: int = 2000
    text_headers: Tuple[Tuple[str, Tuple[str, ...]], ...] = DEFAULT_TEXT_HEADERS
    dateline_pattern: Optional[str] = None


def detect_format(path: str) -> Tuple[str, Optional[str]]:
    """(format, compression) from the file name; format 'unknown' when no reader fits."""
    name = path.lower().rsplit("/", 1)[-1]
    compression = None
    for ext in _COMPRESSIONS:
        if name.endswith(ext):
            compression, name = ext, name[: -len(ext)]
            break
    for ext, fmt in _FORMATS.items():
        if name.endswith(ext):
            return fmt, compression
    return "unknown", compression


def decode_bytes(data: bytes) -> Tuple[Optional[str], Optional[str]]:
    """(text, None) or (None, reason). Tries BOMs, UTF-8, then Windows-1252 for legacy text."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return None, "undecodable_bytes"
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    sample = data[:8192]
    if sample:
        controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
        if controls / len(sample) > 0.05:
            return None, "undecodable_bytes"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    # Stray NULs and other C0 controls break downstream tokenisers and BI tools.
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", text), None


def _escaped_prefix(data: bytes, limit: int) -> str:
    return data[:limit].decode("latin-1").encode("unicode_escape").decode("ascii")[: limit * 2]


def _pick(obj: Dict[str, Any], names: Sequence[str]) -> Optional[str]:
    lowered = {str(k).lower(): v for k, v in obj.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value is None:
            continue
        if isinstance(value, dict):
            value = value.get("name") or value.get("title") or value.get("value")
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value if v is not None)
        text = str(value).strip() if value is not None else ""
        if text:
            return text
    return None


def _base(path: str, fmt: str, number: int, offset: Optional[int], modified: Optional[datetime]) -> Dict[str, Any]:
    return {
        "source_file": path,
        "record_number": number,
        "byte_offset": offset,
        "source_format": fmt,
        "file_modified_at": modified,
        "raw_payload": None,
        "title": None,
        "body": None,
        "url": None,
        "source": None,
        "language": None,
        "detected_language": None,
        "author": None,
        "published_raw": None,
        "published_parsed": None,
        "parse_error": None,
        "parse_detail": None,
    }


def _error(rec: Dict[str, Any], reason: str, detail: str) -> Dict[str, Any]:
    rec["parse_error"], rec["parse_detail"] = reason, detail
    return rec


def _from_mapping(rec: Dict[str, Any], obj: Dict[str, Any], opts: ParseOptions) -> Dict[str, Any]:
    rec["title"] = _pick(obj, opts.title_fields)
    rec["body"] = _pick(obj, opts.body_fields)
    rec["url"] = _pick(obj, opts.url_fields)
    rec["source"] = _pick(obj, opts.source_fields)
    rec["language"] = _pick(obj, opts.language_fields)
    rec["author"] = _pick(obj, opts.author_fields)
    rec["published_raw"] = _pick(obj, opts.published_fields)
    rec["published_parsed"] = parse_published(rec["published_raw"])
    return rec


def _json_records(path, data, modified, opts, fmt) -> Iterator[Dict[str, Any]]:
    offset, number = 0, 0
    for line in data.split(b"\n"):
        line_offset, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        number += 1
        rec = _base(path, fmt, number, line_offset, modified)
        if len(line) > opts.max_record_bytes:
            rec["raw_payload"] = _escaped_prefix(line, opts.payload_prefix)
            yield _error(
                rec, "oversized_record", f"{len(line)} bytes > ingest.max_record_bytes={opts.max_record_bytes}"
            )
            continue
        text, err = decode_bytes(line)
        if err:
            rec["raw_payload"] = _escaped_prefix(line, opts.payload_prefix)
            yield _error(rec, err, "line is binary or in no known text encoding")
            continue
        rec["raw_payload"] = text
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            yield _error(rec, "unparseable_json", f"{exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield _error(rec, "not_an_object", f"JSON {type(obj).__name__}, expected an object")
            continue
        yield _from_mapping(rec, obj, opts)


def _json_document(path, data, modified, opts) -> Iterator[Dict[str, Any]]:
    """A .json file: an array of articles, one object, an object holding an array, or JSONL."""
    text, err = decode_bytes(data)
    if err:
        rec = _base(path, "json", 1, 0, modified)
        rec["raw_payload"] = _escaped_prefix(data, opts.payload_prefix)
        yield _error(rec, err, "file is binary or in no known text encoding")
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError:
        # Many vendors name JSON Lines files .json.
        yield from _json_records(path, text.encode("utf-8"), modified, opts, "json")
        return
    if isinstance(doc, dict):
        arrays = [v for v in doc.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        items = arrays[0] if arrays else [doc]
    elif isinstance(doc, list):
        items = doc
    else:
        items = [doc]
    for number, obj in enumerate(items, start=1):
        rec = _base(path, "json", number, None, modified)
        payload = json.dumps(obj, ensure_ascii=False)
        rec["raw_payload"] = payload
        if len(payload.encode("utf-8")) > opts.max_record_bytes:
            rec["raw_payload"] = payload[: opts.payload_prefix]
            yield _error(rec, "oversized_record", f"record larger than ingest.max_record_bytes={opts.max_record_bytes}")
        elif not isinstance(obj, dict):
            yield _error(rec, "not_an_object", f"array item is {type(obj).__name__}, expected an object")
        else:
            yield _from_mapping(rec, obj, opts)


def parse_text_page(
    text: str,
    headers: Sequence[Tuple[str, Sequence[str]]] = DEFAULT_TEXT_HEADERS,
    dateline_pattern: Optional[str] = None,
) -> Dict[str, Optional[str]]:
    """Split a one-article text file into header fields, title and body.

    Leading ``Name: value`` lines whose name ``headers`` maps to a field (title, author,
    published, url, source; set in ``ingest.text_headers``) are headers; a wire dateline
    matching ``dateline_pattern`` at the start of the body supplies a missing date. A scraped page often repeats its title after a breadcrumb glued to it
    ("HomeFinance NewsFinance<title>" then "<title>"): the clean repeat wins and the chrome line
    is left out of the body.
    """
    lines = text.splitlines()
    fields: Dict[str, Optional[str]] = {"title": None, "author": None, "published": None, "url": None, "source": None}
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    names = {name.lower(): key for key, aliases in headers for name in aliases}
    while index < len(lines):
        match = _HEADER_LINE.match(lines[index].strip())
        key = names.get(match.group(1).strip().lower()) if match else None
        if key is None:
            break
        fields[key] = match.group(2).strip()
        index += 1
    rest = [line.rstrip() for line in lines[index:]]
    content = [i for i, line in enumerate(rest) if line.strip()]
    if fields["title"] is None and content:
        first = rest[content[0]].strip()
        second = rest[content[1]].strip() if len(content) > 1 else ""
        if second and first.translate(_QUOTES).endswith(second.translate(_QUOTES)) and first != second:
            fields["title"], body_from = second, content[1] + 1
        else:
            fields["title"], body_from = first, content[0] + 1
        rest = rest[body_from:]
    fields["body"] = "\n".join(rest).strip()
    if fields["published"] is None and dateline_pattern:
        dateline = re.match(dateline_pattern, fields["body"])
        if dateline and dateline.groupdict().get("date"):
            fields["published"] = dateline.group("date")
    return fields


def _text_page(path, data, modified, opts) -> Iterator[Dict[str, Any]]:
    rec = _base(path, "text", 1, 0, modified)
    if len(data) > opts.max_record_bytes:
        rec["raw_payload"] = _escaped_prefix(data, opts.payload_prefix)
        yield _error(rec, "oversized_record", f"{len(data)} bytes > ingest.max_record_bytes={opts.max_record_bytes}")
        return
    text, err = decode_bytes(data)
    if err:
        rec["raw_payload"] = _escaped_prefix(data, opts.payload_prefix)
        yield _error(rec, err, "file is binary or in no known text encoding")
        return
    rec["raw_payload"] = text
    page = parse_text_page(text, opts.text_headers, opts.dateline_pattern)
    rec.update(title=page["title"], body=page["body"], author=page["author"], url=page["url"], source=page["source"])
    rec["published_raw"] = page["published"]
    rec["published_parsed"] = parse_published(page["published"])
    yield rec


_CHROME_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "menu", "form", "a", "button")


def _text_outside_chrome(html: str) -> str:
    """Visible text of the page once scripts, navigation, headers, footers and links are gone."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception:  # unparseable markup: let the extractor's verdict stand
        return "?"
    for element in tree.xpath("//" + " | //".join(_CHROME_TAGS)):
        element.drop_tree()
    return " ".join(tree.xpath("//body//text()")).strip()


def _html_fields(html: str, url: Optional[str] = None) -> Dict[str, Optional[str]]:
    import trafilatura  # imported lazily: heavy, and only HTML inputs need it

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, favor_precision=True)
    if doc is None:
        return {
            "title": None,
            "body": None,
            "url": url,
            "source": None,
            "published": None,
            "author": None,
            "language": None,
        }
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    body = get("text")
    if body and len(body) < 500 and not _text_outside_chrome(html):
        body = None  # the extractor's fallback returned menu links: the page has no article text
    return {
        "title": get("title"),
        "body": body,
        "url": get("url") or url,
        "source": get("sitename") or get("hostname"),
        "published": get("date"),
        "author": get("author"),
        "language": get("language"),
    }


def _html_page(path, data, modified, opts) -> Iterator[Dict[str, Any]]:
    rec = _base(path, "html", 1, 0, modified)
    if len(data) > opts.max_record_bytes:
        rec["raw_payload"] = _escaped_prefix(data, opts.payload_prefix)
        yield _error(rec, "oversized_record", f"{len(data)} bytes > ingest.max_record_bytes={opts.max_record_bytes}")
        return
    text, err = decode_bytes(data)
    if err:
        rec["raw_payload"] = _escaped_prefix(data, opts.payload_prefix)
        yield _error(rec, err, "file is binary or in no known text encoding")
        return
    rec["raw_payload"] = text
    fields = _html_fields(text)
    rec.update({k: fields[k] for k in ("title", "body", "url", "source", "author", "language")})
    rec["published_raw"] = fields["published"]
    rec["published_parsed"] = parse_published(fields["published"])
    yield rec


def _csv_rows(path, data, modified, opts) -> Iterator[Dict[str, Any]]:
    text, err = decode_bytes(data)
    if err:
        rec = _base(path, "csv", 1, 0, modified)
        rec["raw_payload"] = _escaped_prefix(data, opts.payload_prefix)
        yield _error(rec, err, "file is binary or in no known text encoding")
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    number = 0
    while True:
        number += 1
        rec = _base(path, "csv", number, None, modified)
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield _error(rec, "unparseable_csv", f"row {number}: {exc}")
            return
        rec["raw_payload"] = json.dumps(row, ensure_ascii=False)
        if None in row:  # more cells than header columns
            yield _error(rec, "unparseable_csv", f"row {number} has {len(row[None])} cells beyond the header")
            continue
        yield _from_mapping(rec, row, opts)


def _warc_records(path, data, modified, opts) -> Iterator[Dict[str, Any]]:
    from warcio.archiveiterator import ArchiveIterator  # only WARC inputs need it

    number = 0
    stream = ArchiveIterator(io.BytesIO(data))
    try:
        for record in stream:
            if record.rec_type != "response":
                continue
            number += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            warc_date = record.rec_headers.get_header("WARC-Date")
            ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            # Read the payload first: warcio's get_record_offset() consumes the record.
            payload = record.content_stream().read()
            rec = _base(path, "warc", number, stream.get_record_offset(), modified)
            if "html" not in ctype.lower() and "text" not in ctype.lower():
                rec["raw_payload"] = f"Content-Type: {ctype}"
                yield _error(rec, "non_text_content", f"content type {ctype or 'missing'} for {url}")
                continue
            if len(payload) > opts.max_record_bytes:
                rec["raw_payload"] = _escaped_prefix(payload, opts.payload_prefix)
                yield _error(rec, "oversized_record", f"{len(payload)} bytes > ingest.max_record_bytes")
                continue
            html, err = decode_bytes(payload)
            if err:
                rec["raw_payload"] = _escaped_prefix(payload, opts.payload_prefix)
                yield _error(rec, err, f"response body of {url} is not text")
                continue
            rec["raw_payload"] = html
            fields = _html_fields(html, url)
            rec.update({k: fields[k] for k in ("title", "body", "source", "author", "language")})
            rec["url"] = url
            rec["published_raw"] = fields["published"] or warc_date
            rec["published_parsed"] = parse_published(rec["published_raw"])
            yield rec
    except Exception as exc:  # a truncated archive: keep what was read, quarantine the rest
        rec = _base(path, "warc", number + 1, None, modified)
        yield _error(rec, "unreadable_file", f"WARC stream broken after record {number}: {exc}")


_READERS = {
    "jsonl": lambda p, d, m, o: _json_records(p, d, m, o, "jsonl"),
    "json": _json_document,
    "text": _text_page,
    "html": _html_page,
    "csv": _csv_rows,
    "warc": _warc_records,
}


def detect_language(title: Optional[str], body: Optional[str]) -> Optional[str]:
    """ISO 639-1 code from py3langid (offline, bundled model), or None for too little text."""
    text = " ".join(t for t in (title, (body or "")[:3000]) if t)
    if len(text.strip()) < 20:
        return None
    import py3langid  # loads its model once per worker, on first use

    return py3langid.classify(text)[0]


def with_detected_language(records: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    for rec in records:
        if rec["parse_error"] is None:
            rec["detected_language"] = detect_language(rec["title"], rec["body"])
    return records


def parse_file(path: str, data: bytes, modified: Optional[datetime], opts: ParseOptions) -> List[Dict[str, Any]]:
    """Every record of one file, good or bad; never raises for bad content."""
    fmt, compression = detect_format(path)
    if fmt == "unknown":
        rec = _base(path, "unknown", 1, 0, modified)
        rec["raw_payload"] = _escaped_prefix(data, opts.payload_prefix)
        return [_error(rec, "unsupported_format", "no reader for this file extension; see README, 'Input formats'")]
    if compression:
        try:
            data = _COMPRESSIONS[compression](data)
        except Exception as exc:  # corrupt archive
            rec = _base(path, fmt, 1, 0, modified)
            return [_error(rec, "unreadable_file", f"cannot decompress {compression}: {exc}")]
    if not data.strip():
        return [_error(_base(path, fmt, 1, 0, modified), "empty_file", "the file is empty")]
    try:
        records = list(_READERS[fmt](path, data, modified, opts))
    except Exception as exc:  # a reader bug must not sink the whole run: quarantine the file
        rec = _base(path, fmt, 1, 0, modified)
        return [_error(rec, "unreadable_file", f"{type(exc).__name__}: {exc}")]
    if not records:
        return [_error(_base(path, fmt, 1, 0, modified), "empty_file", "no record found in the file")]
    return with_detected_language(records)
