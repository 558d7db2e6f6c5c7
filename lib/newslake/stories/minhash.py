"""Near-duplicate detection and story clustering: pure transformations, no I/O and no clock.

The chain, for articles with ``article_id, published_at, text``::

    articles.transform(with_story_text, dateline_pattern, boilerplate_line_patterns)
            .transform(with_shingles, shingle_size)          # shingles (strings), shingle_ids
            .transform(with_signature, num_hash_tables, seed, num_features)
            .transform(with_band_keys, num_hash_tables, band_rows)
    candidate_pairs(probe, pool, horizon_days)      # share a band, published close enough
    verified_pairs(candidates, shingle_sets, threshold)   # exact Jaccard >= threshold
    connected_components(nodes, edges, max_iterations)    # label propagation -> story id
    with_story_measures(members, novelty_window_days, ...)  # rank, novelty, weight
    story_table(members)

Signatures are Spark ML's ``MinHashLSH`` (compiled, seeded, so the same article gets the same
signature in every run); the candidate search is classic LSH banding (``b`` bands of ``r``
rows, a pair is a candidate when one band agrees), which is an equi-join on ``(band, key)``
and never a cartesian product. Every candidate is then checked with the exact Jaccard
similarity of the two shingle sets, so banding costs recall at most, never precision.
"""

from __future__ import annotations

from typing import Sequence

from pyspark.ml.feature import HashingTF, MinHashLSH, NGram
from pyspark.ml.functions import vector_to_array
from pyspark.ml.linalg import SparseVector, VectorUDT
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import StructField, StructType

# --- Column helpers ---------------------------------------------------------------------------


def strip_boilerplate(text: Column, dateline_pattern: str, line_patterns: Sequence[str]) -> Column:
    """The story's own text: without the opening wire credit ("BERLIN, March 4 (Wire) - ") and
    without whole lines of syndication boilerplate (credits, copyright, "Read more", "This
    story was syndicated from ...")."""
    out = F.regexp_replace(F.coalesce(text, F.lit("")), dateline_pattern, "")
    if line_patterns:
        alternation = "|".join(f"(?:{p})" for p in line_patterns)
        out = F.regexp_replace(out, rf"(?im)^[ \t\u00a0•*\-]*(?:{alternation})[ \t\u00a0]*$", "")
    return out


def shingle_tokens(text: Column) -> Column:
    """Lower-case words of any script and digits; apostrophes dropped ("company's" ->
    "companys", curly or straight), every other non-word character a separator, so quote
    styles, dashes and punctuation never make two copies differ."""
    lowered = F.regexp_replace(F.lower(text), "['\u2018\u2019\u02bc`]", "")
    words = F.trim(F.regexp_replace(lowered, r"[^\p{L}\p{N}]+", " "))
    return F.when(words == "", F.array().cast("array<string>")).otherwise(F.split(words, " "))


def shingles_or_whole(tokens: Column, ngrams: Column, size: int) -> Column:
    """The ``size``-word shingles; a text shorter than ``size`` words is one shingle of all of
    them, a text without words has none."""
    n = F.size(tokens)
    return (
        F.when(n == 0, F.array().cast("array<string>"))
        .when(n < size, F.array(F.array_join(tokens, " ")))
        .otherwise(ngrams)
    )


def jaccard(a: Column, b: Column) -> Column:
    """Exact Jaccard similarity of two duplicate-free arrays (0.0 when both are empty)."""
    inter = F.size(F.array_intersect(a, b))
    union = F.size(a) + F.size(b) - inter
    return F.when(union > 0, inter / union).otherwise(F.lit(0.0))


def story_total_weight_col(size: Column, weighting: str) -> Column:
    """W(n): the weight a story of n articles carries in total ("one", "sqrt" or "log")."""
    if weighting == "one":
        return F.lit(1.0)
    if weighting == "sqrt":
        return F.sqrt(size.cast("double"))
    if weighting == "log":
        return F.lit(1.0) + F.log(size.cast("double"))
    raise ValueError(f"stories.weighting must be one, sqrt or log, not {weighting!r}")


def novelty_col(earlier_copies: Column, curve: str, decay: float) -> Column:
    """1.0 for an article with no earlier copy in the window; ``1 / (1 + k)`` (reciprocal) or
    ``exp(-decay * k)`` (exponential) for one with ``k`` earlier copies."""
    k = earlier_copies.cast("double")
    if curve == "reciprocal":
        return F.lit(1.0) / (F.lit(1.0) + k)
    if curve == "exponential":
        return F.exp(F.lit(-float(decay)) * k)
    raise ValueError(f"stories.novelty_curve must be reciprocal or exponential, not {curve!r}")


# --- DataFrame -> DataFrame -------------------------------------------------------------------


def with_story_text(
    df: DataFrame, dateline_pattern: str, line_patterns: Sequence[str], text_col: str = "text"
) -> DataFrame:
    """Requires ``text``; adds ``story_text`` (the text without syndication boilerplate)."""
    return df.withColumn("story_text", strip_boilerplate(F.col(text_col), dateline_pattern, line_patterns))


def with_shingles(df: DataFrame, shingle_size: int) -> DataFrame:
    """Requires ``story_text``; adds ``shingles`` (array<string>: overlapping
    ``shingle_size``-word shingles, by Spark ML's ``NGram``) and ``shingle_ids``: the sorted,
    distinct 32-bit Murmur3 hashes of the shingles, the set that Jaccard compares."""
    tokenised = df.withColumn("_tokens", shingle_tokens(F.col("story_text")))
    grams = NGram(n=shingle_size, inputCol="_tokens", outputCol="_ngrams").transform(tokenised)
    return (
        grams.withColumn("shingles", shingles_or_whole(F.col("_tokens"), F.col("_ngrams"), shingle_size))
        .drop("_tokens", "_ngrams")
        .withColumn("shingle_ids", F.array_sort(F.array_distinct(F.transform("shingles", lambda s: F.hash(s)))))
    )


def with_signature(df: DataFrame, num_hash_tables: int, seed: int, num_features: int) -> DataFrame:
    """Requires ``shingles``; adds ``signature`` (array<int> of ``num_hash_tables`` MinHash
    values, null for an article without a single word).

    Spark ML's ``MinHashLSH`` over the binary hashed shingle vector. Its hash functions depend
    only on ``seed`` and ``num_hash_tables``, so signatures stored in earlier runs stay
    comparable with new ones. (MinHash rejects an empty vector, and Spark may run a UDF on rows
    that a filter would drop, so a wordless article is hashed as one placeholder shingle and
    its signature nulled afterwards.)
    """
    has_words = F.size("shingles") > 0
    hashed = HashingTF(
        inputCol="_minhash_input", outputCol="_shingle_vector", numFeatures=num_features, binary=True
    ).transform(df.withColumn("_minhash_input", F.when(has_words, F.col("shingles")).otherwise(F.array(F.lit("")))))
    # MinHashLSH's "fit" only draws the hash coefficients from the seed and checks the vector size.
    template = df.sparkSession.createDataFrame(
        [(SparseVector(num_features, {0: 1.0}),)], StructType([StructField("_shingle_vector", VectorUDT())])
    )
    model = MinHashLSH(inputCol="_shingle_vector", outputCol="_minhash", numHashTables=num_hash_tables, seed=seed).fit(
        template
    )
    signature = F.flatten(F.transform("_minhash", lambda v: vector_to_array(v))).cast("array<int>")
    return (
        model.transform(hashed)
        .withColumn("signature", F.when(has_words, signature))
        .drop("_minhash_input", "_shingle_vector", "_minhash")
    )


def with_band_keys(df: DataFrame, num_hash_tables: int, band_rows: int) -> DataFrame:
    """Requires ``signature`` (``num_hash_tables`` values); adds ``band_keys``
    (array<bigint>): band ``i`` hashed with its rows ``signature[i*r : (i+1)*r]``. Two articles
    whose band ``i`` agrees have the same key at position ``i``.

    The bands are spelled out (no lambda over ``signature``): Catalyst would otherwise inline
    the MinHash computation into the lambda and run it once per band.
    """
    keys = F.array(
        *[
            F.xxhash64(F.lit(i), F.slice("signature", i * band_rows + 1, band_rows))
            for i in range(num_hash_tables // band_rows)
        ]
    )
    return df.withColumn("band_keys", F.when(F.col("signature").isNotNull(), keys))


def explode_bands(df: DataFrame) -> DataFrame:
    """``article_id, published_at, band, band_key``: one row per band of each signed article."""
    return df.select("article_id", "published_at", F.posexplode("band_keys").alias("band", "band_key"))


def candidate_pairs(probe: DataFrame, pool: DataFrame, horizon_days: int) -> DataFrame:
    """Pairs ``(article_a, article_b)`` with ``article_a < article_b``, one of them from
    ``probe``, the other from ``pool`` (which may contain ``probe``), sharing at least one band
    key and published at most ``horizon_days`` apart. Both frames need ``article_id,
    published_at, band_keys``. An equi-join on ``(band, band_key)``: no cartesian product."""
    p = explode_bands(probe).alias("p")
    q = explode_bands(pool).alias("q")
    horizon = F.lit(int(horizon_days) * 86400)
    gap = F.abs(F.col("p.published_at").cast("long") - F.col("q.published_at").cast("long"))
    joined = p.join(q, (F.col("p.band") == F.col("q.band")) & (F.col("p.band_key") == F.col("q.band_key")))
    return (
        joined.filter((F.col("p.article_id") != F.col("q.article_id")) & (gap <= horizon))
        .select(
            F.least("p.article_id", "q.article_id").alias("article_a"),
            F.greatest("p.article_id", "q.article_id").alias("article_b"),
        )
        .distinct()
    )


def verified_pairs(candidates: DataFrame, shingle_sets: DataFrame, threshold: float) -> DataFrame:
    """Candidates whose exact Jaccard similarity is at least ``threshold``:
    ``article_a, article_b, similarity``. ``shingle_sets`` has ``article_id, shingle_ids``."""
    a = shingle_sets.select(F.col("article_id").alias("article_a"), F.col("shingle_ids").alias("ids_a"))
    b = shingle_sets.select(F.col("article_id").alias("article_b"), F.col("shingle_ids").alias("ids_b"))
    return (
        candidates.join(a, "article_a")
        .join(b, "article_b")
        .withColumn("similarity", jaccard(F.col("ids_a"), F.col("ids_b")))
        .filter(F.col("similarity") >= F.lit(float(threshold)))
        .select("article_a", "article_b", "similarity")
    )


def connected_components(nodes: DataFrame, edges: DataFrame, max_iterations: int) -> DataFrame:
    """Min-label propagation: ``nodes`` (``node``, ``label``: any orderable column, e.g. the
    struct ``(first_seen_at, article_id)``) and undirected ``edges`` (``src``, ``dst``) ->
    ``node, label`` where every node of a connected component carries the component's
    smallest label. Each round every node takes the smallest label among itself and its
    neighbours; it stops when a round changes nothing (after the component diameter + 1
    rounds: 2 for a clique of copies) and raises ``ComponentsDidNotConverge`` after
    ``max_iterations``.

    Only nodes with an edge take part in the rounds (most articles are stories of one). Each
    round is one shuffle, local-checkpointed so the plan does not grow with the rounds; the
    change test then reads the checkpoint without another shuffle.
    """
    both = (
        edges.select("src", "dst")
        .unionByName(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
        .distinct()
        .localCheckpoint(eager=True)
    )
    active = nodes.join(both.select(F.col("src").alias("node")).distinct(), "node", "left_semi")
    labels = active.select("node", "label").localCheckpoint(eager=True)
    label_type = labels.schema["label"].dataType
    for _ in range(max_iterations):
        incoming = both.join(labels.withColumnRenamed("node", "src"), "src").select(
            F.col("dst").alias("node"), "label", F.lit(None).cast(label_type).alias("_old")
        )
        proposed = (
            labels.withColumn("_old", F.col("label"))
            .unionByName(incoming, allowMissingColumns=False)
            .groupBy("node")
            .agg(F.min("label").alias("label"), F.max("_old").alias("_old"))
            .localCheckpoint(eager=True)
        )
        changed = proposed.filter(F.col("label") != F.col("_old")).count()
        labels = proposed.drop("_old")
        if changed == 0:
            settled = labels.withColumnRenamed("label", "_settled")
            return nodes.join(settled, "node", "left").select("node", F.coalesce("_settled", "label").alias("label"))
    raise ComponentsDidNotConverge(
        f"story clustering did not converge in stories.max_iterations={max_iterations} rounds of "
        "label propagation; raise the limit (a chain of copies longer than that is unusual)"
    )


class ComponentsDidNotConverge(RuntimeError):
    """Label propagation still changed labels after ``max_iterations`` rounds."""


def with_story_measures(
    members: DataFrame, novelty_window_days: int, novelty_curve: str, novelty_decay: float, weighting: str
) -> DataFrame:
    """Requires all members of each story: ``article_id, story_id, published_at``; adds

    * ``rank_in_story``: 1 for the first seen (by ``published_at``, ties by ``article_id``);
    * ``story_size``: members of the story;
    * ``earlier_copies``: members ranked before this one and published at most
      ``novelty_window_days`` before it;
    * ``novelty``: 1.0 for the first, then decaying with ``earlier_copies`` (``novelty_col``);
    * ``story_weight``: ``W(size) / size`` (``story_total_weight_col``), so a story's members
      sum to W(size): 1 with the default weighting.
    """
    by_story = Window.partitionBy("story_id")
    ordered = by_story.orderBy(F.col("published_at").asc(), F.col("article_id").asc())
    micros = F.unix_micros(F.col("published_at"))
    window_micros = int(novelty_window_days) * 86_400_000_000
    # Members published more than the window before this one (all of them ranked earlier).
    too_old = by_story.orderBy(micros).rangeBetween(Window.unboundedPreceding, -window_micros - 1)
    return (
        members.withColumn("rank_in_story", F.row_number().over(ordered).cast("int"))
        .withColumn("story_size", F.count(F.lit(1)).over(by_story).cast("int"))
        .withColumn("earlier_copies", (F.col("rank_in_story") - 1 - F.count(F.lit(1)).over(too_old)).cast("int"))
        .withColumn("novelty", novelty_col(F.col("earlier_copies"), novelty_curve, novelty_decay))
        .withColumn(
            "story_weight", story_total_weight_col(F.col("story_size"), weighting) / F.col("story_size").cast("double")
        )
    )


def story_table(members: DataFrame) -> DataFrame:
    """One row per story from its members (``article_id, story_id, published_at, source,
    rank_in_story``): ``member_article_ids`` in rank order, the first-seen article and time,
    the last member's time, ``size`` and the sorted distinct ``sources``."""
    ranked = F.array_sort(F.collect_list(F.struct("rank_in_story", "article_id", "published_at")))
    return (
        members.groupBy("story_id")
        .agg(
            ranked.alias("_m"),
            F.max("published_at").alias("last_seen_at"),
            F.count(F.lit(1)).cast("int").alias("size"),
            F.array_sort(F.collect_set("source")).alias("sources"),
        )
        .select(
            "story_id",
            F.transform("_m", lambda m: m["article_id"]).alias("member_article_ids"),
            F.col("_m")[0]["article_id"].alias("first_seen_article_id"),
            F.col("_m")[0]["published_at"].alias("first_seen_at"),
            "last_seen_at",
            "size",
            F.size("sources").cast("int").alias("source_count"),
            "sources",
        )
    )
