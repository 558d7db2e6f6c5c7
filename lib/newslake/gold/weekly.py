"""Weekly sentiment measures, shared by ``gold/sentiment_weekly`` and its rollups.

Three steps, each a ``DataFrame -> DataFrame`` transformation:

* :func:`sentiment_measures` groups counted mention rows by the table's keys and the ISO week
  and computes counts, mean / median / relevance-weighted score, a 95% interval on the mean and
  the label shares;
* :func:`with_previous_week` adds the previous ISO week's mean of the same cell (the row whose
  ``week_start`` is 7 days earlier) and the change from it;
* :func:`with_low_confidence` flags cells with too few mentions to trust.

Story weights (:func:`with_story_weights`) come from ``silver/article_stories``: the copies of
one story share a total weight W (1 by default, ``stories.weighting``), so beside the plain
counts and scores each table carries ``unique_stories`` and story-weighted measures, in which a
story syndicated 40 times weighs like one article. Every article counts in the week of its own
``published_at``; a story whose copies span two weeks splits its weight between them.

The score measures are rounded to :data:`MEASURE_DIGITS` decimals, so they do not depend on the
order Spark sums in: an incremental run and a full refresh give identical rows. Shares are ratios
of counts, exact already (and they sum to 1).
"""

from __future__ import annotations

from typing import Optional, Sequence

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from newslake.stories.minhash import story_total_weight_col

WEEK_KEYS = ("iso_year", "iso_week", "week_start")
WEEKLY_KEYS = ("company_id", "company", "country") + WEEK_KEYS
MEASURE_DIGITS = 6
# The weight column a mention frame carries after :func:`with_relevance`.
RELEVANCE_COL = "relevance"
# The columns a mention frame carries after :func:`with_story_weights`.
STORY_COL = "story_id"
STORY_WEIGHT_COL = "story_weight"

# Two-sided 95% critical values of Student's t for 1..30 degrees of freedom.
_T95 = (
    12.7062,
    4.3027,
    3.1824,
    2.7764,
    2.5706,
    2.4469,
    2.3646,
    2.3060,
    2.2622,
    2.2281,
    2.2010,
    2.1788,
    2.1604,
    2.1448,
    2.1314,
    2.1199,
    2.1098,
    2.1009,
    2.0930,
    2.0860,
    2.0796,
    2.0739,
    2.0687,
    2.0639,
    2.0595,
    2.0555,
    2.0518,
    2.0484,
    2.0452,
    2.0423,
)
_Z975 = 1.959963984540054


def with_relevance(
    mentions: DataFrame, entities: Optional[DataFrame] = None, weight_col: str = RELEVANCE_COL
) -> DataFrame:
    """Requires ``article_id, company_id``; adds ``weight_col``: the relevance in [0, 1] of the
    company to the article from ``entities`` (``silver/article_entities``: ``article_id,
    company_id, relevance``; the highest when it holds several rows for a pair), 1.0 when the
    pair has no row or no relevance, or when ``entities`` is None (the table does not exist)."""
    if entities is None:
        return mentions.withColumn(weight_col, F.lit(1.0))
    per_pair = entities.groupBy("article_id", "company_id").agg(
        F.max(F.col("relevance").cast("double")).alias("_relevance")
    )
    clipped = F.least(F.greatest(F.coalesce(F.col("_relevance"), F.lit(1.0)), F.lit(0.0)), F.lit(1.0))
    return (
        mentions.join(per_pair, ["article_id", "company_id"], "left").withColumn(weight_col, clipped).drop("_relevance")
    )


def with_story_weights(
    mentions: DataFrame, article_stories: Optional[DataFrame] = None, weighting: str = "one"
) -> DataFrame:
    """Requires ``article_id``; adds ``story_id`` and ``story_weight``: W(n) / n for an article
    of a story of n articles (``story_total_weight_col``: "one" W = 1, "sqrt", "log"), so the
    story's articles together weigh W(n). ``article_stories`` (``silver/article_stories``:
    ``article_id, story_id, story_size``) gives each article's story; an article without a row
    there, or every article when it is None (the stories stage has not run), is a story of one
    (its own id, weight 1)."""
    if article_stories is None:
        stories = mentions.withColumn(STORY_COL, F.col("article_id")).withColumn("_story_size", F.lit(1))
    else:
        per_article = article_stories.select(
            "article_id", F.col("story_id").alias("_story"), F.col("story_size").alias("_story_size")
        )
        stories = (
            mentions.join(per_article, "article_id", "left")
            .withColumn(STORY_COL, F.coalesce("_story", "article_id"))
            .withColumn("_story_size", F.coalesce("_story_size", F.lit(1)))
            .drop("_story")
        )
    size = F.col("_story_size")
    return stories.withColumn(STORY_WEIGHT_COL, story_total_weight_col(size, weighting) / size.cast("double")).drop(
        "_story_size"
    )


def t_critical_95(dof: Column) -> Column:
    """Student's t quantile 0.975 for ``dof`` degrees of freedom: the table for 1..30, beyond it
    the Cornish-Fisher expansion around the normal quantile (error below 1e-4); null for dof < 1."""
    z = _Z975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    d = dof.cast("double")
    table = F.array(*[F.lit(v) for v in _T95])
    return (
        F.when(dof < 1, F.lit(None).cast("double"))
        .when(dof <= len(_T95), F.element_at(table, dof.cast("int")))
        .otherwise(F.lit(z) + F.lit(g1) / d + F.lit(g2) / (d * d) + F.lit(g3) / (d * d * d))
    )


def _weight(weight_col: Optional[str]) -> Column:
    return F.col(weight_col).cast("double") if weight_col else F.lit(1.0)


def sentiment_measures(
    rows: DataFrame, keys: Sequence[str], weight_col: Optional[str] = None, story_weight_col: Optional[str] = None
) -> DataFrame:
    """Requires ``article_id, sentence_index, sentiment_label, sentiment_score`` and ``keys`` (and
    ``weight_col`` when given; ``story_id`` and ``story_weight_col`` when that is given). One row
    per distinct ``keys`` with ``articles``, ``sentences``, ``mentions`` (rows), ``mean_score``,
    ``median_score`` (exact), ``relevance_weighted_score`` (sum(w * score) / sum(w); null when
    every weight is 0; equals the mean without weights), ``ci95_low``/``ci95_high`` (mean +-
    t(0.975, n-1) * sd / sqrt(n), clipped to [-1, 1], null for n < 2), the label shares and
    ``net_sentiment`` ((positive - negative) / mentions), and the story measures, with story
    weight s per row (1 and each article its own story without ``story_weight_col``):
    ``unique_stories`` (distinct stories), ``story_weighted_articles`` (sum of s over distinct
    articles), ``story_weighted_mentions`` (sum of s over rows), ``story_weighted_score``
    (sum(s * score) / sum(s)) and ``story_weighted_net_sentiment`` (sum(s * sign) / sum(s), sign
    +1 positive, -1 negative, 0 neutral)."""
    label = F.col("sentiment_label")
    score = F.col("sentiment_score")
    w = _weight(weight_col)
    s = F.col("_s")
    sign = F.when(label == "positive", 1.0).when(label == "negative", -1.0).otherwise(0.0)
    # An article's rows share its weight, so that it counts once in story_weighted_articles.
    rows = (
        rows.withColumn("_story", F.col(STORY_COL) if story_weight_col else F.col("article_id"))
        .withColumn("_s", _weight(story_weight_col))
        .withColumn("_s_article", s / F.count(F.lit(1)).over(Window.partitionBy(*keys, "article_id")))
    )
    grouped = rows.groupBy(*keys).agg(
        F.countDistinct("article_id").alias("articles"),
        F.countDistinct("article_id", "sentence_index").alias("sentences"),
        F.count(F.lit(1)).alias("mentions"),
        F.avg(score).alias("_mean"),
        F.median(score).alias("_median"),
        F.stddev_samp(score).alias("_sd"),
        F.sum(w).alias("_w"),
        F.sum(w * score).alias("_ws"),
        F.sum(F.when(label == "positive", 1).otherwise(0)).alias("_pos"),
        F.sum(F.when(label == "negative", 1).otherwise(0)).alias("_neg"),
        F.sum(F.when(label == "neutral", 1).otherwise(0)).alias("_neu"),
        F.countDistinct("_story").alias("unique_stories"),
        F.sum("_s_article").alias("_sa"),
        F.sum(s).alias("_sm"),
        F.sum(s * score).alias("_ss"),
        F.sum(s * sign).alias("_sn"),
    )
    n = F.col("mentions").cast("double")
    half = t_critical_95(F.col("mentions") - 1) * F.col("_sd") / F.sqrt(n)
    enough = F.col("mentions") >= 2

    def rounded(c: Column) -> Column:
        return F.round(c, MEASURE_DIGITS)

    return (
        grouped.withColumn("mean_score", rounded(F.col("_mean")))
        .withColumn("median_score", rounded(F.col("_median")))
        .withColumn("relevance_weighted_score", rounded(F.when(F.col("_w") > 0, F.col("_ws") / F.col("_w"))))
        .withColumn("ci95_low", rounded(F.when(enough, F.greatest(F.col("_mean") - half, F.lit(-1.0)))))
        .withColumn("ci95_high", rounded(F.when(enough, F.least(F.col("_mean") + half, F.lit(1.0)))))
        .withColumn("positive_share", F.col("_pos") / n)
        .withColumn("negative_share", F.col("_neg") / n)
        .withColumn("neutral_share", F.col("_neu") / n)
        .withColumn("net_sentiment", (F.col("_pos") - F.col("_neg")) / n)
        .withColumn("story_weighted_articles", rounded(F.col("_sa")))
        .withColumn("story_weighted_mentions", rounded(F.col("_sm")))
        .withColumn("story_weighted_score", rounded(F.col("_ss") / F.col("_sm")))
        .withColumn("story_weighted_net_sentiment", rounded(F.col("_sn") / F.col("_sm")))
        .drop("_mean", "_median", "_sd", "_w", "_ws", "_pos", "_neg", "_neu", "_sa", "_sm", "_ss", "_sn")
    )


def with_previous_week(cells: DataFrame, cell_keys: Sequence[str]) -> DataFrame:
    """Requires ``cell_keys``, ``week_start`` and ``mean_score``; adds ``prev_week_mean_score``
    (the mean of the same cell in the ISO week before: ``week_start`` - 7 days; null when that
    week has no row in ``cells``) and ``score_change`` (mean - previous mean)."""
    previous = cells.select(
        *cell_keys,
        F.date_add("week_start", 7).alias("week_start"),
        F.col("mean_score").alias("prev_week_mean_score"),
    )
    return cells.join(previous, [*cell_keys, "week_start"], "left").withColumn(
        "score_change", F.round(F.col("mean_score") - F.col("prev_week_mean_score"), MEASURE_DIGITS)
    )


def with_low_confidence(cells: DataFrame, min_mentions_to_trust: int) -> DataFrame:
    """Requires ``mentions``; adds ``low_confidence``: fewer than ``min_mentions_to_trust``."""
    return cells.withColumn("low_confidence", F.col("mentions") < F.lit(min_mentions_to_trust))


def weekly_measures(
    rows: DataFrame,
    cell_keys: Sequence[str],
    min_mentions_to_trust: int,
    weight_col: Optional[str] = None,
    story_weight_col: Optional[str] = None,
) -> DataFrame:
    """All measures of a weekly gold table whose cells are ``cell_keys`` x ISO week.

    The previous-week columns are computed within ``rows``: to get them right for a week, the
    rows must include the week before it."""
    return (
        rows.transform(sentiment_measures, [*cell_keys, *WEEK_KEYS], weight_col, story_weight_col)
        .transform(with_previous_week, cell_keys)
        .transform(with_low_confidence, min_mentions_to_trust)
    )


def weekly_company_country(
    mentions: DataFrame,
    min_mentions_to_trust: int,
    weight_col: Optional[str] = None,
    story_weight_col: Optional[str] = None,
) -> DataFrame:
    """Requires ``silver/mentions`` columns (plus ``weight_col`` when given: the relevance of
    the mention's company to its article; 1.0 for every mention when None; and ``story_id`` with
    ``story_weight_col`` when given, see :func:`with_story_weights`). One row per company x
    country x ISO week (``gold/sentiment_weekly``): a silver mention row counts once, so a
    sentence naming two countries counts in both cells."""
    return weekly_measures(
        mentions, ("company_id", "company", "country"), min_mentions_to_trust, weight_col, story_weight_col
    )
