"""Weekly sentiment by company x country x ISO week from silver mentions."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

WEEKLY_KEYS = ("company_id", "company", "country", "iso_year", "iso_week", "week_start")


def weekly_company_country(mentions: DataFrame, min_mentions_to_trust: int) -> DataFrame:
    """Requires ``silver/mentions`` columns; one row per company x country x ISO week with
    counts, the mean mention score in [-1, 1], label shares and net sentiment
    ((positive - negative) / mentions). ``low_confidence`` flags cells with fewer than
    ``min_mentions_to_trust`` mentions."""
    label = F.col("sentiment_label")
    grouped = mentions.groupBy(*WEEKLY_KEYS).agg(
        F.countDistinct("article_id").alias("articles"),
        F.countDistinct("article_id", "sentence_index").alias("sentences"),
        F.count(F.lit(1)).alias("mentions"),
        F.avg("sentiment_score").alias("mean_score"),
        F.sum(F.when(label == "positive", 1).otherwise(0)).alias("_pos"),
        F.sum(F.when(label == "negative", 1).otherwise(0)).alias("_neg"),
        F.sum(F.when(label == "neutral", 1).otherwise(0)).alias("_neu"),
    )
    n = F.col("mentions").cast("double")
    return (
        grouped.withColumn("positive_share", F.col("_pos") / n)
        .withColumn("negative_share", F.col("_neg") / n)
        .withColumn("neutral_share", F.col("_neu") / n)
        .withColumn("net_sentiment", (F.col("_pos") - F.col("_neg")) / n)
        .withColumn("low_confidence", F.col("mentions") < F.lit(min_mentions_to_trust))
        .withColumn("mean_score", F.round("mean_score", 6))
        .drop("_pos", "_neg", "_neu")
    )
