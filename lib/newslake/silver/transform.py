"""Silver transformations: annotated articles -> sentences, mentions, article entities, articles.

Each function documents the columns it requires and adds. No I/O and no clock.
"""

from __future__ import annotations

from typing import Sequence

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from newslake.nlp.linking import MENTION_COLS
from newslake.silver.clean import clean_article_text, publisher_sentiment

UNKNOWN_COUNTRY = "ZZ"


def with_clean_text(df: DataFrame, widget_pattern: str, chrome_line_patterns: Sequence[str]) -> DataFrame:
    """Requires ``body``; adds ``clean_text`` (what is scored) and ``publisher_sentiment``."""
    return df.withColumn("publisher_sentiment", publisher_sentiment(F.col("body"), widget_pattern)).withColumn(
        "clean_text", clean_article_text(F.col("body"), widget_pattern, chrome_line_patterns)
    )


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
    return df.filter((lang == "") | lang.isin([code.lower() for code in languages]))


def dominant_country(country_mentions: DataFrame) -> DataFrame:
    """``article_id, dominant_country``: the most mentioned country (ties: the earliest)."""
    per_country = country_mentions.groupBy("article_id", "country").agg(
        F.count(F.lit(1)).alias("n"), F.min("char_begin").alias("first_at")
    )
    order = Window.partitionBy("article_id").orderBy(F.desc("n"), F.asc("first_at"), F.asc("country"))
    return (
        per_country.withColumn("_r", F.row_number().over(order))
        .filter("_r = 1")
        .select("article_id", F.col("country").alias("dominant_country"))
    )


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


LINK_METHOD_PRIORITY = {"alias": 0, "ticker": 1, "coreference": 2}


def mentions_per_sentence(companies: DataFrame) -> DataFrame:
    """Requires company mentions (``article_id, sentence_index, company_id, company,
    matched_text, char_begin, char_end`` and optionally ``link_method``); one row per
    (article, sentence, company): the first mention by link method (alias, then ticker, then
    coreference) and position, with its ``matched_text``, offsets and ``link_method``, and
    ``mention_count`` (all mentions of the company in the sentence)."""
    if "link_method" not in companies.columns:
        companies = companies.withColumn("link_method", F.lit("alias"))
    priority = F.element_at(
        F.create_map(*[F.lit(x) for kv in LINK_METHOD_PRIORITY.items() for x in kv]), F.col("link_method")
    )
    first = F.struct(
        F.coalesce(priority, F.lit(9)).alias("p"),
        F.col("char_begin").alias("b"),
        F.col("char_end").alias("e"),
        F.col("matched_text").alias("t"),
        F.col("link_method").alias("m"),
    )
    return (
        companies.groupBy("article_id", "sentence_index", "company_id", "company")
        .agg(
            F.min(first).alias("_first"),
            F.count(F.lit(1)).cast("int").alias("mention_count"),
        )
        .select(
            "article_id",
            "sentence_index",
            "company_id",
            "company",
            F.col("_first.t").alias("matched_text"),
            F.col("_first.b").alias("char_begin"),
            F.col("_first.e").alias("char_end"),
            F.col("_first.m").alias("link_method"),
            "mention_count",
        )
    )


def mention_table(companies: DataFrame, sentences: DataFrame, dominant: DataFrame) -> DataFrame:
    """One row per (article, sentence, company, country).

    Requires ``companies`` (mentions; several per sentence are reduced by
    :func:`mentions_per_sentence` unless it already ran), ``sentences`` (``article_id,
    sentence_index, countries`` plus the sentence's ``sentiment_label``/``sentiment_score`` and
    ``published_at, iso_year, iso_week, week_start``) and ``dominant`` (``article_id,
    dominant_country``). The sentiment toward the company is the companies' own
    ``sentiment_label``/``sentiment_score`` when they carry them (entity-targeted scoring),
    else the sentence's. The country is each country the sentence names; else the article's
    dominant country; else ZZ. A sentence naming two countries counts for both cells, and
    company-level rollups count distinct (article, sentence, company)."""
    per_sentence = companies if "mention_count" in companies.columns else mentions_per_sentence(companies)
    own_sentiment = "sentiment_score" in per_sentence.columns
    sentence_cols = ["article_id", "sentence_index", "countries", "published_at", "iso_year", "iso_week", "week_start"]
    if not own_sentiment:
        sentence_cols += ["sentiment_label", "sentiment_score"]
    keep = list(MENTION_COLS) + (["sentiment_label", "sentiment_score"] if own_sentiment else [])
    joined = (
        per_sentence.select(*keep)
        .join(sentences.select(*sentence_cols), ["article_id", "sentence_index"])
        .join(dominant, "article_id", "left")
    )
    has_own = F.size("countries") > 0
    return joined.withColumn(
        "country_source",
        F.when(has_own, "sentence").when(F.col("dominant_country").isNotNull(), "article").otherwise("unknown"),
    ).withColumn(
        "country",
        F.explode(
            F.when(has_own, F.col("countries")).otherwise(
                F.array(F.coalesce("dominant_country", F.lit(UNKNOWN_COUNTRY)))
            )
        ),
    )


def relevance(in_title: Column, in_lead: Column, sentence_share: Column, mentions: Column, enrich) -> Column:
    """Relevance of a company to an article, in [0, 1] (``enrich``: the ``EnrichSettings``):

    ``title_weight·in_title + lead_weight·in_lead + share_weight·min(1, share / share_saturation)
    + mentions_weight·(1 − exp(−mentions / mentions_scale))``, clipped to [0, 1]. With the
    defaults (0.35, 0.25, 0.25 at a share of 0.5, 0.15 with scale 3) a company in the title and
    the lead that fills half the sentences scores about 1; one named once deep in the text about 0.1."""
    score = (
        F.lit(enrich.relevance_title_weight) * in_title.cast("double")
        + F.lit(enrich.relevance_lead_weight) * in_lead.cast("double")
        + F.lit(enrich.relevance_share_weight)
        * F.least(F.lit(1.0), sentence_share / F.lit(enrich.relevance_share_saturation))
        + F.lit(enrich.relevance_mentions_weight)
        * (F.lit(1.0) - F.exp(-mentions.cast("double") / F.lit(enrich.relevance_mentions_scale)))
    )
    return F.round(F.least(F.lit(1.0), F.greatest(F.lit(0.0), score)), 6)


def article_entity_table(
    per_sentence: DataFrame, articles: DataFrame, article_sentences: DataFrame, companies: DataFrame, enrich
) -> DataFrame:
    """One row per (article, company): ``silver/article_entities``.

    Requires ``per_sentence`` (one row per article, sentence and company, with
    ``mention_count`` and the entity-targeted ``sentiment_score``), ``articles`` (``article_id,
    title, published_at, iso_year, iso_week, week_start``), ``article_sentences``
    (``article_id, sentences``: the article's sentence count) and ``companies`` (gazetteer:
    ``company_id, name_regex``). ``in_title``: a name of the company is in the title;
    ``in_lead``: it is named in one of the first ``enrich.lead_sentences`` sentences;
    ``relevance``: :func:`relevance`; ``sentiment_score``: the mean of its mentions' scores."""
    per_company = per_sentence.groupBy("article_id", "company_id", "company").agg(
        F.sum("mention_count").cast("long").alias("mentions"),
        F.countDistinct("sentence_index").cast("int").alias("mention_sentences"),
        F.min("sentence_index").cast("int").alias("first_sentence_index"),
        F.avg("sentiment_score").alias("sentiment_score"),
    )
    df = (
        per_company.join(
            articles.select("article_id", "title", "published_at", "iso_year", "iso_week", "week_start"), "article_id"
        )
        .join(article_sentences, "article_id", "left")
        .join(F.broadcast(companies.select("company_id", "name_regex")), "company_id", "left")
    )
    in_title = F.coalesce(F.expr("title rlike name_regex"), F.lit(False))
    in_lead = F.col("first_sentence_index") < F.lit(enrich.lead_sentences)
    share = F.col("mention_sentences") / F.greatest(
        F.coalesce(F.col("sentences"), F.lit(1)), F.col("mention_sentences")
    )
    return (
        df.withColumn("in_title", in_title)
        .withColumn("in_lead", in_lead)
        .withColumn("sentence_share", F.round(share, 6))
        .withColumn("relevance", relevance(F.col("in_title"), F.col("in_lead"), share, F.col("mentions"), enrich))
        .withColumn("sentiment_score", F.round(F.coalesce("sentiment_score", F.lit(0.0)), 6))
        .withColumn("sentiment_label", label_from_score(F.col("sentiment_score"), enrich.neutral_band))
    )


def label_from_score(score: Column, neutral_band: float) -> Column:
    return F.when(score > neutral_band, "positive").when(score < -neutral_band, "negative").otherwise("neutral")


def article_table(
    articles: DataFrame, sentences: DataFrame, countries: DataFrame, dominant: DataFrame, neutral_band: float
) -> DataFrame:
    """Article-level sentiment (mean of its sentences) and countries."""
    per_article = sentences.groupBy("article_id").agg(
        F.count(F.lit(1)).cast("int").alias("sentences"),
        F.coalesce(F.avg("sentiment_score"), F.lit(0.0)).alias("sentiment_score"),
    )
    ctry = countries.groupBy("article_id").agg(_sorted_set("country").alias("countries"))
    return (
        articles.join(per_article, "article_id", "left")
        .join(ctry, "article_id", "left")
        .join(dominant, "article_id", "left")
        .withColumn("sentences", F.coalesce("sentences", F.lit(0)))
        .withColumn("sentiment_score", F.coalesce("sentiment_score", F.lit(0.0)))
        .withColumn("sentiment_label", label_from_score(F.col("sentiment_score"), neutral_band))
        .withColumn("countries", F.coalesce("countries", F.array().cast("array<string>")))
        .withColumn("dominant_country", F.coalesce("dominant_country", F.lit(UNKNOWN_COUNTRY)))
    )
