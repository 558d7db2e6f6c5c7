"""What an aggregate run does: compare silver's current Delta versions with those the last run
consumed (``ops/gold_state``) and decide between nothing, the weeks whose silver rows changed
(and the week after each), and a full rebuild (``--full-refresh``, the first run, a changed
settings fingerprint, a missing or old gold table, or changes that cannot be read any more).

Story weights come from ``silver/article_stories`` when it exists: a stories run rewrites the
rows of every member of a story that grew or merged, so the weeks it touched are those of the
articles whose ``story_id`` or ``story_size`` differ between the consumed and current versions."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import date
from typing import Dict, List, Optional, Tuple

from pyspark.sql import DataFrame, Row, SparkSession

from newslake import io
from newslake.catalogue import (
    GOLD_TABLES,
    SILVER_ARTICLE_ENTITIES,
    SILVER_ARTICLE_STORIES,
    SILVER_ARTICLES,
    SILVER_MENTIONS,
    SILVER_SENTENCES,
)
from newslake.config import Settings
from newslake.gold import changes, maintenance, state
from newslake.gold.weeks import weeks_to_recompute, window_weeks
from newslake.nlp import gazetteer as G
from newslake.runs import RunContext

# Bump when a gold formula changes: the next run sees a new fingerprint and rebuilds gold.
GOLD_LOGIC_VERSION = "3"
# The silver tables gold reads, by the name gold_state records their versions under.
SOURCES = {
    "mentions": SILVER_MENTIONS,
    "sentences": SILVER_SENTENCES,
    "articles": SILVER_ARTICLES,
    "entities": SILVER_ARTICLE_ENTITIES,
    "stories": SILVER_ARTICLE_STORIES,
}
# What gold reads of silver/article_stories; a change in any of them changes the article's weight.
STORY_COLUMNS = ("article_id", "story_id", "story_size")
# Sources that may be absent without gold being empty (their absence has a meaning).
OPTIONAL_SOURCES = ("entities", "stories")


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


def source_paths(root: str) -> Dict[str, str]:
    """Source name -> the path of its silver table under the lakehouse ``root``."""
    return {name: table.path(root) for name, table in SOURCES.items()}


def _full_refresh_reason(
    full_refresh: bool, last: Optional[Row], versions: Dict[str, Optional[int]], fingerprint: str
) -> Optional[str]:
    if full_refresh:
        return "--full-refresh"
    if last is None:
        return "first aggregate run"
    if last["settings_fingerprint"] != fingerprint:
        return "gold settings, layout, formulas or gazetteer changed"
    consumed = state.consumed(last)
    if (consumed["entities"] is None) != (versions["entities"] is None):
        return "silver/article_entities appeared or disappeared (relevance weights change everywhere)"
    if (consumed["stories"] is None) != (versions["stories"] is None):
        return "silver/article_stories appeared or disappeared (story weights change everywhere)"
    if any((consumed[k] < 0) != (versions[k] is None) for k in ("mentions", "sentences", "articles")):
        return "a silver table appeared or disappeared since the last run"
    return None


def touched_weeks(
    spark: SparkSession, paths: Dict[str, str], consumed: Dict[str, Optional[int]], versions: Dict[str, Optional[int]]
) -> List[date]:
    """ISO weeks (``week_start``) with silver rows changed between the consumed and current
    versions (``silver/article_entities`` rows count for their article's week, and so do the
    ``silver/article_stories`` rows whose story or story size changed)."""
    ranges = {
        name: (paths[name], consumed[name], versions[name])
        for name in paths
        if versions[name] is not None and versions[name] != consumed[name]
    }
    stories = ranges.pop("stories", None)
    files = changes.changed_files(spark, ranges)
    frames = [
        changes.read_files(spark, paths[name], files[name], ["week_start"])
        for name in ("mentions", "sentences", "articles")
        if name in files
    ]
    if files.get("entities"):
        entities = changes.read_files(spark, paths["entities"], files["entities"], ["*"])
        if "week_start" in entities.columns:
            frames.append(entities.select("week_start"))
        else:  # an entity table without the week: its articles' weeks
            weeks = changes.read_version(spark, paths["articles"], versions["articles"], SILVER_ARTICLES.schema).select(
                "article_id", "week_start"
            )
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


def _story_change_weeks(
    spark: SparkSession, paths: Dict[str, str], versions: Dict[str, Optional[int]], stories: Tuple[str, int, int]
) -> Optional[DataFrame]:
    """``week_start`` of each article whose ``silver/article_stories`` row (story, size) differs
    between the two versions of ``stories`` (path, since, until): a MERGE rewrites whole files,
    so the rows of the files it added are compared with those of the files it removed."""
    added, removed = changes.net_changed_files(spark, *stories)
    rewritten = changes.changed_rows(
        changes.read_files(spark, paths["stories"], added, STORY_COLUMNS),
        changes.read_files(spark, paths["stories"], removed, STORY_COLUMNS),
    )
    if rewritten is None:
        return None
    weeks = changes.read_version(spark, paths["articles"], versions["articles"], SILVER_ARTICLES.schema).select(
        "article_id", "week_start"
    )
    return rewritten.select("article_id").distinct().join(weeks, "article_id").select("week_start")


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
            "table from its source stage (enrich/stories --full-refresh); `python -m jobs.check` lists every damaged table"
        )


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
    root = settings.lakehouse_root()
    sources = source_paths(root)
    versions = {name: changes.table_version(spark, path) for name, path in sources.items()}
    verify_sources(spark, sources, versions)
    last = state.last(spark, root)
    fingerprint = settings_fingerprint(settings)
    # --full-refresh with a run window (--run-date/--start/--end) rebuilds the window's weeks, on
    # top of what changed; without a window it rebuilds everything.
    windowed = full_refresh and getattr(ctx, "window_start", None) is not None
    forced = window_weeks(ctx.window_start, ctx.window_end) if windowed else []
    reason = _full_refresh_reason(full_refresh and not windowed, last, versions, fingerprint)
    complete = all(io.exists(spark, root, t) for t in GOLD_TABLES)
    changed = last is None or state.consumed(last) != {
        k: (-1 if v is None and k not in OPTIONAL_SOURCES else v) for k, v in versions.items()
    }
    if reason is None and complete and not forced and not changed:
        return Plan(versions, fingerprint, [], silver_changed=False)
    # The layouts are part of the fingerprint: with the same fingerprint, existing tables are as
    # the last run left them; else check them (and create or replace what is missing or old).
    if reason is not None or not complete:
        created = [maintenance.ensure_gold_table(spark, root, t) for t in GOLD_TABLES]
        if reason is None and any(created):
            reason = "a gold table was created or replaced"
    if reason is None:
        try:
            return Plan(
                versions,
                fingerprint,
                weeks_to_recompute(touched_weeks(spark, sources, state.consumed(last), versions) + forced),
            )
        except changes.NeedsFullRefresh as exc:
            reason = str(exc)
    return Plan(versions, fingerprint, None, reason)
