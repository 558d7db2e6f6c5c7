"""The benchmark runner's pure parts (bench/run.py, bench/memory.py, bench/baselines.py): the
memory sampler, the rate/cost/ratio arithmetic, the JSON document and the report, on fake
results. No benchmark runs here; only the I/O floor's regex sentence split uses Spark."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ lives at the repo root, next to lib/
    sys.path.insert(0, str(ROOT))

from bench import memory as M  # noqa: E402
from bench import run as R  # noqa: E402
from bench.baselines import regex_sentences, with_regex_sentence_count  # noqa: E402

# --- memory ----------------------------------------------------------------------------------


def test_peak_tracker_keeps_maxima_per_open_phase():
    t = M.PeakTracker()
    t.update({"jvm_rss": 999.0})  # no phase open: nobody records it
    t.begin("pipeline")
    t.update({"jvm_rss": 10.0, "python_workers_rss": 5.0})
    t.begin("enrich")
    t.update({"jvm_rss": 30.0, "python_workers_rss": 1.0, "jvm_heap_used": None})
    enrich = t.end("enrich")
    t.update({"jvm_rss": 20.0, "python_workers_rss": 7.0})
    pipeline = t.end("pipeline")
    assert enrich == {"jvm_rss": 30.0, "python_workers_rss": 1.0}
    assert pipeline == {"jvm_rss": 30.0, "python_workers_rss": 7.0}
    assert t.sample_counts == {"enrich": 1, "pipeline": 3}
    assert t.open_phases() == []
    with pytest.raises(ValueError):
        t.end("enrich")
    t.begin("x")
    with pytest.raises(ValueError):
        t.begin("x")


def test_sampler_samples_in_the_background_and_at_phase_edges():
    readings = iter(range(1, 10_000))
    lock = threading.Lock()

    def probe():
        with lock:
            return {"jvm_rss": float(next(readings))}

    sampler = M.MemorySampler(probe, interval=0.01)
    with sampler:
        with sampler.phase("short") as short:
            pass
        with sampler.phase("long") as long_:
            time.sleep(0.2)
    # A phase with no time to sample still has its opening and closing readings.
    assert sampler.tracker.sample_counts["short"] >= 2
    assert sampler.tracker.sample_counts["long"] > 5  # the thread sampled in between
    assert long_["jvm_rss"] > short["jvm_rss"]  # readings only grow here: later phase, higher peak
    count = sampler.readings
    time.sleep(0.05)
    assert sampler.readings == count  # stopped: no more readings


def test_failing_probe_does_not_stop_the_others():
    def broken():
        raise RuntimeError("the JVM is shutting down")

    sampler = M.MemorySampler(lambda: {"a": 1.0}, interval=1.0)
    sampler.add_probe(broken)
    sampler.add_probe(lambda: {"b": 2.0})
    assert sampler.sample() == {"a": 1.0, "b": 2.0}
    sampler.remove_probe(broken)
    assert len(sampler._probes) == 2


def test_sampler_rejects_a_nonpositive_interval():
    with pytest.raises(ValueError):
        M.MemorySampler(lambda: {}, interval=0)


def test_process_tree_probe_groups_processes_by_their_parent():
    # A child that allocates ~80 MiB, starts a Python grandchild and waits. Named as the "JVM",
    # the grandchild is one of its "Python workers"; unnamed, both are a "subprocess".
    code = (
        "import subprocess, sys, time; b = bytearray(80 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); "
        "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)']); time.sleep(0.5); "
        "print(g.pid, flush=True); time.sleep(30)"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    grandchild = None
    try:
        grandchild = int(child.stdout.readline())
        plain = M.process_tree_probe(os.getpid(), jvm_pid=None)()
        assert plain[M.SUBPROCESS] > 70 * (1 << 20)
        assert plain[M.DRIVER_PYTHON] > 0
        assert M.JVM not in plain and M.PYTHON_WORKERS not in plain
        as_jvm = M.process_tree_probe(os.getpid(), jvm_pid=child.pid)()
        assert as_jvm[M.JVM] > 70 * (1 << 20)
        assert 0 < as_jvm[M.PYTHON_WORKERS] < as_jvm[M.JVM]  # the grandchild only
        assert as_jvm[M.SUBPROCESS] < plain[M.SUBPROCESS] - 70 * (1 << 20)
        assert M.tree_cpu_seconds(os.getpid()) >= M.tree_cpu_seconds(child.pid) > 0
    finally:
        child.kill()
        child.wait()
        if grandchild:
            try:
                os.kill(grandchild, 9)
            except ProcessLookupError:
                pass


def test_to_mib_orders_and_converts():
    out = M.to_mib({M.PYTHON_WORKERS: 3 * M.MIB, M.JVM: 1536 * M.MIB, "unknown": 1.0})
    assert out == {"jvm_rss_peak_mib": 1536.0, "python_workers_rss_peak_mib": 3.0}
    assert list(out) == ["jvm_rss_peak_mib", "python_workers_rss_peak_mib"]


# --- arithmetic ------------------------------------------------------------------------------


def test_rates_costs_and_ratios():
    assert R.per_second(1000, 4.0) == 250.0
    assert R.per_second(1000, 0.0) is None and R.per_second(None, 1.0) is None
    assert R.cost_per_1k(30.0, 10_000) == 3.0
    assert R.cost_per_1k(30.0, 0) is None
    assert R.ratio(6.0, 3.0) == 2.0 and R.ratio(1.0, 0) is None and R.ratio(None, 1.0) is None
    f = R.phase_figures(
        20.0, 1000, 30_000, cpu_s=30.0, cores=2, memory={"jvm_rss_peak_mib": 900.0}, run_counts={"rows_in": 1000}
    )
    assert f["articles_per_s"] == 50.0
    assert f["sentences_per_s"] == 1500.0
    assert f["cost_per_1k_articles_s"] == 20.0
    assert f["cpu_utilisation"] == 0.75
    assert f["memory_mib"] == {"jvm_rss_peak_mib": 900.0}
    assert f["run_counts"] == {"rows_in": 1000}


@pytest.mark.parametrize(
    "text, sizes",
    [
        ("10000,40000,160000", [10000, 40000, 160000]),
        ("160k, 10k,40_000,10k", [10000, 40000, 160000]),
        ("1m", [1_000_000]),
    ],
)
def test_parse_sizes(text, sizes):
    assert R.parse_sizes(text) == sizes


@pytest.mark.parametrize("text", ["", "0", "-5", "ten"])
def test_parse_sizes_rejects_nonsense(text):
    with pytest.raises(ValueError):
        R.parse_sizes(text)


def test_cores_of_master():
    assert R.cores_of("local[2]") == 2
    assert R.cores_of("local[3,2]") == 3
    assert R.cores_of("local") == 1
    assert R.cores_of("local[*]") == (os.cpu_count() or 1)


def test_parse_args_defaults_and_formats():
    args = R.parse_args(["--sizes", "400,200", "--json", "x.json", "--formats", "warc,jsonl"])
    assert args.sizes == [200, 400]
    assert args.formats == ["jsonl", "warc"]  # the generator's order
    assert args.master == "local[2]" and args.seed == 42 and not args.skip_baselines
    with pytest.raises(SystemExit):
        R.parse_args(["--json", "x.json", "--formats", "pdf"])


# --- a fake run ------------------------------------------------------------------------------


def _fake_size(records: int, scale: float, driver_mib: float = 300.0) -> dict:
    """A size result like bench_size writes: pipeline cost grows with ``scale``."""
    articles = int(records * 0.98)
    sentences = articles * 30

    def fig(wall, n=articles, s=None, jvm=1000.0):
        return R.phase_figures(
            wall,
            n,
            s,
            cpu_s=wall * 1.5,
            cores=2,
            memory={
                "jvm_rss_peak_mib": jvm,
                "jvm_heap_used_peak_mib": jvm / 2,
                "python_workers_rss_peak_mib": 200.0,
                "driver_python_rss_peak_mib": driver_mib,
            },
        )

    k = records / 1000.0
    enrich, ingest, stories, aggregate = 10.0 * k * scale, 4.0 * k * scale, 1.0 * k * scale, 2.0 * k * scale
    stats = {
        "articles": 3000,
        "sentences_per_article": {"median": 5, "mean": 6.4, "p10": 2, "p90": 13},
        "words_per_article": {"median": 88.0},
        "words_per_sentence": {"mean": 17.4},
        "company_mentions_per_sentence": 0.26,
        "company_mentions_per_article": 1.67,
        "share_of_sentences_with_company": 0.25,
    }
    silver = {
        "ruler": "the project's",
        "sentences_per_article": 6.78,
        "company_rows_per_sentence": 0.583,
        "share_of_sentences_with_company": 0.5667,
        "link_methods": {"alias": 5605},
    }
    return {
        "records": records,
        "status": "ok",
        "corpus": {
            "action": "generated",
            "seconds": 1.0,
            "profile": "calibrated",
            "stats": stats,
            "silver_figures": silver,
        },
        "counts": {"silver/articles": articles, "silver/sentences": sentences, "bronze/quarantine": records - articles},
        "session_start_s": 8.0,
        "load_average_before": [1.0, 1.0, 1.0],
        "load_average_after": [1.0, 1.0, 1.0],
        "stages": {
            "ingest": fig(ingest, records),
            "enrich": fig(enrich, s=sentences),
            "stories": fig(stories),
            "aggregate": fig(aggregate),
            "pipeline": fig(ingest + enrich + stories + aggregate, s=sentences),
        },
        "baselines": {
            "io_floor": fig(enrich / 4, s=sentences),
            "naive_udf_vader": fig(enrich * 2),
            "pandas_vader": fig(enrich * 3),
            "spacy_vader": fig(enrich * 12, s=sentences),
        },
    }


def _doc(results, argv=("--sizes", "1000,4000", "--json", "out.json")):
    options = {
        "sizes": [r["records"] for r in results],
        "seed": 42,
        "master": "local[2]",
        "cores": 2,
        "sample_interval_s": 0.5,
        "profile": "calibrated",
    }
    machine = {"logical_cores": 2, "cpu_model": "Fake CPU", "memory_gib": 16.0, "load_average_at_start": [0.5]}
    versions = {
        "python": "3.11.0",
        "pyspark": "3.5.7",
        "spark-nlp": "5.5.3",
        "delta-spark": "3.3.2",
        "newslake": "0.1.0",
    }
    return R.build_document(results, list(argv), options, machine, versions, "2025-01-01T00:00:00+00:00")


def test_size_ratios_compare_each_baseline_with_enrich():
    r = _fake_size(1000, 1.0)
    ratios = R.size_ratios(r)
    assert ratios["io_floor"]["ratio_to_enrich"] == pytest.approx(4.0)
    assert ratios["nlp_overhead"] == pytest.approx(4.0)
    assert ratios["naive_udf_vader"]["ratio_to_enrich"] == pytest.approx(0.5)
    assert ratios["enrich_vs_naive_udf"] == pytest.approx(2.0)
    assert ratios["enrich_vs_pandas"] == pytest.approx(3.0)
    assert ratios["enrich_vs_spacy"] == pytest.approx(12.0, rel=1e-3)
    # the pipeline is 17 s per 1,000 articles at this scale, enrich 10: floor is 6.8x the pipeline
    assert ratios["io_floor"]["ratio_to_pipeline"] == pytest.approx(6.8, rel=1e-3)


def test_size_ratios_without_baselines_are_none():
    r = _fake_size(1000, 1.0)
    r["baselines"] = {}
    ratios = R.size_ratios(r)
    assert (
        ratios["nlp_overhead"] is None and ratios["enrich_vs_naive_udf"] is None and ratios["enrich_vs_spacy"] is None
    )
    assert "io_floor" not in ratios


def test_scaling_shows_worse_than_linear_growth():
    results = [_fake_size(4000, 1.5, driver_mib=330.0), _fake_size(1000, 1.0)]  # any order
    s = R.scaling(results)
    assert s["sizes"] == [1000, 4000]
    assert s["cost_ratio_largest_to_smallest"]["pipeline"] == pytest.approx(1.5)
    assert s["cost_ratio_largest_to_smallest"]["io_floor"] == pytest.approx(1.5)
    assert set(s["cost_per_1k_articles_s"]["enrich"]) == {"1000", "4000"}
    assert s["memory_ratio_largest_to_smallest"]["pipeline"]["driver_python_rss_peak_mib"] == pytest.approx(1.1)


def test_targets_are_judged_against_the_issue_limits():
    doc = _doc([_fake_size(1000, 1.0), _fake_size(4000, 1.5)])
    t = doc["targets"]
    assert t["enrich_vs_naive_udf"]["met"] is True and t["enrich_vs_naive_udf"]["value"] == pytest.approx(2.0)
    assert t["enrich_vs_spacy"]["met"] is True and t["enrich_vs_spacy"]["value"] == pytest.approx(12.0, rel=1e-3)
    assert "nlp_overhead" not in t  # reported in the ratios, no longer a target (issue #17)
    assert t["linearity"]["met"] is False and t["linearity"]["value"] == pytest.approx(1.5)
    assert t["driver_memory_flat"]["met"] is True
    assert t["pipeline_160k_under_10_min"]["met"] is None  # no 160k size in this run
    assert t["daily_run_under_60_s"]["met"] is None  # no 5,000-record size either


def test_linearity_is_judged_from_10k_and_the_daily_run_at_5k():
    daily, ten, big = _fake_size(5000, 3.0), _fake_size(10_000, 1.0), _fake_size(160_000, 1.1)
    t = _doc([daily, ten, big])["targets"]
    assert t["linearity"]["value"] == pytest.approx(1.1)  # 160k over 10k, not over the smaller 5k
    assert "10000 records" in t["linearity"]["note"]
    assert t["daily_run_under_60_s"]["value"] == pytest.approx(daily["stages"]["pipeline"]["wall_s"])
    assert t["daily_run_under_60_s"]["met"] is False  # 5 x 17 x 3 = 255 s
    daily["stages"]["pipeline"]["wall_s"] = 59.0
    assert _doc([daily, ten, big])["targets"]["daily_run_under_60_s"]["met"] is True


def test_single_size_cannot_judge_linearity():
    doc = _doc([_fake_size(1000, 1.0)])
    assert doc["targets"]["linearity"]["met"] is None
    assert doc["scaling"]["cost_ratio_largest_to_smallest"]["pipeline"] is None


def test_pipeline_target_uses_the_160k_size():
    big = _fake_size(160_000, 1.0)
    big["stages"]["pipeline"]["wall_s"] = 590.0
    assert _doc([_fake_size(10_000, 1.0), big])["targets"]["pipeline_160k_under_10_min"]["met"] is True
    big["stages"]["pipeline"]["wall_s"] = 610.0
    assert _doc([_fake_size(10_000, 1.0), big])["targets"]["pipeline_160k_under_10_min"]["met"] is False


def test_document_keys_and_json_round_trip():
    failed = {"records": 16000, "status": "failed", "failed_phase": "enrich", "error": "RuntimeError: boom"}
    doc = _doc([_fake_size(4000, 1.0), failed, _fake_size(1000, 1.0)])
    assert set(doc) >= {
        "schema_version",
        "date",
        "command",
        "options",
        "machine",
        "versions",
        "notes",
        "sizes",
        "corpus_statistics",
        "scaling",
        "targets",
        "status",
    }
    assert doc["command"] == "python -m bench --sizes 1000,4000 --json out.json"
    assert [r["records"] for r in doc["sizes"]] == [1000, 4000, 16000]
    assert doc["status"] == "failed"
    assert doc["scaling"]["sizes"] == [1000, 4000]  # the failed size is left out of scaling
    assert any("ONE JVM" in note for note in doc["notes"])
    ok = doc["sizes"][0]
    assert set(ok["stages"]) == {"ingest", "enrich", "stories", "aggregate", "pipeline"}
    assert set(ok["baselines"]) == {"io_floor", "naive_udf_vader", "pandas_vader", "spacy_vader"}
    assert set(ok["stages"]["enrich"]) >= {
        "wall_s",
        "articles_per_s",
        "sentences_per_s",
        "cost_per_1k_articles_s",
        "memory_mib",
        "cpu_s",
    }
    assert set(ok["ratios"]) >= {
        "io_floor",
        "naive_udf_vader",
        "pandas_vader",
        "spacy_vader",
        "nlp_overhead",
        "enrich_vs_naive_udf",
        "enrich_vs_spacy",
    }
    stats = doc["corpus_statistics"]
    assert set(stats["sizes"]) == {"1000", "4000"}  # the failed size has no corpus statistics
    assert "recorded figures" in stats["reuters-21578"]["source"]  # _doc passes no Reuters figures
    # the fake corpus is on target except for words/sentence (17.4 against 20.43 is within 20%)
    assert stats["off_target"]["1000"] == {}
    assert "ratios" not in doc["sizes"][2]
    assert json.loads(json.dumps(doc)) == doc


def test_report_prints_every_phase_ratio_and_target():
    doc = _doc([_fake_size(1000, 1.0), _fake_size(4000, 1.2)])
    doc["sizes"][1]["stages"]["enrich_accurate"] = {"skipped": "model not built: models/sentiment_accurate"}
    text = R.format_report(doc)
    for label in (
        "ingest",
        "enrich (fast model)",
        "stories",
        "aggregate",
        "pipeline (all stages)",
        "I/O floor",
        "naive UDF + VADER",
        "pandas + VADER",
        "spaCy sm + VADER (ORG)",
        "enrich vs spaCy + VADER: 12.00x",
        "NLP overhead",
        "scaling",
        "targets (issue #17)",
        "1.20x",
        "skipped: model not built",
        "Fake CPU",
        "python -m bench --sizes",
        "corpus statistics",
        "reuters-21578",
        "4,000 records",
        "sentences/article, median",
        "4,000 records through the project's own splitter and linker: 6.78 sentences/article, "
        "0.583 (sentence, company) rows/sentence, 0.5667 of sentences with a company",
    ):
        assert label in text, label
    assert "not measured" in text  # no 160k size, no 5,000-record size
    assert "NOT met" in R.format_report(_doc([_fake_size(1000, 1.0), _fake_size(4000, 1.5)]))  # linearity


def test_a_corpus_is_reused_only_for_the_same_profile(tmp_path):
    out = R.corpus_dir(tmp_path, 60, 5, ["jsonl"], "legacy")
    assert out.name == "corpus-60-legacy-seed5-jsonl"
    first = R.prepare_corpus(out, 60, 5, ["jsonl"], regenerate=False, profile="legacy")
    assert first["action"] == "generated" and first["summary"]["profile"] == "legacy"
    assert R.prepare_corpus(out, 60, 5, ["jsonl"], regenerate=False, profile="legacy")["action"] == "reused"
    other = R.prepare_corpus(out, 60, 5, ["jsonl"], regenerate=False, profile="calibrated")
    assert other["action"] == "generated" and other["summary"]["profile"] == "calibrated"
    # a summary written before profiles existed is a legacy corpus
    summary = json.loads((out / "_truth" / "summary.json").read_text())
    summary.pop("profile")
    (out / "_truth" / "summary.json").write_text(json.dumps(summary))
    assert R.prepare_corpus(out, 60, 5, ["jsonl"], regenerate=False, profile="legacy")["action"] == "reused"


def test_spacy_peer_says_what_is_missing():
    from bench import baselines

    assert "no_such_spacy_model is not installed" in baselines.spacy_missing("no_such_spacy_model")
    assert "pip install -e '.[bench]'" in baselines.spacy_missing("no_such_spacy_model")


def test_spacy_peer_scores_each_sentence_naming_an_org_once():
    from bench import baselines

    missing = baselines.spacy_missing()
    if missing:
        pytest.skip(f"the bench extra is not installed ({missing})")
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    nlp = baselines.load_spacy()
    assert "senter" in nlp.pipe_names and "ner" in nlp.pipe_names and "parser" not in nlp.pipe_names
    texts = [
        ("Apple Inc. reported strong growth and Microsoft Corp. gained. The weather was nice.", "a1"),
        ("Rain fell all day.", "a2"),
    ]
    rows, sentences = baselines.org_sentence_scores(nlp.pipe(texts, as_tuples=True), SentimentIntensityAnalyzer())
    assert sentences == 3
    orgs = {org for article, org, _ in rows}
    assert {article for article, _, _ in rows} == {"a1"} and len(rows) == len(orgs) >= 1
    assert all(score > 0 for _, _, score in rows)  # one positive sentence, one score per ORG in it


def test_report_says_why_the_spacy_peer_was_skipped():
    r = _fake_size(1000, 1.0)
    r["baselines"]["spacy_vader"] = {"skipped": "spacy is not installed: pip install -e '.[bench]'"}
    doc = _doc([r])
    assert "enrich_vs_spacy" in doc["sizes"][0]["ratios"] and doc["sizes"][0]["ratios"]["enrich_vs_spacy"] is None
    assert doc["targets"]["enrich_vs_spacy"]["met"] is None
    assert "skipped: spacy is not installed: pip install -e '.[bench]'" in R.format_report(doc)


def test_report_shows_a_failed_size():
    text = R.format_report(
        _doc([{"records": 200, "status": "failed", "failed_phase": "ingest", "error": "FileNotFoundError: x"}])
    )
    assert "200 records: FAILED in ingest: FileNotFoundError: x" in text


# --- the I/O floor's identity "NLP" ----------------------------------------------------------


def test_regex_sentences_split_like_a_sentence_table(spark):
    text = "Tesla rose 5%. Analysts cheered!\n\nVW fell? Yes.  \n\n  "
    df = spark.createDataFrame(
        [("a1", text, 2024, 3, "2024-01-15", "2024-01-16 10:00:00")],
        "article_id string, clean_text string, iso_year int, iso_week int, week_start string, published_at string",
    )
    rows = regex_sentences(df).orderBy("sentence_index").collect()
    assert [r.sentence_text for r in rows] == ["Tesla rose 5%.", "Analysts cheered!", "VW fell?", "Yes."]
    assert [r.sentence_index for r in rows] == [0, 1, 2, 3]
    assert with_regex_sentence_count(df).first().sentences == 4


def test_silver_figures_count_sentences_that_name_a_company(spark, tmp_path):
    from newslake import catalogue
    from newslake.config import load_settings

    settings = load_settings(str(ROOT / "conf" / "local.yaml"), {"paths.lakehouse": str(tmp_path)})
    mentions = spark.createDataFrame(
        [("a1", 0, "alias"), ("a1", 0, "coreference"), ("a1", 2, "alias"), ("a2", 0, "ticker")],
        "article_id string, sentence_index int, link_method string",
    )
    mentions.write.format("delta").save(catalogue.SILVER_MENTIONS.path(settings.lakehouse_root()))
    tables = {"silver/articles": 2, "silver/sentences": 8, "silver/mentions": 4}
    figures = R._silver_figures(spark, settings, tables)
    assert figures["sentences_per_article"] == 4.0
    assert figures["company_rows_per_sentence"] == 0.5
    assert figures["share_of_sentences_with_company"] == 0.375  # three distinct sentences of eight
    assert figures["link_methods"] == {"alias": 2, "coreference": 1, "ticker": 1}
    assert R._silver_figures(spark, settings, {"silver/articles": 0})["link_methods"] == {}


def test_report_of_a_size_that_failed_midway_keeps_what_it_measured():
    r = _fake_size(1000, 1.0)
    r.update(
        status="failed",
        failed_phase="enrich",
        error="PythonException: \n  An exception was thrown from the Python worker.\nTraceback ...\n"
        "ModuleNotFoundError: No module named 'newslake'",
    )
    r["stages"] = {"ingest": r["stages"]["ingest"], "enrich": {"error": "AnalysisException: boom", "wall_s": 3.0}}
    r["baselines"] = {}
    text = R.format_report(_doc([r]))
    assert (
        "1,000 records: FAILED in enrich: PythonException: ... ModuleNotFoundError: No module named 'newslake'" in text
    )
    assert "FAILED: AnalysisException: boom" in text
    assert any(line.strip().startswith("ingest") for line in text.splitlines())


def test_components_floor_sums_the_library_steps_only():
    from bench.components import format_report, summarize

    steps = [
        {"step": "sentence pre-pass (Spark SQL regexes)", "wall_s": 4.0},
        {"step": "Spark NLP Tokenizer", "wall_s": 5.0},
        {"step": "Spark NLP RegexMatcher", "wall_s": 3.0},
        {"step": "sentiment model, sentence level (sentiment_fast)", "wall_s": 2.0},
    ]
    result = summarize(1000, 40000, steps, naive_s=5.0)
    assert result["spark_nlp_and_model"] == {"wall_s": 10.0, "articles_per_s": 100.0, "ratio_to_naive_udf_scoring": 0.5}
    assert [s["articles_per_s"] for s in result["steps"]] == [250.0, 200.0, 333.3, 500.0]
    report = format_report(result)
    assert "annotators + model alone run at 0.50x the naive job's articles/s" in report
    assert "Spark NLP Tokenizer" in report and "200.0" in report
