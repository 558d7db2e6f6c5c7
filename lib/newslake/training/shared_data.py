"""The labeled rows every sentiment tier trains and validates on, from ../shared/data.

The union of the Financial PhraseBank agreement levels (deduplicated, each sentence weighted
by the highest agreement level it appears in), SEntFiN entity rows and FinEntity entity rows.
The validation split is a hash of the normalised text (:data:`SPLIT_RULE`,
:func:`newslake.training.datasets.is_validation`), so the same text is on the same side in
every file and every run; it is never trained on.
"""

from __future__ import annotations

from typing import Dict, Mapping

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.window import Window

from newslake.training import datasets
from newslake.training.params import SentimentParams

SPLIT_RULE = """\
A row is in the validation split when `pmod(xxhash64('newslake-sentiment-split-v1',
normalised_text), 100) < 20`, where normalised_text is the lower-cased text with runs of
non-alphanumerics collapsed to one space (`newslake.training.datasets.is_validation`). The
rule is the same in every run and every file, so a PhraseBank sentence sits on the same
side at every agreement level (levels are deduplicated on the normalised text before
training) and all entities of a headline or passage sit on the side of their text.
Validation rows are never trained on."""


def phrasebank_levels(spark: SparkSession, data_dir: str) -> DataFrame:
    """Every row of every PhraseBank level file, with ``level`` (all, 75, 66, 50)."""
    frames = [
        datasets.read_phrasebank(spark, f"{data_dir.rstrip('/')}/{rel}").withColumn("level", F.lit(level))
        for level, rel in datasets.PHRASEBANK_LEVELS.items()
    ]
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


def dedupe_phrasebank(levels: DataFrame, level_weights: Mapping[str, float]) -> DataFrame:
    """One row per normalised sentence: the label of its highest agreement level, weighted."""
    order = {level: i for i, level in enumerate(datasets.PHRASEBANK_LEVELS)}
    rank = F.create_map(*[F.lit(x) for kv in order.items() for x in kv])[F.col("level")]
    weight = F.create_map(*[F.lit(x) for kv in level_weights.items() for x in kv])[F.col("level")]
    key = datasets.normalised_text(F.col("text"))
    best = Window.partitionBy(key).orderBy(rank, F.col("label"), F.col("text"))
    return (
        levels.withColumn("_rank", F.row_number().over(best))
        .filter(F.col("_rank") == 1)
        .drop("_rank")
        .withColumn("weight", F.coalesce(weight, F.lit(1.0)).cast("double"))
    )


def load_shared_data(
    spark: SparkSession, data_dir: str, params: SentimentParams = SentimentParams()
) -> Dict[str, DataFrame]:
    """The training frame and the validation sets built from ``data_dir`` (../shared/data).

    Returns ``{"train": ..., "phrasebank_allagree": ..., "phrasebank_50agree": ...,
    "sentfin_entity": ..., "finentity_entity": ...}``; every frame has ``text``, ``label``,
    ``entity``; ``train`` also ``dataset`` and ``weight``.
    """
    root = data_dir.rstrip("/")
    pct = params.validation_percent
    levels = phrasebank_levels(spark, root).withColumn("is_validation", datasets.is_validation(F.col("text"), pct))
    sentfin = datasets.read_sentfin(spark, f"{root}/{datasets.SENTFIN_FILE}").withColumn(
        "is_validation", datasets.is_validation(F.col("text"), pct)
    )
    finentity = datasets.read_finentity(spark, f"{root}/{datasets.FINENTITY_FILE}").withColumn(
        "is_validation", datasets.is_validation(F.col("text"), pct)
    )
    weights = params.dataset_weights
    parts = []
    if "phrasebank" in params.train_on:
        pb = dedupe_phrasebank(levels.filter(~F.col("is_validation")), params.level_weights)
        parts.append(pb.select("text", "label", "entity", F.lit("phrasebank").alias("dataset"), "weight"))
    for name, frame in (("sentfin", sentfin), ("finentity", finentity)):
        if name in params.train_on:
            parts.append(
                frame.filter(~F.col("is_validation")).select(
                    "text", "label", "entity", F.lit(name).alias("dataset"), F.lit(1.0).alias("weight")
                )
            )
    train = parts[0]
    for part in parts[1:]:
        train = train.unionByName(part)
    dataset_weight = F.create_map(*[F.lit(x) for kv in weights.items() for x in kv])
    train = train.withColumn("weight", F.col("weight") * F.coalesce(dataset_weight[F.col("dataset")], F.lit(1.0)))
    val = F.col("is_validation")
    cols = ["text", "label", "entity"]
    return {
        "train": train,
        "phrasebank_allagree": levels.filter(val & (F.col("level") == "all")).select(*cols),
        "phrasebank_50agree": levels.filter(val & (F.col("level") == "50")).select(*cols),
        "sentfin_entity": sentfin.filter(val).select(*cols),
        "finentity_entity": finentity.filter(val).select(*cols),
    }


def split_sizes(spark: SparkSession, data_dir: str, params: SentimentParams, sets) -> Dict:
    """Rows of each source on each side of the split, as metrics.json records them."""
    train = sets["train"]
    counts = {r["dataset"]: r["n"] for r in train.groupBy("dataset").agg(F.count(F.lit(1)).alias("n")).collect()}
    sizes = {
        "phrasebank (deduplicated sentences)": {
            "train": counts.get("phrasebank", 0),
            "validation": datasets.read_phrasebank(spark, f"{data_dir.rstrip('/')}/{datasets.PHRASEBANK_LEVELS['50']}")
            .filter(datasets.is_validation(F.col("text"), params.validation_percent))
            .select(datasets.normalised_text(F.col("text")))
            .distinct()
            .count(),
            "unit": "sentences",
        },
        "phrasebank all-agree": {"validation": sets["phrasebank_allagree"].count(), "unit": "sentences"},
        "phrasebank 50%-agree": {"validation": sets["phrasebank_50agree"].count(), "unit": "sentences"},
        "sentfin": {
            "train": counts.get("sentfin", 0),
            "validation": sets["sentfin_entity"].count(),
            "unit": "headline x entity rows",
        },
        "finentity": {
            "train": counts.get("finentity", 0),
            "validation": sets["finentity_entity"].count(),
            "unit": "passage x entity rows",
        },
    }
    return sizes
