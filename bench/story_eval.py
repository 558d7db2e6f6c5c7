"""Recovered stories against the generator's truth, and the clustering's cost (issue #9).

    python -m bench.story_eval [--sizes 2000,8000] [--seed 42] [--work DIR] [--keep]
                               [--incremental-days 7] [--gold-size 2000 | --no-gold]
                               [--flood volkswagen:0.8]
                               [--set stories.threshold=0.4 ...] [--json FILE]

For each size: generate a corpus (``bench.generate``, JSON Lines only), ingest it into a fresh
lakehouse (``jobs.ingest``), run the stories stage as a full refresh, and compare the stories
with ``_truth/stories.csv`` (every copy of one generated story is one true story):

* pairwise precision / recall of the same-story decision over all pairs of articles;
* cluster counts, and the share of true multi-article stories recovered exactly;
* the stage's wall time per 1,000 articles, with its phases and the machine's load average
  (the machine may be shared: compare runs only at a similar load).

At the first size it also checks the incremental path: the same articles in two runs (all but
the last ``--incremental-days`` days, then those days) must give the same stories as the full
refresh, and the second run's cost is the daily-batch cost.

Finally, at ``--gold-size`` (default: the first size), it runs the rest of the pipeline on that
lakehouse through ``newslake.runner.run_stage``, as ``jobs.pipeline`` does (enrich, stories as a
full refresh over the silver text, aggregate), scores the silver-text stories against the truth
again, and prints for the company with the most syndicated copies its gold rows
(``gold/sentiment_weekly_company``): articles vs unique stories vs story-weighted articles, the
plain vs the story-weighted mean score and net sentiment, and its share of all companies'
articles with and without story weights. ``--flood ID:P`` makes the generator copy company
``ID``'s stories most (``bench.generate --flood-company ID --flood-share P``); that company is then
the one shown.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "conf" / "local.yaml"


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_scores(assignments: Iterable[Tuple[str, str]]) -> Dict[str, float]:
    """``(true story, predicted story)`` per article -> same-story pair precision and recall."""
    cells, true_sizes, pred_sizes = Counter(), Counter(), Counter()
    for truth, predicted in assignments:
        cells[(truth, predicted)] += 1
        true_sizes[truth] += 1
        pred_sizes[predicted] += 1
    tp = sum(pairs(n) for n in cells.values())
    pred_pairs = sum(pairs(n) for n in pred_sizes.values())
    true_pairs = sum(pairs(n) for n in true_sizes.values())
    return {
        "true_pairs": true_pairs,
        "predicted_pairs": pred_pairs,
        "tp": tp,
        "precision": tp / pred_pairs if pred_pairs else 1.0,
        "recall": tp / true_pairs if true_pairs else 1.0,
    }


def exact_clusters(assignments: List[Tuple[str, str]]) -> Tuple[int, int]:
    """(true stories of 2+ articles, those recovered exactly: same members, nothing else)."""
    by_truth, by_pred = defaultdict(set), defaultdict(set)
    for i, (truth, predicted) in enumerate(assignments):
        by_truth[truth].add(i)
        by_pred[predicted].add(i)
    multi = [members for members in by_truth.values() if len(members) > 1]
    pred_of = {i: p for i, (_, p) in enumerate(assignments)}
    exact = sum(1 for members in multi if by_pred[pred_of[next(iter(members))]] == members)
    return len(multi), exact


def run(cmd: List[str], log: Path) -> float:
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as handle:
        done = subprocess.run(cmd, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    if done.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}); see {log}")
    return time.perf_counter() - start


def read_truth(corpus: Path) -> Dict[str, dict]:
    with open(corpus / "_truth" / "stories.csv", encoding="utf-8", newline="") as handle:
        return {row["url"]: row for row in csv.DictReader(handle)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.story_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,8000", help="corpus sizes (records), comma-separated")
    parser.add_argument("--seed", type=int, default=42)
    from bench.corpus import DEFAULT_PROFILE, PROFILES

    parser.add_argument(
        "--profile",
        default=DEFAULT_PROFILE,
        choices=sorted(PROFILES),
        help="generator profile (bench.corpus.PROFILES); figures before 2026-12-07 are 'legacy'",
    )
    parser.add_argument("--work", help="working folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and lakehouses")
    parser.add_argument("--incremental-days", type=int, default=7)
    parser.add_argument(
        "--gold-size", type=int, help="size at which to run enrich and aggregate too (default: the first)"
    )
    parser.add_argument("--no-gold", action="store_true", help="do not run enrich and aggregate (no gold figures)")
    parser.add_argument(
        "--flood",
        metavar="COMPANY:SHARE",
        help="generate with --flood-company COMPANY --flood-share SHARE; show that company",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override any conf key, e.g. --set stories.threshold=0.45",
    )
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "lib"))
    from newslake.config import load_settings, parse_set_option
    from newslake.spark import build_spark

    conf_overrides = dict(parse_set_option(item) for item in args.set)
    flood_company, flood_args = None, []
    if args.flood:
        flood_company, _, share = args.flood.partition(":")
        flood_args = ["--flood-company", flood_company, "--flood-share", share or "0.8"]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="newslake-story-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    gold_size = None if args.no_gold else (args.gold_size or sizes[0])
    if gold_size is not None and gold_size not in sizes:
        parser.error(f"--gold-size {gold_size} is not one of --sizes {args.sizes}")
    base = load_settings(str(CONF), {**conf_overrides, "paths.lakehouse": str(work / "unused")})
    stories = base.stories
    print(
        f"stories settings: threshold {stories.threshold}, {stories.shingle_size}-word shingles, "
        f"{stories.num_hash_tables} MinHash functions in {stories.bands} bands of {stories.band_rows}, "
        f"horizon {stories.horizon_days} days; work folder {work}"
    )

    spark = None
    report = {"settings": stories.model_dump(exclude={"boilerplate_line_patterns", "dateline_pattern"}), "sizes": []}
    try:
        for index, size in enumerate(sizes):
            corpus, lake = work / f"corpus-{size}", work / f"lake-{size}"
            for path in (corpus, lake):
                shutil.rmtree(path, ignore_errors=True)
            gen_s = run(
                [
                    sys.executable,
                    "-m",
                    "bench.generate",
                    "--articles",
                    str(size),
                    "--out",
                    str(corpus),
                    "--seed",
                    str(args.seed),
                    "--formats",
                    "jsonl",
                    "--profile",
                    args.profile,
                    *flood_args,
                ],
                work / f"generate-{size}.log",
            )
            ingest_s = run(
                [
                    sys.executable,
                    "-m",
                    "jobs.ingest",
                    "--conf",
                    str(CONF),
                    "--lakehouse",
                    str(lake),
                    "--input",
                    str(corpus),
                    "--quiet-summary",
                ],
                work / f"ingest-{size}.log",
            )
            if spark is None:
                spark = build_spark(base.spark, app_name="newslake-story-eval")
            figures = evaluate_size(
                spark,
                base,
                size,
                corpus,
                lake,
                gen_s,
                ingest_s,
                incremental_days=args.incremental_days if index == 0 else 0,
            )
            report["sizes"].append(figures)
        print_cost_table(report["sizes"])
        if gold_size is not None:
            report["gold"] = gold_figures(
                spark, base, work / f"lake-{gold_size}", work / f"corpus-{gold_size}", flood_company
            )
    finally:
        if spark is not None:
            spark.stop()
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


def with_lakehouse(base, lake: Path):
    return base.model_copy(update={"paths": base.paths.model_copy(update={"lakehouse": str(lake)})})


def truth_assignments(spark, settings, corpus: Path) -> List[Tuple[str, str]]:
    """``(true story, predicted story)`` per article of ``silver/article_stories`` found in the
    truth by URL (one small row per article reaches the driver: this is an evaluation)."""
    from newslake import io
    from newslake.catalogue import BRONZE_ARTICLES, SILVER_ARTICLE_STORIES

    root = settings.lakehouse_root()
    bronze = io.read(spark, root, BRONZE_ARTICLES, empty_if_missing=False).select("article_id", "url")
    assigned = (
        io.read(spark, root, SILVER_ARTICLE_STORIES, empty_if_missing=False)
        .join(bronze, "article_id")
        .select("url", "story_id")
        .collect()
    )
    truth = read_truth(corpus)
    return [(truth[r.url]["story_id"], r.story_id) for r in assigned if r.url in truth]


def evaluate_size(
    spark, base, size: int, corpus: Path, lake: Path, gen_s: float, ingest_s: float, incremental_days: int
) -> dict:
    from newslake.runs import RunContext
    from newslake.stories.stage import run_stories

    settings = with_lakehouse(base, lake)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    run = run_stories(spark, settings, RunContext.start("stories"), full_refresh=True)
    counts = run.counts
    seconds = time.perf_counter() - start
    articles = counts["rows_in"]
    rows = truth_assignments(spark, settings, corpus)
    scores = pairwise_scores(rows)
    multi, exact = exact_clusters(rows)
    figures = {
        "records": size,
        "articles": articles,
        "matched_to_truth": len(rows),
        "true_stories": len({t for t, _ in rows}),
        "predicted_stories": len({p for _, p in rows}),
        "true_multi_article_stories": multi,
        "recovered_exactly": exact,
        **scores,
        "generate_s": round(gen_s, 1),
        "ingest_s": round(ingest_s, 1),
        "stories_s": round(seconds, 1),
        "s_per_1000_articles": round(seconds / articles * 1000, 1),
        "load_average_1m": round(load, 1),
        "counts": counts,
        "phase_seconds": run.phase_seconds,
    }
    print(f"\n== {size} records: {articles} articles, {len(rows)} matched to the truth by URL")
    print(
        f"  stories: true {figures['true_stories']}, recovered {figures['predicted_stories']}; true stories "
        f"with copies {multi}, recovered exactly {exact} ({exact / multi:.1%})"
        if multi
        else ""
    )
    print(
        f"  same-story pairs: true {scores['true_pairs']}, predicted {scores['predicted_pairs']}, "
        f"both {scores['tp']} -> precision {scores['precision']:.4f}, recall {scores['recall']:.4f}"
    )
    print(f"  candidate pairs {counts['candidate_pairs']}, verified duplicate pairs {counts['duplicate_pairs']}")
    print(
        f"  stories stage (full refresh) {seconds:.1f} s = {figures['s_per_1000_articles']} s per 1,000 "
        f"articles (load average {load:.1f}); phases s: " + ", ".join(f"{k} {v}" for k, v in run.phase_seconds.items())
    )
    if incremental_days:
        figures["incremental"] = incremental_check(spark, settings, lake, incremental_days)
    return figures


def incremental_check(spark, settings, lake: Path, days: int) -> dict:
    """Same articles in two runs (all but the last ``days`` days, then those days) vs the full
    refresh already in ``lake``."""
    from pyspark.sql import functions as F

    from newslake import io
    from newslake.catalogue import BRONZE_ARTICLES, SILVER_ARTICLE_STORIES
    from newslake.runs import RunContext
    from newslake.stories.stage import run_stories

    bronze = io.read(spark, settings.lakehouse_root(), BRONZE_ARTICLES, empty_if_missing=False)
    last = bronze.agg(F.max("published_at")).first()[0]
    cutoff = (last - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    inc_lake = lake.parent / (lake.name + "-incremental")
    shutil.rmtree(inc_lake, ignore_errors=True)
    inc = with_lakehouse(settings, inc_lake)
    io.overwrite_rows(spark, inc.lakehouse_root(), BRONZE_ARTICLES, bronze.filter(F.col("published_at") < cutoff))
    start = time.perf_counter()
    first = run_stories(spark, inc, RunContext.start("stories")).counts
    first_s = time.perf_counter() - start
    io.append_rows(spark, inc.lakehouse_root(), BRONZE_ARTICLES, bronze.filter(F.col("published_at") >= cutoff))
    start = time.perf_counter()
    second = run_stories(spark, inc, RunContext.start("stories")).counts
    second_s = time.perf_counter() - start
    columns = ["article_id", "story_id", "rank_in_story", "story_size", "novelty", "story_weight"]
    full = io.read(spark, settings.lakehouse_root(), SILVER_ARTICLE_STORIES, empty_if_missing=False).select(*columns)
    both = io.read(spark, inc.lakehouse_root(), SILVER_ARTICLE_STORIES, empty_if_missing=False).select(*columns)
    differ = full.exceptAll(both).count() + both.exceptAll(full).count()
    spanning = (
        io.read(spark, inc.lakehouse_root(), SILVER_ARTICLE_STORIES, empty_if_missing=False)
        .filter(F.col("story_size") > 1)
        .groupBy("story_id")
        .agg(F.countDistinct(F.date_trunc("week", "published_at")).alias("weeks"))
        .filter("weeks > 1")
        .count()
    )
    result = {
        "cutoff": str(cutoff),
        "first_run_articles": first["rows_in"],
        "first_run_s": round(first_s, 1),
        "second_run_articles": second["rows_in"],
        "second_run_s": round(second_s, 1),
        "second_run_stories_touched": second["stories_touched"],
        "rows_differing_from_full_refresh": differ,
        "stories_spanning_iso_weeks": spanning,
        "second_run_counts": second,
    }
    print(
        f"  incremental: run 1 {first['rows_in']} articles (before {cutoff:%Y-%m-%d}) {first_s:.1f} s; run 2 "
        f"{second['rows_in']} articles {second_s:.1f} s "
        f"({second_s / max(second['rows_in'], 1) * 1000:.1f} s per 1,000), {second['stories_touched']} stories "
        f"touched; rows differing from the full refresh: {differ}; stories spanning two ISO weeks: {spanning}"
    )
    return result


def print_cost_table(sizes: List[dict]) -> None:
    print("\nclustering cost (stories stage, full refresh, local[*] on this machine)")
    print(
        f"  {'records':>8} {'articles':>9} {'seconds':>8} {'s/1k articles':>14} {'candidates':>11} "
        f"{'duplicates':>11} {'load avg':>9} {'precision':>10} {'recall':>8}"
    )
    for f in sizes:
        print(
            f"  {f['records']:>8} {f['articles']:>9} {f['stories_s']:>8} {f['s_per_1000_articles']:>14} "
            f"{f['counts']['candidate_pairs']:>11} {f['counts']['duplicate_pairs']:>11} "
            f"{f['load_average_1m']:>9} {f['precision']:>10.4f} {f['recall']:>8.4f}"
        )


def gold_figures(spark, base, lake: Path, corpus: Path, company: Optional[str] = None) -> dict:
    """enrich -> stories (full refresh, silver text) -> aggregate on ``lake`` as jobs.pipeline runs
    them; then the silver-text stories against the truth and the flooded company's gold rows."""
    from newslake.runner import run_stage

    # No PNG charts: they are not what this measures.
    settings = with_lakehouse(base, lake).model_copy(
        update={"aggregate": base.aggregate.model_copy(update={"charts_dir": None})}
    )
    timings = {}
    for stage, full in (("enrich", False), ("stories", True), ("aggregate", False)):
        start = time.perf_counter()
        counts = run_stage(spark, settings, stage, full_refresh=full).counts
        timings[f"{stage}_s"] = round(time.perf_counter() - start, 1)
        timings[f"{stage}_rows_in"] = counts.get("rows_in")
    rows = truth_assignments(spark, settings, corpus)
    scores = pairwise_scores(rows)
    multi, exact = exact_clusters(rows)
    print(
        f"\n== gold at {lake.name}: enrich {timings['enrich_s']} s, stories (silver text, full refresh) "
        f"{timings['stories_s']} s for {timings['stories_rows_in']} articles, aggregate {timings['aggregate_s']} s"
    )
    print(
        f"  silver-text stories vs truth: same-story pairs true {scores['true_pairs']}, predicted "
        f"{scores['predicted_pairs']}, both {scores['tp']} -> precision {scores['precision']:.4f}, recall "
        f"{scores['recall']:.4f}; true stories with copies {multi}, recovered exactly {exact}"
    )
    result = {
        "timings": timings,
        "silver_text_scores": scores,
        "true_multi_article_stories": multi,
        "recovered_exactly": exact,
    }
    result["flooded_company"] = flooded_company(spark, settings, corpus, company)
    return result


def flooded_company(spark, settings, corpus: Path, company: Optional[str] = None) -> dict:
    """``company`` (default: the one with the most syndicated copies in the truth): its
    gold/sentiment_weekly_company rows (one per week) with and without story weights, and its share
    of all companies' articles."""
    from pyspark.sql import functions as F

    from newslake import io
    from newslake.catalogue import GOLD_SENTIMENT_WEEKLY_COMPANY

    truth = read_truth(corpus)
    copies = Counter(row["main_company_id"] for row in truth.values() if row["is_copy"] == "1")
    if not copies:
        return {}
    company = company or copies.most_common(1)[0][0]
    n_copies = copies[company]
    originals = sum(1 for row in truth.values() if row["main_company_id"] == company and row["is_copy"] != "1")
    gold = io.read(spark, settings.lakehouse_root(), GOLD_SENTIMENT_WEEKLY_COMPANY, empty_if_missing=False)
    totals = gold.agg(F.sum("articles").alias("a"), F.sum("story_weighted_articles").alias("w")).first()
    weeks = gold.filter(F.col("company_id") == company).orderBy("week_start").collect()
    if not weeks:
        print(f"\nflooded company {company}: no gold rows (not linked by enrich)")
        return {"company_id": company, "copies": n_copies}
    articles = sum(w.articles for w in weeks)
    stories = sum(w.unique_stories for w in weeks)
    weighted = sum(w.story_weighted_articles for w in weeks)
    mentions = sum(w.mentions for w in weeks)
    weighted_mentions = sum(w.story_weighted_mentions for w in weeks)
    mean = sum(w.mean_score * w.mentions for w in weeks) / mentions
    story_mean = sum(w.story_weighted_score * w.story_weighted_mentions for w in weeks) / weighted_mentions
    net = sum(w.net_sentiment * w.mentions for w in weeks) / mentions
    story_net = sum(w.story_weighted_net_sentiment * w.story_weighted_mentions for w in weeks) / weighted_mentions
    copied_weeks = [w for w in weeks if w.articles != w.unique_stories]
    gaps = [abs(w.story_weighted_score - w.mean_score) for w in copied_weeks]
    result = {
        "company_id": company,
        "company": weeks[0].company,
        "truth_originals": originals,
        "truth_copies": n_copies,
        "weeks": len(weeks),
        "weeks_with_copies": len(copied_weeks),
        "articles": articles,
        "unique_stories": stories,
        "story_weighted_articles": round(weighted, 3),
        "mentions": mentions,
        "story_weighted_mentions": round(weighted_mentions, 3),
        "mean_score": round(mean, 4),
        "story_weighted_score": round(story_mean, 4),
        "net_sentiment": round(net, 4),
        "story_weighted_net_sentiment": round(story_net, 4),
        "share_of_articles": round(articles / totals["a"], 4),
        "share_of_story_weighted_articles": round(weighted / totals["w"], 4),
        "mean_abs_weekly_score_change": round(sum(gaps) / len(gaps), 4) if gaps else 0.0,
        "max_abs_weekly_score_change": round(max(gaps), 4) if gaps else 0.0,
        "weekly": [
            {
                "week": f"{w.iso_year}-W{w.iso_week:02d}",
                "articles": w.articles,
                "unique_stories": w.unique_stories,
                "story_weighted_articles": round(w.story_weighted_articles, 3),
                "mean_score": w.mean_score,
                "story_weighted_score": w.story_weighted_score,
                "net_sentiment": round(w.net_sentiment, 4),
                "story_weighted_net_sentiment": round(w.story_weighted_net_sentiment, 4),
            }
            for w in copied_weeks
        ],
    }
    print(
        f"\nflooded company: {result['company']} ({company}); truth: {originals} originals, {n_copies} syndicated "
        f"copies. gold/sentiment_weekly_company, {len(weeks)} weeks ({len(copied_weeks)} with copies):"
    )
    print(
        f"  articles {articles}, unique stories {stories}, story-weighted articles {weighted:.2f}; share of all "
        f"companies' articles {result['share_of_articles']:.2%} plain, "
        f"{result['share_of_story_weighted_articles']:.2%} story-weighted"
    )
    print(
        f"  mean score {mean:+.4f} plain, {story_mean:+.4f} story-weighted; net sentiment {net:+.4f} plain, "
        f"{story_net:+.4f} story-weighted; weekly |story-weighted - plain mean| {result['mean_abs_weekly_score_change']:.4f} "
        f"on average, {result['max_abs_weekly_score_change']:.4f} at most (weeks with copies)"
    )
    print(
        f"  {'week':>8} {'articles':>9} {'stories':>8} {'weighted':>9} {'mean':>8} {'weighted':>9} {'net':>7} {'weighted':>9}"
    )
    for w in result["weekly"]:
        print(
            f"  {w['week']:>8} {w['articles']:>9} {w['unique_stories']:>8} {w['story_weighted_articles']:>9.2f} "
            f"{w['mean_score']:>+8.3f} {w['story_weighted_score']:>+9.3f} {w['net_sentiment']:>+7.3f} "
            f"{w['story_weighted_net_sentiment']:>+9.3f}"
        )
    return result


if __name__ == "__main__":
    sys.exit(main())
