"""Gold counts stories, not copies: story weights, unique stories, story-weighted measures, and
the incremental aggregate run recomputing the weeks that a stories run rewrote (issue #9)."""

from datetime import date, datetime

import pytest
from chispa import assert_approx_df_equality, assert_df_equality
from test_gold_stage import aggregate, article, make_settings, write_silver

from newslake.gold import rollups as R
from newslake.gold import stage as gold_stage
from newslake.gold.weekly import STORY_WEIGHT_COL, sentiment_measures, weekly_company_country, with_story_weights
from newslake.runs import RunContext
from newslake.stories.stage import run_stories

COLS = (
    "article_id string, sentence_index int, company_id string, company string, country string, "
    "iso_year int, iso_week int, week_start date, sentiment_label string, sentiment_score double"
)
WK = (2024, 17, date(2024, 4, 22))
STORY_MEASURES = [
    "unique_stories",
    "story_weighted_articles",
    "story_weighted_mentions",
    "story_weighted_score",
    "story_weighted_net_sentiment",
]


def test_story_weights_share_one_per_story_or_default_to_one(spark):
    mentions = spark.createDataFrame(
        [("c1", 0), ("c1", 1), ("c2", 0), ("c3", 0), ("lone", 0)], "article_id string, sentence_index int"
    )
    stories = spark.createDataFrame(
        [("c1", "c1", 3), ("c2", "c1", 3), ("c3", "c1", 3), ("x", "x", 1)],
        "article_id string, story_id string, story_size int",
    )
    expected = spark.createDataFrame(
        [
            ("c1", 0, "c1", 1 / 3),
            ("c1", 1, "c1", 1 / 3),
            ("c2", 0, "c1", 1 / 3),
            ("c3", 0, "c1", 1 / 3),
            ("lone", 0, "lone", 1.0),  # no row in article_stories: a story of one
        ],
        "article_id string, sentence_index int, story_id string, story_weight double",
    )
    assert_approx_df_equality(
        with_story_weights(mentions, stories), expected, 1e-12, ignore_row_order=True, ignore_nullable=True
    )
    curved = {r.article_id: r.story_weight for r in with_story_weights(mentions, stories, "sqrt").collect()}
    assert curved["c1"] == pytest.approx(3**0.5 / 3) and curved["lone"] == 1.0
    without = with_story_weights(mentions, None)  # the stories stage has not run
    assert {(r.article_id, r.story_id, r.story_weight) for r in without.collect()} == {
        ("c1", "c1", 1.0),
        ("c2", "c2", 1.0),
        ("c3", "c3", 1.0),
        ("lone", "lone", 1.0),
    }


def test_a_syndicated_story_weighs_like_one_article(spark):
    """Three copies of one negative story (two mention rows in the first) and one positive story:
    the plain mean follows the copies, the story-weighted one counts each story once."""
    rows = spark.createDataFrame(
        [
            ("c1", 0, "tesla", "Tesla", "US", *WK, "negative", -0.9, "c1", 1 / 3),
            ("c1", 1, "tesla", "Tesla", "US", *WK, "negative", -0.9, "c1", 1 / 3),
            ("c2", 0, "tesla", "Tesla", "US", *WK, "negative", -0.9, "c1", 1 / 3),
            ("c3", 0, "tesla", "Tesla", "US", *WK, "negative", -0.9, "c1", 1 / 3),
            ("p1", 0, "tesla", "Tesla", "US", *WK, "positive", 0.6, "p1", 1.0),
        ],
        COLS + ", story_id string, story_weight double",
    )
    actual = weekly_company_country(rows, 3, None, STORY_WEIGHT_COL).select(
        "company_id", "articles", "mentions", "mean_score", "net_sentiment", *STORY_MEASURES
    )
    s = 1 / 3
    expected = spark.createDataFrame(
        [
            (
                "tesla",
                4,
                5,
                round((4 * -0.9 + 0.6) / 5, 6),
                -0.6,
                2,
                2.0,
                4 * s + 1,
                round((4 * s * -0.9 + 0.6) / (4 * s + 1), 6),
                round((-4 * s + 1) / (4 * s + 1), 6),
            ),
        ],
        "company_id string, articles long, mentions long, mean_score double, net_sentiment double, "
        "unique_stories long, story_weighted_articles double, story_weighted_mentions double, "
        "story_weighted_score double, story_weighted_net_sentiment double",
    )
    assert_approx_df_equality(actual, expected, 1e-6, ignore_nullable=True)
    # Without story weights every article is its own story: the story measures equal the plain ones.
    plain = sentiment_measures(rows.drop("story_id", "story_weight"), ["company_id"]).first()
    assert (plain.unique_stories, plain.story_weighted_articles, plain.story_weighted_mentions) == (4, 4.0, 5.0)
    assert (plain.story_weighted_score, plain.story_weighted_net_sentiment) == (plain.mean_score, plain.net_sentiment)


def test_rollups_carry_the_story_measures(spark):
    """A sentence naming two countries is one company mention; its article keeps one weight."""
    rows = spark.createDataFrame(
        [
            ("c1", 0, "tesla", "Tesla", "US", *WK, "negative", -0.8, "c1", 0.5),
            ("c1", 0, "tesla", "Tesla", "CN", *WK, "negative", -0.8, "c1", 0.5),
            ("c2", 0, "tesla", "Tesla", "US", *WK, "negative", -0.8, "c1", 0.5),
            ("n1", 0, "nio", "Nio", "CN", *WK, "positive", 0.4, "n1", 1.0),
        ],
        COLS + ", story_id string, story_weight double",
    )
    company = R.weekly_company(rows, 3, None, STORY_WEIGHT_COL).select("company_id", "mentions", *STORY_MEASURES)
    expected = spark.createDataFrame(
        [("tesla", 2, 1, 1.0, 1.0, -0.8, -1.0), ("nio", 1, 1, 1.0, 1.0, 0.4, 1.0)],
        "company_id string, mentions long, unique_stories long, "
        "story_weighted_articles double, story_weighted_mentions double, "
        "story_weighted_score double, story_weighted_net_sentiment double",
    )
    assert_approx_df_equality(company, expected, 1e-9, ignore_row_order=True, ignore_nullable=True)
    market = R.weekly_market(rows, 3, None, STORY_WEIGHT_COL).first()
    assert (market.articles, market.unique_stories, market.story_weighted_articles) == (3, 2, 2.0)
    assert market.story_weighted_score == pytest.approx((-0.8 + 0.4) / 2)


# --- the stories stage, then gold, incremental across a week boundary ------------------------

RECALL = [
    (
        "Tesla recalled two million cars in the United States over flaws in its driver assistance "
        "software, the road safety regulator said on Friday.",
        -0.9,
        ["tesla"],
        ["US"],
    ),
    (
        "The carmaker said owners would receive a free software update over the air in the coming weeks.",
        -0.3,
        ["tesla"],
        ["US"],
    ),
]
PLANT = [
    (
        "Tesla will open a battery plant in Nevada next year and hire about three thousand workers "
        "for the new site, the company said.",
        0.7,
        ["tesla"],
        ["US"],
    )
]
W15, W16, W17 = date(2024, 4, 8), date(2024, 4, 15), date(2024, 4, 22)


def _tesla_us(spark, lakehouse):
    frame = spark.read.format("delta").load(f"{lakehouse}/gold/sentiment_weekly").filter("company_id = 'tesla'")
    return {r.week_start: r for r in frame.collect()}


def test_gold_recomputes_the_weeks_a_stories_run_rewrote(spark, tmp_path):
    """Week 15: a recall story and a copy, and another story. Week 16: a third copy of the recall
    (published on Monday). The stories run rewrites the week-15 copies' weights (the story now has
    three members), so the incremental aggregate recomputes week 15 too, not only weeks 16-17, and
    gives the rows of a full refresh."""
    lake = tmp_path / "lake"
    settings = make_settings(lake)
    write_silver(
        spark,
        lake,
        [
            article("x1", datetime(2024, 4, 12, 8), RECALL, title="Tesla recalls cars"),
            article("x2", datetime(2024, 4, 14, 20), RECALL, title="Tesla recall"),
            article("p1", datetime(2024, 4, 10, 9), PLANT, title="Tesla plant"),
        ],
    )
    assert run_stories(spark, settings, RunContext.start("stories")).counts["duplicate_pairs"] == 1
    aggregate(spark, settings)
    w15 = _tesla_us(spark, lake)[W15]
    assert (w15.articles, w15.mentions, w15.unique_stories) == (3, 5, 2)
    assert w15.story_weighted_articles == pytest.approx(2.0)
    assert w15.story_weighted_score == pytest.approx(round((0.5 * 2 * (-0.9 - 0.3) + 0.7) / 3, 6))
    assert w15.mean_score == pytest.approx(round((2 * (-0.9 - 0.3) + 0.7) / 5, 6))

    write_silver(spark, lake, [article("x3", datetime(2024, 4, 15, 9), RECALL, title="Tesla recall (wire)")])
    assert run_stories(spark, settings, RunContext.start("stories")).counts["rows_out"] == 3  # x1, x2 rewritten
    counts = aggregate(spark, settings)
    assert (counts["full_refresh"], counts["weeks_recomputed"]) == (0, 3)  # W15 (weights), W16, W17
    cells = _tesla_us(spark, lake)
    assert (cells[W15].articles, cells[W15].unique_stories) == (3, 2)
    assert cells[W15].story_weighted_articles == pytest.approx(2 / 3 + 1, abs=1e-6)
    assert (cells[W16].articles, cells[W16].unique_stories) == (1, 1)
    assert cells[W16].story_weighted_articles == pytest.approx(1 / 3, abs=1e-6)
    incremental = spark.read.format("delta").load(f"{lake}/gold/sentiment_weekly").localCheckpoint()
    gold_stage.run_aggregate(spark, settings, RunContext.start("aggregate"), full_refresh=True)
    assert_df_equality(
        spark.read.format("delta").load(f"{lake}/gold/sentiment_weekly"), incremental, ignore_row_order=True
    )


def test_gold_state_from_before_stories_gains_the_column(spark, tmp_path):
    """A lakehouse aggregated before the stories stage existed: its ops/gold_state has no
    stories_version. The next run reads it (no table: no stories) and appends its row with the
    new column; the old rows read null there."""
    lake = tmp_path / "lake"
    settings = make_settings(lake)
    write_silver(spark, lake, [article("p1", datetime(2024, 4, 10, 9), PLANT)])
    aggregate(spark, settings)
    state = f"{lake}/ops/gold_state"
    spark.read.format("delta").load(state).drop("stories_version").write.format("delta").mode("overwrite").option(
        "overwriteSchema", "true"
    ).save(state)
    write_silver(spark, lake, [article("p2", datetime(2024, 4, 17, 9), PLANT)])
    counts = aggregate(spark, settings)
    assert (counts["full_refresh"], counts["weeks_recomputed"]) == (0, 2)
    rows = spark.read.format("delta").load(state).orderBy("aggregated_at").collect()
    assert [r.stories_version for r in rows] == [None, None] and rows[-1].weeks_recomputed == 2
