"""Column helpers that separate an article's own text from site chrome and publisher widgets."""

from __future__ import annotations

from typing import Sequence

from pyspark.sql import Column
from pyspark.sql import functions as F


def publisher_sentiment(body: Column, widget_pattern: str) -> Column:
    """The label of a publisher's own "Overall sentiment: ..." widget, lower case, or null."""
    label = F.lower(F.regexp_extract(body, widget_pattern, 1))
    return F.when(label != "", label)


def strip_widget(body: Column, widget_pattern: str) -> Column:
    """Everything from the widget on is the publisher's summary and its quotes, which repeat
    article sentences: scoring them again would count those sentences twice."""
    inline = widget_pattern.replace("(?im)", "").replace("(?i)", "").lstrip("^")
    return F.regexp_replace(body, r"(?is)(?:^|\n)" + inline + r".*$", "")


def strip_chrome_lines(text: Column, line_patterns: Sequence[str]) -> Column:
    """Remove whole lines that are navigation, share buttons or teaser lists."""
    if not line_patterns:
        return text
    alternation = "|".join(f"(?:{p})" for p in line_patterns)
    return F.regexp_replace(text, rf"(?im)^[ \t•*\-]*(?:{alternation})[ \t]*$", "")


def tidy_whitespace(text: Column) -> Column:
    text = F.regexp_replace(text, r"[ \t\u00a0]+", " ")
    text = F.regexp_replace(text, r"(?m)^ +| +$", "")
    return F.trim(F.regexp_replace(text, r"\n{3,}", "\n\n"))


def drop_astral(text: Column) -> Column:
    """Drops characters outside the Basic Multilingual Plane (emoji): then a character offset
    is the same in Spark SQL (code points) and in the JVM annotators (UTF-16 units)."""
    return F.regexp_replace(text, "[\\x{10000}-\\x{10FFFF}]", "")


def clean_article_text(body: Column, widget_pattern: str, chrome_line_patterns: Sequence[str]) -> Column:
    return tidy_whitespace(drop_astral(strip_chrome_lines(strip_widget(body, widget_pattern), chrome_line_patterns)))
