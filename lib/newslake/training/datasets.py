"""Readers for labeled sentiment files, and the deterministic validation split.

Every reader returns a Spark DataFrame with ``text`` (string), ``label`` (one of
``SENTIMENT_LABELS``), ``entity`` (string, null for sentence-level rows) and ``line`` (the
1-based line, or for a JSON array the 1-based record, the row came from). A malformed input
raises :class:`MalformedDataError` naming the file and the line (or record).

Formats:

- ``phrasebank``: Financial PhraseBank ``sentence@label`` lines (latin-1; UTF-8 is accepted
  too), the label after the last ``@``;
- ``sentfin``: SEntFiN CSV with a header holding ``Title`` and ``Decisions``, Decisions a JSON
  object entity -> label; one row per (headline, entity);
- ``finentity``: FinEntity JSON, an array (or JSON lines) of ``{"content": ...,
  "annotations": [{"start", "end", "value", "label"}, ...]}``; one row per (text, entity);
- ``csv``: ``text,label[,entity]`` with or without that header; one record per line.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from newslake.nlp.sentiment import SENTIMENT_LABELS

FORMATS = ("phrasebank", "sentfin", "finentity", "csv")
OUTPUT_COLUMNS = ("text", "label", "entity", "line")

VALIDATION_PERCENT = 20
SPLIT_SALT = "newslake-sentiment-split-v1"

_LABEL_ALIASES = {"pos": "positive", "neg": "negative", "neu": "neutral"}


class MalformedDataError(ValueError):
    """A labeled file does not follow its format; the message names the file and line."""


# ---------------------------------------------------------------------------------------
# Column helpers
# ---------------------------------------------------------------------------------------


def normalise_label(label: Column) -> Column:
    """Lower-case, trimmed label; ``pos``/``neg``/``neu`` spelled out; anything else kept."""
    cleaned = F.lower(F.trim(label))
    mapped = F.coalesce(
        F.create_map(*[F.lit(x) for kv in _LABEL_ALIASES.items() for x in kv])[cleaned], cleaned
    )
    return mapped


def is_known_label(label: Column) -> Column:
    return label.isin(*SENTIMENT_LABELS) & label.isNotNull()


def normalised_text(text: Column) -> Column:
    """The key of the split: lower case, runs of non-alphanumerics as one space, trimmed."""
    return F.trim(F.regexp_replace(F.lower(F.coalesce(text, F.lit(""))), r"[^a-z0-9]+", " "))


def split_bucket(text: Column) -> Column:
    """A stable bucket 0..99 from a hash of the normalised text (xxhash64, salted)."""
    return F.pmod(F.xxhash64(F.lit(SPLIT_SALT), normalised_text(text)), F.lit(100)).cast("int")


def is_validation(text: Column, percent: int = VALIDATION_PERCENT) -> Column:
    """True for the rows of the validation split: the same text always lands on the same side."""
    return split_bucket(text) < F.lit(percent)


def with_split(df: DataFrame, text_col: str = "text", percent: int = VALIDATION_PERCENT) -> DataFrame:
    """Add ``split`` ("validation" or "train") from the hash of ``text_col``."""
    return df.withColumn(
        "split",
        F.when(is_validation(F.col(text_col), percent), F.lit("validation")).otherwise(
            F.lit("train")
        ),
    )


# ---------------------------------------------------------------------------------------
# Shared plumbing
# ---------------------------------------------------------------------------------------


def _decoded_text(content: Column) -> Column:
    """UTF-8 when the bytes are valid UTF-8, else latin-1 (every byte sequence is latin-1)."""
    utf8 = F.decode(content, "UTF-8")
    latin1 = F.decode(content, "ISO-8859-1")
    return F.when(F.instr(utf8, "\ufffd") > 0, latin1).otherwise(utf8)


def read_lines(spark: SparkSession, path: str) -> DataFrame:
    """One row per line of one file: ``line`` (1-based) and ``value`` (without the newline)."""
    raw = _read_binary(spark, path)
    lines = raw.select(F.split(_decoded_text(F.col("content")), r"\r?\n").alias("lines"))
    return lines.select(F.posexplode("lines").alias("pos", "value")).select(
        (F.col("pos") + 1).alias("line"), F.regexp_replace("value", "^\ufeff", "").alias("value")
    )


def _read_binary(spark: SparkSession, path: str) -> DataFrame:
    try:
        raw = spark.read.format("binaryFile").load(path)
    except Exception as exc:  # AnalysisException: path does not exist
        raise FileNotFoundError(f"{path}: cannot read labeled file ({exc})") from exc
    if len(raw.select("path").limit(2).collect()) != 1:
        raise MalformedDataError(f"{path}: expected exactly one file, not a folder or a glob")
    return raw


def _raise_first_bad(df: DataFrame, bad: Column, path: str, what: Column, unit: str = "line") -> None:
    """Raise MalformedDataError for the first row where ``bad`` holds, naming its line."""
    first = df.filter(bad).orderBy("line").select("line", what.alias("why")).limit(1).collect()
    if first:
        raise MalformedDataError(f"{path}: {unit} {first[0]['line']}: {first[0]['why']}")


def _finish(df: DataFrame, path: str, unit: str = "line") -> DataFrame:
    """Check labels and text, return the reader's standard columns."""
    checked = df.withColumn("label", normalise_label(F.col("label")))
    _raise_first_bad(
        checked,
        ~is_known_label(F.col("label")),
        path,
        F.concat(
            F.lit("label "),
            F.coalesce(F.to_json(F.array(F.col("label"))), F.lit("null")),
            F.lit(f" is not one of {', '.join(SENTIMENT_LABELS)}"),
        ),
        unit,
    )
    _raise_first_bad(
        checked,
        F.length(F.trim(F.coalesce(F.col("text"), F.lit("")))) == 0,
        path,
        F.lit("empty text"),
        unit,
    )
    if "entity" not in checked.columns:
        checked = checked.withColumn("entity", F.lit(None).cast("string"))
    return checked.select(
        F.trim(F.col("text")).alias("text"),
        F.col("label"),
        F.col("entity").cast("string").alias("entity"),
        F.col("line").cast("long").alias("line"),
    )


# ---------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------


def read_phrasebank(spark: SparkSession, path: str) -> DataFrame:
    """Financial PhraseBank ``sentence@label`` lines; blank lines are skipped."""
    lines = read_lines(spark, path).filter(F.length(F.trim("value")) > 0)
    _raise_first_bad(
        lines,
        F.instr("value", "@") == 0,
        path,
        F.lit("expected 'sentence@label' (no '@' found)"),
    )
    parsed = lines.select(
        "line",
        F.regexp_extract("value", r"^(.*)@([^@]*)$", 1).alias("text"),
        F.regexp_extract("value", r"^(.*)@([^@]*)$", 2).alias("label"),
    )
    return _finish(parsed, path)


def _csv_records(spark: SparkSession, path: str, names: List[str]) -> DataFrame:
    """Parse each non-blank line after the header as a CSV record with ``names`` fields."""
    schema = ", ".join(f"`c{i}` string" for i in range(len(names))) + ", `_corrupt` string"
    lines = read_lines(spark, path).filter(F.length(F.trim("value")) > 0)
    parsed = lines.select(
        "line",
        F.from_csv(
            "value",
            schema,
            {"columnNameOfCorruptRecord": "_corrupt", "mode": "PERMISSIVE", "escape": '"'},
        ).alias("r"),
    )
    return parsed.select(
        "line",
        F.col("r._corrupt").alias("_corrupt"),
        *[F.col(f"r.c{i}").alias(name) for i, name in enumerate(names)],
    )


def _split_csv_header(spark: SparkSession, path: str):
    """``(header_line, [field names])`` of the first non-blank line, via a permissive parse."""
    first = (
        read_lines(spark, path)
        .filter(F.length(F.trim("value")) > 0)
        .orderBy("line")
        .limit(1)
        .collect()
    )
    if not first:
        raise MalformedDataError(f"{path}: the file is empty")
    import csv  # a single header line, parsed on the driver

    fields = next(csv.reader([first[0]["value"]]))
    return first[0]["line"], [f.strip() for f in fields]


def read_sentfin(spark: SparkSession, path: str) -> DataFrame:
    """SEntFiN CSV: one row per (Title, entity) from the Decisions JSON object."""
    header_line, fields = _split_csv_header(spark, path)
    lowered = [f.lower() for f in fields]
    for needed in ("title", "decisions"):
        if needed not in lowered:
            raise MalformedDataError(
                f"{path}: line {header_line}: header {fields} has no {needed!r} column"
            )
    records = _csv_records(spark, path, [f"f{i}" for i in range(len(fields))]).filter(
        F.col("line") != header_line
    )
    _raise_first_bad(
        records,
        F.col("_corrupt").isNotNull(),
        path,
        F.lit(f"expected {len(fields)} CSV fields ({', '.join(fields)})"),
    )
    title = F.col(f"f{lowered.index('title')}")
    decisions = F.from_json(F.col(f"f{lowered.index('decisions')}"), "map<string,string>")
    with_map = records.select("line", title.alias("text"), decisions.alias("decisions"))
    _raise_first_bad(
        with_map,
        F.col("decisions").isNull() | (F.size("decisions") == 0),
        path,
        F.lit("Decisions is not a non-empty JSON object of entity -> label"),
    )
    exploded = with_map.select(
        "line", "text", F.explode("decisions").alias("entity", "label")
    )
    return _finish(exploded, path)


_FINENTITY_SCHEMA = T.StructType(
    [
        T.StructField("content", T.StringType()),
        T.StructField(
            "annotations",
            T.ArrayType(
                T.StructType(
                    [
                        T.StructField("start", T.LongType()),
                        T.StructField("end", T.LongType()),
                        T.StructField("value", T.StringType()),
                        T.StructField("label", T.StringType()),
                        T.StructField("tag", T.StringType()),
                    ]
                )
            ),
        ),
    ]
)


def read_finentity(spark: SparkSession, path: str) -> DataFrame:
    """FinEntity JSON: one row per (content, annotated entity).

    The entity is the annotation's ``value``; when that is missing it is taken from the
    ``start``/``end`` span. ``line`` is the 1-based record for a JSON array, the line for
    JSON lines.
    """
    raw = _read_binary(spark, path)
    text = raw.select(F.trim(_decoded_text(F.col("content"))).alias("doc"))
    is_array = text.select(F.col("doc").startswith("[").alias("a")).first()["a"]
    if is_array:
        records = text.select(
            F.from_json("doc", T.ArrayType(_FINENTITY_SCHEMA)).alias("records")
        )
        if records.filter(F.col("records").isNull()).limit(1).count():
            raise MalformedDataError(
                f"{path}: not valid JSON: expected an array of objects with content and annotations"
            )
        rows = records.select(F.posexplode("records").alias("pos", "r")).select(
            (F.col("pos") + 1).alias("line"), "r"
        )
        unit = "record"
    else:
        lines = read_lines(spark, path).filter(F.length(F.trim("value")) > 0)
        parsed = lines.select("line", "value", F.from_json("value", _FINENTITY_SCHEMA).alias("r"))
        _raise_first_bad(
            parsed,
            F.col("r").isNull() | ~F.trim("value").startswith("{"),
            path,
            F.lit("not a JSON object with content and annotations"),
        )
        rows = parsed.select("line", "r")
        unit = "line"
    _raise_first_bad(
        rows,
        F.col("r.content").isNull() | F.col("r.annotations").isNull(),
        path,
        F.lit("missing 'content' or 'annotations'"),
        unit,
    )
    exploded = rows.select(
        "line", F.col("r.content").alias("text"), F.explode("r.annotations").alias("a")
    )
    span = F.expr("substring(text, cast(a.start + 1 AS int), cast(a.end - a.start AS int))")
    entity = F.coalesce(F.col("a.value"), F.when(F.col("a.start").isNotNull(), span))
    out = exploded.select(
        "line",
        "text",
        entity.alias("entity"),
        F.coalesce(F.col("a.label"), F.col("a.tag")).alias("label"),
    )
    _raise_first_bad(
        out,
        F.col("entity").isNull() | (F.length(F.trim("entity")) == 0),
        path,
        F.lit("an annotation has neither 'value' nor a start/end span"),
        unit,
    )
    return _finish(out, path, unit)


def read_labeled_csv(spark: SparkSession, path: str) -> DataFrame:
    """Generic ``text,label[,entity]`` CSV; a header naming those columns is optional."""
    header_line, fields = _split_csv_header(spark, path)
    lowered = [f.lower() for f in fields]
    if "text" in lowered and "label" in lowered:
        names = [f"f{i}" for i in range(len(fields))]
        records = _csv_records(spark, path, names).filter(F.col("line") != header_line)
        pick = {n: F.col(f"f{lowered.index(n)}") for n in ("text", "label", "entity") if n in lowered}
        expected = f"{len(fields)} CSV fields ({', '.join(fields)})"
    else:
        if len(fields) not in (2, 3):
            raise MalformedDataError(
                f"{path}: line {header_line}: expected text,label[,entity] "
                f"(or a header naming text and label), found {len(fields)} fields"
            )
        names = ["text", "label", "entity"][: len(fields)]
        records = _csv_records(spark, path, names)
        pick = {n: F.col(n) for n in names}
        expected = f"{len(fields)} CSV fields ({', '.join(names)})"
    _raise_first_bad(records, F.col("_corrupt").isNotNull(), path, F.lit(f"expected {expected}"))
    out = records.select("line", *[c.alias(n) for n, c in pick.items()])
    if "entity" in out.columns:
        out = out.withColumn(
            "entity", F.when(F.length(F.trim("entity")) > 0, F.trim("entity"))
        )
    return _finish(out, path)


_READERS = {
    "phrasebank": read_phrasebank,
    "sentfin": read_sentfin,
    "finentity": read_finentity,
    "csv": read_labeled_csv,
}


def read_labeled(spark: SparkSession, fmt: str, path: str) -> DataFrame:
    """Dispatch to the reader of ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in _READERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return _READERS[fmt](spark, path)


# ---------------------------------------------------------------------------------------
# The shared training data (../shared/data)
# ---------------------------------------------------------------------------------------

PHRASEBANK_LEVELS: Dict[str, str] = {
    "all": "financial_phrasebank/Sentences_AllAgree_train.txt",
    "75": "financial_phrasebank/Sentences_75Agree_train.txt",
    "66": "financial_phrasebank/Sentences_66Agree_train.txt",
    "50": "financial_phrasebank/Sentences_50Agree_train.txt",
}
SENTFIN_FILE = "sentfin/SEntFiN-v1.1_train.csv"
FINENTITY_FILE = "finentity/FinEntity_train.json"

SHARED_FILES: Dict[str, str] = {
    **{f"phrasebank_{k}": v for k, v in PHRASEBANK_LEVELS.items()},
    "sentfin": SENTFIN_FILE,
    "finentity": FINENTITY_FILE,
}
