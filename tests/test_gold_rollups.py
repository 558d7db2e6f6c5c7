from datetime import date

from chispa import assert_approx_df_equality

from newslake.gold.rollups import weekly_company, weekly_country, weekly_market

COLS = (
    "article_id string, sentence_index int, company_id string, company string, country string, "
    "iso_year int, iso_week int, week_start date, sentiment_label string, sentiment_score double"
)
W16, W17 = (2024, 16, date(2024, 4, 15)), (2024, 17, date(2024, 4, 22))
MEASURES = (
    "articles",
    "sentences",
    "mentions",
    "mean_score",
    "positive_share",
    "negative_share",
    "net_sentiment",
    "prev_week_mean_score",
    "score_change",
    "low_confidence",
)
TYPES = (
    "articles long, sentences long, mentions long, mean_score double, positive_share double, "
    "negative_share double, net_sentiment double, prev_week_mean_score double, score_change double, "
    "low_confidence boolean"
)


def mentions(spark):
    return spark.createDataFrame(
        [
            # a1 sentence 0 names China and the US: two silver rows for Tesla, one sentence.
            ("a1", 0, "tesla", "Tesla", "CN", *W17, "positive", 0.8),
            ("a1", 0, "tesla", "Tesla", "US", *W17, "positive", 0.8),
            ("a1", 0, "byd", "BYD", "CN", *W17, "negative", -0.4),
            ("a1", 0, "byd", "BYD", "US", *W17, "negative", -0.4),
            ("a2", 3, "tesla", "Tesla", "DE", *W17, "negative", -0.5),
            ("a0", 1, "tesla", "Tesla", "US", *W16, "neutral", 0.0),
        ],
        COLS,
    )


def test_company_rollup_counts_a_sentence_once_whatever_its_countries(spark):
    actual = weekly_company(mentions(spark), min_mentions_to_trust=2).select("company_id", "week_start", *MEASURES)
    expected = spark.createDataFrame(
        [
            ("tesla", W17[2], 2, 2, 2, 0.15, 0.5, 0.5, 0.0, 0.0, 0.15, False),
            ("byd", W17[2], 1, 1, 1, -0.4, 0.0, 1.0, -1.0, None, None, True),
            ("tesla", W16[2], 1, 1, 1, 0.0, 0.0, 0.0, 0.0, None, None, True),
        ],
        "company_id string, week_start date, " + TYPES,
    )
    assert_approx_df_equality(actual, expected, 1e-9, ignore_row_order=True, ignore_nullable=True)


def test_country_rollup_counts_each_country_of_a_sentence(spark):
    actual = weekly_country(mentions(spark), min_mentions_to_trust=2).select("country", "week_start", *MEASURES)
    expected = spark.createDataFrame(
        [
            ("CN", W17[2], 1, 1, 2, 0.2, 0.5, 0.5, 0.0, None, None, False),
            ("US", W17[2], 1, 1, 2, 0.2, 0.5, 0.5, 0.0, 0.0, 0.2, False),
            ("DE", W17[2], 1, 1, 1, -0.5, 0.0, 1.0, -1.0, None, None, True),
            ("US", W16[2], 1, 1, 1, 0.0, 0.0, 0.0, 0.0, None, None, True),
        ],
        "country string, week_start date, " + TYPES,
    )
    assert_approx_df_equality(actual, expected, 1e-9, ignore_row_order=True, ignore_nullable=True)


def test_market_line_counts_distinct_company_sentences(spark):
    actual = weekly_market(mentions(spark), min_mentions_to_trust=3).select("week_start", *MEASURES)
    # W17: Tesla and BYD in a1/0 and Tesla in a2/3: three company-sentences in two sentences.
    expected = spark.createDataFrame(
        [
            (W17[2], 2, 2, 3, round(-0.1 / 3, 6), 1 / 3, 2 / 3, -1 / 3, 0.0, round(-0.1 / 3, 6), False),
            (W16[2], 1, 1, 1, 0.0, 0.0, 0.0, 0.0, None, None, True),
        ],
        "week_start date, " + TYPES,
    )
    assert_approx_df_equality(actual, expected, 1e-9, ignore_row_order=True, ignore_nullable=True)
