"""Recovered stories against the generator's truth, and the clustering's cost (issue #9).

    python -m bench.story_eval [--sizes 2000,8000] [--seed 42] [--work DIR] [--keep]
                               [--incremental-days 7] [--set stories.threshold=0.4 ...]

For each size: generate a corpus (``bench.generate``, JSON Lines only), ingest it into a fresh
lakehouse (``jobs.ingest``), run the stories stage as a full refresh, and compare the stories
with ``_truth/stories.csv`` (every copy of one generated story is one true story):

* pairwise precision / recall of the same-story decision over all pairs of articles;
* cluster counts, and the share of true multi-article stories recovered exactly;
* the stage's wall time per 1,000 articles, with its phases and the machine's load average
  (the machine may be shared: compare runs only at a similar load).

At the first size it also checks the incremental path: the same articles in two runs (all but
the last ``--incremental-days`` days, then those days) must give the same stories as the full
refresh, and the second run's cost is the daily-batch cost. Finally it shows, for the company
with the most syndicated copies, what the gold layer will see: articles, unique stories and
story-weighted articles per ISO week, with the truth's polarity as a stand-in for sentiment.
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
from typing import Dict, Iterable, List, Tuple

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
    return {"true_pairs": true_pairs, "predicted_pairs": pred_pairs, "tp": tp,
            "precision": tp / pred_pairs if pred_pairs else 1.0, "recall": tp / true_pairs if true_pairs else 1.0}


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
    parser.add_argument("--work", help="working folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and lakehouses")
    parser.add_argument("--incremental-days", type=int, default=7)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a conf key (spark.*) or a stories setting (stories.threshold=0.45)")
    parser.add_argument("--json", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT / "lib"))
    from newslake.config import load_settings, parse_set_option
    from newslake.spark import build_spark
    from newslake.stories.settings import StorySettings

    story_overrides, conf_overrides = {}, {}
    for item in args.set:
        key, value = parse_set_option(item)
        if key.startswith("stories."):
            story_overrides[key.split(".", 1)[1]] = value
        else:
            conf_overrides[key] = value
    stories = StorySettings(**story_overrides)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="newslake-story-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(f"stories settings: threshold {stories.threshold}, {stories.shingle_size}-word shingles, "
          f"{stories.num_hash_tables} MinHash functions in {stories.bands} bands of {stories.band_rows}, "
          f"horizon {stories.horizon_days} days; work folder {work}")

    base = load_settings(str(CONF), {**conf_overrides, "paths.lakehouse": str(work / "unused")})
    spark = None
    report = {"settings": stories.model_dump(exclude={"boilerplate_line_patterns", "dateline_pattern"}), "sizes": []}
    try:
        for index, size in enumerate(sizes):
            corpus, lake = work / f"corpus-{size}", work / f"lake-{size}"
            for path in (corpus, lake):
                shutil.rmtree(path, ignore_errors=True)
            gen_s = run([sys.executable, "-m", "bench.generate", "--articles", str(size), "--out", str(corpus),
                         "--seed", str(args.seed), "--formats", "jsonl"], work / f"generate-{size}.log")
            ingest_s = run([sys.executable, "-m", "jobs.ingest", "--conf", str(CONF), "--lakehouse", str(lake),
                            "--input", str(corpus), "--quiet-summary"], work / f"ingest-{size}.log")
            if spark is None:
                spark = build_spark(base.spark, app_name="newslake-story-eval")
            figures = evaluate_size(spark, base, stories, size, corpus, lake, gen_s, ingest_s,
                                    incremental_days=args.incremental_days if index == 0 else 0)
            report["sizes"].append(figures)
        print_cost_table(report["sizes"])
        if report["sizes"]:
            flooded(spark, base, work / f"lake-{sizes[-1]}", work / f"corpus-{sizes[-1]}", report)
    finally:
        if spark is not None:
            spark.stop()
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


def evaluate_size(spark, base, stories, size: int, corpus: Path, lake: Path, gen_s: float, ingest_s: float,
                  incremental_days: int) -> dict:
    from pyspark.sql import functions as F

    from newslake import io
    from newslake.runs import RunContext
    from newslake.stories.stage import run_stories

    settings = base.model_copy(update={"paths": base.paths.model_copy(update={"lakehouse": str(lake)})})
    load = os.getloadavg()[0]
    start = time.perf_counter()
    counts = run_stories(spark, settings, RunContext.start("stories"), full_refresh=True, stories=stories)
    seconds = time.perf_counter() - start
    articles = counts["rows_in"]
    bronze = io.read_table(spark, settings.table_path("bronze", "articles")).select("article_id", "url")
    assigned = io.read_table(spark, settings.table_path("silver", "article_stories")) \
        .join(bronze, "article_id").select("url", "story_id", "article_id").collect()
    truth = read_truth(corpus)
    rows = [(truth[r.url]["story_id"], r.story_id) for r in assigned if r.url in truth]
    scores = pairwise_scores(rows)
    multi, exact = exact_clusters(rows)
    figures = {
        "records": size, "articles": articles, "matched_to_truth": len(rows),
        "true_stories": len({t for t, _ in rows}), "predicted_stories": len({p for _, p in rows}),
        "true_multi_article_stories": multi, "recovered_exactly": exact, **scores,
        "generate_s": round(gen_s, 1), "ingest_s": round(ingest_s, 1),
        "stories_s": round(seconds, 1), "s_per_1000_articles": round(seconds / articles * 1000, 1),
        "load_average_1m": round(load, 1), "counts": counts,
    }
    print(f"\n== {size} records: {articles} articles, {len(rows)} matched to the truth by URL")
    print(f"  stories: true {figures['true_stories']}, recovered {figures['predicted_stories']}; true stories "
          f"with copies {multi}, recovered exactly {exact} ({exact / multi:.1%})" if multi else "")
    print(f"  same-story pairs: true {scores['true_pairs']}, predicted {scores['predicted_pairs']}, "
          f"both {scores['tp']} -> precision {scores['precision']:.4f}, recall {scores['recall']:.4f}")
    print(f"  candidate pairs {counts['candidate_pairs']}, verified duplicate pairs {counts['duplicate_pairs']}")
    print(f"  stories stage (full refresh) {seconds:.1f} s = {figures['s_per_1000_articles']} s per 1,000 "
          f"articles (load average {load:.1f}); phases ms: "
          + ", ".join(f"{k[3:]} {v}" for k, v in counts.items() if k.startswith("ms_")))
    if incremental_days:
        figures["incremental"] = incremental_check(spark, settings, stories, lake, incremental_days)
    return figures


def incremental_check(spark, settings, stories, lake: Path, days: int) -> dict:
    """Same articles in two runs (all but the last ``days`` days, then those days) vs the full
    refresh already in ``lake``."""
    from pyspark.sql import functions as F

    from newslake import io
    from newslake.runs import RunContext
    from newslake.schemas import BRONZE_ARTICLES
    from newslake.stories.stage import run_stories

    bronze = io.read_table(spark, settings.table_path("bronze", "articles"))
    last = bronze.agg(F.max("published_at")).first()[0]
    cutoff = (last - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    inc_lake = lake.parent / (lake.name + "-incremental")
    shutil.rmtree(inc_lake, ignore_errors=True)
    inc = settings.model_copy(update={"paths": settings.paths.model_copy(update={"lakehouse": str(inc_lake)})})
    inc_bronze = inc.table_path("bronze", "articles")
    io.overwrite(spark, inc_bronze, bronze.filter(F.col("published_at") < cutoff), BRONZE_ARTICLES)
    start = time.perf_counter()
    first = run_stories(spark, inc, RunContext.start("stories"), stories=stories)
    first_s = time.perf_counter() - start
    io.append(spark, inc_bronze, bronze.filter(F.col("published_at") >= cutoff), BRONZE_ARTICLES)
    start = time.perf_counter()
    second = run_stories(spark, inc, RunContext.start("stories"), stories=stories)
    second_s = time.perf_counter() - start
    columns = ["article_id", "story_id", "rank_in_story", "story_size", "novelty", "story_weight"]
    full = io.read_table(spark, settings.table_path("silver", "article_stories")).select(*columns)
    both = io.read_table(spark, inc.table_path("silver", "article_stories")).select(*columns)
    differ = full.exceptAll(both).count() + both.exceptAll(full).count()
    spanning = io.read_table(spark, inc.table_path("silver", "article_stories")).filter(F.col("story_size") > 1) \
        .groupBy("story_id").agg(F.countDistinct(F.date_trunc("week", "published_at")).alias("weeks")) \
        .filter("weeks > 1").count()
    result = {"cutoff": str(cutoff), "first_run_articles": first["rows_in"], "first_run_s": round(first_s, 1),
              "second_run_articles": second["rows_in"], "second_run_s": round(second_s, 1),
              "second_run_stories_touched": second["stories_touched"], "rows_differing_from_full_refresh": differ,
              "stories_spanning_iso_weeks": spanning, "second_run_counts": second}
    print(f"  incremental: run 1 {first['rows_in']} articles (before {cutoff:%Y-%m-%d}) {first_s:.1f} s; run 2 "
          f"{second['rows_in']} articles {second_s:.1f} s "
          f"({second_s / max(second['rows_in'], 1) * 1000:.1f} s per 1,000), {second['stories_touched']} stories "
          f"touched; rows differing from the full refresh: {differ}; stories spanning two ISO weeks: {spanning}")
    return result


def print_cost_table(sizes: List[dict]) -> None:
    print("\nclustering cost (stories stage, full refresh, local[*] on this machine)")
    print(f"  {'records':>8} {'articles':>9} {'seconds':>8} {'s/1k articles':>14} {'candidates':>11} "
          f"{'duplicates':>11} {'load avg':>9} {'precision':>10} {'recall':>8}")
    for f in sizes:
        print(f"  {f['records']:>8} {f['articles']:>9} {f['stories_s']:>8} {f['s_per_1000_articles']:>14} "
              f"{f['counts']['candidate_pairs']:>11} {f['counts']['duplicate_pairs']:>11} "
              f"{f['load_average_1m']:>9} {f['precision']:>10.4f} {f['recall']:>8.4f}")


def flooded(spark, base, lake: Path, corpus: Path, report: dict) -> None:
    """The company with the most syndicated copies: per ISO week, articles vs unique stories vs
    story-weighted articles, and the mean truth polarity unweighted vs story-weighted."""
    from newslake import io

    settings = base.model_copy(update={"paths": base.paths.model_copy(update={"lakehouse": str(lake)})})
    truth = read_truth(corpus)
    copies = Counter(row["main_company_id"] for row in truth.values() if row["is_copy"] == "1")
    if not copies:
        return
    company = copies.most_common(1)[0][0]
    bronze = io.read_table(spark, settings.table_path("bronze", "articles")).select("article_id", "url")
    rows = io.read_table(spark, settings.table_path("silver", "article_stories")).join(bronze, "article_id") \
        .select("url", "story_id", "story_weight", "published_at").collect()
    polarity = {"positive": 1.0, "negative": -1.0}
    weeks = defaultdict(lambda: {"articles": 0, "stories": set(), "weighted": 0.0, "pol": 0.0, "wpol": 0.0})
    for r in rows:
        t = truth.get(r.url)
        if not t or t["main_company_id"] != company:
            continue
        iso = r.published_at.isocalendar()
        w = weeks[(iso[0], iso[1])]
        p = polarity.get(t["polarity"], 0.0)
        w["articles"] += 1
        w["stories"].add(r.story_id)
        w["weighted"] += r.story_weight
        w["pol"] += p
        w["wpol"] += p * r.story_weight
    total = {"articles": sum(w["articles"] for w in weeks.values()),
             "stories": sum(len(w["stories"]) for w in weeks.values())}
    print(f"\nflooded company: {company} ({copies[company]} syndicated copies; {total['articles']} articles, "
          f"{total['stories']} story-weeks). What the gold layer sees per ISO week:")
    print(f"  {'week':>8} {'articles':>9} {'stories':>8} {'weighted':>9} {'mean polarity':>14} {'weighted':>9}")
    shown = []
    for (year, week), w in sorted(weeks.items()):
        if w["articles"] == len(w["stories"]):
            continue  # no copies this week: both views agree
        mean = w["pol"] / w["articles"]
        wmean = w["wpol"] / w["weighted"] if w["weighted"] else 0.0
        shown.append({"week": f"{year}-W{week:02d}", "articles": w["articles"], "stories": len(w["stories"]),
                      "weighted_articles": round(w["weighted"], 2), "mean_polarity": round(mean, 3),
                      "weighted_mean_polarity": round(wmean, 3)})
        print(f"  {year}-W{week:02d} {w['articles']:>9} {len(w['stories']):>8} {w['weighted']:>9.2f} "
              f"{mean:>14.3f} {wmean:>9.3f}")
    report["flooded_company"] = {"company_id": company, "copies": copies[company], "weeks_with_copies": shown}


if __name__ == "__main__":
    sys.exit(main())
