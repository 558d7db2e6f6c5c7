from datetime import date, datetime

import pytest
from chispa import assert_df_equality
from pyspark.sql import functions as F

from newslake.config import EnrichSettings
from newslake.nlp import linking as L
from newslake.silver import transform as S

ENRICH = EnrichSettings()


def test_clean_text_drops_chrome_and_widget_but_keeps_its_label(spark):
    body = (
        "Tesla shares rose after the update.\n\nShare this article\n\nLatest articles\n\n"
        "Analysts were upbeat.\n\n  • Overall sentiment: positive\n  • Positive\n\n"
        "    “Tesla shares rose after the update.”\n\nlatest articles\n\nexplore more"
    )
    df = spark.createDataFrame([(body,)], "body string").transform(
        S.with_clean_text, ENRICH.widget_pattern, ENRICH.chrome_line_patterns
    )
    row = df.first()
    assert row.publisher_sentiment == "positive"
    assert row.clean_text == "Tesla shares rose after the update.\n\nAnalysts were upbeat."


def test_iso_week_is_monday_based_and_uses_the_iso_year(spark):
    df = spark.createDataFrame(
        [(datetime(2024, 4, 28, 23, 0),), (datetime(2024, 12, 30, 1, 0),), (datetime(2021, 1, 3, 12, 0),)],
        "published_at timestamp",
    )
    actual = df.transform(S.with_iso_week).select("published_at", "iso_year", "iso_week", "week_start")
    expected = spark.createDataFrame(
        [
            (datetime(2024, 4, 28, 23, 0), 2024, 17, date(2024, 4, 22)),
            (datetime(2024, 12, 30, 1, 0), 2025, 1, date(2024, 12, 30)),
            (datetime(2021, 1, 3, 12, 0), 2020, 53, date(2020, 12, 28)),
        ],
        "published_at timestamp, iso_year int, iso_week int, week_start date",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_dominant_country_most_mentions_then_earliest(spark):
    df = spark.createDataFrame(
        [("a", "US", 50), ("a", "CN", 10), ("a", "CN", 90), ("b", "DE", 5), ("b", "FR", 1)],
        "article_id string, country string, char_begin int",
    )
    expected = spark.createDataFrame([("a", "CN"), ("b", "FR")], "article_id string, dominant_country string")
    assert_df_equality(S.dominant_country(df), expected, ignore_row_order=True, ignore_nullable=True)


def test_mention_country_falls_back_to_article_then_unknown(spark):
    companies = spark.createDataFrame(
        [
            ("a", 0, "tesla", "Tesla", "Tesla", 0, 4),
            ("a", 1, "tesla", "Tesla", "Tesla's", 10, 14),
            ("a", 2, "nio", "Nio", "Nio", 30, 32),
            ("b", 0, "byd", "BYD", "BYD", 0, 2),
        ],
        "article_id string, sentence_index int, company_id string, company string, matched_text string, "
        "char_begin int, char_end int",
    )
    sentences = (
        spark.createDataFrame(
            [
                ("a", 0, ["CN", "US"], "positive", 0.5),
                ("a", 1, [], "neutral", 0.0),
                ("a", 2, [], "negative", -0.5),
                ("b", 0, [], "neutral", 0.1),
            ],
            "article_id string, sentence_index int, countries array<string>, sentiment_label string, sentiment_score double",
        )
        .withColumn("published_at", F.lit(datetime(2024, 4, 2)))
        .withColumn("iso_year", F.lit(2024))
        .withColumn("iso_week", F.lit(14))
        .withColumn("week_start", F.lit(date(2024, 4, 1)))
    )
    dominant = spark.createDataFrame([("a", "CN")], "article_id string, dominant_country string")
    actual = S.mention_table(companies, sentences, dominant).select(
        "article_id", "sentence_index", "company_id", "country", "country_source", "sentiment_score"
    )
    expected = spark.createDataFrame(
        [
            ("a", 0, "tesla", "CN", "sentence", 0.5),
            ("a", 0, "tesla", "US", "sentence", 0.5),
            ("a", 1, "tesla", "CN", "article", 0.0),
            ("a", 2, "nio", "CN", "article", -0.5),
            ("b", 0, "byd", "ZZ", "unknown", 0.1),
        ],
        "article_id string, sentence_index int, company_id string, country string, country_source string, "
        "sentiment_score double",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def _chunks(spark, rows):
    """Candidate rows with their chunk context, as ``nlp.linking.explode_chunks`` gives them, and
    the articles' texts."""
    chunks = spark.createDataFrame(
        rows,
        "article_id string, sentence_index int, matched_text string, char_begin int, "
        "char_end int, rule string, sentence_begin int, sentence_text string, "
        "clean_text string, company_id string, form string, link_method string",
    )
    return chunks.drop("clean_text"), chunks.select("article_id", "clean_text").distinct()


def test_ambiguous_company_needs_context_signal_or_article_confirmation(spark):
    fruit = "Apple growers expect a big harvest."
    tech = "Apple sold more iPhone units."
    signal = "Investors cheered. A former Apple engineer joined."
    prefix = "Meta is a prefix. It predates social media."
    article = "Target cut prices. The Minneapolis chain said so."
    rows = [
        ("fruit", 0, "Apple", 0, 4, None, 0, fruit, fruit, "apple", "name", "alias"),
        ("tech", 0, "Apple", 0, 4, None, 0, tech, tech, "apple", "name", "alias"),
        ("signal", 1, "Apple", 28, 32, None, 19, signal[19:], signal, "apple", "name", "alias"),
        ("prefix", 0, "Meta", 0, 3, None, 0, prefix[:17], prefix, "meta", "name", "alias"),
        ("article", 0, "Target", 0, 5, None, 0, article[:18], article, "target", "name", "alias"),
        ("ticker", 0, "$AAPL", 0, 4, "cashtag", 0, "$AAPL up", "$AAPL up", "apple", "cashtag", "ticker"),
    ]
    companies = spark.createDataFrame(
        [
            ("apple", "Apple", True, r"(?<![\w-])(?:iPhone|AAPL)(?![\w-])"),
            ("meta", "Meta", True, r"(?<![\w-])(?:social media)(?![\w-])"),
            ("target", "Target", True, r"(?<![\w-])(?:Minneapolis)(?![\w-])"),
        ],
        "company_id string, company string, requires_context boolean, context_regex string",
    )
    enrich = EnrichSettings()
    candidates, texts = _chunks(spark, rows)
    linked = L.confirm_companies(
        candidates,
        companies,
        texts,
        enrich.company_signal_after,
        enrich.company_signal_before,
        enrich.weak_sentence_start,
    )
    assert sorted(r.article_id for r in linked.collect()) == ["article", "signal", "tech", "ticker"]


def test_overlapping_matches_keep_the_longest_and_blockers_drop(spark):
    df = spark.createDataFrame(
        [
            ("a", 0, 4, 0, "Nasdaq"),
            ("a", 0, 11, 1, "NASDAQ: AAPL"),
            ("a", 20, 24, 0, "Tesla"),
            ("a", 30, 33, 0, "Ford"),
        ],
        "article_id string, char_begin int, char_end int, priority int, matched_text string",
    )
    kept = L.keep_longest(df)
    assert sorted(r.matched_text for r in kept.collect()) == ["Ford", "NASDAQ: AAPL", "Tesla"]
    blockers = spark.createDataFrame([("a", 22, 33)], "article_id string, char_begin int, char_end int")
    assert [r.matched_text for r in L.drop_blocked(kept, blockers).collect()] == ["NASDAQ: AAPL"]


def test_mentions_per_sentence_prefers_names_then_tickers_then_references(spark):
    companies = spark.createDataFrame(
        [
            ("a", 0, "tesla", "Tesla", "the company", 0, 10, "coreference"),
            ("a", 0, "tesla", "Tesla", "$TSLA", 20, 24, "ticker"),
            ("a", 0, "tesla", "Tesla", "Tesla", 30, 34, "alias"),
            ("a", 1, "tesla", "Tesla", "the automaker", 40, 52, "coreference"),
        ],
        "article_id string, sentence_index int, company_id string, company string, matched_text string, "
        "char_begin int, char_end int, link_method string",
    )
    actual = S.mentions_per_sentence(companies).select("sentence_index", "matched_text", "link_method", "mention_count")
    expected = spark.createDataFrame(
        [(0, "Tesla", "alias", 3), (1, "the automaker", "coreference", 1)],
        "sentence_index int, matched_text string, link_method string, mention_count int",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_relevance_formula_in_title_and_lead_is_about_one_and_a_passing_name_low(spark):
    enrich = EnrichSettings()
    df = spark.createDataFrame(
        [("main", True, True, 8 / 14, 9), ("passing", False, False, 1 / 14, 1), ("lead_only", False, True, 1 / 3, 1)],
        "name string, in_title boolean, in_lead boolean, share double, mentions long",
    )
    rel = {
        r.name: r.relevance
        for r in df.select(
            "name",
            S.relevance(F.col("in_title"), F.col("in_lead"), F.col("share"), F.col("mentions"), enrich).alias(
                "relevance"
            ),
        ).collect()
    }
    assert rel["main"] >= 0.95 and rel["passing"] <= 0.1
    assert 0.3 < rel["lead_only"] < 0.6
    assert all(0.0 <= v <= 1.0 for v in rel.values())


def test_article_entities_aggregate_mentions_and_sentiment(spark):
    per_sentence = spark.createDataFrame(
        [("a", 0, "tesla", "Tesla", 2, 0.5), ("a", 3, "tesla", "Tesla", 1, -0.1), ("a", 5, "nio", "Nio", 1, -0.6)],
        "article_id string, sentence_index int, company_id string, company string, mention_count int, sentiment_score double",
    )
    articles = spark.createDataFrame(
        [("a", "Tesla soars in China", datetime(2024, 4, 28), 2024, 17, date(2024, 4, 22))],
        "article_id string, title string, published_at timestamp, iso_year int, iso_week int, week_start date",
    )
    counts = spark.createDataFrame([("a", 6)], "article_id string, sentences int")
    companies = spark.createDataFrame(
        [("tesla", r"(?<![\w-])(?:Tesla)(?![\w-])"), ("nio", r"(?<![\w-])(?:Nio)(?![\w-])")],
        "company_id string, name_regex string",
    )
    rows = {
        r.company_id: r
        for r in S.article_entity_table(per_sentence, articles, counts, companies, EnrichSettings()).collect()
    }
    tesla, nio = rows["tesla"], rows["nio"]
    assert (tesla.mentions, tesla.mention_sentences, tesla.first_sentence_index, tesla.in_title, tesla.in_lead) == (
        3,
        2,
        0,
        True,
        True,
    )
    assert tesla.sentiment_score == pytest.approx(0.2) and tesla.sentiment_label == "neutral"
    assert (nio.in_title, nio.in_lead, nio.sentiment_label) == (False, False, "negative")
    assert tesla.relevance > 0.8 and nio.relevance < 0.3, (tesla.relevance, nio.relevance)
