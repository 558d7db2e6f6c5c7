"""Charts of the gold tables, for the notebook and for the PNG files the aggregate stage writes.

Plain pandas in, matplotlib ``Figure`` out, drawn with the Agg canvas (no pyplot, no display,
no global state), so the same functions run headless in a job, in CI and in a notebook. The
``select`` helpers pick what to draw (top companies, the busiest week, the biggest move).
:func:`write_charts`, at the end, is the aggregate stage's edge: it reads the small slices of
gold that the charts show and writes them as PNG files (``aggregate.charts_dir``).
"""

from __future__ import annotations

import io as _io
import logging
import os
import textwrap
from datetime import date
from typing import Dict, List, Optional, Sequence

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from newslake import catalogue, io
from newslake.config import Settings

log = logging.getLogger("newslake.gold")

CHART_FILES = {
    "weekly_sentiment": "weekly_sentiment.png",
    "company_country_heatmap": "company_country_heatmap.png",
    "biggest_move_evidence": "biggest_move_evidence.png",
}


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values)


def week_label(iso_year: int, iso_week: int) -> str:
    return f"{int(iso_year)}-W{int(iso_week):02d}"


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG."""
    buffer = _io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


# --- what to draw -------------------------------------------------------------------------------


def top_companies(company_weekly: pd.DataFrame, n: int) -> List[str]:
    """Ids of the ``n`` companies with the most mentions (ties: by id). Takes any frame with
    ``company_id`` and ``mentions`` (the weekly rollup, or per-company totals)."""
    if company_weekly.empty:
        return []
    totals = company_weekly.groupby("company_id", as_index=False)["mentions"].sum()
    totals = totals.sort_values(["mentions", "company_id"], ascending=[False, True])
    return totals["company_id"].head(n).tolist()


def busiest_week(market_weekly: pd.DataFrame) -> Optional[date]:
    """``week_start`` of the week with the most mentions (ties: the latest); None when empty."""
    if market_weekly.empty:
        return None
    ordered = market_weekly.assign(_week=_dates(market_weekly["week_start"])).sort_values(
        ["mentions", "_week"], ascending=[False, False]
    )
    return ordered["week_start"].iloc[0]


def biggest_move(company_weekly: pd.DataFrame, company_ids: Optional[Sequence[str]] = None) -> Optional[pd.Series]:
    """The company x week row (of ``company_ids``, default all) with the largest |score_change|,
    among cells with enough mentions to trust when there are any (ties: the latest week, then
    company id); None when no cell has a previous week."""
    moves = company_weekly[company_weekly["score_change"].notna()]
    if company_ids is not None:
        moves = moves[moves["company_id"].isin(list(company_ids))]
    trusted = moves[~moves["low_confidence"].astype(bool)]
    if not trusted.empty:
        moves = trusted
    if moves.empty:
        return None
    ordered = moves.assign(_abs=moves["score_change"].abs(), _week=_dates(moves["week_start"])).sort_values(
        ["_abs", "_week", "company_id"], ascending=[False, False, True]
    )
    return ordered.drop(columns=["_abs", "_week"]).iloc[0]


EVIDENCE_COLUMNS = [
    "sign",
    "rank",
    "score",
    "relevance",
    "sentence_text",
    "title",
    "url",
    "article_id",
    "sentence_index",
    "char_begin",
    "char_end",
]


def evidence_for(evidence: pd.DataFrame, move: Optional[pd.Series]) -> pd.DataFrame:
    """The evidence rows of the move's company x week (``move``: a company x week row, as from
    :func:`biggest_move`), positive then negative, by rank; no rows when ``move`` is None."""
    if move is None or evidence.empty:
        return evidence.iloc[0:0]
    rows = evidence[
        (evidence["company_id"] == move["company_id"])
        & (_dates(evidence["week_start"]) == pd.Timestamp(move["week_start"]))
    ]
    return rows.sort_values(["sign", "rank"], ascending=[False, True]).reset_index(drop=True)


# --- charts ------------------------------------------------------------------------------------


def weekly_sentiment_lines(company_weekly: pd.DataFrame, company_ids: Sequence[str]) -> Figure:
    """Mean mention score per ISO week of each company in ``company_ids``, with its 95% interval
    as a band; hollow markers for weeks with too few mentions to trust."""
    fig = _figure(10, 5)
    ax = fig.subplots()
    for company_id in company_ids:
        rows = company_weekly[company_weekly["company_id"] == company_id].copy()
        if rows.empty:
            continue
        rows["_week"] = _dates(rows["week_start"])
        rows = rows.sort_values("_week")
        name = str(rows["company"].iloc[0])
        (line,) = ax.plot(rows["_week"], rows["mean_score"], marker="o", label=name)
        ax.fill_between(
            rows["_week"],
            rows["ci95_low"].astype(float),
            rows["ci95_high"].astype(float),
            color=line.get_color(),
            alpha=0.1,
            linewidth=0,
        )
        weak = rows[rows["low_confidence"].astype(bool)]
        ax.scatter(weak["_week"], weak["mean_score"], s=60, facecolors="white", edgecolors=line.get_color(), zorder=3)
    ax.axhline(0.0, color="grey", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlabel("week (Monday, UTC)")
    ax.set_ylabel("mean mention score")
    ax.set_title("Weekly sentiment of the most mentioned companies (band: 95% interval; hollow: too few mentions)")
    if company_ids:
        ax.legend(loc="best", fontsize="small")
    fig.autofmt_xdate()
    return fig


def company_country_heatmap(
    weekly: pd.DataFrame, week_start, max_companies: int = 15, max_countries: int = 12
) -> Figure:
    """Mean mention score of each company x country cell in one week (``gold/sentiment_weekly``
    rows), the most mentioned companies and countries; each cell shows its score and mentions,
    marked * (italic) when too few to trust."""
    cells = (
        weekly[_dates(weekly["week_start"]) == pd.Timestamp(week_start)] if week_start is not None else weekly.iloc[0:0]
    )
    fig = _figure(10, 6)
    ax = fig.subplots()
    if cells.empty:
        ax.set_title("no gold rows for this week")
        ax.axis("off")
        return fig
    companies = (
        cells.groupby("company", as_index=False)["mentions"]
        .sum()
        .sort_values(["mentions", "company"], ascending=[False, True])["company"]
        .head(max_companies)
        .tolist()
    )
    countries = (
        cells.groupby("country", as_index=False)["mentions"]
        .sum()
        .sort_values(["mentions", "country"], ascending=[False, True])["country"]
        .head(max_countries)
        .tolist()
    )
    cells = cells[cells["company"].isin(companies) & cells["country"].isin(countries)]
    scores = cells.pivot(index="company", columns="country", values="mean_score").reindex(
        index=companies, columns=countries
    )
    image = ax.imshow(scores.to_numpy(dtype=float), cmap="RdYlGn", vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(len(countries)), countries)
    ax.set_yticks(range(len(companies)), companies)
    for row in cells.itertuples(index=False):
        y, x = companies.index(row.company), countries.index(row.country)
        ax.text(
            x,
            y,
            f"{row.mean_score:+.2f}{'*' if row.low_confidence else ''}\nn={row.mentions}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if abs(row.mean_score) > 0.6 else "black",
            style="italic" if row.low_confidence else "normal",
        )
    first = cells.iloc[0]
    ax.set_title(
        f"Company x country sentiment, {week_label(first['iso_year'], first['iso_week'])} "
        f"(week of {pd.Timestamp(week_start).date()}; *: too few mentions to trust)"
    )
    fig.colorbar(image, ax=ax, label="mean mention score")
    return fig


def evidence_chart(evidence: pd.DataFrame, move: Optional[pd.Series]) -> Figure:
    """The evidence sentences behind a weekly move (``move``: a company x week row, as from
    :func:`biggest_move`): one bar per sentence, its score, labelled with the sentence."""
    fig = _figure(11, 5)
    ax = fig.subplots()
    rows = evidence_for(evidence, move)
    if rows.empty:
        ax.set_title("no weekly move with evidence yet")
        ax.axis("off")
        return fig
    labels = [textwrap.shorten(str(t), width=90, placeholder=" ...") for t in rows["sentence_text"]]
    colors = ["tab:green" if s > 0 else "tab:red" for s in rows["score"]]
    positions = list(range(len(rows)))[::-1]
    ax.barh(positions, rows["score"], color=colors)
    ax.set_yticks(positions, labels, fontsize=8)
    ax.axvline(0.0, color="grey", linewidth=0.8)
    ax.set_xlim(-1.05, 1.05)
    ax.set_xlabel("sentence score toward the company")
    previous = move["prev_week_mean_score"]
    ax.set_title(
        f"Why {move['company']} moved {move['score_change']:+.2f} in "
        f"{week_label(move['iso_year'], move['iso_week'])} ({previous:+.2f} -> {move['mean_score']:+.2f})"
    )
    return fig


def all_charts(
    company_weekly: pd.DataFrame,
    market_weekly: pd.DataFrame,
    weekly_cells: pd.DataFrame,
    evidence: pd.DataFrame,
    top_n: int,
    heatmap_week=None,
) -> Dict[str, Figure]:
    """The three charts, keyed like :data:`CHART_FILES`: the weekly lines of the ``top_n`` most
    mentioned companies, the heatmap of ``heatmap_week`` (default: the busiest week) and the
    evidence behind the biggest move of those companies. ``weekly_cells`` needs only that week's
    ``gold/sentiment_weekly`` rows, ``evidence`` only the move's."""
    top = top_companies(company_weekly, top_n)
    week = heatmap_week if heatmap_week is not None else busiest_week(market_weekly)
    return {
        "weekly_sentiment": weekly_sentiment_lines(company_weekly, top),
        "company_country_heatmap": company_country_heatmap(weekly_cells, week),
        "biggest_move_evidence": evidence_chart(evidence, biggest_move(company_weekly, top)),
    }


# --- the aggregate stage's PNG files ------------------------------------------------------------


def charts_dir(settings: Settings) -> Optional[str]:
    """``aggregate.charts_dir``, relative to the lakehouse unless absolute or a URI; None when unset."""
    folder = settings.aggregate.charts_dir
    if not folder:
        return None
    if "://" in folder or os.path.isabs(folder):
        return folder.rstrip("/")
    return f"{settings.paths.lakehouse.rstrip('/')}/{folder.strip('/')}"


def write_charts(spark: SparkSession, settings: Settings) -> List[str]:
    """Draw the gold charts into ``charts_dir(settings)`` as PNG; returns the paths. Only small
    slices reach the driver: the market line (one row per week), the top companies' weekly rows,
    one week's company x country cells and one cell's evidence."""
    folder = charts_dir(settings)
    if folder is None:
        return []
    root = settings.lakehouse_root()
    company = io.read(spark, root, catalogue.GOLD_SENTIMENT_WEEKLY_COMPANY, empty_if_missing=False)
    market = io.read(spark, root, catalogue.GOLD_SENTIMENT_WEEKLY_MARKET, empty_if_missing=False).toPandas()
    totals = company.groupBy("company_id").agg(F.sum("mentions").alias("mentions")).toPandas()
    top = top_companies(totals, settings.aggregate.charts_top_companies)
    company_pd = company.filter(F.col("company_id").isin(top)).toPandas()
    week = busiest_week(market)
    cells = io.read(spark, root, catalogue.GOLD_SENTIMENT_WEEKLY, empty_if_missing=False)
    cells_pd = (
        cells.filter(F.col("week_start") == F.lit(week)).toPandas() if week is not None else cells.limit(0).toPandas()
    )
    move = biggest_move(company_pd, top)
    evidence = io.read(spark, root, catalogue.GOLD_EVIDENCE, empty_if_missing=False)
    if move is not None:
        evidence = evidence.filter(
            (F.col("company_id") == move["company_id"]) & (F.col("week_start") == F.lit(move["week_start"]))
        )
    else:
        evidence = evidence.limit(0)
    figures = all_charts(company_pd, market, cells_pd, evidence.toPandas(), len(top) or 1, week)
    written = []
    for name, fig in figures.items():
        target = f"{folder}/{CHART_FILES[name]}"
        io.write_bytes(spark, target, png_bytes(fig))
        written.append(target)
    log.info("aggregate: charts written: %s", ", ".join(written))
    return written
