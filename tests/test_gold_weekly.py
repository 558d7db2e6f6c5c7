import math
import statistics
from datetime import date

import pytest
from chispa import assert_approx_df_equality, assert_df_equality
from pyspark.sql import functions as F

from newslake.gold.weekly import (
    sentiment_measures,
    t_critical_95,
    weekly_company_country,
    with_previous_week,
    with_relevance,
)

COLS = (
    "article_id string, sentence_index int, company_id string, company string, country string, "
    "iso_year int, iso_week int, week_start date, sentiment_label string, sentiment_score double"
)
WK = (2024, 17, date(2024, 4, 22))


def test_weekly_measures(spark):
    mentions = spark.createDataFrame(
        [
            ("a1", 0, "tesla", "Tesla", "CN", *WK, "positive", 0.8),
            ("a1", 1, "tesla", "Tesla", "CN", *WK, "neutral", 0.1),
            ("a2", 0, "tesla", "Tesla", "CN", *WK, "negative", -0.6),
            ("a2", 0, "tesla", "Tesla", "US", *WK, "negative", -0.6),
        ],
        COLS,
    )
    actual = weekly_company_country(mentions, min_mentions_to_trust=3).select(
        "company",
        "country",
        "iso_year",
        "iso_week",
        "articles",
        "sentences",
        "mentions",
        "mean_score",
        "median_score",
        "relevance_weighted_score",
        "positive_share",
        "negative_share",
        "neutral_share",
        "net_sentiment",
        "prev_week_mean_score",
        "score_change",
        "low_confidence",
    )
    expected = spark.createDataFrame(
        [
            ("Tesla", "CN", 2024, 17, 2, 3, 3, 0.1, 0.1, 0.1, 1 / 3, 1 / 3, 1 / 3, 0.0, None, None, False),
            ("Tesla", "US", 2024, 17, 1, 1, 1, -0.6, -0.6, -0.6, 0.0, 1.0, 0.0, -1.0, None, None, True),
        ],
        "company string, country string, iso_year int, iso_week int, articles long, sentences long, mentions long, "
        "mean_score double, median_score double, relevance_weighted_score double, positive_share double, "
        "negative_share double, neutral_share double, net_sentiment double, prev_week_mean_score double, "
        "score_change double, low_confidence boolean",
    )
    assert_approx_df_equality(actual, expected, 1e-9, ignore_row_order=True, ignore_nullable=True)


def test_interval_median_and_relevance_weighted_score(spark):
    scores, weights = [0.8, 0.1, -0.6, 0.5], [1.0, 0.5, 0.0, 0.25]
    rows = spark.createDataFrame(
        [("a1", i, "tesla", "Tesla", "CN", *WK, "neutral", s, w) for i, (s, w) in enumerate(zip(scores, weights))]
        + [("a9", 0, "nio", "Nio", "CN", *WK, "neutral", 0.3, 1.0)],
        COLS + ", relevance double",
    )
    cells = {r.company_id: r for r in sentiment_measures(rows, ["company_id"], "relevance").collect()}
    mean, sd = statistics.mean(scores), statistics.stdev(scores)
    half = 3.1824 * sd / math.sqrt(4)  # t(0.975, 3 degrees of freedom)
    tesla = cells["tesla"]
    assert tesla.mean_score == pytest.approx(round(mean, 6), abs=1e-12)
    assert tesla.median_score == pytest.approx((0.1 + 0.5) / 2, abs=1e-12)
    assert tesla.relevance_weighted_score == pytest.approx((0.8 + 0.05 + 0.125) / 1.75, abs=1e-6)
    assert (tesla.ci95_low, tesla.ci95_high) == (pytest.approx(mean - half, abs=2e-6), 1.0)  # clipped at 1
    nio = cells["nio"]  # one mention: no interval
    assert (nio.ci95_low, nio.ci95_high, nio.median_score) == (None, None, 0.3)
    zero = spark.createDataFrame([("a1", 0, "bp", "BP", "GB", *WK, "neutral", 0.4, 0.0)], COLS + ", relevance double")
    assert sentiment_measures(zero, ["company_id"], "relevance").first().relevance_weighted_score is None


def test_t_critical_values(spark):
    frame = spark.createDataFrame([(d,) for d in (0, 1, 2, 30, 31, 40, 100, 1000)], "dof int")
    got = {r.dof: r.t for r in frame.select("dof", t_critical_95(F.col("dof")).alias("t")).collect()}
    # Student's t quantiles 0.975 (published tables).
    assert got[0] is None
    for dof, expected in {1: 12.7062, 2: 4.3027, 30: 2.0423, 31: 2.0395, 40: 2.0211, 100: 1.9840, 1000: 1.9623}.items():
        assert got[dof] == pytest.approx(expected, abs=2e-4), dof


def test_previous_week_across_iso_years_and_gaps(spark):
    cells = spark.createDataFrame(
        [
            ("tesla", "CN", date(2024, 12, 23), 0.2),  # 2024-W52
            ("tesla", "CN", date(2024, 12, 30), -0.1),  # 2025-W01: previous is 2024-W52
            ("tesla", "CN", date(2025, 1, 13), 0.4),  # 2025-W03: W02 has no row
            ("tesla", "US", date(2024, 12, 30), 0.5),  # another cell: its own previous week
        ],
        "company_id string, country string, week_start date, mean_score double",
    )
    actual = with_previous_week(cells, ["company_id", "country"])
    expected = spark.createDataFrame(
        [
            ("tesla", "CN", date(2024, 12, 23), 0.2, None, None),
            ("tesla", "CN", date(2024, 12, 30), -0.1, 0.2, -0.3),
            ("tesla", "CN", date(2025, 1, 13), 0.4, None, None),
            ("tesla", "US", date(2024, 12, 30), 0.5, None, None),
        ],
        "company_id string, country string, week_start date, mean_score double, prev_week_mean_score double, "
        "score_change double",
    )
    assert_approx_df_equality(
        actual.select(*expected.columns), expected, 1e-9, ignore_row_order=True, ignore_nullable=True
    )


def test_relevance_joins_entities_or_defaults_to_one(spark):
    mentions = spark.createDataFrame(
        [("a1", "tesla"), ("a1", "byd"), ("a2", "tesla"), ("a3", "nio")], "article_id string, company_id string"
    )
    entities = spark.createDataFrame(
        [
            ("a1", "tesla", 0.25, "x"),
            ("a1", "tesla", 0.5, "y"),  # two rows: the highest counts
            ("a2", "tesla", 1.7, "z"),  # out of range: clipped
            ("a3", "nio", None, "w"),  # no value: 1.0
        ],
        "article_id string, company_id string, relevance double, extra string",
    )
    actual = with_relevance(mentions, entities)
    expected = spark.createDataFrame(
        [("a1", "tesla", 0.5), ("a1", "byd", 1.0), ("a2", "tesla", 1.0), ("a3", "nio", 1.0)],
        "article_id string, company_id string, relevance double",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)
    without = with_relevance(mentions, None)
    assert {r.relevance for r in without.collect()} == {1.0}
