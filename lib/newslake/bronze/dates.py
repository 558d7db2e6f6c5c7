"""Parse the publication timestamps seen in the wild into timezone-aware UTC datetimes."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional

from dateutil import parser as dateutil_parser

_EPOCH_SECONDS = re.compile(r"^\d{9,10}$")
_EPOCH_MILLIS = re.compile(r"^\d{12,13}$")
# Zone abbreviations that show up in feeds; dateutil ignores unknown ones silently.
_TZINFOS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "BST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "JST": 9 * 3600,
    "KST": 9 * 3600,
    "HKT": 8 * 3600,
    "SGT": 8 * 3600,
    "IST": 5 * 3600 + 1800,
    "AEST": 10 * 3600,
}


def parse_published(raw: Optional[object]) -> Optional[datetime]:
    """Return the instant as a naive UTC datetime, or None when it cannot be read.

    Accepts ISO 8601 (with or without offset), RFC 822/2822 (RSS ``pubDate``), epoch seconds
    or milliseconds, and the free forms dateutil understands ("April 2, 2024 5:40 PM EDT").
    A value without a zone is taken as UTC, which is what most dump vendors mean.
    """
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        text = str(int(raw))
    else:
        text = str(raw).strip()
    if not text:
        return None
    parsed: Optional[datetime] = None
    try:
        if _EPOCH_SECONDS.match(text):
            parsed = datetime.fromtimestamp(int(text), tz=timezone.utc)
        elif _EPOCH_MILLIS.match(text):
            parsed = datetime.fromtimestamp(int(text) / 1000.0, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
    if parsed is None:
        try:
            parsed = dateutil_parser.parse(text, tzinfos=_TZINFOS, fuzzy=False)
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)
