"""Silver transformations: annotated articles -> sentences, mentions, articles.

Each function documents the columns it requires and adds. No I/O and no clock.
"""

from __future__ import annotations

from typing import Sequence

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from newslake.silver.clean import clean_article_text, publisher_sentiment

UNKNOWN_COUNTRY = "ZZ"


def with_clean_text(df: DataFrame, widget_pattern: str, chrome_line_patterns: Sequence[str]) -> DataFrame:
    """Requires ``body``; adds ``clean_text`` (what is scored) and ``publisher_sentiment``."""
    return df.withColumn("publisher_sentiment", publisher_sentiment(F.col("body"), widget_pattern)) \
        .withColumn("clean_text", clean_article_text(F.col("body"), widget_pattern, chrome_line_patterns))


def with_iso_week(df: DataFrame, ts_col: str = "published_at") -> DataFrame:
    """Adds ``week_start`` (Monday, UTC), ``iso_week`` and ``iso_year`` (the year of the week's
    Thursday, so 2024-12-30 is in 2025-W01)."""
    week_start = F.to_date(F.date_trunc("week", F.col(ts_col)))
    return (
        df.withColumn("week_start", week_start)
        .withColumn("iso_week", F.weekofyear(F.col(ts_col)).cast("int"))
        .withColumn("iso_year", F.year(F.date_add(week_start, 3)).cast("int"))
    )


def in_languages(df: DataFrame, languages: Sequence[str]) -> DataFrame:
    """Keeps articles in the configured languages (or of unknown language)."""
    if not languages:
        return df
    lang = F.lower(F.substring(F.coalesce(F.col("language"), F.lit("")), 1, 2))
    return df.filter((lang == "") | lang.isin([l.lower() for l in languages]))


def explode_sentences(annotated: DataFrame) -> DataFrame:
    """Requires ``article_id``, ``sentence`` annotations; one row per sentence with
    ``sentence_index``, ``char_begin``, ``char_end`` (inclusive, in ``clean_text``) and
    ``sentence_text``."""
    return annotated.select(
        "article_id", F.posexplode("sentence").alias("sentence_index", "s")
    ).select(
        "article_id", F.col("sentence_index").cast("int"),
        F.col("s.begin").cast("int").alias("char_begin"), F.col("s.end").cast("int").alias("char_end"),
        F.col("s.result").alias("sentence_text"),
    )


def explode_chunks(annotated: DataFrame, chunk_col: str) -> DataFrame:
    """One row per matched chunk: ``article_id, sentence_index, matched_text, char_begin, char_end``."""
    return annotated.select("article_id", F.explode(chunk_col).alias("c")).select(
        "article_id",
        F.col("c.metadata").getItem("sentence").cast("int").alias("sentence_index"),
        F.col("c.result").alias("matched_text"),
        F.col("c.begin").cast("int").alias("char_begin"),
        F.col("c.end").cast("int").alias("char_end"),
    )


def link_companies(chunks: DataFrame, aliases: DataFrame, articles: DataFrame) -> DataFrame:
    """Company chunks -> ``company_id``/``company``. An ambiguous name (``requires_context``,
    e.g. Apple, Shell, Lotus) counts only when its article also carries one of the company's
    context terms or tickers. Requires ``articles`` with ``article_id, clean_text``."""
    linked = chunks.join(F.broadcast(aliases), chunks["matched_text"] == aliases["alias"]).drop("alias")
    with_text = linked.join(articles.select("article_id", "clean_text"), "article_id")
    confirmed = (~F.col("requires_context")) | (
        (F.col("context_regex") != "") & F.expr("clean_text rlike context_regex")
    )
    return with_text.filter(confirmed).select(
        "article_id", "sentence_index", "company_id", "company", "matched_text", "char_begin", "char_end"
    )


def link_countries(chunks: DataFrame, aliases: DataFrame) -> DataFrame:
    return chunks.join(F.broadcast(aliases), chunks["matched_text"] == aliases["alias"]) \
        .select("article_id", "sentence_index", "country", "matched_text", "char_begin", "char_end")


def dominant_country(country_mentions: DataFrame) -> DataFrame:
    """``article_id, dominant_country``: the most mentioned country (ties: the earliest)."""
    per_country = country_mentions.groupBy("article_id", "country").agg(
        F.count(F.lit(1)).alias("n"), F.min("char_begin").alias("first_at")
    )
    order = Window.partitionBy("article_id").orderBy(F.desc("n"), F.asc("first_at"), F.asc("country"))
    return per_country.withColumn("_r", F.row_number().over(order)).filter("_r = 1") \
        .select("article_id", F.col("country").alias("dominant_country"))


def _sorted_set(col: str) -> Column:
    return F.array_sort(F.collect_set(col))


def sentence_table(sentences: DataFrame, companies: DataFrame, countries: DataFrame, articles: DataFrame) -> DataFrame:
    """Scored sentences + the companies and countries in each + the article's date and week."""
    comp = companies.groupBy("article_id", "sentence_index").agg(_sorted_set("company_id").alias("companies"))
    ctry = countries.groupBy("article_id", "sentence_index").agg(_sorted_set("country").alias("countries"))
    empty = F.array().cast("array<string>")
    return (
        sentences.join(comp, ["article_id", "sentence_index"], "left")
        .join(ctry, ["article_id", "sentence_index"], "left")
        .join(articles.select("article_id", "published_at", "iso_year", "iso_week", "week_start"), "article_id")
        .withColumn("companies", F.coalesce("companies", empty))
        .withColumn("countries", F.coalesce("countries", empty))
    )


def mention_table(companies: DataFrame, sentences: DataFrame, dominant: DataFrame) -> DataFrame:
    """One row per (article, sentence, company, country): the sentence's sentiment toward the
    company, for each country the sentence names; else the article's dominant country; else ZZ.
    A sentence naming two countries counts for both cells, and company-level rollups count
    distinct (article, sentence, company)."""
    one_per_sentence = companies.groupBy("article_id", "sentence_index", "company_id", "company").agg(
        F.min_by("matched_text", "char_begin").alias("matched_text"),
        F.min("char_begin").alias("char_begin"), F.min("char_end").alias("char_end"),
    )
    joined = (
        one_per_sentence.join(
            sentences.select("article_id", "sentence_index", "countries", "sentiment_label", "sentiment_score",
                             "published_at", "iso_year", "iso_week", "week_start"),
            ["article_id", "sentence_index"])
        .join(dominant, "article_id", "left")
    )
    has_own = F.size("countries") > 0
    return (
        joined.withColumn(
            "country_source",
            F.when(has_own, "sentence").when(F.col("dominant_country").isNotNull(), "article").otherwise("unknown"),
        ).withColumn(
            "country",
            F.explode(F.when(has_own, F.col("countries"))
                      .otherwise(F.array(F.coalesce("dominant_country", F.lit(UNKNOWN_COUNTRY))))),
        )
    )


def label_from_score(score: Column, neutral_band: float) -> Column:
    return F.when(score > neutral_band, "positive").when(score < -neutral_band, "negative").otherwise("neutral")


def article_table(articles: DataFrame, sentences: DataFrame, countries: DataFrame, dominant: DataFrame,
                  neutral_band: float) -> DataFrame:
    """Article-level sentiment (mean of its sentences) and countries."""
    per_article = sentences.groupBy("article_id").agg(
        F.count(F.lit(1)).cast("int").alias("sentences"),
        F.coalesce(F.avg("sentiment_score"), F.lit(0.0)).alias("sentiment_score"),
    )
    ctry = countries.groupBy("article_id").agg(_sorted_set("country").alias("countries"))
    return (
        articles.join(per_article, "article_id", "left").join(ctry, "article_id", "left").join(dominant, "article_id", "left")
        .withColumn("sentences", F.coalesce("sentences", F.lit(0)))
        .withColumn("sentiment_score", F.coalesce("sentiment_score", F.lit(0.0)))
        .withColumn("sentiment_label", label_from_score(F.col("sentiment_score"), neutral_band))
        .withColumn("countries", F.coalesce("countries", F.array().cast("array<string>")))
        .withColumn("dominant_country", F.coalesce("dominant_country", F.lit(UNKNOWN_COUNTRY)))
    )
