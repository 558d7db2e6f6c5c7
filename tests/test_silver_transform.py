from datetime import date, datetime

from chispa import assert_df_equality
from pyspark.sql import functions as F

from newslake.config import EnrichSettings
from newslake.silver import transform as S

ENRICH = EnrichSettings()


def test_clean_text_drops_chrome_and_widget_but_keeps_its_label(spark):
    body = ("Tesla shares rose after the update.\n\nShare this article\n\nLatest articles\n\n"
            "Analysts were upbeat.\n\n  • Overall sentiment: positive\n  • Positive\n\n"
            "    “Tesla shares rose after the update.”\n\nlatest articles\n\nexplore more")
    df = spark.createDataFrame([(body,)], "body string").transform(
        S.with_clean_text, ENRICH.widget_pattern, ENRICH.chrome_line_patterns)
    row = df.first()
    assert row.publisher_sentiment == "positive"
    assert row.clean_text == "Tesla shares rose after the update.\n\nAnalysts were upbeat."


def test_iso_week_is_monday_based_and_uses_the_iso_year(spark):
    df = spark.createDataFrame([(datetime(2024, 4, 28, 23, 0),), (datetime(2024, 12, 30, 1, 0),),
                                (datetime(2021, 1, 3, 12, 0),)], "published_at timestamp")
    actual = df.transform(S.with_iso_week).select("published_at", "iso_year", "iso_week", "week_start")
    expected = spark.createDataFrame([
        (datetime(2024, 4, 28, 23, 0), 2024, 17, date(2024, 4, 22)),
        (datetime(2024, 12, 30, 1, 0), 2025, 1, date(2024, 12, 30)),
        (datetime(2021, 1, 3, 12, 0), 2020, 53, date(2020, 12, 28)),
    ], "published_at timestamp, iso_year int, iso_week int, week_start date")
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_dominant_country_most_mentions_then_earliest(spark):
    df = spark.createDataFrame([("a", "US", 50), ("a", "CN", 10), ("a", "CN", 90), ("b", "DE", 5), ("b", "FR", 1)],
                               "article_id string, country string, char_begin int")
    expected = spark.createDataFrame([("a", "CN"), ("b", "FR")], "article_id string, dominant_country string")
    assert_df_equality(S.dominant_country(df), expected, ignore_row_order=True, ignore_nullable=True)


def test_mention_country_falls_back_to_article_then_unknown(spark):
    companies = spark.createDataFrame(
        [("a", 0, "tesla", "Tesla", "Tesla", 0, 4), ("a", 1, "tesla", "Tesla", "Tesla's", 10, 14),
         ("a", 2, "nio", "Nio", "Nio", 30, 32), ("b", 0, "byd", "BYD", "BYD", 0, 2)],
        "article_id string, sentence_index int, company_id string, company string, matched_text string, "
        "char_begin int, char_end int")
    sentences = spark.createDataFrame(
        [("a", 0, ["CN", "US"], "positive", 0.5), ("a", 1, [], "neutral", 0.0), ("a", 2, [], "negative", -0.5),
         ("b", 0, [], "neutral", 0.1)],
        "article_id string, sentence_index int, countries array<string>, sentiment_label string, sentiment_score double"
    ).withColumn("published_at", F.lit(datetime(2024, 4, 2))).withColumn("iso_year", F.lit(2024)) \
        .withColumn("iso_week", F.lit(14)).withColumn("week_start", F.lit(date(2024, 4, 1)))
    dominant = spark.createDataFrame([("a", "CN")], "article_id string, dominant_country string")
    actual = S.mention_table(companies, sentences, dominant).select(
        "article_id", "sentence_index", "company_id", "country", "country_source", "sentiment_score")
    expected = spark.createDataFrame([
        ("a", 0, "tesla", "CN", "sentence", 0.5), ("a", 0, "tesla", "US", "sentence", 0.5),
        ("a", 1, "tesla", "CN", "article", 0.0), ("a", 2, "nio", "CN", "article", -0.5),
        ("b", 0, "byd", "ZZ", "unknown", 0.1),
    ], "article_id string, sentence_index int, company_id string, country string, country_source string, "
       "sentiment_score double")
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_ambiguous_company_needs_context(spark):
    chunks = spark.createDataFrame([("fruit", 0, "Apple", 0, 4), ("tech", 0, "Apple", 0, 4)],
                                   "article_id string, sentence_index int, matched_text string, char_begin int, char_end int")
    aliases = spark.createDataFrame([("Apple", "apple", "Apple", True, r"\b(iPhone|AAPL)\b", "US")],
                                    "alias string, company_id string, company string, requires_context boolean, "
                                    "context_regex string, hq_country string")
    articles = spark.createDataFrame([("fruit", "Apple growers expect a big harvest."),
                                      ("tech", "Apple sold more iPhone units.")], "article_id string, clean_text string")
    linked = S.link_companies(chunks, aliases, articles)
    assert [r.article_id for r in linked.collect()] == ["tech"]
