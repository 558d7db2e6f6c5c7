"""``gold/evidence``: the sentences that drive each company's weekly score, so a dashboard can show
why a score moved (like the quotes a publisher lists under its "Overall sentiment")."""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from newslake.gold.rollups import distinct_company_mentions
from newslake.gold.weekly import MEASURE_DIGITS, RELEVANCE_COL, WEEK_KEYS


def weekly_evidence(
    mentions: DataFrame, sentences: DataFrame, articles: DataFrame, per_sign: int, weight_col: str = RELEVANCE_COL
) -> DataFrame:
    """Requires ``mentions`` with ``silver/mentions`` columns and ``weight_col`` (the relevance),
    ``sentences`` with ``article_id, sentence_index, char_begin, char_end, sentence_text`` and
    ``articles`` with ``article_id, title, url, published_at``.

    For each company x ISO week and sign (``positive``: score > 0, ``negative``: score < 0) keeps
    the ``per_sign`` sentences with the highest ``impact`` = |score| x relevance (ties: higher
    |score|, then article id and sentence index), ranked from 1. A sentence counts once per
    company, whatever the countries it names; sentences with a zero score or zero relevance are
    no evidence. ``char_begin``/``char_end`` are the sentence's offsets in the article's
    ``clean_text``."""
    rows = (
        distinct_company_mentions(mentions, weight_col)
        .withColumnRenamed("sentiment_score", "score")
        .withColumnRenamed(weight_col, "relevance")
        .withColumn("impact", F.abs(F.col("score")) * F.col("relevance"))
        .filter((F.col("score") != 0) & (F.col("impact") > 0))
        .withColumn("sign", F.when(F.col("score") > 0, "positive").otherwise("negative"))
    )
    order = Window.partitionBy("company_id", "week_start", "sign").orderBy(
        F.desc("impact"), F.desc(F.abs(F.col("score"))), F.asc("article_id"), F.asc("sentence_index")
    )
    top = rows.withColumn("rank", F.row_number().over(order)).filter(F.col("rank") <= per_sign)
    return (
        top.join(
            sentences.select("article_id", "sentence_index", "char_begin", "char_end", "sentence_text"),
            ["article_id", "sentence_index"],
        )
        .join(articles.select("article_id", "title", "url", "published_at"), "article_id")
        .withColumn("impact", F.round("impact", MEASURE_DIGITS))
        .select(
            "company",
            "company_id",
            *WEEK_KEYS,
            "sign",
            F.col("rank").cast("int").alias("rank"),
            "article_id",
            "title",
            "url",
            "published_at",
            "sentence_index",
            "char_begin",
            "char_end",
            "sentence_text",
            "sentiment_label",
            "score",
            "relevance",
            "impact",
        )
    )
