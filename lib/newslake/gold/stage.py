"""The aggregate stage: silver -> gold, incremental by ISO week.

A run reads the silver tables at pinned Delta versions and compares them with the versions the
last run consumed (``ops/gold_state``). It recomputes the weeks whose silver rows changed, and the
week after each (its ``prev_week_mean_score`` / ``score_change`` depend on it), from silver rows of
those weeks and the week before them, and replaces exactly those ``week_start`` partitions of
every weekly gold table (Delta ``replaceWhere``). Other weeks keep their files.

Story weights come from ``silver/article_stories`` when it exists (else every article is a story
of one). A stories run rewrites the rows of every member of a story that grew or merged, in
whatever week each member was published, so the weeks touched by a stories run are the weeks of
the articles whose ``story_id`` or ``story_size`` differ between the consumed and the current
version of that table (the files its commits added and removed, compared row by row). It rebuilds
everything (``--full-refresh``, the first run, a changed gold layout, measure settings, gazetteer
or formula version, or when the changes cannot be read any more); both paths give identical rows.
A run with nothing new writes nothing, so running it twice changes no gold table.

This module is the runner that ties the parts together: ``gold.plan`` decides what to recompute
(with ``gold.state``, the ``ops/gold_state`` watermark, and ``gold.weeks``), the pure transforms
(``gold.weekly``, ``rollups``, ``evidence``, ``dimensions``) compute the rows, this module stages
and swaps them in, then ``gold.maintenance`` (OPTIMIZE / VACUUM) and ``gold.charts`` (PNG files).
The tables are the catalogue's gold entries (``newslake.catalogue.GOLD_TABLES``).
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Dict, List, Optional, Tuple

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StructType

from newslake import io
from newslake.catalogue import (
    GOLD_COUNTRIES,
    GOLD_DIMENSION_TABLES,
    GOLD_TABLES,
    GOLD_WEEKLY_TABLES,
    SILVER_ARTICLES,
    SILVER_MENTIONS,
    SILVER_SENTENCES,
    Table,
)
from newslake.config import Settings
from newslake.gold import changes, maintenance, state
from newslake.gold import dimensions as D
from newslake.gold import evidence as E
from newslake.gold import rollups as R
from newslake.gold import weekly as W
from newslake.gold.plan import STORY_COLUMNS, Plan, plan_aggregate, source_paths
from newslake.gold.weeks import week_predicate, weeks_to_read
from newslake.nlp import gazetteer as G
from newslake.runs import RunContext, StageResult, staging_root

log = logging.getLogger("newslake.gold")


def weighted_mentions(
    mentions: DataFrame,
    entities: Optional[DataFrame],
    article_stories: Optional[DataFrame] = None,
    story_weighting: str = "one",
) -> DataFrame:
    """``silver/mentions`` rows with the relevance of the company to the article and the
    article's story weight: what every weekly gold table aggregates (one row per mention).
    ``article_stories`` None: each article is a story of one."""
    return W.with_relevance(mentions, entities).transform(W.with_story_weights, article_stories, story_weighting)


def gold_frames(
    weighted: DataFrame, sentences: DataFrame, articles: DataFrame, min_mentions_to_trust: int, evidence_per_week: int
) -> Dict[str, DataFrame]:
    """Every weekly gold table from :func:`weighted_mentions` and silver frames (pure):
    ``weighted`` must cover the week before each week whose previous-week values are wanted."""
    rel, story = W.RELEVANCE_COL, W.STORY_WEIGHT_COL
    return {
        "sentiment_weekly": weighted.transform(W.weekly_company_country, min_mentions_to_trust, rel, story),
        "sentiment_weekly_company": weighted.transform(R.weekly_company, min_mentions_to_trust, rel, story),
        "sentiment_weekly_country": weighted.transform(R.weekly_country, min_mentions_to_trust, rel, story),
        "sentiment_weekly_market": weighted.transform(R.weekly_market, min_mentions_to_trust, rel, story),
        "evidence": E.weekly_evidence(weighted, sentences, articles, evidence_per_week, rel),
    }


def _dimension_frames(spark: SparkSession, settings: Settings) -> Tuple[DataFrame, DataFrame]:
    """``gold/companies`` and ``gold/countries`` (the order of ``GOLD_DIMENSION_TABLES``)."""
    countries = spark.createDataFrame(D.country_rows(G.read_countries(settings.paths.gazetteer)), GOLD_COUNTRIES.schema)
    companies = spark.createDataFrame(
        D.company_rows(G.load_companies(settings.paths.gazetteer, settings.paths.universe)), D.COMPANY_ROW
    )
    return D.companies_dimension(companies, countries), countries


def _output_rows(spark: SparkSession, path: str) -> int:
    return io.last_operation_metrics(spark, path).get("numOutputRows", 0)


def run_aggregate(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool = False) -> StageResult:
    """``silver/{mentions,sentences,articles}`` (+ ``silver/article_entities`` when it exists) ->
    ``gold/sentiment_weekly``, its company / country / market rollups, ``gold/evidence`` and the
    ``gold/companies`` / ``gold/countries`` dimensions; records what it consumed in
    ``ops/gold_state``; then OPTIMIZE / VACUUM (``aggregate.optimize``) and PNG charts
    (``aggregate.charts_dir``)."""
    began = time.time()
    agg = settings.aggregate
    plan = plan_aggregate(spark, settings, ctx, full_refresh)
    recompute = plan.recompute
    counts: Dict[str, int] = {
        "rows_in": 0,
        "rows_out": 0,
        "full_refresh": int(recompute is None),
        "weeks_recomputed": 0,
    }
    if recompute is None:
        log.info("aggregate: full rebuild of gold (%s); planned in %.1fs", plan.reason, time.time() - began)
    elif not recompute:
        log.info(
            "aggregate: no silver rows changed (versions %s): nothing to recompute; planned in %.1fs",
            plan.versions,
            time.time() - began,
        )
    else:
        log.info(
            "aggregate: recomputing %d week(s) %s; planned in %.1fs",
            len(recompute),
            [w.isoformat() for w in recompute],
            time.time() - began,
        )
    written: List[Table] = []
    if recompute is None or recompute:
        staging = f"{staging_root(settings)}/aggregate-{ctx.run_id}"
        try:
            new_rows = _stage_gold(spark, settings, plan, recompute, staging, counts)
            written = _replace_gold(spark, settings, new_rows, recompute, counts)
        finally:
            io.remove_path(spark, staging)
    counts["rows_out"] = counts.get("sentiment_weekly_rows", 0)
    counts["weeks_recomputed"] = counts.get("sentiment_weekly_market_rows", 0) if recompute is None else len(recompute)
    if recompute is None or recompute or plan.silver_changed:
        state.record(
            spark,
            settings.lakehouse_root(),
            ctx,
            recompute is None,
            plan.versions,
            plan.fingerprint,
            counts["weeks_recomputed"],
        )
    if agg.optimize and written:
        started = time.time()
        maintenance.maintain(spark, settings.lakehouse_root(), written, recompute, agg.vacuum_retention_hours)
        log.info("aggregate: OPTIMIZE/VACUUM of %d table(s) in %.1fs", len(written), time.time() - started)
    if agg.charts_dir and written:
        counts["charts_written"] = len(write_charts(spark, settings))
    return StageResult(counts)


def _stage_gold(
    spark: SparkSession,
    settings: Settings,
    plan: Plan,
    recompute: Optional[List[date]],
    staging: str,
    counts: Dict[str, int],
) -> Dict[str, DataFrame]:
    """Compute every gold table's new rows (the ``recompute`` weeks; all weeks and the dimensions
    when None) and stage them as Parquet under ``staging``: table name -> staged rows. Nothing in
    gold changes here, so a failure (a damaged silver file, a lost executor) leaves gold whole."""
    agg = settings.aggregate
    sources = source_paths(settings.lakehouse_root())

    def read(name: str, schema: StructType) -> DataFrame:
        return changes.read_version(spark, sources[name], plan.versions[name], schema)

    mentions = read("mentions", SILVER_MENTIONS.schema)
    sentences, articles = read("sentences", SILVER_SENTENCES.schema), read("articles", SILVER_ARTICLES.schema)
    entities = read("entities", StructType()) if plan.versions["entities"] is not None else None
    stories = read("stories", StructType()).select(*STORY_COLUMNS) if plan.versions["stories"] is not None else None
    if recompute is not None:
        mentions = R.in_weeks(mentions, weeks_to_read(recompute))
        sentences, articles = R.in_weeks(sentences, recompute), R.in_weeks(articles, recompute)
    # Persisted with its weights: the five weekly tables each read it, and the relevance and
    # story joins would otherwise run once for each.
    mentions = weighted_mentions(mentions, entities, stories, settings.stories.weighting).persist()
    staged: Dict[str, DataFrame] = {}
    try:
        counts["rows_in"] = mentions.count()
        frames = gold_frames(mentions, sentences, articles, agg.min_mentions_to_trust, agg.evidence_per_week)
        for table in GOLD_WEEKLY_TABLES:
            started = time.time()
            staged[table.name] = io.staged(R.in_weeks(frames[table.name], recompute), f"{staging}/{table.name}")
            log.info("aggregate: gold/%s computed in %.1fs", table.name, time.time() - started)
    finally:
        mentions.unpersist()
    if recompute is None:
        for table, frame in zip(GOLD_DIMENSION_TABLES, _dimension_frames(spark, settings)):
            staged[table.name] = io.staged(frame.coalesce(1), f"{staging}/{table.name}")
    return staged


def _replace_gold(
    spark: SparkSession,
    settings: Settings,
    staged: Dict[str, DataFrame],
    recompute: Optional[List[date]],
    counts: Dict[str, int],
) -> List[Table]:
    """Swap the staged rows in, one commit per table, in the fixed order of ``GOLD_TABLES``; the
    tables replaced, in order. Each commit is a plain copy of staged files, so the window in which
    a reader can see some tables replaced and others not is seconds, not the whole computation;
    a failure inside it is logged with the tables already replaced (the next run rebuilds the
    rest: its state was not recorded)."""
    replaced: List[Table] = []
    for table in (t for t in GOLD_TABLES if t.name in staged):
        started = time.time()
        try:
            _write_weeks(spark, settings, table, staged[table.name], recompute)
        except Exception:
            log.error(
                "aggregate: replacing gold/%s failed; replaced before it: %s; not replaced: %s",
                table.name,
                ", ".join(t.name for t in replaced) or "none",
                ", ".join(t.name for t in GOLD_TABLES if t.name in staged and t not in replaced),
            )
            raise
        counts[f"{table.name}_rows"] = _output_rows(spark, table.path(settings.lakehouse_root()))
        replaced.append(table)
        log.info(
            "aggregate: gold/%s: %d rows written in %.1fs",
            table.name,
            counts[f"{table.name}_rows"],
            time.time() - started,
        )
    log.info(
        "aggregate: replaced gold tables (one commit each, in this order): %s", ", ".join(t.name for t in replaced)
    )
    return replaced


def _write_weeks(
    spark: SparkSession, settings: Settings, table: Table, frame: DataFrame, recompute: Optional[List[date]]
) -> None:
    """Overwrite the table (``recompute`` None) or replace exactly the ``recompute`` weeks."""
    # One file per week partition, whatever spark.sql.shuffle.partitions says.
    frame = R.in_weeks(frame, recompute)
    frame = frame.repartition(*table.partition_by) if table.partition_by else frame.coalesce(1)
    if recompute is None:
        io.overwrite_rows(spark, settings.lakehouse_root(), table, frame)
    else:
        io.replace_rows(spark, settings.lakehouse_root(), table, frame, week_predicate(recompute))


def write_charts(spark: SparkSession, settings: Settings) -> List[str]:
    """:func:`newslake.gold.charts.write_charts`, or none (with a warning) when matplotlib, an
    extra, is not installed: gold is written, charts are not."""
    try:
        from newslake.gold import charts
    except ImportError as exc:
        log.warning(
            "aggregate: no charts written (%s); install the notebook extra or set aggregate.charts_dir: null", exc
        )
        return []
    return charts.write_charts(spark, settings)
