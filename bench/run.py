"""The benchmark runner (issues #8 and #17): throughput, scaling and memory of the pipeline, side
by side with an I/O floor, two VADER baselines and a spaCy + VADER peer, on the same data and
the same cores.

    python -m bench --sizes 5000,10000,40000,160000 --json OUT.json [--work-dir DIR] [--seed 42]
        [--profile calibrated|legacy] [--formats jsonl,html,warc] [--skip-baselines] [--accurate]

For each size the runner starts a fresh Python process (so a fresh JVM: memory peaks are per
size), which generates the corpus with ``bench.generate`` (same seed and profile for every size),
measures it with ``bench.corpus_stats``, opens one SparkSession on ``local[2]``, times every stage
of ``newslake.stages.STAGES`` (ingest, enrich, stories, aggregate) through
``newslake.runner.run_stage``, then the baselines of :mod:`bench.baselines`, stops the session
and writes its figures; the parent joins them into one JSON document (with Reuters-21578's
corpus statistics beside each size's) and prints a table. See bench/README.md for what each
figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence

from bench.corpus import DEFAULT_PROFILE, PROFILES

ROOT = Path(__file__).resolve().parents[1]
BASELINES = ("io_floor", "naive_udf_vader", "pandas_vader", "spacy_vader")
# Baselines that run outside Spark, each as ``python -m bench.baselines NAME`` after the session stops.
PROCESS_BASELINES = {"pandas_vader": "pandas", "spacy_vader": "spacy"}
PHASE_LABELS = {
    "ingest": "ingest",
    "enrich": "enrich (fast model)",
    "stories": "stories",
    "aggregate": "aggregate",
    "pipeline": "pipeline (all stages)",
    "enrich_accurate": "enrich (accurate model)",
    "io_floor": "I/O floor",
    "naive_udf_vader": "naive UDF + VADER",
    "pandas_vader": "pandas + VADER",
    "spacy_vader": "spaCy sm + VADER (ORG)",
}
CORPUS_STATS_SAMPLE = 3000  # bodies of each size's corpus measured by bench.corpus_stats
DEFAULT_WORK_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "newslake-bench"
SCHEMA_VERSION = 1

LOCAL_MODE_NOTE = (
    "local mode: the Spark driver and its executors run in ONE JVM process, so the JVM figures "
    "(RSS and heap used) are driver + executors together; Python workers are the processes "
    "below the JVM (pyspark.daemon and its forks), their RSS summed (shared pages counted once "
    "per worker, an upper bound)."
)
ARTICLES_NOTE = (
    "articles: ingest counts the input records it read (good and bad); every other phase "
    "counts the articles it processed (enrich, aggregate, pipeline, I/O floor: the articles in "
    "silver; the VADER baselines: every bronze article). Sentences: silver/sentences rows "
    "(the I/O floor: its regex sentences)."
)
TARGETS_NOTE = (
    "issue #17 targets: whole pipeline (all four stages) on 160k records in at most 10 minutes; "
    "enrich >= 2x the naive UDF's articles/s and >= 10x the spaCy + VADER peer's at the largest "
    "size; a daily-sized run (5,000 records) end to end in at most 60 s; pipeline cost per 1,000 "
    "articles at the largest size within 1.2x of the cost at 10k (the smallest size when none is "
    "10k or more); driver memory flat. The NLP overhead (I/O floor) is reported, no longer a target."
)

TARGET_LIMITS = {
    "enrich_vs_naive_udf_min": 2.0,
    "enrich_vs_spacy_min": 10.0,
    "linearity_max": 1.2,
    "driver_memory_growth_max": 1.25,
    "pipeline_160k_max_s": 600.0,
    "daily_run_max_s": 60.0,
}
DAILY_RECORDS = 5000  # the daily-sized run of issue #17
LINEARITY_REFERENCE_RECORDS = 10_000


# --- pure figures --------------------------------------------------------------------------


def per_second(count: Optional[float], seconds: Optional[float]) -> Optional[float]:
    """``count / seconds``; None when either is missing or the time is not positive."""
    if count is None or seconds is None or seconds <= 0:
        return None
    return count / seconds


def cost_per_1k(seconds: Optional[float], articles: Optional[float]) -> Optional[float]:
    """Wall seconds per 1,000 articles; None without articles."""
    if seconds is None or not articles:
        return None
    return seconds * 1000.0 / articles


def ratio(numerator: Optional[float], denominator: Optional[float]) -> Optional[float]:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _round(value: Optional[float], digits: int = 3) -> Optional[float]:
    return None if value is None else round(value, digits)


def phase_figures(
    wall_s: float,
    articles: Optional[int],
    sentences: Optional[int] = None,
    cpu_s: Optional[float] = None,
    cores: Optional[int] = None,
    memory: Optional[Mapping[str, float]] = None,
    **extra: Any,
) -> Dict[str, Any]:
    """The figures of one timed phase: wall and CPU seconds, rates, cost per 1,000 articles,
    peak memory (MiB) and anything else the phase reports (counts, notes)."""
    out: Dict[str, Any] = {
        "wall_s": _round(wall_s),
        "cpu_s": _round(cpu_s),
        "cpu_utilisation": _round(ratio(cpu_s, wall_s * cores) if cores and wall_s else None),
        "articles": articles,
        "articles_per_s": _round(per_second(articles, wall_s)),
        "sentences": sentences,
        "sentences_per_s": _round(per_second(sentences, wall_s)),
        "cost_per_1k_articles_s": _round(cost_per_1k(wall_s, articles)),
        "memory_mib": dict(memory or {}),
    }
    out.update(extra)
    return out


def size_ratios(result: Mapping[str, Any]) -> Dict[str, Any]:
    """Each baseline's articles/s as a ratio to enrich's and to the pipeline's (above 1: the
    baseline is faster), plus the three headline numbers: NLP overhead (I/O floor articles/s
    over enrich's, i.e. how many times the floor's time enrich takes) and enrich's speed-up over
    each VADER baseline."""
    stages = result.get("stages", {})
    enrich = (stages.get("enrich") or {}).get("articles_per_s")
    pipeline = (stages.get("pipeline") or {}).get("articles_per_s")
    out: Dict[str, Any] = {}
    for name in BASELINES:
        figures = (result.get("baselines") or {}).get(name) or {}
        rate = figures.get("articles_per_s")
        if rate is None:
            continue
        out[name] = {
            "articles_per_s": rate,
            "ratio_to_enrich": _round(ratio(rate, enrich)),
            "ratio_to_pipeline": _round(ratio(rate, pipeline)),
        }
    floor = out.get("io_floor", {}).get("articles_per_s")
    out["nlp_overhead"] = _round(ratio(floor, enrich))
    out["enrich_vs_naive_udf"] = _round(ratio(enrich, out.get("naive_udf_vader", {}).get("articles_per_s")))
    out["enrich_vs_pandas"] = _round(ratio(enrich, out.get("pandas_vader", {}).get("articles_per_s")))
    out["enrich_vs_spacy"] = _round(ratio(enrich, out.get("spacy_vader", {}).get("articles_per_s")))
    accurate = (stages.get("enrich_accurate") or {}).get("articles_per_s")
    if accurate is not None:
        out["enrich_accurate_vs_naive_udf"] = _round(
            ratio(accurate, out.get("naive_udf_vader", {}).get("articles_per_s"))
        )
    return out


def _ok(result: Mapping[str, Any]) -> bool:
    return result.get("status") == "ok"


def scaling(results: Sequence[Mapping[str, Any]]) -> Dict[str, Any]:
    """Cost per 1,000 articles of every phase at each size, and its ratio at the largest size
    to the smallest (1.0 is linear; above 1, worse than linear), plus the same ratio for the
    peak memory of each process group."""
    done = sorted((r for r in results if _ok(r)), key=lambda r: r["records"])
    out: Dict[str, Any] = {
        "sizes": [r["records"] for r in done],
        "cost_per_1k_articles_s": {},
        "cost_ratio_largest_to_smallest": {},
        "memory_ratio_largest_to_smallest": {},
    }
    if not done:
        return out
    small, large = done[0], done[-1]
    phases: List[str] = []
    for r in done:
        for section in ("stages", "baselines"):
            for name in r.get(section) or {}:
                if name not in phases:
                    phases.append(name)
    for name in phases:
        costs = {}
        for r in done:
            figures = (r.get("stages") or {}).get(name) or (r.get("baselines") or {}).get(name) or {}
            costs[str(r["records"])] = figures.get("cost_per_1k_articles_s")
        out["cost_per_1k_articles_s"][name] = costs
        out["cost_ratio_largest_to_smallest"][name] = (
            _round(ratio(costs[str(large["records"])], costs[str(small["records"])])) if len(done) > 1 else None
        )
    for phase in ("pipeline",):
        mem_small = ((small.get("stages") or {}).get(phase) or {}).get("memory_mib", {})
        mem_large = ((large.get("stages") or {}).get(phase) or {}).get("memory_mib", {})
        out["memory_ratio_largest_to_smallest"][phase] = {
            key: _round(ratio(mem_large.get(key), mem_small.get(key))) if len(done) > 1 else None for key in mem_small
        }
    return out


def check_targets(results: Sequence[Mapping[str, Any]], scale: Mapping[str, Any]) -> Dict[str, Any]:
    """The issue's targets, each with its value, its limit and whether it is met (None: not
    measured in this run)."""
    done = sorted((r for r in results if _ok(r)), key=lambda r: r["records"])
    largest = done[-1] if done else {}
    ratios = largest.get("ratios", {})
    single = len(done) < 2

    def target(value, limit, at_least=False, note=""):
        met = None if value is None else (value >= limit if at_least else value <= limit)
        entry = {"value": value, "limit": limit, "met": met}
        if note:
            entry["note"] = note
        return entry

    at = f"at {largest.get('records')} records" if done else ""
    pipeline_mem = scale.get("memory_ratio_largest_to_smallest", {}).get("pipeline", {})
    reference = next(
        (r for r in done if r["records"] >= LINEARITY_REFERENCE_RECORDS and r is not largest), done[0] if done else None
    )

    def cost(r: Mapping[str, Any]) -> Optional[float]:
        return ((r.get("stages") or {}).get("pipeline") or {}).get("cost_per_1k_articles_s")

    linearity = None if single or reference is None else _round(ratio(cost(largest), cost(reference)))
    out = {
        "enrich_vs_naive_udf": target(
            ratios.get("enrich_vs_naive_udf"),
            TARGET_LIMITS["enrich_vs_naive_udf_min"],
            at_least=True,
            note=f"enrich articles/s over the naive UDF's, {at}",
        ),
        "enrich_vs_spacy": target(
            ratios.get("enrich_vs_spacy"),
            TARGET_LIMITS["enrich_vs_spacy_min"],
            at_least=True,
            note=f"enrich articles/s over the spaCy + VADER peer's, {at}",
        ),
        "linearity": target(
            linearity,
            TARGET_LIMITS["linearity_max"],
            note="pipeline cost per 1,000 articles, largest size over "
            f"{reference['records'] if reference else '-'} records",
        ),
        "driver_memory_flat": target(
            None if single else pipeline_mem.get("driver_python_rss_peak_mib"),
            TARGET_LIMITS["driver_memory_growth_max"],
            note="driver program (Python) peak RSS, largest size over smallest; "
            "the JVM's figures mix driver and executors in local mode",
        ),
    }
    big = [r for r in done if r["records"] >= 160_000]
    wall = ((big[0].get("stages") or {}).get("pipeline") or {}).get("wall_s") if big else None
    out["pipeline_160k_under_10_min"] = target(
        wall,
        TARGET_LIMITS["pipeline_160k_max_s"],
        note="pipeline (all stages) wall seconds at the first size >= 160,000 records",
    )
    daily = [r for r in done if r["records"] == DAILY_RECORDS]
    wall = ((daily[0].get("stages") or {}).get("pipeline") or {}).get("wall_s") if daily else None
    out["daily_run_under_60_s"] = target(
        wall,
        TARGET_LIMITS["daily_run_max_s"],
        note=f"pipeline (all stages) wall seconds at {DAILY_RECORDS:,} records (session start excluded)",
    )
    return out


def corpus_statistics(results: Sequence[Mapping[str, Any]], real: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """The corpus statistics (``bench.corpus_stats``) of Reuters-21578 and of each size's corpus,
    with the figures of each size that miss the calibration's tolerance."""
    from bench.corpus_stats import REUTERS_21578, off_target

    reference = (
        dict(real)
        if real
        else {
            **REUTERS_21578,
            "source": "recorded figures (bench.corpus_stats.REUTERS_21578); ../shared data not found",
        }
    )
    out: Dict[str, Any] = {"reuters-21578": reference, "sizes": {}, "off_target": {}}
    for r in results:
        stats = (r.get("corpus") or {}).get("stats")
        if stats:
            out["sizes"][str(r["records"])] = stats
            out["off_target"][str(r["records"])] = off_target(stats, reference)
    return out


def build_document(
    results: Sequence[Mapping[str, Any]],
    argv: Sequence[str],
    options: Mapping[str, Any],
    machine: Mapping[str, Any],
    versions: Mapping[str, Any],
    date: str,
    reuters: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]:
    """The JSON document of a run: what ran where, every size's figures, the corpus statistics,
    scaling and targets. ``reuters``: Reuters-21578's corpus statistics (None: the
    recorded ones)."""
    results = [dict(r) for r in sorted(results, key=lambda r: r["records"])]
    for r in results:
        if _ok(r):
            r["ratios"] = size_ratios(r)
    scale = scaling(results)
    java = next((r.get("java_version") for r in results if r.get("java_version")), None)
    return {
        "schema_version": SCHEMA_VERSION,
        "benchmark": "newslake issues #8 and #17",
        "date": date,
        "command": command_line(argv),
        "options": dict(options),
        "machine": dict(machine),
        "versions": {**versions, **({"java": java} if java else {})},
        "notes": [LOCAL_MODE_NOTE, ARTICLES_NOTE, TARGETS_NOTE],
        "sizes": results,
        "corpus_statistics": corpus_statistics(results, reuters),
        "scaling": scale,
        "targets": check_targets(results, scale),
        "status": "ok" if results and all(_ok(r) for r in results) else "failed",
    }


def command_line(argv: Sequence[str]) -> str:
    return "python -m bench " + shlex.join(list(argv))


# --- the readable report -------------------------------------------------------------------


def _fmt(value: Optional[float], digits: int = 1, width: int = 9) -> str:
    if value is None:
        return "-".rjust(width)
    return f"{value:,.{digits}f}".rjust(width)


def _x(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _first_line(text: Optional[str], limit: int = 300) -> str:
    """The first non-blank line of an error (Spark's carry a whole traceback), shortened."""
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    first = lines[0] if lines else ""
    if first.endswith(":") and len(lines) > 1:  # "PythonException:" then the message below
        first = f"{first} ... {lines[-1]}"
    return first if len(first) <= limit else first[: limit - 3] + "..."


def format_report(doc: Mapping[str, Any]) -> str:
    m, o = doc.get("machine", {}), doc.get("options", {})
    lines = [
        f"newslake benchmark, {doc.get('date')}",
        f"  {doc.get('command')}",
        f"  {o.get('master')} on {m.get('logical_cores')} logical cores ({m.get('cpu_model')}), "
        f"{_fmt(m.get('memory_gib'), 1, 0)} GiB RAM, load average at start {m.get('load_average_at_start')}",
        "  " + ", ".join(f"{k} {v}" for k, v in doc.get("versions", {}).items()),
        "",
    ]
    header = (
        f"  {'phase':<24}{'wall s':>9}{'CPU s':>9}{'articles':>9}{'art/s':>9}{'sent/s':>9}"
        f"{'s/1k art':>9}{'JVM RSS':>9}{'JVM heap':>9}{'Python':>9}{'x enrich':>9}"
    )
    for r in doc.get("sizes", []):
        counts = r.get("counts", {})
        corpus = r.get("corpus", {})
        if not _ok(r):
            lines.append(
                f"== {r.get('records'):,} records: FAILED in {r.get('failed_phase')}: {_first_line(r.get('error'))}"
            )
            if not (r.get("stages") or r.get("baselines")):
                lines.append("")
                continue
        else:
            lines.append(
                f"== {r['records']:,} records -> {counts.get('silver/articles', 0):,} articles, "
                f"{counts.get('silver/sentences', 0):,} sentences, {counts.get('bronze/quarantine', 0):,} quarantined "
                f"(corpus {corpus.get('action')} in {corpus.get('seconds', 0):.1f} s; Spark session started in "
                f"{r.get('session_start_s', 0):.1f} s; load average {r.get('load_average_before')} -> "
                f"{r.get('load_average_after')})"
            )
        lines.append(header)
        lines.append("  " + "-" * (len(header) - 2))
        ratios = r.get("ratios", {})
        rows = [(n, f) for n, f in (r.get("stages") or {}).items()] + [
            (n, f) for n, f in (r.get("baselines") or {}).items()
        ]
        for name, f in rows:
            if f.get("skipped"):
                lines.append(f"  {PHASE_LABELS.get(name, name):<24}skipped: {f['skipped']}")
                continue
            if f.get("error"):
                lines.append(f"  {PHASE_LABELS.get(name, name):<24}FAILED: {_first_line(f['error'])}")
                continue
            mem = f.get("memory_mib", {})
            python = (
                mem.get("process_peak_rss_mib") if name in PROCESS_BASELINES else mem.get("python_workers_rss_peak_mib")
            )
            if name in PROCESS_BASELINES:
                jvm_rss = jvm_heap = None
            else:
                jvm_rss, jvm_heap = mem.get("jvm_rss_peak_mib"), mem.get("jvm_heap_used_peak_mib")
            vs = ratios.get(name, {}).get("ratio_to_enrich") if name in BASELINES else None
            lines.append(
                f"  {PHASE_LABELS.get(name, name):<24}{_fmt(f.get('wall_s'))}{_fmt(f.get('cpu_s'))}"
                f"{_fmt(f.get('articles'), 0)}{_fmt(f.get('articles_per_s'))}{_fmt(f.get('sentences_per_s'), 0)}"
                f"{_fmt(f.get('cost_per_1k_articles_s'), 2)}{_fmt(jvm_rss, 0)}{_fmt(jvm_heap, 0)}{_fmt(python, 0)}"
                f"{(_x(vs) if vs is not None else '-').rjust(9)}"
            )
        if not _ok(r):
            lines.append("")
            continue
        lines.append(
            f"  NLP overhead (I/O floor articles/s / enrich's): {_x(ratios.get('nlp_overhead'))};  "
            f"enrich vs naive UDF + VADER: {_x(ratios.get('enrich_vs_naive_udf'))};  "
            f"enrich vs pandas + VADER: {_x(ratios.get('enrich_vs_pandas'))};  "
            f"enrich vs spaCy + VADER: {_x(ratios.get('enrich_vs_spacy'))}"
        )
        lines.append("")
    scale = doc.get("scaling", {})
    sizes = scale.get("sizes", [])
    if sizes:
        lines.append("== scaling: wall seconds per 1,000 articles (ratio: largest size / smallest; 1.00 = linear)")
        lines.append(f"  {'phase':<24}" + "".join(f"{n:>11,}" for n in sizes) + f"{'ratio':>9}")
        for name, costs in scale.get("cost_per_1k_articles_s", {}).items():
            lines.append(
                f"  {PHASE_LABELS.get(name, name):<24}"
                + "".join(_fmt(costs.get(str(n)), 2, 11) for n in sizes)
                + _x(scale.get("cost_ratio_largest_to_smallest", {}).get(name)).rjust(9)
            )
        mem = scale.get("memory_ratio_largest_to_smallest", {}).get("pipeline", {})
        if mem and len(sizes) > 1:
            lines.append(
                "  peak memory during the pipeline, largest / smallest: "
                + ", ".join(f"{k.replace('_peak_mib', '')} {_x(v)}" for k, v in mem.items())
            )
        lines.append("")
    stats = doc.get("corpus_statistics") or {}
    if stats.get("sizes"):
        from bench.corpus_stats import format_table

        columns = {
            "reuters-21578": stats.get("reuters-21578", {}),
            **{f"{int(n):,} records": v for n, v in stats["sizes"].items()},
        }
        lines.append(
            f"== corpus statistics (bench.corpus_stats; profile {o.get('profile')}; "
            f"Reuters: {stats.get('reuters-21578', {}).get('source')})"
        )
        lines.extend("  " + line for line in format_table(columns).splitlines())
        for r in doc.get("sizes", []):
            silver = (r.get("corpus") or {}).get("silver_figures")
            if silver:
                lines.append(
                    f"  {r['records']:,} records through the project's own splitter and linker: "
                    f"{silver['sentences_per_article']} sentences/article, "
                    f"{silver['company_rows_per_sentence']} (sentence, company) rows/sentence, "
                    f"{silver['share_of_sentences_with_company']} of sentences with a company"
                )
        for n, off in stats.get("off_target", {}).items():
            if off:
                lines.append(
                    f"  {int(n):,} records, off the calibration's tolerance: "
                    + ", ".join(f"{k} {v['value']} (target {v['target']})" for k, v in off.items())
                )
        lines.append("")
    lines.append("== targets (issue #17)")
    for name, t in doc.get("targets", {}).items():
        verdict = {True: "met", False: "NOT met", None: "not measured"}[t.get("met")]
        lines.append(
            f"  {name:<28}{_fmt(t.get('value'), 2)} (limit {t.get('limit')}): {verdict}  [{t.get('note', '')}]"
        )
    lines.append("")
    lines.append(
        "Memory in MiB (peaks, sampled every %ss). JVM = Spark driver + executors (%s); Python = Spark's "
        "Python workers, or the pandas / spaCy process itself." % (o.get("sample_interval_s"), o.get("master"))
    )
    lines.append("x enrich = the phase's articles/s / enrich's (above 1: faster than enrich).")
    return "\n".join(lines)


# --- machine and versions ------------------------------------------------------------------


def _cpu_model() -> Optional[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _cgroup_cpu_max() -> Optional[str]:
    try:
        return Path("/sys/fs/cgroup/cpu.max").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def load_average() -> Optional[List[float]]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def machine_info() -> Dict[str, Any]:
    import psutil

    return {
        "hostname": platform.node(),
        "platform": platform.platform(),
        "cpu_model": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "cores_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cgroup_cpu_max": _cgroup_cpu_max(),
        "memory_gib": round(psutil.virtual_memory().total / (1 << 30), 1),
        "load_average_at_start": load_average(),
    }


def versions() -> Dict[str, Optional[str]]:
    from importlib.metadata import PackageNotFoundError, version

    def v(dist: str) -> Optional[str]:
        try:
            return version(dist)
        except PackageNotFoundError:
            return None

    return {
        "python": platform.python_version(),
        "pyspark": v("pyspark"),
        "spark-nlp": v("spark-nlp"),
        "delta-spark": v("delta-spark"),
        "newslake": v("newslake"),
        "vaderSentiment": v("vaderSentiment"),
        "pandas": v("pandas"),
        "deltalake": v("deltalake"),
        "pyarrow": v("pyarrow"),
    }


# --- one size, in its own process -----------------------------------------------------------


def _say(size: int, message: str) -> None:
    print(f"[bench {size:,}] {message}", file=sys.stderr, flush=True)


def corpus_dir(work_dir: Path, size: int, seed: int, formats: Sequence[str], profile: str = DEFAULT_PROFILE) -> Path:
    return work_dir / f"corpus-{size}-{profile}-seed{seed}-{'-'.join(formats)}"


def prepare_corpus(
    out: Path, size: int, seed: int, formats: Sequence[str], regenerate: bool, profile: str = DEFAULT_PROFILE
) -> Dict[str, Any]:
    """Generate the corpus with ``bench.generate``, or reuse the one already in ``out`` when its
    summary says it was generated with the same records, seed, formats and profile (the generator
    is deterministic: same arguments, same bytes; a summary without a profile is from before
    profiles, i.e. legacy)."""
    from bench.generate import Config, generate

    summary_path = out / "_truth" / "summary.json"
    if not regenerate and summary_path.is_file():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        if (
            summary.get("records") == size
            and summary.get("seed") == seed
            and summary.get("settings", {}).get("formats") == list(formats)
            and summary.get("profile", "legacy") == profile
        ):
            return {"action": "reused", "seconds": 0.0, "path": str(out), "summary": summary}
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    argv = [
        "--articles",
        str(size),
        "--out",
        str(out),
        "--seed",
        str(seed),
        "--formats",
        ",".join(formats),
        "--profile",
        profile,
    ]
    started = time.perf_counter()
    summary = generate(Config(articles=size, out=out, seed=seed, formats=tuple(formats), profile=profile), argv)
    return {
        "action": "generated",
        "seconds": round(time.perf_counter() - started, 2),
        "path": str(out),
        "summary": summary,
    }


def _corpus_digest(summary: Mapping[str, Any]) -> Dict[str, Any]:
    keys = (
        "profile",
        "records",
        "good_articles",
        "originals",
        "syndicated_copies",
        "bad_records",
        "articles_by_format",
        "files_by_format",
        "mb_written",
        "words",
        "iso_weeks",
        "companies_mentioned",
    )
    return {k: summary.get(k) for k in keys}


def _table_counts(spark, settings) -> Dict[str, int]:
    """Rows per ``layer/name`` of the tables the pipeline's summary counts (the catalogue's)."""
    from newslake.stages import table_row_counts

    return table_row_counts(spark, settings)


def _silver_figures(spark, settings, tables: Mapping[str, int]) -> Dict[str, Any]:
    """The corpus as the project's own splitter and linker see it (silver/sentences and
    silver/mentions, whose rows are (sentence, company) pairs, coreference included): beside
    ``bench.corpus_stats``'s simpler ruler, which is the one applied to Reuters too."""
    from newslake import catalogue, io

    articles, sentences, mentions = (
        tables.get(k, 0) for k in ("silver/articles", "silver/sentences", "silver/mentions")
    )
    rows = io.read(spark, settings.lakehouse_root(), catalogue.SILVER_MENTIONS) if mentions else None
    named = rows.select("article_id", "sentence_index").distinct().count() if rows is not None else 0
    return {
        "ruler": "the project's splitter and linker (silver/sentences, silver/mentions: one row per sentence "
        "and company, coreference included)",
        "sentences_per_article": _round(ratio(sentences, articles), 2),
        "company_rows_per_sentence": _round(ratio(mentions, sentences), 4),
        "share_of_sentences_with_company": _round(ratio(named, sentences), 4),
        "link_methods": (
            {r["link_method"]: r["count"] for r in rows.groupBy("link_method").count().collect()}
            if rows is not None
            else {}
        ),
    }


class Measured(NamedTuple):
    """One timed phase: wall clock, CPU of the whole process tree and peak memory (MiB)."""

    wall_s: float
    cpu_s: float
    memory: Dict[str, float]


def _run_figures(run: Any) -> Dict[str, Any]:
    """What a stage run reports of itself (a ``newslake.runs.StageResult``): its counts and,
    where it times them, its phases' wall seconds and rows per second."""
    out: Dict[str, Any] = {"run_counts": run.counts}
    if run.phase_seconds:
        out["phase_seconds"] = run.phase_seconds
    if run.rows_per_second:
        out["rows_per_second"] = run.rows_per_second
    return out


def bench_size(spec: Mapping[str, Any]) -> Dict[str, Any]:
    """Everything for one size (runs in its own process): corpus, session, stages, baselines."""
    size, seed, formats = int(spec["size"]), int(spec["seed"]), list(spec["formats"])
    work_dir = Path(spec["work_dir"])
    cores = int(spec["cores"])
    result: Dict[str, Any] = {"records": size, "status": "running", "stages": {}, "baselines": {}}
    phase = "corpus"
    spark = sampler = None
    try:
        _say(size, "preparing the corpus")
        profile = spec.get("profile", DEFAULT_PROFILE)
        corpus = prepare_corpus(
            corpus_dir(work_dir, size, seed, formats, profile), size, seed, formats, spec["regenerate"], profile
        )
        result["corpus"] = {
            "action": corpus["action"],
            "seconds": corpus["seconds"],
            "path": corpus["path"],
            **_corpus_digest(corpus["summary"]),
        }
        _say(size, f"corpus {corpus['action']} ({corpus['seconds']:.1f} s) at {corpus['path']}")
        phase = "corpus statistics"
        from bench.corpus_stats import corpus_bodies, corpus_stats

        stats = corpus_stats(corpus_bodies(Path(corpus["path"]), CORPUS_STATS_SAMPLE))
        stats["source"] = f"the first {CORPUS_STATS_SAMPLE:,} JSON Lines bodies of the corpus"
        result["corpus"]["stats"] = stats

        from bench import baselines
        from bench.memory import (
            MemorySampler,
            find_jvm_pid,
            jvm_heap_probe,
            process_tree_probe,
            to_mib,
            tree_cpu_seconds,
        )
        from newslake.config import load_settings
        from newslake.runner import run_stage
        from newslake.spark import build_spark
        from newslake.stages import STAGES
        from newslake.timing import PhaseTimer

        lakehouse = work_dir / f"lakehouse-{size}"
        if lakehouse.exists():
            shutil.rmtree(lakehouse)
        overrides: Dict[str, Any] = {
            "spark.master": spec["master"],
            "spark.app_name": f"newslake-bench-{size}",
            "spark.extra": {"spark.ui.showConsoleProgress": "false"},
            "paths.lakehouse": str(lakehouse),
            "paths.input": corpus["path"],
            "enrich.sentiment_model": "sentiment_fast",
        }
        overrides.update(spec.get("overrides") or {})
        settings = load_settings(spec["conf"], overrides)
        result["settings"] = {
            "master": settings.spark.master,
            "shuffle_partitions": settings.spark.shuffle_partitions,
            "driver_memory": settings.spark.driver_memory,
            "sentiment_model": settings.enrich.sentiment_model,
            "lakehouse": str(lakehouse),
        }

        phase = "session"
        # Spark's Python workers run $PYSPARK_PYTHON, else "python3" from PATH (pyspark 3.5 ignores
        # spark.pyspark.python here): make them this interpreter, which can import newslake.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        result["load_average_before"] = load_average()
        started = time.perf_counter()
        spark = build_spark(settings.spark, app_name=settings.spark.app_name)
        result["settings"]["pyspark_python"] = spark.sparkContext.pythonExec
        result["session_start_s"] = round(time.perf_counter() - started, 2)
        result["java_version"] = spark.sparkContext._jvm.java.lang.System.getProperty("java.version")
        jvm_pid = find_jvm_pid(spark)
        me = os.getpid()
        sampler = MemorySampler(process_tree_probe(me, jvm_pid), interval=float(spec["sample_interval"])).start()
        heap_probe = jvm_heap_probe(spark)
        sampler.add_probe(heap_probe)
        _say(size, f"Spark session on {settings.spark.master} in {result['session_start_s']:.1f} s (JVM pid {jvm_pid})")

        timer = PhaseTimer(cpu_clock=lambda: tree_cpu_seconds(me))

        def timed(section: str, name: str, work):
            """Run ``work()`` as a phase (its wall and CPU seconds from ``timer``, its memory peaks
            from the sampler); a failure is recorded under ``result[section][name]``."""
            try:
                with sampler.phase(name) as peaks, timer.phase(name):
                    value = work()
            except Exception as exc:
                result[section][name] = {
                    "error": f"{type(exc).__name__}: {exc}"[:1000],
                    "wall_s": round(timer.seconds.get(name, 0.0), 3),
                }
                raise
            return Measured(timer.seconds[name], timer.cpu_seconds[name], to_mib(peaks)), value

        def run_pipeline():
            nonlocal phase
            for stage in STAGES:
                phase = stage
                p, run = timed("stages", stage, lambda stage=stage: run_stage(spark, settings, stage))
                stage_runs[stage] = (p, run)
                # provisional figures (kept if a later stage fails); final ones use the tables
                n = run.counts.get("records_read") if stage == "ingest" else run.counts.get("rows_in")
                result["stages"][stage] = phase_figures(
                    p.wall_s, n, None, p.cpu_s, cores, p.memory, **_run_figures(run)
                )
                _say(size, f"{stage}: {p.wall_s:.1f} s {run.figures()}")

        stage_runs: Dict[str, Any] = {}
        whole, _ = timed("stages", "pipeline", run_pipeline)
        tables = _table_counts(spark, settings)
        result["counts"] = tables
        articles, sentences = tables["silver/articles"], tables["silver/sentences"]
        result["corpus"]["silver_figures"] = _silver_figures(spark, settings, tables)
        ingest_p, ingest_run = stage_runs["ingest"]
        result["stages"]["ingest"] = phase_figures(
            ingest_p.wall_s,
            ingest_run.counts.get("records_read", size),
            None,
            ingest_p.cpu_s,
            cores,
            ingest_p.memory,
            bronze_articles=tables["bronze/articles"],
            **_run_figures(ingest_run),
        )
        for stage in list(STAGES)[1:]:  # every stage after ingest works on the articles in silver
            p, run = stage_runs[stage]
            result["stages"][stage] = phase_figures(
                p.wall_s, articles, sentences, p.cpu_s, cores, p.memory, **_run_figures(run)
            )
        result["stages"]["pipeline"] = phase_figures(
            whole.wall_s, articles, sentences, whole.cpu_s, cores, whole.memory, input_records=size
        )

        if spec["accurate"]:
            phase = "enrich_accurate"
            name = spec["accurate_model"]
            model = Path(settings.model_path(name))
            if not model.is_dir():
                result["stages"]["enrich_accurate"] = {"skipped": f"model not built: {model}"}
            else:
                accurate = load_settings(spec["conf"], {**overrides, "enrich.sentiment_model": name})
                p, run = timed(
                    "stages", "enrich_accurate", lambda: run_stage(spark, accurate, "enrich", full_refresh=True)
                )
                n = _table_counts(spark, accurate)
                result["stages"]["enrich_accurate"] = phase_figures(
                    p.wall_s,
                    n["silver/articles"],
                    n["silver/sentences"],
                    p.cpu_s,
                    cores,
                    p.memory,
                    **_run_figures(run),
                    model=name,
                    note="full refresh of silver (overwrite) after the fast run",
                )
                _say(size, f"enrich (accurate): {p.wall_s:.1f} s")

        if not spec["skip_baselines"]:
            from newslake.catalogue import BRONZE_ARTICLES

            bronze_path = BRONZE_ARTICLES.path(settings.lakehouse_root())
            out = lakehouse / "_bench"
            phase = "io_floor"
            p, floor_articles = timed(
                "baselines",
                "io_floor",
                lambda: baselines.run_io_floor(
                    spark,
                    bronze_path,
                    str(out / "io_floor"),
                    settings.enrich.languages,
                    settings.enrich.widget_pattern,
                    settings.enrich.chrome_line_patterns,
                ),
            )
            floor_sentences = spark.read.format("delta").load(str(out / "io_floor" / "sentences")).count()
            result["baselines"]["io_floor"] = phase_figures(
                p.wall_s, floor_articles, floor_sentences, p.cpu_s, cores, p.memory
            )
            _say(size, f"I/O floor: {p.wall_s:.1f} s")
            phase = "naive_udf_vader"
            p, _ = timed(
                "baselines",
                "naive_udf_vader",
                lambda: baselines.run_naive_udf(spark, bronze_path, str(out / "naive_udf_vader")),
            )
            naive_articles = baselines.articles_in_weekly(spark, str(out / "naive_udf_vader"))
            result["baselines"]["naive_udf_vader"] = phase_figures(
                p.wall_s, naive_articles, None, p.cpu_s, cores, p.memory
            )
            _say(size, f"naive UDF + VADER: {p.wall_s:.1f} s")

        sampler.remove_probe(heap_probe)
        phase = "session stop"
        spark.stop()
        spark = None

        if not spec["skip_baselines"]:
            phase = "pandas_vader"
            figures_path = out / "pandas_vader.json"
            command = [
                sys.executable,
                "-m",
                "bench.baselines",
                "pandas",
                "--bronze",
                bronze_path,
                "--out",
                str(out / "pandas_vader"),
                "--json",
                str(figures_path),
            ]
            p, _ = timed("baselines", "pandas_vader", lambda: subprocess.run(command, cwd=str(ROOT), check=True))
            figures = json.loads(figures_path.read_text(encoding="utf-8"))
            memory = dict(p.memory)
            memory["process_peak_rss_mib"] = round(figures["peak_rss_bytes"] / (1 << 20), 1)
            result["baselines"]["pandas_vader"] = phase_figures(
                figures["wall_s"],
                figures["articles"],
                None,
                p.cpu_s,
                1,
                memory,
                process_wall_s=round(p.wall_s, 3),
                steps_s={k: round(figures[k], 3) for k in ("read_s", "score_s", "group_write_s")},
                note="one Python process (one core); wall_s is the script's own work, process_wall_s adds "
                "interpreter start and imports",
            )
            _say(size, f"pandas + VADER: {figures['wall_s']:.1f} s")

            phase = "spacy_vader"
            missing = baselines.spacy_missing()
            if missing:
                result["baselines"]["spacy_vader"] = {"skipped": missing}
                _say(size, f"spaCy + VADER skipped: {missing}")
            else:
                figures_path = out / "spacy_vader.json"
                command = [
                    sys.executable,
                    "-m",
                    "bench.baselines",
                    "spacy",
                    "--bronze",
                    bronze_path,
                    "--out",
                    str(out / "spacy_vader"),
                    "--json",
                    str(figures_path),
                    "--n-process",
                    str(cores),
                ]
                p, _ = timed("baselines", "spacy_vader", lambda: subprocess.run(command, cwd=str(ROOT), check=True))
                figures = json.loads(figures_path.read_text(encoding="utf-8"))
                memory = dict(p.memory)
                memory["process_peak_rss_mib"] = round(figures["peak_rss_bytes"] / (1 << 20), 1)
                memory["workers_peak_rss_mib"] = round(figures["workers_peak_rss_bytes"] / (1 << 20), 1)
                result["baselines"]["spacy_vader"] = phase_figures(
                    figures["wall_s"],
                    figures["articles"],
                    figures["sentences"],
                    p.cpu_s,
                    cores,
                    memory,
                    process_wall_s=round(p.wall_s, 3),
                    org_sentence_rows=figures["org_sentence_rows"],
                    model=figures["model"],
                    pipes=figures["pipes"],
                    n_process=figures["n_process"],
                    steps_s={k: round(figures[k], 3) for k in ("read_load_s", "parse_score_s", "group_write_s")},
                    note="spaCy small English (senter + NER) in nlp.pipe(n_process) worker processes, VADER on "
                    "each sentence naming an ORG; wall_s is the script's own work (model load included), "
                    "process_wall_s adds interpreter start and imports; sentences are spaCy's",
                )
                _say(size, f"spaCy + VADER: {figures['wall_s']:.1f} s")
        result["load_average_after"] = load_average()
        result["status"] = "ok"
    except Exception as exc:  # record what failed where; the parent reports it and goes on
        result.update(status="failed", failed_phase=phase, error=f"{type(exc).__name__}: {exc}"[:2000])
        _say(size, f"FAILED in {phase}: {type(exc).__name__}: {exc}")
    finally:
        if sampler is not None:
            sampler.stop()
            result["memory_readings"] = sampler.readings
        if spark is not None:
            spark.stop()
    return result


def size_main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description="One size of the benchmark (started by python -m bench)."
    )
    parser.add_argument("--spec", required=True, help="JSON object with the size's options")
    parser.add_argument("--out", required=True, help="where to write the size's figures (JSON)")
    args = parser.parse_args(argv)
    result = bench_size(json.loads(args.spec))
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["status"] == "ok" else 1


# --- the parent: every size, the document, the report ----------------------------------------


def parse_sizes(text: str) -> List[int]:
    """``"10000,40000,160k"`` -> ``[10000, 40000, 160000]`` (sorted, distinct, positive)."""
    sizes = set()
    for item in text.split(","):
        item = item.strip().lower().replace("_", "")
        if not item:
            continue
        factor = 1000 if item.endswith("k") else 1_000_000 if item.endswith("m") else 1
        number = int(float(item.rstrip("km")) * factor)
        if number < 1:
            raise ValueError(f"sizes must be positive, got {item!r}")
        sizes.add(number)
    if not sizes:
        raise ValueError("no sizes given")
    return sorted(sizes)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    from bench.generate import FORMATS

    p = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument(
        "--sizes",
        default="5000,10000,40000,160000",
        help="comma-separated corpus sizes (records); 5,000 is the daily-sized run of issue #17",
    )
    p.add_argument("--json", required=True, help="write the results document here")
    p.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="corpora (kept and reused when seed, size, formats and profile match) and lakehouses",
    )
    p.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=DEFAULT_PROFILE,
        help="generator profile: 'calibrated' (fitted to Reuters-21578) or 'legacy' (before issue #17)",
    )
    p.add_argument(
        "--reuters",
        type=Path,
        default=None,
        help="Reuters-21578 folder for the corpus statistics (default: ../shared/data/reuters21578)",
    )
    p.add_argument("--seed", type=int, default=42, help="corpus seed, the same for every size")
    p.add_argument("--formats", default=",".join(FORMATS), help="corpus formats, a subset of jsonl,html,warc")
    p.add_argument("--skip-baselines", action="store_true", help="time the pipeline only")
    p.add_argument(
        "--accurate",
        action="store_true",
        help="also time enrich with the accurate model (skipped when it is not built)",
    )
    p.add_argument("--accurate-model", default="sentiment_accurate", help="model folder name under paths.models")
    p.add_argument("--conf", default=str(ROOT / "conf" / "local.yaml"), help="newslake profile")
    p.add_argument("--master", default="local[2]", help="Spark master (the issue's figures are on local[2])")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra newslake conf override, repeatable (e.g. spark.shuffle_partitions=2)",
    )
    p.add_argument("--sample-interval", type=float, default=0.5, help="memory sampling period, seconds")
    p.add_argument("--regenerate", action="store_true", help="generate corpora even when a matching one exists")
    args = p.parse_args(argv)
    try:
        args.sizes = parse_sizes(args.sizes)
    except ValueError as exc:
        p.error(f"--sizes: {exc}")
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not formats or set(formats) - set(FORMATS):
        p.error(f"--formats: choose from {','.join(FORMATS)} (got {args.formats!r})")
    args.formats = [f for f in FORMATS if f in formats]
    if args.sample_interval <= 0:
        p.error("--sample-interval must be positive")
    return args


def cores_of(master: str) -> int:
    """Cores a master uses: ``local[N]`` or ``local[N,retries]`` -> N, ``local[*]`` and
    anything not local -> this machine's cores, ``local`` -> 1."""
    if not master.startswith("local"):
        return os.cpu_count() or 1
    if "[" not in master:
        return 1
    inner = master[master.index("[") + 1 : master.rindex("]")].split(",")[0].strip()
    return (os.cpu_count() or 1) if inner == "*" else int(inner)


def main(argv: Optional[Sequence[str]] = None) -> int:
    from newslake.config import parse_set_option

    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    overrides = dict(parse_set_option(item) for item in args.set)
    options = {
        "sizes": args.sizes,
        "seed": args.seed,
        "formats": args.formats,
        "master": args.master,
        "cores": cores_of(args.master),
        "conf": args.conf,
        "overrides": overrides,
        "skip_baselines": args.skip_baselines,
        "accurate": args.accurate,
        "accurate_model": args.accurate_model,
        "sample_interval_s": args.sample_interval,
        "work_dir": str(work_dir),
        "profile": args.profile,
    }
    machine, vers = machine_info(), versions()
    from bench.corpus_stats import DEFAULT_REUTERS, reuters_stats

    real = reuters_stats(args.reuters or DEFAULT_REUTERS)  # None: the report uses the recorded figures
    date = datetime.now(timezone.utc).isoformat(timespec="seconds")
    out_path = Path(args.json)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    results: List[Dict[str, Any]] = []
    for size in args.sizes:
        spec = {
            "size": size,
            "seed": args.seed,
            "formats": args.formats,
            "work_dir": str(work_dir),
            "master": args.master,
            "cores": options["cores"],
            "conf": args.conf,
            "overrides": overrides,
            "skip_baselines": args.skip_baselines,
            "accurate": args.accurate,
            "accurate_model": args.accurate_model,
            "sample_interval": args.sample_interval,
            "regenerate": args.regenerate,
            "profile": args.profile,
        }
        part = work_dir / f"result-{size}.json"
        if part.exists():
            part.unlink()
        command = [sys.executable, "-m", "bench.run", "--spec", json.dumps(spec), "--out", str(part)]
        started = time.perf_counter()
        proc = subprocess.run(command, cwd=str(ROOT))
        if part.is_file():
            result = json.loads(part.read_text(encoding="utf-8"))
        else:
            result = {
                "records": size,
                "status": "failed",
                "failed_phase": "process",
                "error": f"the size's process exited with code {proc.returncode} and wrote no results",
            }
        result["process_wall_s"] = round(time.perf_counter() - started, 2)
        results.append(result)
        # Written after every size, so a long run that dies late keeps what it measured.
        doc = build_document(results, argv, options, machine, vers, date, real)
        out_path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    doc["machine"]["load_average_at_end"] = load_average()
    out_path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    print(format_report(doc))
    print(f"\nresults written to {out_path}")
    return 0 if doc["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(size_main())
