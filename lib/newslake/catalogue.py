"""Every table of the lakehouse, declared once: layer, name, schema, keys, partitioning, Z-order
columns and table properties. Readers and writers take an entry and the lakehouse root
(``io.read(spark, root, SILVER_MENTIONS)``); nothing else spells a table's path or keys.

Adding a column to a silver table means changing its schema in ``schemas`` (which this module
wraps), the transform that fills it, and ``docs/data_dictionary.md``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Mapping, Tuple

from pyspark.sql.types import StructType

from newslake import schemas as S


@dataclass(frozen=True)
class Table:
    """One Delta table at ``<lakehouse>/<layer>/<name>``.

    ``keys`` identify a row (what merges match on); ``partition_by`` is the physical layout;
    ``zorder_by`` is what OPTIMIZE clusters by inside a partition; ``properties`` are Delta
    table properties set when the table is created."""

    layer: str
    name: str
    schema: StructType
    keys: Tuple[str, ...] = ()
    partition_by: Tuple[str, ...] = ()
    zorder_by: Tuple[str, ...] = ()
    properties: Tuple[Tuple[str, str], ...] = ()

    @property
    def qualified_name(self) -> str:
        """``layer/name``, as logs, run counts and the summary print it."""
        return f"{self.layer}/{self.name}"

    def path(self, lakehouse_root: str) -> str:
        """``<lakehouse_root>/<layer>/<name>``: the one naming rule for every table."""
        return f"{lakehouse_root.rstrip('/')}/{self.layer}/{self.name}"

    def property_map(self) -> Dict[str, str]:
        return dict(self.properties)


# Downstream loaders read gold's changes with ``readChangeFeed`` / ``table_changes``.
_CHANGE_FEED = (("delta.enableChangeDataFeed", "true"),)
_WEEK_KEYS = ("iso_year", "iso_week")

BRONZE_ARTICLES = Table("bronze", "articles", S.BRONZE_ARTICLES, ("article_id",))
BRONZE_QUARANTINE = Table("bronze", "quarantine", S.BRONZE_QUARANTINE, ("quarantine_id",))
PROCESSED_FILES = Table("ops", "processed_files", S.PROCESSED_FILES, ("path", "size", "modified_at"))
RUNS = Table("ops", "runs", S.RUNS, ("run_id", "stage", "started_at"))

# Silver is partitioned by the articles' ISO year: backfills of one year rewrite only its files.
SILVER_ARTICLES = Table("silver", "articles", S.SILVER_ARTICLES, ("article_id",), ("iso_year",))
SILVER_SENTENCES = Table("silver", "sentences", S.SILVER_SENTENCES, ("article_id", "sentence_index"), ("iso_year",))
SILVER_MENTIONS = Table(
    "silver", "mentions", S.SILVER_MENTIONS, ("article_id", "sentence_index", "company_id", "country"), ("iso_year",)
)
SILVER_ARTICLE_ENTITIES = Table(
    "silver", "article_entities", S.SILVER_ARTICLE_ENTITIES, ("article_id", "company_id"), ("iso_year",)
)
SILVER_ARTICLE_SIGNATURES = Table("silver", "article_signatures", S.SILVER_ARTICLE_SIGNATURES, ("article_id",))
SILVER_STORIES = Table("silver", "stories", S.SILVER_STORIES, ("story_id",))
SILVER_ARTICLE_STORIES = Table("silver", "article_stories", S.SILVER_ARTICLE_STORIES, ("article_id",))

# Weekly gold tables are partitioned by week: a recomputed week replaces exactly its partition,
# and dashboards' date filters prune partitions. Inside a week, Z-order by what dashboards filter by.
GOLD_SENTIMENT_WEEKLY = Table(
    "gold",
    "sentiment_weekly",
    S.GOLD_SENTIMENT_WEEKLY,
    ("company_id", "country", *_WEEK_KEYS),
    ("week_start",),
    ("company_id", "country"),
    _CHANGE_FEED,
)
GOLD_SENTIMENT_WEEKLY_COMPANY = Table(
    "gold",
    "sentiment_weekly_company",
    S.GOLD_SENTIMENT_WEEKLY_COMPANY,
    ("company_id", *_WEEK_KEYS),
    ("week_start",),
    ("company_id",),
    _CHANGE_FEED,
)
GOLD_SENTIMENT_WEEKLY_COUNTRY = Table(
    "gold",
    "sentiment_weekly_country",
    S.GOLD_SENTIMENT_WEEKLY_COUNTRY,
    ("country", *_WEEK_KEYS),
    ("week_start",),
    ("country",),
    _CHANGE_FEED,
)
GOLD_SENTIMENT_WEEKLY_MARKET = Table(
    "gold", "sentiment_weekly_market", S.GOLD_SENTIMENT_WEEKLY_MARKET, _WEEK_KEYS, ("week_start",), (), _CHANGE_FEED
)
GOLD_EVIDENCE = Table(
    "gold",
    "evidence",
    S.GOLD_EVIDENCE,
    ("company_id", *_WEEK_KEYS, "sign", "rank"),
    ("week_start",),
    ("company_id",),
    _CHANGE_FEED,
)
GOLD_COMPANIES = Table("gold", "companies", S.GOLD_COMPANIES, ("company_id",), properties=_CHANGE_FEED)
GOLD_COUNTRIES = Table("gold", "countries", S.GOLD_COUNTRIES, ("country",), properties=_CHANGE_FEED)
# What each aggregate run consumed: the incremental gold stage's watermark.
GOLD_STATE = Table("ops", "gold_state", S.GOLD_STATE, ("run_id",))

TABLES: Tuple[Table, ...] = (
    BRONZE_ARTICLES,
    BRONZE_QUARANTINE,
    SILVER_ARTICLES,
    SILVER_SENTENCES,
    SILVER_MENTIONS,
    SILVER_ARTICLE_ENTITIES,
    SILVER_ARTICLE_SIGNATURES,
    SILVER_STORIES,
    SILVER_ARTICLE_STORIES,
    GOLD_SENTIMENT_WEEKLY,
    GOLD_SENTIMENT_WEEKLY_COMPANY,
    GOLD_SENTIMENT_WEEKLY_COUNTRY,
    GOLD_SENTIMENT_WEEKLY_MARKET,
    GOLD_EVIDENCE,
    GOLD_COMPANIES,
    GOLD_COUNTRIES,
    PROCESSED_FILES,
    RUNS,
    GOLD_STATE,
)
# What each stage writes, in the order the summary prints them.
ENRICH_TABLES = (SILVER_SENTENCES, SILVER_MENTIONS, SILVER_ARTICLE_ENTITIES, SILVER_ARTICLES)
STORY_TABLES = (SILVER_ARTICLE_SIGNATURES, SILVER_STORIES, SILVER_ARTICLE_STORIES)
GOLD_WEEKLY_TABLES = (
    GOLD_SENTIMENT_WEEKLY,
    GOLD_SENTIMENT_WEEKLY_COMPANY,
    GOLD_SENTIMENT_WEEKLY_COUNTRY,
    GOLD_SENTIMENT_WEEKLY_MARKET,
    GOLD_EVIDENCE,
)
GOLD_DIMENSION_TABLES = (GOLD_COMPANIES, GOLD_COUNTRIES)
GOLD_TABLES = GOLD_WEEKLY_TABLES + GOLD_DIMENSION_TABLES

_BY_NAME: Mapping[str, Table] = {table.qualified_name: table for table in TABLES}


def table(qualified_name: str) -> Table:
    """The entry for ``layer/name`` (as a user or a config file writes it)."""
    try:
        return _BY_NAME[qualified_name]
    except KeyError:
        raise KeyError(f"no table {qualified_name!r}; tables are {', '.join(sorted(_BY_NAME))}") from None
