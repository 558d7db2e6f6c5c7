"""Every table's schema, declared once. Jobs write exactly these columns; tests check them.
:mod:`newslake.catalogue` pairs each with its table's layer, name, keys and layout."""

from __future__ import annotations

from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DateType,
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


# What the file parsers emit for every input record, good or bad (one row per record).
RAW_RECORD = _struct(
    ("source_file", StringType(), False),
    ("record_number", LongType(), False),
    ("byte_offset", LongType(), True),
    ("source_format", StringType(), False),
    ("file_modified_at", TimestampType(), True),
    ("raw_payload", StringType(), True),
    ("title", StringType(), True),
    ("body", StringType(), True),
    ("url", StringType(), True),
    ("source", StringType(), True),
    ("language", StringType(), True),
    ("detected_language", StringType(), True),
    ("author", StringType(), True),
    ("published_raw", StringType(), True),
    ("published_parsed", TimestampType(), True),
    ("parse_error", StringType(), True),
    ("parse_detail", StringType(), True),
)

# One input record: the file and the record's number in it (RAW_RECORD's two key columns).
# Nullable, since Delta refuses NOT NULL inside an array; never null in practice.
SOURCE_RECORD = _struct(
    ("source_file", StringType(), True),
    ("record_number", LongType(), True),
)

BRONZE_ARTICLES = _struct(
    ("article_id", StringType(), False),
    ("source_file", StringType(), False),
    ("record_number", LongType(), False),
    ("byte_offset", LongType(), True),
    ("source_format", StringType(), False),
    ("ingest_run_id", StringType(), False),
    ("ingested_at", TimestampType(), False),
    ("first_seen_at", TimestampType(), False),
    ("last_seen_at", TimestampType(), False),
    ("seen_count", LongType(), False),
    # The input records that carried the article, as (file, record number): what makes a
    # re-read of the same records change nothing. Null in rows written before it existed.
    ("seen_in", ArrayType(SOURCE_RECORD, True), True),
    ("raw_payload", StringType(), True),
    ("title", StringType(), True),
    ("body", StringType(), False),
    ("url", StringType(), True),
    ("source", StringType(), True),
    ("language", StringType(), True),
    ("detected_language", StringType(), True),
    ("author", StringType(), True),
    ("published_raw", StringType(), True),
    ("published_at", TimestampType(), False),
    ("date_source", StringType(), False),
    ("dump_date", DateType(), True),
)

BRONZE_QUARANTINE = _struct(
    ("quarantine_id", StringType(), False),
    ("source_file", StringType(), False),
    ("record_number", LongType(), False),
    ("byte_offset", LongType(), True),
    ("source_format", StringType(), False),
    ("reason", StringType(), False),
    ("detail", StringType(), True),
    ("raw_prefix", StringType(), True),
    ("ingest_run_id", StringType(), False),
    ("quarantined_at", TimestampType(), False),
)

PROCESSED_FILES = _struct(
    ("path", StringType(), False),
    ("size", LongType(), False),
    ("modified_at", TimestampType(), False),
    ("ingest_run_id", StringType(), False),
    ("processed_at", TimestampType(), False),
    ("records", LongType(), False),
)

RUNS = _struct(
    ("run_id", StringType(), False),
    ("stage", StringType(), False),
    ("status", StringType(), False),
    ("started_at", TimestampType(), False),
    ("finished_at", TimestampType(), True),
    ("records_read", LongType(), True),
    ("bronze_inserted", LongType(), True),
    ("bronze_duplicates", LongType(), True),
    ("quarantined", LongType(), True),
    ("rows_in", LongType(), True),
    ("rows_out", LongType(), True),
    ("message", StringType(), True),
    ("spark_app_id", StringType(), True),
    ("code_version", StringType(), True),
    ("conf_profile", StringType(), True),
    ("window_start", DateType(), True),
    ("window_end", DateType(), True),
    ("model_version", StringType(), True),
    ("conf_hash", StringType(), True),
    ("conf_json", StringType(), True),
)

SILVER_ARTICLES = _struct(
    ("article_id", StringType(), False),
    ("title", StringType(), True),
    ("url", StringType(), True),
    ("source", StringType(), True),
    ("language", StringType(), True),
    ("published_at", TimestampType(), False),
    ("date_source", StringType(), False),
    ("iso_year", IntegerType(), False),
    ("iso_week", IntegerType(), False),
    ("week_start", DateType(), False),
    ("clean_text", StringType(), False),
    ("publisher_sentiment", StringType(), True),
    ("sentences", IntegerType(), False),
    ("sentiment_label", StringType(), False),
    ("sentiment_score", DoubleType(), False),
    ("countries", ArrayType(StringType(), True), False),
    ("dominant_country", StringType(), False),
    ("enrich_run_id", StringType(), False),
    ("model_version", StringType(), False),
)

SILVER_SENTENCES = _struct(
    ("article_id", StringType(), False),
    ("sentence_index", IntegerType(), False),
    ("char_begin", IntegerType(), False),
    ("char_end", IntegerType(), False),
    ("sentence_text", StringType(), False),
    ("sentiment_label", StringType(), False),
    ("sentiment_score", DoubleType(), False),
    ("sentiment_confidence", DoubleType(), False),
    ("companies", ArrayType(StringType(), True), False),
    ("countries", ArrayType(StringType(), True), False),
    ("published_at", TimestampType(), False),
    ("iso_year", IntegerType(), False),
    ("iso_week", IntegerType(), False),
    ("week_start", DateType(), False),
)

SILVER_MENTIONS = _struct(
    ("article_id", StringType(), False),
    ("sentence_index", IntegerType(), False),
    ("company_id", StringType(), False),
    ("company", StringType(), False),
    ("matched_text", StringType(), False),
    ("char_begin", IntegerType(), False),
    ("char_end", IntegerType(), False),
    ("country", StringType(), False),
    ("country_source", StringType(), False),
    ("sentiment_label", StringType(), False),
    ("sentiment_score", DoubleType(), False),
    ("published_at", TimestampType(), False),
    ("iso_year", IntegerType(), False),
    ("iso_week", IntegerType(), False),
    ("week_start", DateType(), False),
    ("link_method", StringType(), False),
)

SILVER_ARTICLE_ENTITIES = _struct(
    ("article_id", StringType(), False),
    ("company_id", StringType(), False),
    ("company", StringType(), False),
    ("relevance", DoubleType(), False),
    ("in_title", BooleanType(), False),
    ("in_lead", BooleanType(), False),
    ("first_sentence_index", IntegerType(), False),
    ("mentions", LongType(), False),
    ("mention_sentences", IntegerType(), False),
    ("sentence_share", DoubleType(), False),
    ("sentiment_label", StringType(), False),
    ("sentiment_score", DoubleType(), False),
    ("published_at", TimestampType(), False),
    ("iso_year", IntegerType(), False),
    ("iso_week", IntegerType(), False),
    ("week_start", DateType(), False),
)

# Stories (newslake.stories): near-duplicate articles clustered into stories.
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

# Gold: every weekly table has the same measures after its keys (see docs/data_dictionary.md).
_GOLD_WEEK = (
    ("iso_year", IntegerType(), False),
    ("iso_week", IntegerType(), False),
    ("week_start", DateType(), False),
)
_GOLD_MEASURES = (
    ("articles", LongType(), False),
    ("sentences", LongType(), False),
    ("mentions", LongType(), False),
    ("mean_score", DoubleType(), False),
    ("median_score", DoubleType(), False),
    ("relevance_weighted_score", DoubleType(), True),
    ("ci95_low", DoubleType(), True),
    ("ci95_high", DoubleType(), True),
    ("positive_share", DoubleType(), False),
    ("negative_share", DoubleType(), False),
    ("neutral_share", DoubleType(), False),
    ("net_sentiment", DoubleType(), False),
    ("prev_week_mean_score", DoubleType(), True),
    ("score_change", DoubleType(), True),
    ("low_confidence", BooleanType(), False),
    # Story-weighted (silver/article_stories): each article counts with its story's weight
    # W(story size) / story size, so all copies of a story weigh W together (1 by default).
    ("unique_stories", LongType(), False),
    ("story_weighted_articles", DoubleType(), False),
    ("story_weighted_mentions", DoubleType(), False),
    ("story_weighted_score", DoubleType(), False),
    ("story_weighted_net_sentiment", DoubleType(), False),
)

GOLD_SENTIMENT_WEEKLY = _struct(
    ("company", StringType(), False),
    ("company_id", StringType(), False),
    ("country", StringType(), False),
    *_GOLD_WEEK,
    *_GOLD_MEASURES,
)

GOLD_SENTIMENT_WEEKLY_COMPANY = _struct(
    ("company", StringType(), False),
    ("company_id", StringType(), False),
    *_GOLD_WEEK,
    *_GOLD_MEASURES,
)

GOLD_SENTIMENT_WEEKLY_COUNTRY = _struct(
    ("country", StringType(), False),
    *_GOLD_WEEK,
    *_GOLD_MEASURES,
)

GOLD_SENTIMENT_WEEKLY_MARKET = _struct(
    *_GOLD_WEEK,
    *_GOLD_MEASURES,
)

GOLD_EVIDENCE = _struct(
    ("company", StringType(), False),
    ("company_id", StringType(), False),
    *_GOLD_WEEK,
    ("sign", StringType(), False),
    ("rank", IntegerType(), False),
    ("article_id", StringType(), False),
    ("title", StringType(), True),
    ("url", StringType(), True),
    ("published_at", TimestampType(), False),
    ("sentence_index", IntegerType(), False),
    ("char_begin", IntegerType(), False),
    ("char_end", IntegerType(), False),
    ("sentence_text", StringType(), False),
    ("sentiment_label", StringType(), False),
    ("score", DoubleType(), False),
    ("relevance", DoubleType(), False),
    ("impact", DoubleType(), False),
)

GOLD_COMPANIES = _struct(
    ("company_id", StringType(), False),
    ("company", StringType(), False),
    ("primary_ticker", StringType(), True),
    ("tickers", ArrayType(StringType(), False), False),
    ("sector", StringType(), True),
    ("hq_country", StringType(), False),
    ("hq_country_name", StringType(), True),
    ("hq_region", StringType(), True),
)

GOLD_COUNTRIES = _struct(
    ("country", StringType(), False),
    ("country_name", StringType(), False),
    ("region", StringType(), True),
)

# What each aggregate run consumed: the incremental gold stage's watermark (ops/gold_state).
GOLD_STATE = _struct(
    ("run_id", StringType(), False),
    ("aggregated_at", TimestampType(), False),
    ("full_refresh", BooleanType(), False),
    ("mentions_version", LongType(), False),
    ("sentences_version", LongType(), False),
    ("articles_version", LongType(), False),
    ("entities_version", LongType(), True),
    ("stories_version", LongType(), True),
    ("settings_fingerprint", StringType(), False),
    ("weeks_recomputed", LongType(), False),
    ("code_version", StringType(), True),
)
