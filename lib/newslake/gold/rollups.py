"""Rollups of the weekly measures: company x week, country x week and the all-companies market line.

``silver/mentions`` holds one row per (article, sentence, company, country), so a sentence that
names two countries is two rows. The company and market rollups count a sentence's sentiment
toward a company once: they first reduce the rows to distinct (article, sentence, company).
The country rollup keeps one row per (article, sentence, company, country), as the company x
country table does.
"""

from __future__ import annotations

from typing import Optional

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newslake.gold.weekly import STORY_COL, WEEK_KEYS, weekly_measures


def distinct_company_mentions(
    mentions: DataFrame, weight_col: Optional[str] = None, story_weight_col: Optional[str] = None
) -> DataFrame:
    """One row per (article, sentence, company) with its week, label, score (and weight, story
    and story weight): the sentence's sentiment toward the company, whatever the countries it
    names."""
    extra = ([weight_col] if weight_col else []) + ([STORY_COL, story_weight_col] if story_weight_col else [])
    return mentions.select(
        "article_id",
        "sentence_index",
        "company_id",
        "company",
        *WEEK_KEYS,
        "sentiment_label",
        "sentiment_score",
        *extra,
    ).distinct()


def weekly_company(
    mentions: DataFrame,
    min_mentions_to_trust: int,
    weight_col: Optional[str] = None,
    story_weight_col: Optional[str] = None,
) -> DataFrame:
    """``gold/sentiment_weekly_company``: company x ISO week over all countries; ``mentions``
    counts distinct (article, sentence, company)."""
    return weekly_measures(
        distinct_company_mentions(mentions, weight_col, story_weight_col),
        ("company_id", "company"),
        min_mentions_to_trust,
        weight_col,
        story_weight_col,
    )


def weekly_country(
    mentions: DataFrame,
    min_mentions_to_trust: int,
    weight_col: Optional[str] = None,
    story_weight_col: Optional[str] = None,
) -> DataFrame:
    """``gold/sentiment_weekly_country``: country x ISO week over all companies."""
    return weekly_measures(mentions, ("country",), min_mentions_to_trust, weight_col, story_weight_col)


def weekly_market(
    mentions: DataFrame,
    min_mentions_to_trust: int,
    weight_col: Optional[str] = None,
    story_weight_col: Optional[str] = None,
) -> DataFrame:
    """``gold/sentiment_weekly_market``: all companies x ISO week; ``mentions`` counts distinct
    (article, sentence, company)."""
    return weekly_measures(
        distinct_company_mentions(mentions, weight_col, story_weight_col),
        (),
        min_mentions_to_trust,
        weight_col,
        story_weight_col,
    )


def in_weeks(df: DataFrame, weeks) -> DataFrame:
    """Rows whose ``week_start`` is one of ``weeks`` (dates); all rows when ``weeks`` is None."""
    if weeks is None:
        return df
    return df.filter(F.col("week_start").isin(list(weeks)))
