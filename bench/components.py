"""What each step of enrich's NLP costs per article, beside the naive Python-UDF VADER job, on
the same articles, the same session and the same cores.

    python -m bench.components --lakehouse DIR [--articles N] [--json OUT.json]

``DIR`` is a lakehouse with ``bronze/articles`` (the benchmark runner leaves one per size under
its work dir, e.g. ``/tmp/newslake-bench/lakehouse-10000``). The articles are read, cleaned as
enrich cleans them and cached; then each step runs on them with a no-op sink (Spark's ``noop``
format computes every column and writes nothing), twice, and the faster run counts:

- the annotation chain, step by step (each figure is the chain up to that step minus the chain
  before it): the sentence pre-pass, the cut into sentences, Spark NLP's DocumentAssembler,
  Tokenizer, the two TextMatchers and the RegexMatcher;
- the fast sentiment model on every sentence (sentence level), from cached sentences;
- the naive job's work: VADER's compound score of every article body in a Python UDF.

Linking, entity-targeted scoring, the joins that build the silver tables and the Delta writes
are not here: ``python -m bench`` times the whole stage. The point of this script is the floor
that the libraries set: if the Spark NLP annotators and the model alone process fewer articles
per second than a target asks of the whole stage, no amount of work elsewhere meets it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Callable, Dict, List, Optional, Sequence

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

LIBRARY_STEPS = ("Spark NLP", "sentiment model")
"""Steps whose cost is the libraries' (by the start of their name), not the project's code."""


def _best_of(runs: int, action: Callable[[], None]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def _sink(df: DataFrame) -> Callable[[], None]:
    return lambda: df.write.format("noop").mode("overwrite").save()


def measure(spark, settings, articles_limit: Optional[int] = None, runs: int = 2) -> Dict[str, object]:
    from pyspark.ml import Pipeline

    from bench.baselines import vader_compound_udf
    from newslake import io
    from newslake.catalogue import BRONZE_ARTICLES
    from newslake.nlp.sentences import sentence_marked_text, split_sentences
    from newslake.nlp.sentiment import load_configured_model, score_sentences
    from newslake.silver import transform as S
    from newslake.silver.annotate import annotation_pipeline, linking_resources

    enrich = settings.enrich
    bronze = io.read(spark, settings.lakehouse_root(), BRONZE_ARTICLES)
    if articles_limit:
        bronze = bronze.limit(articles_limit)
    bronze = (
        bronze.select("article_id", "body", "language")
        .repartition(settings.spark.shuffle_partitions, "article_id")
        .persist()
    )
    articles = bronze.count()
    texts = (
        bronze.transform(S.in_languages, enrich.languages)
        .transform(S.with_clean_text, enrich.widget_pattern, enrich.chrome_line_patterns)
        .select("article_id", "clean_text")
        .persist()
    )
    texts.count()

    steps: List[Dict[str, object]] = []

    def record(name: str, seconds: float, note: str = "") -> None:
        steps.append({"step": name, "wall_s": round(seconds, 3), "note": note})

    chain_before = _best_of(runs, _sink(texts))
    marked = texts.select("article_id", sentence_marked_text(F.col("clean_text"), enrich.paragraph_bounds))
    chain = _best_of(runs, _sink(marked))
    record("sentence pre-pass (Spark SQL regexes)", chain - chain_before)
    chain_before = chain
    sentences = split_sentences(texts, extra_bounds=enrich.paragraph_bounds)
    chain = _best_of(runs, _sink(sentences))
    record("cut into sentences (Python, Arrow)", chain - chain_before)
    cached_sentences = sentences.persist()
    sentence_count = cached_sentences.count()
    # Read from the cache: the annotators' and the model's figures are what they add to it.
    sentences_only = _best_of(runs, _sink(cached_sentences))
    with linking_resources(spark, settings.paths.gazetteer, enrich) as resources:
        stages = annotation_pipeline(resources, enrich).getStages()
        chain_before = sentences_only
        for k, stage in enumerate(stages, start=1):
            annotated = Pipeline(stages=stages[:k]).fit(cached_sentences).transform(cached_sentences)
            chain = _best_of(runs, _sink(annotated))
            name = type(stage).__name__
            label = {"TextMatcher": f"Spark NLP TextMatcher ({stage.getOutputCol()})"}.get(name, f"Spark NLP {name}")
            record(label, chain - chain_before)
            chain_before = chain
    model = load_configured_model(spark, settings.models_dir(), enrich.sentiment_model)
    scored = score_sentences(model, cached_sentences.select("article_id", "sentence_index", "sentence_text"))
    record(
        f"sentiment model, sentence level ({enrich.sentiment_model})", _best_of(runs, _sink(scored)) - sentences_only
    )
    naive = bronze.select("article_id", vader_compound_udf()("body").alias("compound"))
    naive_s = _best_of(runs, _sink(naive)) - _best_of(runs, _sink(bronze.select("article_id", "body")))
    cached_sentences.unpersist()
    texts.unpersist()
    bronze.unpersist()

    return summarize(articles, sentence_count, steps, naive_s)


def summarize(articles: int, sentences: int, steps: List[Dict[str, object]], naive_s: float) -> Dict[str, object]:
    """Adds each step's articles/s and sums the steps that are library code (the Spark NLP
    annotators and the sentiment model) into the floor they set for the whole stage."""
    for step in steps:
        wall = float(step["wall_s"])
        step["articles_per_s"] = round(articles / wall, 1) if wall > 0 else None
    library_s = sum(float(s["wall_s"]) for s in steps if str(s["step"]).startswith(LIBRARY_STEPS))
    return {
        "articles": articles,
        "sentences": sentences,
        "steps": steps,
        "naive_udf_vader_scoring": {"wall_s": round(naive_s, 3), "articles_per_s": round(articles / naive_s, 1)},
        "spark_nlp_and_model": {
            "wall_s": round(library_s, 3),
            "articles_per_s": round(articles / library_s, 1),
            "ratio_to_naive_udf_scoring": round(naive_s / library_s, 3),
        },
    }


def format_report(result: Dict[str, object]) -> str:
    naive = result["naive_udf_vader_scoring"]
    lines = [
        f"{result['articles']:,} articles, {result['sentences']:,} sentences; each step's wall seconds on "
        f"the session's cores (best of two runs)",
        "",
        f"{'step':52s} {'wall s':>8s} {'articles/s':>11s}",
    ]
    for step in result["steps"]:
        lines.append(f"{step['step']:52s} {step['wall_s']:8.2f} {step['articles_per_s'] or 0:11,.1f}")
    floor = result["spark_nlp_and_model"]
    lines += [
        "",
        f"{'Spark NLP annotators + sentiment model, together':52s} {floor['wall_s']:8.2f} {floor['articles_per_s']:11,.1f}",
        f"{'naive job: VADER in a Python UDF, per article':52s} {naive['wall_s']:8.2f} {naive['articles_per_s']:11,.1f}",
        "",
        f"annotators + model alone run at {floor['ratio_to_naive_udf_scoring']:.2f}x the naive job's articles/s",
    ]
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.components", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lakehouse", required=True, help="a lakehouse with bronze/articles")
    parser.add_argument("--conf", default="conf/local.yaml", help="newslake profile")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--articles", type=int, default=None, help="use at most this many bronze articles")
    parser.add_argument("--json", default=None, help="also write the figures here")
    args = parser.parse_args(argv)

    from newslake.config import load_settings
    from newslake.spark import build_spark

    settings = load_settings(
        args.conf,
        {
            "spark.master": args.master,
            "paths.lakehouse": args.lakehouse,
            "spark.extra": {"spark.ui.showConsoleProgress": "false"},
        },
    )
    spark = build_spark(settings.spark, app_name="newslake-bench-components")
    try:
        result = measure(spark, settings, args.articles)
    finally:
        spark.stop()
    result["command"] = " ".join(["python -m bench.components", *(argv if argv is not None else sys.argv[1:])])
    print(format_report(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
