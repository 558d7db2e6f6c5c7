"""Schemas of the stories tables (issue #9). To move into ``newslake.schemas`` (and ``TABLES``)
when the stage is wired in; documented column by column in ``docs/data_dictionary.md``."""

from __future__ import annotations

from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)


def _struct(*fields: tuple) -> StructType:
    return StructType([StructField(name, dtype, nullable) for name, dtype, nullable in fields])


# One row per article that went through the stories stage: what later runs compare new
# articles with. MERGE keyed on article_id; only rows within stories.horizon_days of new
# articles are read back.
SILVER_ARTICLE_SIGNATURES = _struct(
    ("article_id", StringType(), False),
    ("published_at", TimestampType(), False),
    ("signature", ArrayType(IntegerType(), True), True),
    ("band_keys", ArrayType(LongType(), True), True),
    ("shingle_ids", ArrayType(IntegerType(), True), False),
    ("shingle_count", IntegerType(), False),
    ("minhash_params", StringType(), False),
    ("text_source", StringType(), False),
    ("stories_run_id", StringType(), False),
)

# One row per story (a cluster of near-duplicate articles; a lone article is a story of one).
# MERGE keyed on story_id; a story absorbed by another one is deleted.
SILVER_STORIES = _struct(
    ("story_id", StringType(), False),
    ("member_article_ids", ArrayType(StringType(), True), False),
    ("first_seen_article_id", StringType(), False),
    ("first_seen_at", TimestampType(), False),
    ("last_seen_at", TimestampType(), False),
    ("size", IntegerType(), False),
    ("source_count", IntegerType(), False),
    ("sources", ArrayType(StringType(), True), False),
    ("stories_run_id", StringType(), False),
)

# One row per article: its story, rank, novelty and weight. MERGE keyed on article_id; rows of
# every member of a story that changed in a run are rewritten by that run (stories_run_id).
SILVER_ARTICLE_STORIES = _struct(
    ("article_id", StringType(), False),
    ("story_id", StringType(), False),
    ("published_at", TimestampType(), False),
    ("source", StringType(), True),
    ("rank_in_story", IntegerType(), False),
    ("story_size", IntegerType(), False),
    ("earlier_copies", IntegerType(), False),
    ("novelty", DoubleType(), False),
    ("story_weight", DoubleType(), False),
    ("max_similarity", DoubleType(), True),
    ("stories_run_id", StringType(), False),
)

TABLES = {
    ("silver", "article_signatures"): SILVER_ARTICLE_SIGNATURES,
    ("silver", "stories"): SILVER_STORIES,
    ("silver", "article_stories"): SILVER_ARTICLE_STORIES,
}
