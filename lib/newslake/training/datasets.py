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
- ``csv``: ``text,label[,entity]`` with or without that header; one record per line;
- ``realnews``: the team's hand-labeled real-news set (``tests/data/labeled/realnews_entity.jsonl``),
  JSON lines whose Reuters-21578 rows are references (file, NEWID, character span, SHA-1) resolved
  against the shared data; one row per (sentence, target company).
"""

from __future__ import annotations

import hashlib
import os
import warnings
from typing import Dict, Optional, Sequence, Union

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from newslake.arguments import SHARED_DATA
from newslake.nlp.sentiment import SENTIMENT_LABELS

FORMATS = ("phrasebank", "sentfin", "finentity", "csv", "realnews")
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
    mapped = F.coalesce(F.create_map(*[F.lit(x) for kv in _LABEL_ALIASES.items() for x in kv])[cleaned], cleaned)
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
        F.when(is_validation(F.col(text_col), percent), F.lit("validation")).otherwise(F.lit("train")),
    )


# ---------------------------------------------------------------------------------------
# Shared plumbing
# ---------------------------------------------------------------------------------------


def _decoded_text(content: Column) -> Column:
    """UTF-8 when the bytes are valid UTF-8, else latin-1 (every byte sequence is latin-1)."""
    utf8 = F.decode(content, "UTF-8")
    latin1 = F.decode(content, "ISO-8859-1")
    return F.when(F.instr(utf8, "\ufffd") > 0, latin1).otherwise(utf8)


def _read_files(spark: SparkSession, path: str) -> DataFrame:
    """``file`` (local path) and ``doc`` (decoded text) per file under ``path``."""
    try:
        raw = spark.read.format("binaryFile").load(path)
    except Exception as exc:  # AnalysisException: the path does not exist
        raise FileNotFoundError(f"{path}: cannot read labeled file ({exc})") from exc
    return raw.select(
        F.regexp_replace("path", "^file:(//)?", "").alias("file"),
        F.regexp_replace(_decoded_text(F.col("content")), "^\ufeff", "").alias("doc"),
    )


def read_lines(spark: SparkSession, path: str) -> DataFrame:
    """One row per line: ``file``, ``line`` (1-based) and ``value`` (without the newline)."""
    files = _read_files(spark, path)
    return files.select("file", F.posexplode(F.split("doc", r"\r?\n")).alias("pos", "value")).select(
        "file", (F.col("pos") + 1).alias("line"), "value"
    )


def _located(unit: Union[str, Column], reason: Column) -> Column:
    """``"<unit> <line>: <reason>"``; ``unit`` is "line", "record" or a column of them."""
    unit_col = F.lit(unit) if isinstance(unit, str) else unit
    return F.concat(unit_col, F.lit(" "), F.col("line").cast("string"), F.lit(": "), reason)


def _label_error(label: Column) -> Column:
    return F.when(
        ~is_known_label(label),
        F.concat(
            F.lit("label "),
            F.coalesce(F.to_json(F.array(label)), F.lit("null")),
            F.lit(f" is not one of {', '.join(SENTIMENT_LABELS)}"),
        ),
    )


def _raise_first_error(df: DataFrame) -> None:
    """One Spark job: raise MalformedDataError for the first row whose ``error`` is set."""
    first = df.filter(F.col("error").isNotNull()).orderBy("file", "line").select("file", "error").limit(1).collect()
    if first:
        raise MalformedDataError(f"{first[0]['file']}: {first[0]['error']}")


def _finish(df: DataFrame, unit: Union[str, Column] = "line", keep: Sequence[str] = ()) -> DataFrame:
    """Validate once (reader's own ``error``, then label, then text) and return the reader's
    standard columns, then the columns named in ``keep``. ``df`` has file, line, text, label,
    entity and error."""
    checked = df.withColumn("label", normalise_label(F.col("label"))).withColumn(
        "error",
        F.coalesce(
            F.col("error"),
            _located(unit, _label_error(F.col("label"))),
            F.when(
                F.length(F.trim(F.coalesce(F.col("text"), F.lit("")))) == 0,
                _located(unit, F.lit("empty text")),
            ),
        ),
    )
    _raise_first_error(checked)
    return checked.select(
        F.trim(F.col("text")).alias("text"),
        F.col("label"),
        F.col("entity").cast("string").alias("entity"),
        F.col("line").cast("long").alias("line"),
        *keep,
    )


# ---------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------


def read_phrasebank(spark: SparkSession, path: str) -> DataFrame:
    """Financial PhraseBank ``sentence@label`` lines; blank lines are skipped."""
    lines = read_lines(spark, path).filter(F.length(F.trim("value")) > 0)
    pattern = r"^(.*)@([^@]*)$"
    parsed = lines.select(
        "file",
        "line",
        F.regexp_extract("value", pattern, 1).alias("text"),
        F.when(F.instr("value", "@") > 0, F.regexp_extract("value", pattern, 2)).alias("label"),
        F.lit(None).cast("string").alias("entity"),
        F.when(
            F.instr("value", "@") == 0,
            _located("line", F.lit("expected 'sentence@label' (no '@' found)")),
        ).alias("error"),
    )
    return _finish(parsed)


def _csv_header(spark: SparkSession, path: str):
    """``(header_line, [field names])`` of the first non-blank line."""
    import csv  # one header line, parsed on the driver

    first = read_lines(spark, path).filter(F.length(F.trim("value")) > 0).orderBy("file", "line").limit(1).collect()
    if not first:
        raise MalformedDataError(f"{path}: the file is empty")
    fields = next(csv.reader([first[0]["value"]]))
    return first[0]["line"], [f.strip() for f in fields]


def _csv_records(spark: SparkSession, path: str, n_fields: int, skip_line: int) -> DataFrame:
    """Each non-blank line (but ``skip_line``) parsed as a CSV record: ``f0``.. and
    ``_corrupt`` (set when the line does not hold exactly ``n_fields`` fields)."""
    schema = ", ".join(f"`f{i}` string" for i in range(n_fields)) + ", `_corrupt` string"
    lines = read_lines(spark, path).filter((F.length(F.trim("value")) > 0) & (F.col("line") != F.lit(skip_line)))
    parsed = lines.select(
        "file",
        "line",
        F.from_csv(
            "value",
            schema,
            {"columnNameOfCorruptRecord": "_corrupt", "mode": "PERMISSIVE", "escape": '"'},
        ).alias("r"),
    )
    return parsed.select("file", "line", "r.*")


def read_sentfin(spark: SparkSession, path: str) -> DataFrame:
    """SEntFiN CSV: one row per (Title, entity) from the Decisions JSON object."""
    header_line, fields = _csv_header(spark, path)
    lowered = [f.lower() for f in fields]
    for needed in ("title", "decisions"):
        if needed not in lowered:
            raise MalformedDataError(f"{path}: line {header_line}: header {fields} has no {needed!r} column")
    records = _csv_records(spark, path, len(fields), header_line)
    decisions = F.from_json(F.col(f"f{lowered.index('decisions')}"), "map<string,string>")
    with_map = records.select(
        "file",
        "line",
        F.col(f"f{lowered.index('title')}").alias("text"),
        decisions.alias("decisions"),
        F.when(
            F.col("_corrupt").isNotNull(),
            _located("line", F.lit(f"expected {len(fields)} CSV fields ({', '.join(fields)})")),
        )
        .when(
            decisions.isNull() | (F.size(decisions) <= 0),
            _located("line", F.lit("Decisions is not a non-empty JSON object of entity -> label")),
        )
        .alias("error"),
    )
    exploded = with_map.select("file", "line", "text", "error", F.explode_outer("decisions").alias("entity", "label"))
    return _finish(exploded)


_ANNOTATION = T.StructType(
    [
        T.StructField("start", T.LongType()),
        T.StructField("end", T.LongType()),
        T.StructField("value", T.StringType()),
        T.StructField("label", T.StringType()),
        T.StructField("tag", T.StringType()),
    ]
)
_FINENTITY_SCHEMA = T.StructType(
    [
        T.StructField("content", T.StringType()),
        T.StructField("annotations", T.ArrayType(_ANNOTATION)),
    ]
)


def read_finentity(spark: SparkSession, path: str) -> DataFrame:
    """FinEntity JSON: one row per (content, annotated entity).

    A JSON array (``line`` is then the 1-based record) or JSON lines (``line`` is the line).
    The entity is the annotation's ``value``, else the text of its ``start``/``end`` span.
    """
    files = _read_files(spark, path).withColumn("is_array", F.trim("doc").startswith("["))
    as_array = F.from_json("doc", T.ArrayType(_FINENTITY_SCHEMA))
    array_items = F.transform(
        as_array, lambda r, i: F.struct((i + 1).alias("line"), r.alias("r"), F.lit(True).alias("ok"))
    )
    lines = F.split("doc", r"\r?\n")
    line_items = F.filter(
        F.transform(
            lines,
            lambda v, i: F.struct(
                (i + 1).alias("line"),
                F.from_json(v, _FINENTITY_SCHEMA).alias("r"),
                F.trim(v).startswith("{").alias("ok"),
                (F.length(F.trim(v)) > 0).alias("keep"),
            ),
        ),
        lambda item: item["keep"],
    )
    items = files.select(
        "file",
        "is_array",
        F.when(F.col("is_array"), array_items)
        .otherwise(F.transform(line_items, lambda x: x.dropFields("keep")))
        .alias("items"),
    )
    rows = items.select("file", "is_array", F.explode_outer("items").alias("item")).select(
        "file", "is_array", F.col("item.line").alias("line"), "item.r", "item.ok"
    )
    unit = F.when(F.col("is_array"), F.lit("record")).otherwise(F.lit("line"))

    def located(reason: str) -> Column:
        return _located(unit, F.lit(reason))

    record_error = (
        F.when(
            F.col("line").isNull(),
            F.lit("not valid JSON: expected an array of objects with content and annotations"),
        )
        .when(
            F.col("r").isNull() | ~F.col("ok") | (F.col("r.content").isNull() & F.col("r.annotations").isNull()),
            located("not a JSON object with content and annotations"),
        )
        .when(
            F.col("r.content").isNull() | F.col("r.annotations").isNull(),
            located("missing 'content' or 'annotations'"),
        )
    )
    # A record with an empty annotation list has no entity to score: skip it.
    exploded = rows.filter(F.coalesce(F.size("r.annotations"), F.lit(-1)) != 0).select(
        "file",
        "is_array",
        "line",
        F.col("r.content").alias("text"),
        record_error.alias("error"),
        F.explode_outer("r.annotations").alias("a"),
    )
    span = F.expr("substring(text, cast(a.start + 1 AS int), cast(a.end - a.start AS int))")
    entity = F.coalesce(F.col("a.value"), F.when(F.col("a.start").isNotNull(), span))
    out = exploded.select(
        "file",
        "is_array",
        "line",
        "text",
        entity.alias("entity"),
        F.coalesce(F.col("a.label"), F.col("a.tag")).alias("label"),
        F.coalesce(
            F.col("error"),
            F.when(
                entity.isNull() | (F.length(F.trim(entity)) == 0),
                located("an annotation has neither 'value' nor a start/end span"),
            ),
        ).alias("error"),
    )
    return _finish(out, unit=unit)


def read_labeled_csv(spark: SparkSession, path: str) -> DataFrame:
    """Generic ``text,label[,entity]`` CSV; a header naming those columns is optional."""
    header_line, fields = _csv_header(spark, path)
    lowered = [f.lower() for f in fields]
    if "text" in lowered and "label" in lowered:
        records = _csv_records(spark, path, len(fields), header_line)
        pick = {n: F.col(f"f{lowered.index(n)}") for n in ("text", "label", "entity") if n in lowered}
        expected = f"expected {len(fields)} CSV fields ({', '.join(fields)})"
    else:
        if len(fields) not in (2, 3):
            raise MalformedDataError(
                f"{path}: line {header_line}: expected text,label[,entity] "
                f"(or a header naming text and label), found {len(fields)} fields"
            )
        names = ["text", "label", "entity"][: len(fields)]
        records = _csv_records(spark, path, len(fields), skip_line=0)
        pick = {n: F.col(f"f{i}") for i, n in enumerate(names)}
        expected = f"expected {len(fields)} CSV fields ({', '.join(names)})"
    entity = pick.get("entity", F.lit(None).cast("string"))
    out = records.select(
        "file",
        "line",
        pick["text"].alias("text"),
        pick["label"].alias("label"),
        F.when(F.length(F.trim(entity)) > 0, F.trim(entity)).alias("entity"),
        F.when(F.col("_corrupt").isNotNull(), _located("line", F.lit(expected))).alias("error"),
    )
    return _finish(out)


# --- the team's real-news set --------------------------------------------------------------

REALNEWS_SOURCES = ("reuters21578", "sample_corpus")
REALNEWS_PARTS = ("tune", "heldout")
SHARED_DATA_ENV = "NEWSLAKE_SHARED_DATA"

_REALNEWS_SCHEMA = T.StructType(
    [
        T.StructField("source", T.StringType()),
        T.StructField("file", T.StringType()),
        T.StructField("newid", T.StringType()),
        T.StructField("start", T.LongType()),
        T.StructField("end", T.LongType()),
        T.StructField("sentence_sha1", T.StringType()),
        T.StructField("record", T.LongType()),
        T.StructField("text", T.StringType()),
        T.StructField("entity", T.StringType()),
        T.StructField("label", T.StringType()),
        T.StructField("phenomenon", T.StringType()),
        T.StructField("part", T.StringType()),
    ]
)


class SharedDataUnavailableWarning(UserWarning):
    """The shared data a labeled file refers to is absent; its rows were left out."""


def default_shared_data_dir() -> str:
    """``$NEWSLAKE_SHARED_DATA``, else ``../shared/data`` from where the command runs, as every
    job's ``--data-dir`` (the library does not locate the repository)."""
    return os.environ.get(SHARED_DATA_ENV) or SHARED_DATA


def realnews_reference(row: Dict[str, object]) -> str:
    """What identifies a real-news row: its source, file, place in the file and entity."""
    if row.get("source") == "reuters21578":
        place = [row.get("newid"), row.get("start"), row.get("end")]
    else:
        place = [row.get("record") or "", row.get("text")]
    return "|".join(str(x) for x in [row.get("source"), row.get("file"), *place, row.get("entity")])


def realnews_part(row: Dict[str, object]) -> str:
    """``heldout`` for about a third of the rows, by a hash of :func:`realnews_reference`
    (never chosen by hand), ``tune`` for the rest."""
    digest = hashlib.sha1(realnews_reference(row).encode("utf-8")).hexdigest()
    return "heldout" if int(digest[:8], 16) % 3 == 0 else "tune"


def _reuters_bodies(spark: SparkSession, reuters_dir: str, keys: Sequence[tuple]) -> DataFrame:
    """``ref_file``, ``ref_newid``, ``body`` of the referenced stories (the evaluation module's
    Reuters reader, so offsets count characters of the same body string)."""
    from newslake.evaluation.reuters import articles

    wanted = set(keys)
    bodies = [
        (a["file"], a["newid"], a["body"])
        for a in articles(reuters_dir, sorted({f for f, _ in wanted}))
        if (a["file"], a["newid"]) in wanted
    ]
    return spark.createDataFrame(bodies, "ref_file string, ref_newid string, body string")


def realnews_rows(spark: SparkSession, path: str, data_dir: Optional[str] = None) -> DataFrame:
    """The real-news set with ``source``, ``phenomenon`` and ``part`` beside the standard columns.

    Each JSON line is either ``{"source": "reuters21578", "file": "reut2-003.sgm", "newid":
    "3456", "start", "end", "sentence_sha1", ...}`` (a character span of the story's body as
    :func:`newslake.evaluation.reuters.articles` yields it; the licence forbids copying the
    text) or ``{"source": "sample_corpus", "file", "text", ...}``; both carry ``entity``,
    ``label``, ``phenomenon`` and ``part``. A Reuters span is checked against its SHA-1 and its
    runs of whitespace (the wire's line breaks) become one space. When ``data_dir``
    (default :func:`default_shared_data_dir`) has no ``reuters21578`` folder, the Reuters rows
    are left out with a :class:`SharedDataUnavailableWarning` and the rest are read.
    """
    reuters_dir = os.path.join(data_dir or default_shared_data_dir(), "reuters21578")
    lines = read_lines(spark, path).filter(F.length(F.trim("value")) > 0)
    parsed = (
        lines.select(
            "file",
            "line",
            F.trim("value").startswith("{").alias("is_object"),
            F.from_json("value", _REALNEWS_SCHEMA).alias("r"),
        )
        .select(
            "file",
            "line",
            "is_object",
            *[
                F.col(f"r.{f.name}").alias(f"ref_{f.name}" if f.name in ("file", "newid") else f.name)
                for f in _REALNEWS_SCHEMA.fields
            ],
        )
        .cache()
    )
    is_reuters = F.col("source") == F.lit("reuters21578")
    keys = [
        (r["ref_file"], r["ref_newid"])
        for r in parsed.filter(is_reuters & F.col("ref_file").isNotNull() & F.col("ref_newid").isNotNull())
        .select("ref_file", "ref_newid")
        .distinct()
        .collect()
    ]
    if keys and not os.path.isdir(reuters_dir):
        left_out = parsed.filter(is_reuters).count()
        warnings.warn(
            f"{path}: {left_out} reuters21578 rows left out: {reuters_dir} not found (set "
            f"{SHARED_DATA_ENV} or put the shared data at ../shared/data); reading the other rows only",
            SharedDataUnavailableWarning,
            stacklevel=2,
        )
        parsed, keys = parsed.filter(~is_reuters | F.col("source").isNull()), []
    bodies = (
        _reuters_bodies(spark, reuters_dir, keys)
        if keys
        else spark.createDataFrame([], "ref_file string, ref_newid string, body string")
    )
    joined = parsed.join(bodies, ["ref_file", "ref_newid"], "left")
    span = F.expr("substring(body, cast(start + 1 AS int), cast(`end` - start AS int))")
    text = F.when(is_reuters, F.regexp_replace(span, r"\s+", " ")).otherwise(F.col("text"))
    where = F.concat(F.col("ref_file"), F.lit(" NEWID "), F.col("ref_newid"))
    reason = (
        F.when(
            ~F.col("is_object") | F.col("source").isNull(),
            F.lit("not a JSON object with source, file, entity and label"),
        )
        .when(
            ~F.col("source").isin(*REALNEWS_SOURCES),
            F.concat(
                F.lit("source "), F.to_json(F.array("source")), F.lit(f" is not one of {', '.join(REALNEWS_SOURCES)}")
            ),
        )
        .when(
            is_reuters
            & (
                F.col("ref_file").isNull()
                | F.col("ref_newid").isNull()
                | F.col("start").isNull()
                | F.col("end").isNull()
                | F.col("sentence_sha1").isNull()
            ),
            F.lit("a reuters21578 row needs file, newid, start, end and sentence_sha1"),
        )
        .when(is_reuters & F.col("body").isNull(), F.concat(F.lit(f"no story {reuters_dir}/"), where))
        .when(
            is_reuters & ((F.col("start") < 0) | (F.col("end") <= F.col("start")) | (F.col("end") > F.length("body"))),
            F.concat(
                F.lit("span ["), F.col("start"), F.lit(", "), F.col("end"), F.lit(") is outside the body of "), where
            ),
        )
        .when(
            is_reuters & (F.sha1(F.encode(span, "UTF-8")) != F.lower("sentence_sha1")),
            F.concat(
                F.lit("span ["),
                F.col("start"),
                F.lit(", "),
                F.col("end"),
                F.lit(") of "),
                where,
                F.lit(" does not match its sentence_sha1 (another copy of Reuters-21578?)"),
            ),
        )
        .when(F.col("entity").isNull() | (F.length(F.trim("entity")) == 0), F.lit("no entity"))
        .when(
            ~text.contains(F.col("entity")),
            F.concat(F.lit("entity "), F.to_json(F.array("entity")), F.lit(" does not occur in the sentence")),
        )
        .when(
            ~F.coalesce(F.col("part").isin(*REALNEWS_PARTS), F.lit(False)),
            F.lit(f"part is not one of {', '.join(REALNEWS_PARTS)}"),
        )
    )
    out = joined.select(
        "file",
        "line",
        text.alias("text"),
        "label",
        "entity",
        "source",
        "phenomenon",
        "part",
        F.when(reason.isNotNull(), _located("line", reason)).alias("error"),
    )
    try:
        return _finish(out, keep=("source", "phenomenon", "part"))
    finally:
        parsed.unpersist()


def read_realnews(spark: SparkSession, path: str, data_dir: Optional[str] = None) -> DataFrame:
    """The real-news set in the readers' standard columns (see :func:`realnews_rows`)."""
    return realnews_rows(spark, path, data_dir).select(*OUTPUT_COLUMNS)


_READERS = {
    "phrasebank": read_phrasebank,
    "sentfin": read_sentfin,
    "finentity": read_finentity,
    "csv": read_labeled_csv,
    "realnews": read_realnews,
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
