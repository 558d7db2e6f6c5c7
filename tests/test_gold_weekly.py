from datetime import date

from chispa import assert_approx_df_equality

from newslake.gold.weekly import weekly_company_country


def test_weekly_measures(spark):
    cols = ("article_id string, sentence_index int, company_id string, company string, country string, "
            "iso_year int, iso_week int, week_start date, sentiment_label string, sentiment_score double")
    wk = (2024, 17, date(2024, 4, 22))
    mentions = spark.createDataFrame([
        ("a1", 0, "tesla", "Tesla", "CN", *wk, "positive", 0.8),
        ("a1", 1, "tesla", "Tesla", "CN", *wk, "neutral", 0.1),
        ("a2", 0, "tesla", "Tesla", "CN", *wk, "negative", -0.6),
        ("a2", 0, "tesla", "Tesla", "US", *wk, "negative", -0.6),
    ], cols)
    actual = weekly_company_country(mentions, min_mentions_to_trust=3).select(
        "company", "country", "iso_year", "iso_week", "articles", "sentences", "mentions", "mean_score",
        "positive_share", "negative_share", "neutral_share", "net_sentiment", "low_confidence")
    expected = spark.createDataFrame([
        ("Tesla", "CN", 2024, 17, 2, 3, 3, 0.1, 1 / 3, 1 / 3, 1 / 3, 0.0, False),
        ("Tesla", "US", 2024, 17, 1, 1, 1, -0.6, 0.0, 1.0, 0.0, -1.0, True),
    ], "company string, country string, iso_year int, iso_week int, articles long, sentences long, mentions long, "
       "mean_score double, positive_share double, negative_share double, neutral_share double, "
       "net_sentiment double, low_confidence boolean")
    assert_approx_df_equality(actual, expected, 1e-9, ignore_row_order=True, ignore_nullable=True)
