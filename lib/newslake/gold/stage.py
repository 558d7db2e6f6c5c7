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
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from newslake import __version__, io
from newslake.config import Settings
from newslake.gold import changes, maintenance
from newslake.gold import dimensions as D
from newslake.gold import evidence as E
from newslake.gold import rollups as R
from newslake.gold import weekly as W
from newslake.nlp import gazetteer as G
from newslake.runs import RunContext, StageResult
from newslake.schemas import (
    GOLD_COMPANIES,
    GOLD_COUNTRIES,
    GOLD_EVIDENCE,
    GOLD_SENTIMENT_WEEKLY,
    GOLD_SENTIMENT_WEEKLY_COMPANY,
    GOLD_SENTIMENT_WEEKLY_COUNTRY,
    GOLD_SENTIMENT_WEEKLY_MARKET,
    GOLD_STATE,
    SILVER_ARTICLES,
    SILVER_MENTIONS,
    SILVER_SENTENCES,
)

log = logging.getLogger("newslake.gold")

# Bump when a gold formula changes: the next run sees a new fingerprint and rebuilds gold.
GOLD_LOGIC_VERSION = "3"
ENTITIES_TABLE = ("silver", "article_entities")
STORIES_TABLE = ("silver", "article_stories")
# What gold reads of silver/article_stories; a change in any of them changes the article's weight.
STORY_COLUMNS = ("article_id", "story_id", "story_size")
# Sources that may be absent without gold being empty (their absence has a meaning).
OPTIONAL_SOURCES = ("entities", "stories")


@dataclass(frozen=True)
class GoldTable:
    name: str
    schema: StructType
    partition_by: Tuple[str, ...] = ()
    zorder_by: Tuple[str, ...] = ()


# Weekly tables are partitioned by week: a recomputed week replaces exactly its partition, and
# dashboards' date filters prune partitions. Inside a week, Z-order by what dashboards filter by.
WEEKLY_TABLES = (
    GoldTable("sentiment_weekly", GOLD_SENTIMENT_WEEKLY, ("week_start",), ("company_id", "country")),
    GoldTable("sentiment_weekly_company", GOLD_SENTIMENT_WEEKLY_COMPANY, ("week_start",), ("company_id",)),
    GoldTable("sentiment_weekly_country", GOLD_SENTIMENT_WEEKLY_COUNTRY, ("week_start",), ("country",)),
    GoldTable("sentiment_weekly_market", GOLD_SENTIMENT_WEEKLY_MARKET, ("week_start",)),
    GoldTable("evidence", GOLD_EVIDENCE, ("week_start",), ("company_id",)),
)
DIMENSION_TABLES = (GoldTable("companies", GOLD_COMPANIES), GoldTable("countries", GOLD_COUNTRIES))
GOLD_TABLES = WEEKLY_TABLES + DIMENSION_TABLES


def _gold_path(settings: Settings, table: GoldTable) -> str:
    return settings.table_path("gold", table.name)


def settings_fingerprint(settings: Settings) -> str:
    """What gold values depend on besides silver: measure settings, the formula version, the gold
    layouts and the gazetteer files (the dimensions). A change means a full rebuild."""
    digest = hashlib.sha256()
    files = [os.path.join(settings.paths.gazetteer, name) for name in ("companies.csv", "countries.csv")]
    if settings.paths.universe:
        files += G.universe_files(settings.paths.universe)
    for path in files:
        with open(path, "rb") as handle:
            digest.update(handle.read())
    payload = {
        "logic": GOLD_LOGIC_VERSION,
        "min_mentions_to_trust": settings.aggregate.min_mentions_to_trust,
        "evidence_per_week": settings.aggregate.evidence_per_week,
        "story_weighting": settings.stories.weighting,
        "tables": [[t.name, t.schema.simpleString(), list(t.partition_by)] for t in GOLD_TABLES],
        "gazetteer": digest.hexdigest(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def weeks_to_recompute(touched: Iterable[date]) -> List[date]:
    """The touched weeks and the week after each (whose previous-week change depends on them)."""
    weeks = set(touched)
    return sorted(weeks | {w + timedelta(days=7) for w in weeks})


def weeks_to_read(recompute: Iterable[date]) -> List[date]:
    """The recomputed weeks and the week before each (their previous-week values)."""
    weeks = set(recompute)
    return sorted(weeks | {w - timedelta(days=7) for w in weeks})


def window_weeks(start: date, end: date) -> List[date]:
    """Mondays of the ISO weeks that overlap the days ``start`` .. ``end`` (inclusive)."""
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(days=7 * i) for i in range((end - first).days // 7 + 1)]


def week_predicate(weeks: Sequence[date]) -> str:
    return "week_start IN (" + ", ".join(f"DATE'{w.isoformat()}'" for w in weeks) + ")"


def weighted_mentions(mentions: DataFrame, entities: Optional[DataFrame], article_stories: Optional[DataFrame] = None,
                      story_weighting: str = "one") -> DataFrame:
    """``silver/mentions`` rows with the relevance of the company to the article and the
    article's story weight: what every weekly gold table aggregates (one row per mention).
    ``article_stories`` None: each article is a story of one."""
    return W.with_relevance(mentions, entities).transform(W.with_story_weights, article_stories, story_weighting)


def gold_frames(weighted: DataFrame, sentences: DataFrame, articles: DataFrame,
                min_mentions_to_trust: int, evidence_per_week: int) -> Dict[str, DataFrame]:
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


def _last_state(spark: SparkSession, path: str) -> Optional[Row]:
    if not io.table_exists(spark, path):
        return None
    return io.read_table(spark, path).orderBy(F.desc("aggregated_at"), F.desc("run_id")).first()


def _source_paths(settings: Settings) -> Dict[str, str]:
    return {
        "mentions": settings.table_path("silver", "mentions"),
        "sentences": settings.table_path("silver", "sentences"),
        "articles": settings.table_path("silver", "articles"),
        "entities": settings.table_path(*ENTITIES_TABLE),
        "stories": settings.table_path(*STORIES_TABLE),
    }


def _consumed(state: Row) -> Dict[str, Optional[int]]:
    recorded = state.asDict()  # a gold_state written before stories existed has no stories_version
    return {"mentions": recorded["mentions_version"], "sentences": recorded["sentences_version"],
            "articles": recorded["articles_version"], "entities": recorded["entities_version"],
            "stories": recorded.get("stories_version")}


def _full_refresh_reason(full_refresh: bool, state: Optional[Row], versions: Dict[str, Optional[int]],
                         fingerprint: str) -> Optional[str]:
    if full_refresh:
        return "--full-refresh"
    if state is None:
        return "first aggregate run"
    if state["settings_fingerprint"] != fingerprint:
        return "gold settings, layout, formulas or gazetteer changed"
    consumed = _consumed(state)
    if (consumed["entities"] is None) != (versions["entities"] is None):
        return "silver/article_entities appeared or disappeared (relevance weights change everywhere)"
    if (consumed["stories"] is None) != (versions["stories"] is None):
        return "silver/article_stories appeared or disappeared (story weights change everywhere)"
    if any((consumed[k] < 0) != (versions[k] is None) for k in ("mentions", "sentences", "articles")):
        return "a silver table appeared or disappeared since the last run"
    return None


def touched_weeks(spark: SparkSession, paths: Dict[str, str], consumed: Dict[str, Optional[int]],
                  versions: Dict[str, Optional[int]]) -> List[date]:
    """ISO weeks (``week_start``) with silver rows changed between the consumed and current
    versions (``silver/article_entities`` rows count for their article's week, and so do the
    ``silver/article_stories`` rows whose story or story size changed)."""
    ranges = {name: (paths[name], consumed[name], versions[name]) for name in paths
              if versions[name] is not None and versions[name] != consumed[name]}
    stories = ranges.pop("stories", None)
    files = changes.changed_files(spark, ranges)
    frames = [changes.read_files(spark, paths[name], files[name], ["week_start"])
              for name in ("mentions", "sentences", "articles") if name in files]
    if files.get("entities"):
        entities = changes.read_files(spark, paths["entities"], files["entities"], ["*"])
        if "week_start" in entities.columns:
            frames.append(entities.select("week_start"))
        else:  # an entity table without the week: its articles' weeks
            weeks = changes.read_version(spark, paths["articles"], versions["articles"], SILVER_ARTICLES) \
                .select("article_id", "week_start")
            frames.append(entities.select("article_id").distinct().join(weeks, "article_id").select("week_start"))
    if stories is not None:
        frames.append(_story_change_weeks(spark, paths, versions, stories))
    frames = [f for f in frames if f is not None]
    if not frames:
        return []
    union = frames[0]
    for frame in frames[1:]:
        union = union.unionByName(frame)
    return changes.distinct_weeks(union)


def _story_change_weeks(spark: SparkSession, paths: Dict[str, str], versions: Dict[str, Optional[int]],
                        stories: Tuple[str, int, int]) -> Optional[DataFrame]:
    """``week_start`` of each article whose ``silver/article_stories`` row (story, size) differs
    between the two versions of ``stories`` (path, since, until): a MERGE rewrites whole files,
    so the rows of the files it added are compared with those of the files it removed."""
    added, removed = changes.net_changed_files(spark, *stories)
    rewritten = changes.changed_rows(changes.read_files(spark, paths["stories"], added, STORY_COLUMNS),
                                     changes.read_files(spark, paths["stories"], removed, STORY_COLUMNS))
    if rewritten is None:
        return None
    weeks = changes.read_version(spark, paths["articles"], versions["articles"], SILVER_ARTICLES) \
        .select("article_id", "week_start")
    return rewritten.select("article_id").distinct().join(weeks, "article_id").select("week_start")


def _dimension_frames(spark: SparkSession, settings: Settings) -> Tuple[DataFrame, DataFrame]:
    """``gold/companies`` and ``gold/countries`` (the order of ``DIMENSION_TABLES``)."""
    countries = spark.createDataFrame(D.country_rows(G.read_countries(settings.paths.gazetteer)), GOLD_COUNTRIES)
    companies = spark.createDataFrame(
        D.company_rows(G.load_companies(settings.paths.gazetteer, settings.paths.universe)), D.COMPANY_ROW)
    return D.companies_dimension(companies, countries), countries


def _output_rows(spark: SparkSession, path: str) -> int:
    return io.last_operation_metrics(spark, path).get("numOutputRows", 0)


def verify_sources(spark: SparkSession, sources: Dict[str, str], versions: Dict[str, Optional[int]]) -> None:
    """Fail, naming the table and files, when a silver version the run pins references a data
    file that is gone. Checked on every run, also when nothing is to be recomputed: an
    incremental run reads only the changed weeks' files, so a lost file elsewhere would
    otherwise go unnoticed until a full rebuild (one listing per table)."""
    damaged = []
    for name, path in sources.items():
        if versions[name] is None:
            continue
        missing = io.missing_files(spark, path, versions[name])
        if missing:
            shown = ", ".join(m.rsplit("/", 1)[-1] for m in missing[:3]) + (", ..." if len(missing) > 3 else "")
            damaged.append(f"{path} version {versions[name]} references {len(missing)} missing data file(s): {shown}")
    if damaged:
        raise io.DamagedTableError(
            "silver is damaged, gold left as it was: " + "; ".join(damaged) + ". Restore the files, or rebuild the "
            "table from its source stage (enrich/stories --full-refresh); `python -m jobs.check` lists every damaged table")


@dataclass(frozen=True)
class Plan:
    """What an aggregate run does: the silver versions it reads, and the weeks it recomputes
    (None: all of them, a full rebuild, for ``reason``; empty: nothing changed)."""

    versions: Dict[str, Optional[int]]
    fingerprint: str
    recompute: Optional[List[date]]
    reason: Optional[str] = None
    silver_changed: bool = True


def plan_aggregate(spark: SparkSession, settings: Settings, ctx: RunContext, full_refresh: bool) -> Plan:
    """Compare silver's current versions with what the last run consumed (``ops/gold_state``)."""
    sources = _source_paths(settings)
    versions = {name: changes.table_version(spark, path) for name, path in sources.items()}
    verify_sources(spark, sources, versions)
    state = _last_state(spark, settings.table_path("ops", "gold_state"))
    fingerprint = settings_fingerprint(settings)
    # --full-refresh with a run window (--run-date/--start/--end) rebuilds the window's weeks, on
    # top of what changed; without a window it rebuilds everything.
    windowed = full_refresh and getattr(ctx, "window_start", None) is not None
    forced = window_weeks(ctx.window_start, ctx.window_end) if windowed else []
    reason = _full_refresh_reason(full_refresh and not windowed, state, versions, fingerprint)
    complete = all(io.table_exists(spark, _gold_path(settings, t)) for t in GOLD_TABLES)
    changed = state is None or _consumed(state) != \
        {k: (-1 if v is None and k not in OPTIONAL_SOURCES else v) for k, v in versions.items()}
    if reason is None and complete and not forced and not changed:
        return Plan(versions, fingerprint, [], silver_changed=False)
    # The layouts are part of the fingerprint: with the same fingerprint, existing tables are as
    # the last run left them; else check them (and create or replace what is missing or old).
    if reason is not None or not complete:
        created = [maintenance.ensure_gold_table(spark, _gold_path(settings, t), t.schema, t.partition_by)
                   for t in GOLD_TABLES]
        if reason is None and any(created):
            reason = "a gold table was created or replaced"
    if reason is None:
        try:
            return Plan(versions, fingerprint,
                        weeks_to_recompute(touched_weeks(spark, sources, _consumed(state), versions) + forced))
        except changes.NeedsFullRefresh as exc:
            reason = str(exc)
    return Plan(versions, fingerprint, None, reason)


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
    counts: Dict[str, int] = {"rows_in": 0, "rows_out": 0, "full_refresh": int(recompute is None),
                              "weeks_recomputed": 0}
    if recompute is None:
        log.info("aggregate: full rebuild of gold (%s); planned in %.1fs", plan.reason, time.time() - began)
    elif not recompute:
        log.info("aggregate: no silver rows changed (versions %s): nothing to recompute; planned in %.1fs",
                 plan.versions, time.time() - began)
    else:
        log.info("aggregate: recomputing %d week(s) %s; planned in %.1fs", len(recompute),
                 [w.isoformat() for w in recompute], time.time() - began)
    written: List[GoldTable] = []
    if recompute is None or recompute:
        staging = settings.table_path("_staging", f"aggregate-{ctx.run_id}")
        try:
            new_rows = _stage_gold(spark, settings, plan, recompute, staging, counts)
            written = _replace_gold(spark, settings, new_rows, recompute, counts)
        finally:
            io.remove_path(spark, staging)
    counts["rows_out"] = counts.get("sentiment_weekly_rows", 0)
    counts["weeks_recomputed"] = counts.get("sentiment_weekly_market_rows", 0) if recompute is None else len(recompute)
    if recompute is None or recompute or plan.silver_changed:
        _record_state(spark, settings.table_path("ops", "gold_state"), ctx, recompute is None, plan.versions,
                      plan.fingerprint, counts["weeks_recomputed"])
    if agg.optimize and written:
        started = time.time()
        maintain(spark, settings, written, recompute)
        log.info("aggregate: OPTIMIZE/VACUUM of %d table(s) in %.1fs", len(written), time.time() - started)
    if agg.charts_dir and written:
        counts["charts_written"] = len(write_charts(spark, settings))
    return StageResult(counts)


def _stage_gold(spark: SparkSession, settings: Settings, plan: Plan, recompute: Optional[List[date]],
                staging: str, counts: Dict[str, int]) -> Dict[str, DataFrame]:
    """Compute every gold table's new rows (the ``recompute`` weeks; all weeks and the dimensions
    when None) and stage them as Parquet under ``staging``: table name -> staged rows. Nothing in
    gold changes here, so a failure (a damaged silver file, a lost executor) leaves gold whole."""
    agg = settings.aggregate
    sources = _source_paths(settings)

    def read(name: str, schema: StructType) -> DataFrame:
        return changes.read_version(spark, sources[name], plan.versions[name], schema)

    mentions = read("mentions", SILVER_MENTIONS)
    sentences, articles = read("sentences", SILVER_SENTENCES), read("articles", SILVER_ARTICLES)
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
        for table in WEEKLY_TABLES:
            started = time.time()
            staged[table.name] = io.staged(R.in_weeks(frames[table.name], recompute), f"{staging}/{table.name}")
            log.info("aggregate: gold/%s computed in %.1fs", table.name, time.time() - started)
    finally:
        mentions.unpersist()
    if recompute is None:
        for table, frame in zip(DIMENSION_TABLES, _dimension_frames(spark, settings)):
            staged[table.name] = io.staged(frame.coalesce(1), f"{staging}/{table.name}")
    return staged


def _replace_gold(spark: SparkSession, settings: Settings, staged: Dict[str, DataFrame],
                  recompute: Optional[List[date]], counts: Dict[str, int]) -> List[GoldTable]:
    """Swap the staged rows in, one commit per table, in the fixed order of ``GOLD_TABLES``; the
    tables replaced, in order. Each commit is a plain copy of staged files, so the window in which
    a reader can see some tables replaced and others not is seconds, not the whole computation;
    a failure inside it is logged with the tables already replaced (the next run rebuilds the
    rest: its state was not recorded)."""
    replaced: List[GoldTable] = []
    for table in (t for t in GOLD_TABLES if t.name in staged):
        started = time.time()
        try:
            _write_weeks(spark, settings, table, staged[table.name], recompute)
        except Exception:
            log.error("aggregate: replacing gold/%s failed; replaced before it: %s; not replaced: %s", table.name,
                      ", ".join(t.name for t in replaced) or "none",
                      ", ".join(t.name for t in GOLD_TABLES if t.name in staged and t not in replaced))
            raise
        counts[f"{table.name}_rows"] = _output_rows(spark, _gold_path(settings, table))
        replaced.append(table)
        log.info("aggregate: gold/%s: %d rows written in %.1fs", table.name, counts[f"{table.name}_rows"],
                 time.time() - started)
    log.info("aggregate: replaced gold tables (one commit each, in this order): %s",
             ", ".join(t.name for t in replaced))
    return replaced


def _write_weeks(spark: SparkSession, settings: Settings, table: GoldTable, frame: DataFrame,
                 recompute: Optional[List[date]]) -> None:
    """Overwrite the table (``recompute`` None) or replace exactly the ``recompute`` weeks."""
    # One file per week partition, whatever spark.sql.shuffle.partitions says.
    frame = R.in_weeks(frame, recompute)
    frame = frame.repartition(*table.partition_by) if table.partition_by else frame.coalesce(1)
    path = _gold_path(settings, table)
    if recompute is None:
        io.overwrite(spark, path, frame, table.schema, table.partition_by)
    else:
        io.replace_where(spark, path, frame, table.schema, week_predicate(recompute), table.partition_by)


def _record_state(spark: SparkSession, path: str, ctx: RunContext, full: bool, versions: Dict[str, Optional[int]],
                  fingerprint: str, weeks: int) -> None:
    row = (ctx.run_id, ctx.started_at, full,
           -1 if versions["mentions"] is None else versions["mentions"],
           -1 if versions["sentences"] is None else versions["sentences"],
           -1 if versions["articles"] is None else versions["articles"],
           versions["entities"], versions["stories"], fingerprint, int(weeks), __version__)
    # merge_schema: a gold_state table written before stories_version existed gains the column.
    io.append(spark, path, spark.createDataFrame([row], GOLD_STATE), GOLD_STATE, merge_schema=True)


def maintain(spark: SparkSession, settings: Settings, tables: Sequence[GoldTable], recompute: Optional[List[date]]) -> None:
    """OPTIMIZE (Z-ORDER) what this run wrote (only the recomputed weeks' partitions on an
    incremental run), then VACUUM with ``aggregate.vacuum_retention_hours``."""
    for table in tables:
        path = _gold_path(settings, table)
        where = week_predicate(recompute) if recompute and "week_start" in table.partition_by else None
        maintenance.optimize(spark, path, table.zorder_by, where)
        maintenance.vacuum(spark, path, settings.aggregate.vacuum_retention_hours)


def charts_dir(settings: Settings) -> Optional[str]:
    """``aggregate.charts_dir``, relative to the lakehouse unless absolute or a URI; None when unset."""
    folder = settings.aggregate.charts_dir
    if not folder:
        return None
    if "://" in folder or os.path.isabs(folder):
        return folder.rstrip("/")
    return f"{settings.paths.lakehouse.rstrip('/')}/{folder.strip('/')}"


def _write_bytes(spark: SparkSession, path: str, data: bytes) -> None:
    """Write a small file through Hadoop's FileSystem, so a chart lands on any store Spark can write."""
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(path)
    stream = target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).create(target, True)
    try:
        stream.write(bytearray(data))
    finally:
        stream.close()


def write_charts(spark: SparkSession, settings: Settings) -> List[str]:
    """Draw the gold charts (``newslake.gold.charts``) into ``charts_dir(settings)`` as PNG; returns
    the paths. Only small slices reach the driver: the market line (one row per week), the top
    companies' weekly rows, one week's company x country cells and one cell's evidence."""
    folder = charts_dir(settings)
    if folder is None:
        return []
    try:
        from newslake.gold import charts
    except ImportError as exc:  # matplotlib is an extra (notebook): gold is written, charts are not
        log.warning("aggregate: no charts written (%s); install the notebook extra or set aggregate.charts_dir: null",
                    exc)
        return []
    paths = {t.name: _gold_path(settings, t) for t in GOLD_TABLES}
    company = io.read_table(spark, paths["sentiment_weekly_company"])
    market = io.read_table(spark, paths["sentiment_weekly_market"]).toPandas()
    totals = company.groupBy("company_id").agg(F.sum("mentions").alias("mentions")).toPandas()
    top = charts.top_companies(totals, settings.aggregate.charts_top_companies)
    company_pd = company.filter(F.col("company_id").isin(top)).toPandas()
    week = charts.busiest_week(market)
    cells = io.read_table(spark, paths["sentiment_weekly"])
    cells_pd = cells.filter(F.col("week_start") == F.lit(week)).toPandas() if week is not None else cells.limit(0).toPandas()
    move = charts.biggest_move(company_pd, top)
    evidence = io.read_table(spark, paths["evidence"])
    if move is not None:
        evidence = evidence.filter((F.col("company_id") == move["company_id"])
                                   & (F.col("week_start") == F.lit(move["week_start"])))
    else:
        evidence = evidence.limit(0)
    figures = charts.all_charts(company_pd, market, cells_pd, evidence.toPandas(), len(top) or 1, week)
    written = []
    for name, fig in figures.items():
        target = f"{folder}/{charts.CHART_FILES[name]}"
        _write_bytes(spark, target, charts.png_bytes(fig))
        written.append(target)
    log.info("aggregate: charts written: %s", ", ".join(written))
    return written
