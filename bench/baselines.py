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

The two VADER baselines score whole articles (no sentences, no companies, no countries): they do
less than enrich and are far less accurate on financial news; they show what speed the
project's NLP has to beat.
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

FLOOR_ARTICLE_COLUMNS = ("article_id", "title", "url", "source", "language", "published_at", "date_source",
                         "iso_year", "iso_week", "week_start", "clean_text", "publisher_sentiment")


# --- the I/O floor -----------------------------------------------------------------------------

def regex_sentences(df: DataFrame, text_col: str = "clean_text") -> DataFrame:
    """The identity "NLP": requires ``article_id``, ``text_col``, ``published_at``, ``iso_year``,
    ``iso_week``, ``week_start``; one row per non-blank regex sentence with ``sentence_index``
    and ``sentence_text``."""
    return (
        df.select("article_id", "published_at", "iso_year", "iso_week", "week_start",
                  F.posexplode(F.split(F.col(text_col), SENTENCE_SPLIT)).alias("sentence_index", "sentence_text"))
        .withColumn("sentence_text", F.trim("sentence_text"))
        .filter(F.length("sentence_text") > 0)
        .withColumn("sentence_index", F.col("sentence_index").cast("int"))
    )


def with_regex_sentence_count(df: DataFrame, text_col: str = "clean_text") -> DataFrame:
    """Adds ``sentences`` (int): the number of regex sentences in ``text_col``."""
    parts = F.filter(F.split(F.col(text_col), SENTENCE_SPLIT), lambda s: F.length(F.trim(s)) > 0)
    return df.withColumn("sentences", F.size(parts).cast("int"))


def run_io_floor(spark: SparkSession, bronze_path: str, out_dir: str, languages: Sequence[str],
                 widget_pattern: str, chrome_line_patterns: Sequence[str]) -> int:
    """Bronze -> ``out_dir/{sentences,articles}`` (Delta, overwritten); returns the articles read."""
    from newslake.silver import transform as S

    todo = (
        spark.read.format("delta").load(bronze_path)
        .transform(S.in_languages, list(languages))
        .transform(S.with_clean_text, widget_pattern, list(chrome_line_patterns))
        .transform(S.with_iso_week, "published_at")
        .select(*FLOOR_ARTICLE_COLUMNS)
    ).persist()
    try:
        articles = todo.count()
        (todo.transform(regex_sentences).write.format("delta").mode("overwrite")
         .partitionBy("iso_year").save(f"{out_dir}/sentences"))
        (todo.transform(with_regex_sentence_count).write.format("delta").mode("overwrite")
         .partitionBy("iso_year").save(f"{out_dir}/articles"))
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
        bronze.select(F.weekofyear("published_at").alias("iso_week"),
                      F.year(F.date_add(F.to_date(F.date_trunc("week", "published_at")), 3)).alias("iso_year"),
                      vader_compound("body").alias("compound"))
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


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baselines",
                                     description="Run the single-process pandas + VADER baseline.")
    sub = parser.add_subparsers(dest="baseline", required=True)
    pandas_cmd = sub.add_parser("pandas", help="pandas + VADER over a bronze Delta table")
    pandas_cmd.add_argument("--bronze", required=True, help="path of bronze/articles")
    pandas_cmd.add_argument("--out", required=True, help="folder for weekly.parquet")
    pandas_cmd.add_argument("--json", help="write the figures here (default: stdout)")
    args = parser.parse_args(argv)
    figures = pandas_vader(args.bronze, args.out)
    figures["peak_rss_bytes"] = peak_rss_bytes()
    text = json.dumps(figures)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
