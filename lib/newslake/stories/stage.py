"""The stories stage: articles -> ``silver/article_signatures``, ``silver/stories``,
``silver/article_stories`` (issue #9 "Stories, not copies").

Reads ``silver/articles`` (``clean_text``) when it exists, else ``bronze/articles`` (``body``);
signatures of one kind of text are not mixed with the other's (``StorySettingsChanged``: run
``--full-refresh``). A run window (``--run-date``, ``--start``/``--end``) does not narrow the
stage: every new article is clustered, and ``--full-refresh`` re-clusters all of them.

Incremental by construction. An article is *new* until its signature is in
``silver/article_signatures``. A run

1. signs the new articles (MinHash over word shingles, LSH band keys);
2. finds candidate pairs between them and the stored signatures of articles published at most
   ``stories.horizon_days`` around them (new + existing, nothing older is read), and keeps the
   pairs whose exact Jaccard similarity reaches ``stories.threshold``;
3. runs label propagation on a small graph: one node per new article, one node per existing
   story that a new article links to (labelled by its first member), so history is never
   re-clustered;
4. re-ranks every member of each story that changed (new members, or two stories merged by a
   new article that copies both) and MERGEs those rows into ``silver/article_stories`` and
   ``silver/stories`` (an absorbed story's row is deleted);
5. writes the new signatures last: a run that fails before that is simply redone.

Story ids. A story's id is the ``article_id`` of its first-seen member (earliest
``published_at``, ties by ``article_id``), so a full refresh and any sequence of incremental
runs give the same ids. The id changes only when an article published *before* the story's
first member arrives late and joins it, or when a new article bridges two stories (the later
one takes the earlier one's id); the rows of every member are then rewritten in that run and
carry its ``stories_run_id``.

Week boundaries. A story that spans two ISO weeks keeps one id. Each member counts in the week
of its own ``published_at`` with its ``story_weight`` (W(size) / size), so each week counts its
share of the story and the weeks together count the story once (W = 1 by default). When a
later copy arrives, the weights of the earlier members change too: gold must recompute every
week that holds a row of ``silver/article_stories`` with the run's ``stories_run_id``.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Tuple

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake import io
from newslake.catalogue import (
    BRONZE_ARTICLES,
    SILVER_ARTICLE_SIGNATURES,
    SILVER_ARTICLE_STORIES,
    SILVER_ARTICLES,
    SILVER_STORIES,
    Table,
)
from newslake.config import Settings, StorySettings
from newslake.runs import RunContext, StageResult
from newslake.stories import minhash as M
from newslake.timing import PhaseTimer

log = logging.getLogger("newslake")


class StorySettingsChanged(RuntimeError):
    """Stored signatures were made with other shingling/MinHash settings than the current ones."""


def read_source_articles(spark: SparkSession, settings: Settings) -> Tuple[DataFrame, str]:
    """``article_id, published_at, source, url, text`` from silver/articles (its clean_text)
    when that table exists, else from bronze/articles (its body); and which one it was."""
    root = settings.lakehouse_root()
    if io.exists(spark, root, SILVER_ARTICLES):
        frame = io.read(spark, root, SILVER_ARTICLES).select(
            "article_id", "published_at", "source", "url", F.col("clean_text").alias("text")
        )
        return frame, "silver"
    bronze = io.read(spark, root, BRONZE_ARTICLES, empty_if_missing=False)
    return bronze.select("article_id", "published_at", "source", "url", F.col("body").alias("text")), "bronze"


def sign_articles(articles: DataFrame, cfg: StorySettings) -> DataFrame:
    """``article_id, published_at, source, signature, band_keys, shingle_ids, shingle_count``
    for articles with ``article_id, published_at, source, text``."""
    return (
        articles.transform(M.with_story_text, cfg.dateline_pattern, cfg.boilerplate_line_patterns)
        .transform(M.with_shingles, cfg.shingle_size)
        .transform(M.with_signature, cfg.num_hash_tables, cfg.seed, cfg.num_features)
        .transform(M.with_band_keys, cfg.num_hash_tables, cfg.band_rows)
        .select(
            "article_id",
            "published_at",
            "source",
            "signature",
            "band_keys",
            "shingle_ids",
            F.size("shingle_ids").cast("int").alias("shingle_count"),
        )
    )


def duplicate_pairs(probe: DataFrame, pool: DataFrame, cfg: StorySettings) -> Tuple[DataFrame, DataFrame]:
    """(candidate pairs, verified pairs) between ``probe`` and ``pool`` (signed frames)."""
    candidates = M.candidate_pairs(probe, pool, cfg.horizon_days)
    return candidates, M.verified_pairs(candidates, pool.select("article_id", "shingle_ids"), cfg.threshold)


def cluster_batch(signed: DataFrame, cfg: StorySettings) -> DataFrame:
    """All-at-once clustering of ``signed`` articles (no history): ``article_id, story_id``,
    the transformation the labeled-pairs test and a full refresh use."""
    _, edges = duplicate_pairs(signed, signed, cfg)
    nodes = signed.select(F.col("article_id").alias("node"), F.struct("published_at", "article_id").alias("label"))
    labels = M.connected_components(
        nodes, edges.select(F.col("article_a").alias("src"), F.col("article_b").alias("dst")), cfg.max_iterations
    )
    return labels.select(F.col("node").alias("article_id"), F.col("label.article_id").alias("story_id"))


def run_stories(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> StageResult:
    """New articles -> their stories (``settings.stories``); see the module docstring. Returns
    the run's counts and the wall seconds of its phases (``sign``, ``pairs``, ``components``,
    ``measures``, ``write``), each of which names the Spark jobs it starts (``stories: <phase>``)."""
    cfg = settings.stories
    root = settings.lakehouse_root()
    params = cfg.minhash_params()
    timer = PhaseTimer(spark, "stories")
    source, text_source = read_source_articles(spark, settings)

    def existing(table: Table) -> DataFrame:
        if full_refresh:
            return spark.createDataFrame([], table.schema)
        return io.read(spark, root, table)

    old_signatures = existing(SILVER_ARTICLE_SIGNATURES)
    if not full_refresh and io.exists(spark, root, SILVER_ARTICLE_SIGNATURES):
        stale = (F.col("minhash_params") != params) | (F.col("text_source") != text_source)
        if old_signatures.filter(stale).limit(1).count():
            raise StorySettingsChanged(
                "silver/article_signatures was built with other stories settings (shingle_size, "
                "num_hash_tables, band_rows, seed, num_features or boilerplate patterns) than the "
                f"current ones ({params}), or from other text than {text_source} articles (the "
                "stage signs bronze bodies only while silver/articles does not exist); rerun the "
                "stories stage with --full-refresh"
            )

    new = source.join(old_signatures.select("article_id"), "article_id", "left_anti")
    signed = sign_articles(new, cfg).persist()
    try:
        with timer.phase("sign"):
            articles_in = signed.count()
        if articles_in == 0:
            log.info("stories: no new articles")
            return StageResult(
                {
                    "rows_in": 0,
                    "rows_out": 0,
                    "candidate_pairs": 0,
                    "duplicate_pairs": 0,
                    "stories_touched": 0,
                    "stories_absorbed": 0,
                },
                timer.phase_seconds(),
            )
        with timer.phase("pairs"):
            candidates, edges = _new_pairs(signed, old_signatures, cfg)
            n_candidates, n_edges = candidates.count(), edges.count()
        try:
            old_members = existing(SILVER_ARTICLE_STORIES)
            old_stories = existing(SILVER_STORIES)
            with timer.phase("components"):
                # Checkpointed, not persisted: the MERGE into article_stories below makes Spark
                # recompute cached plans that read that table, which would re-derive these frames
                # from the rewritten rows (and find no absorbed story).
                labels = _story_labels(signed, edges, old_members, old_stories, cfg).localCheckpoint()
            with timer.phase("measures"):
                members = _changed_members(signed, edges, labels, old_members, cfg, ctx.run_id).localCheckpoint()
                rows_out = members.count()
                story_rows = M.story_table(members).withColumn("stories_run_id", F.lit(ctx.run_id)).localCheckpoint()
                n_touched = story_rows.count()
                absorbed = (
                    labels.filter(F.col("node") != F.col("story_id"))
                    .join(old_stories.select(F.col("story_id").alias("node")), "node", "left_semi")
                    .select(F.col("node").alias("story_id"))
                    .localCheckpoint()
                )
                n_absorbed = absorbed.count()
            signatures = (
                signed.withColumn("minhash_params", F.lit(params))
                .withColumn("text_source", F.lit(text_source))
                .withColumn("stories_run_id", F.lit(ctx.run_id))
            )
            with timer.phase("write"):
                _write(spark, root, full_refresh, members, story_rows, absorbed, signatures)
            for frame in (members, story_rows, absorbed, labels):
                frame.unpersist()
        finally:
            candidates.unpersist()
            edges.unpersist()
    finally:
        signed.unpersist()
    result = StageResult(
        {
            "rows_in": articles_in,
            "rows_out": rows_out,
            "candidate_pairs": n_candidates,
            "duplicate_pairs": n_edges,
            "stories_touched": n_touched,
            "stories_absorbed": n_absorbed,
        },
        timer.phase_seconds(),
    )
    log.info("stories: %s", result.figures())
    return result


def _new_pairs(signed: DataFrame, old_signatures: DataFrame, cfg: StorySettings) -> Tuple[DataFrame, DataFrame]:
    """(candidates, verified pairs), both persisted, between the new articles and the new plus
    the stored articles published within the horizon of the new ones."""
    horizon = timedelta(days=cfg.horizon_days)
    lo, hi = signed.agg(F.min("published_at"), F.max("published_at")).first()
    nearby = old_signatures.filter(F.col("published_at").between(lo - horizon, hi + horizon)).select(
        "article_id", "published_at", "band_keys", "shingle_ids"
    )
    pool = signed.select("article_id", "published_at", "band_keys", "shingle_ids").unionByName(nearby)
    candidates, verified = duplicate_pairs(signed, pool, cfg)
    candidates = candidates.persist()
    return candidates, verified.persist()


def _story_labels(
    signed: DataFrame, edges: DataFrame, old_members: DataFrame, old_stories: DataFrame, cfg: StorySettings
) -> DataFrame:
    """``node, story_id`` for every new article and every existing story a new article links
    to. The graph has one node per new article and one per such story (labelled by its first
    member), so history is never re-clustered."""
    node_of = old_members.join(signed.select("article_id"), "article_id", "left_anti").select(
        F.col("article_id").alias("endpoint"), F.col("story_id").alias("node")
    )

    def end(column: str, name: str) -> DataFrame:
        return (
            edges.select(F.col(column).alias("endpoint"))
            .distinct()
            .join(node_of, "endpoint", "left")
            .select(F.col("endpoint").alias(column), F.coalesce("node", "endpoint").alias(name))
        )

    graph_edges = (
        edges.join(end("article_a", "src"), "article_a")
        .join(end("article_b", "dst"), "article_b")
        .select("src", "dst")
        .filter(F.col("src") != F.col("dst"))
        .distinct()
    )
    endpoints = graph_edges.select(F.col("src").alias("story_id")).unionByName(
        graph_edges.select(F.col("dst").alias("story_id"))
    )
    story_nodes = old_stories.join(endpoints, "story_id", "left_semi").select(
        F.col("story_id").alias("node"),
        F.struct(F.col("first_seen_at").alias("published_at"), F.col("story_id").alias("article_id")).alias("label"),
    )
    article_nodes = signed.select(
        F.col("article_id").alias("node"), F.struct("published_at", "article_id").alias("label")
    )
    # A story id is its first member's article id: after a run that failed before writing the
    # signatures, a new article can also be an existing story; it is one node with one label.
    nodes = article_nodes.unionByName(story_nodes.join(article_nodes.select("node"), "node", "left_anti"))
    labels = M.connected_components(nodes, graph_edges, cfg.max_iterations)
    return labels.select("node", F.col("label.article_id").alias("story_id"))


def _changed_members(
    signed: DataFrame, edges: DataFrame, labels: DataFrame, old_members: DataFrame, cfg: StorySettings, run_id: str
) -> DataFrame:
    """Every member of every story that gained members or was merged, with its (possibly new)
    story id, rank, novelty and weight: the rows of silver/article_stories this run rewrites."""
    remap = labels.select(F.col("node").alias("old_story_id"), F.col("story_id").alias("new_story_id"))
    moved = (
        old_members.join(signed.select("article_id"), "article_id", "left_anti")
        .join(remap, F.col("story_id") == F.col("old_story_id"))
        .select(
            "article_id",
            F.col("new_story_id").alias("story_id"),
            "published_at",
            "source",
            F.col("max_similarity").alias("old_max_similarity"),
        )
    )
    arrived = signed.join(labels.withColumnRenamed("node", "article_id"), "article_id").select(
        "article_id", "story_id", "published_at", "source", F.lit(None).cast("double").alias("old_max_similarity")
    )
    best = (
        edges.select(F.col("article_a").alias("article_id"), "similarity")
        .unionByName(edges.select(F.col("article_b").alias("article_id"), "similarity"))
        .groupBy("article_id")
        .agg(F.max("similarity").alias("new_max_similarity"))
    )
    return (
        arrived.unionByName(moved)
        .join(best, "article_id", "left")
        .withColumn("max_similarity", F.greatest("old_max_similarity", "new_max_similarity"))
        .transform(M.with_story_measures, cfg.novelty_window_days, cfg.novelty_curve, cfg.novelty_decay, cfg.weighting)
        .withColumn("stories_run_id", F.lit(run_id))
    )


def _write(
    spark: SparkSession,
    root: str,
    full_refresh: bool,
    members: DataFrame,
    story_rows: DataFrame,
    absorbed: DataFrame,
    signatures: DataFrame,
) -> None:
    if full_refresh:
        io.overwrite_rows(spark, root, SILVER_ARTICLE_STORIES, members)
        io.overwrite_rows(spark, root, SILVER_STORIES, story_rows)
        io.overwrite_rows(spark, root, SILVER_ARTICLE_SIGNATURES, signatures)
        return
    every_column = {c: f"s.`{c}`" for c in SILVER_ARTICLE_STORIES.schema.fieldNames()}
    io.merge_new(spark, root, SILVER_ARTICLE_STORIES, members, update_on_match=every_column)
    io.upsert_and_delete_rows(spark, root, SILVER_STORIES, story_rows, absorbed)
    # Last: a signature marks the article as done; a run that fails before this is redone.
    io.merge_new(spark, root, SILVER_ARTICLE_SIGNATURES, signatures)


__all__ = ["run_stories", "sign_articles", "cluster_batch", "duplicate_pairs", "StorySettingsChanged"]
