from datetime import date, datetime

from chispa import assert_df_equality

from newslake.gold.evidence import weekly_evidence

COLS = (
    "article_id string, sentence_index int, company_id string, company string, country string, "
    "iso_year int, iso_week int, week_start date, sentiment_label string, sentiment_score double, "
    "relevance double"
)
WK = (2024, 17, date(2024, 4, 22))
TS = datetime(2024, 4, 23, 10)


def frames(spark):
    mentions = spark.createDataFrame(
        [
            ("a1", 0, "tesla", "Tesla", "CN", *WK, "positive", 0.9, 0.5),  # impact 0.45
            ("a1", 0, "tesla", "Tesla", "US", *WK, "positive", 0.9, 0.5),  # same sentence, other country
            ("a1", 1, "tesla", "Tesla", "CN", *WK, "positive", 0.6, 0.5),  # 0.30
            ("a2", 0, "tesla", "Tesla", "CN", *WK, "positive", 0.5, 1.0),  # 0.50: first despite a lower score
            ("a2", 1, "tesla", "Tesla", "CN", *WK, "negative", -0.7, 1.0),  # 0.70
            ("a2", 2, "tesla", "Tesla", "CN", *WK, "neutral", 0.0, 1.0),  # no sign: no evidence
            ("a3", 0, "tesla", "Tesla", "CN", *WK, "negative", -0.8, 0.0),  # irrelevant: no evidence
            ("a2", 1, "byd", "BYD", "CN", *WK, "negative", -0.7, 1.0),
        ],
        COLS,
    )
    sentences = spark.createDataFrame(
        [
            ("a1", 0, 0, 20, "Tesla soared in China."),
            ("a1", 1, 22, 40, "Tesla also gained."),
            ("a2", 0, 0, 15, "Tesla rose."),
            ("a2", 1, 17, 50, "Tesla and BYD fell on price cuts."),
            ("a2", 2, 52, 60, "Tesla met."),
            ("a3", 0, 0, 10, "Tesla sank."),
        ],
        "article_id string, sentence_index int, char_begin int, char_end int, sentence_text string",
    )
    articles = spark.createDataFrame(
        [
            ("a1", "Title 1", "https://x/1", TS),
            ("a2", "Title 2", "https://x/2", TS),
            ("a3", "Title 3", None, TS),
        ],
        "article_id string, title string, url string, published_at timestamp",
    )
    return mentions, sentences, articles


def test_top_sentences_per_sign_by_impact(spark):
    actual = weekly_evidence(*frames(spark), per_sign=2).select(
        "company_id",
        "week_start",
        "sign",
        "rank",
        "article_id",
        "title",
        "url",
        "sentence_index",
        "char_begin",
        "char_end",
        "sentence_text",
        "score",
        "relevance",
        "impact",
    )
    expected = spark.createDataFrame(
        [
            ("tesla", WK[2], "positive", 1, "a2", "Title 2", "https://x/2", 0, 0, 15, "Tesla rose.", 0.5, 1.0, 0.5),
            (
                "tesla",
                WK[2],
                "positive",
                2,
                "a1",
                "Title 1",
                "https://x/1",
                0,
                0,
                20,
                "Tesla soared in China.",
                0.9,
                0.5,
                0.45,
            ),
            (
                "tesla",
                WK[2],
                "negative",
                1,
                "a2",
                "Title 2",
                "https://x/2",
                1,
                17,
                50,
                "Tesla and BYD fell on price cuts.",
                -0.7,
                1.0,
                0.7,
            ),
            (
                "byd",
                WK[2],
                "negative",
                1,
                "a2",
                "Title 2",
                "https://x/2",
                1,
                17,
                50,
                "Tesla and BYD fell on price cuts.",
                -0.7,
                1.0,
                0.7,
            ),
        ],
        "company_id string, week_start date, sign string, rank int, article_id string, title string, url string, "
        "sentence_index int, char_begin int, char_end int, sentence_text string, score double, relevance double, "
        "impact double",
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_per_sign_limit(spark):
    one = weekly_evidence(*frames(spark), per_sign=1)
    assert sorted((r.company_id, r.sign, r.sentence_index, r.article_id) for r in one.collect()) == [
        ("byd", "negative", 1, "a2"),
        ("tesla", "negative", 1, "a2"),
        ("tesla", "positive", 0, "a2"),
    ]
