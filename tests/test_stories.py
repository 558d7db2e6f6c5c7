"""Stories, not copies (issue #9): near-duplicate clustering, novelty, weights, incremental runs.

The labeled set ``tests/data/labeled/story_pairs.jsonl`` (invented text) holds pairs of
articles: syndicated copies with different boilerplate and rewrites (duplicates), different
stories about the same company on the same day and unrelated stories (not duplicates). All
pairs go through the clustering at once, as one batch published on one day, and the duplicate
decision of a pair is "both articles end in the same story".
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from chispa import assert_df_equality
from pyspark.sql import functions as F

from newslake import io
from newslake.catalogue import BRONZE_ARTICLES, SILVER_ARTICLE_SIGNATURES, SILVER_ARTICLE_STORIES, SILVER_STORIES
from newslake.config import StorySettings
from newslake.runs import RunContext
from newslake.stories import minhash as M
from newslake.stories.stage import StorySettingsChanged, cluster_batch, run_stories, sign_articles

PAIRS = Path(__file__).parent / "data" / "labeled" / "story_pairs.jsonl"
KINDS = {"rewrite": True, "syndicated": True, "different_story_same_company": False, "unrelated": False}
CFG = StorySettings()


def load_pairs():
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]


# --- the labeled set -----------------------------------------------------------------------------


def test_labeled_pairs_file_is_well_formed():
    pairs = load_pairs()
    assert len(pairs) >= 80
    assert len({p["id"] for p in pairs}) == len(pairs)
    counts = Counter(p["kind"] for p in pairs)
    assert set(counts) == set(KINDS) and min(counts.values()) >= 10, counts
    for pair in pairs:
        assert set(pair) == {"id", "kind", "duplicate", "a", "b"}, pair["id"]
        assert pair["duplicate"] is KINDS[pair["kind"]], pair["id"]
        for side in ("a", "b"):
            assert set(pair[side]) == {"title", "body", "source"}, pair["id"]
            assert all(isinstance(v, str) and v.strip() for v in pair[side].values()), pair["id"]
        assert pair["a"]["body"] != pair["b"]["body"], pair["id"]


def test_labeled_pairs_precision_and_recall(spark):
    """Every article of every pair in one batch, on one day: the duplicate decision of a pair is
    whether the clustering puts both in one story. Precision and recall each >= 0.95."""
    pairs = load_pairs()
    day = datetime(2024, 3, 12, 9, 0)
    rows = []
    for n, pair in enumerate(pairs):
        for k, side in enumerate(("a", "b")):
            doc = pair[side]
            rows.append((f"{pair['id']}/{side}", day + timedelta(minutes=3 * n + 90 * k), doc["source"], doc["body"]))
    articles = spark.createDataFrame(rows, "article_id string, published_at timestamp, source string, text string")
    signed = sign_articles(articles, CFG).persist()
    story_of = {r.article_id: r.story_id for r in cluster_batch(signed, CFG).collect()}
    sides = signed.select(F.split("article_id", "/")[0].alias("pair"), "article_id")
    both_sides = (
        sides.filter(F.col("article_id").endswith("/a"))
        .select("pair", F.col("article_id").alias("article_a"))
        .join(
            sides.filter(F.col("article_id").endswith("/b")).select("pair", F.col("article_id").alias("article_b")),
            "pair",
        )
    )
    similarity = {
        (r.article_a, r.article_b): r.similarity
        for r in M.verified_pairs(both_sides.drop("pair"), signed.select("article_id", "shingle_ids"), 0.0).collect()
    }
    signed.unpersist()

    tp = fp = fn = tn = 0
    wrong = []
    per_kind = Counter()
    for pair in pairs:
        a, b = f"{pair['id']}/a", f"{pair['id']}/b"
        predicted = story_of[a] == story_of[b]
        truth = pair["duplicate"]
        tp += predicted and truth
        fp += predicted and not truth
        fn += truth and not predicted
        tn += not truth and not predicted
        per_kind[(pair["kind"], predicted == truth)] += 1
        if predicted != truth:
            wrong.append(f"{pair['id']} ({pair['kind']}, jaccard {similarity.get((a, b), 0.0):.3f})")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(
        f"\nstory pairs: {len(pairs)} (threshold {CFG.threshold}, {CFG.shingle_size}-word shingles, "
        f"{CFG.bands}x{CFG.band_rows} bands); tp={tp} fp={fp} fn={fn} tn={tn}"
    )
    print(f"duplicate decision: precision {precision:.3f}, recall {recall:.3f}")
    for kind in KINDS:
        right, total = per_kind[(kind, True)], per_kind[(kind, True)] + per_kind[(kind, False)]
        sims = sorted(
            v
            for (x, _), v in similarity.items()
            if next(p["kind"] for p in pairs if p["id"] == x.split("/")[0]) == kind
        )
        print(f"  {kind:<30} {right}/{total} right; jaccard {sims[0]:.3f} .. {sims[-1]:.3f}")
    if wrong:
        print("  wrong:", ", ".join(wrong))
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, wrong)


# --- column helpers and transformations -----------------------------------------------------------


def test_story_text_drops_wire_credit_and_syndication_lines(spark):
    body = (
        "FRANKFURT, March 12 (Northbridge Wire) - Siemens won an order.\n\nThe trains come in 2029.\n\n"
        "(Reporting by Dana Whitfield; Editing by Mark Oyelaran)\n\nRead more: Siemens shares slide\n\n"
        "Copyright 2024 Coastline Press. All rights reserved.\n\n"
        "This article was originally published by Atlas Business Service and is republished here."
    )
    df = spark.createDataFrame([(body,), ("(Coastline Press) -- Siemens won an order.",)], "text string")
    out = [
        r.story_text.strip()
        for r in df.transform(M.with_story_text, CFG.dateline_pattern, CFG.boilerplate_line_patterns).collect()
    ]
    assert out[0].split() == "Siemens won an order. The trains come in 2029.".split()
    assert out[1] == "Siemens won an order."


def test_shingles_ignore_case_quotes_and_punctuation(spark):
    df = spark.createDataFrame(
        [
            ("“It’s a deal,” said Ms. Ruiz — finally.",),
            ('"It\'s a DEAL", said Ms Ruiz... finally',),
            ("Two words",),
            ("",),
        ],
        "story_text string",
    )
    rows = df.transform(M.with_shingles, 3).collect()
    assert rows[0].shingles == ["its a deal", "a deal said", "deal said ms", "said ms ruiz", "ms ruiz finally"]
    assert rows[1].shingle_ids == rows[0].shingle_ids
    assert rows[2].shingles == ["two words"]
    assert rows[3].shingles == [] and rows[3].shingle_ids == []


def test_signatures_are_stable_and_bands_find_copies_within_the_horizon(spark):
    text = (
        "Volkswagen plans to cut about 2,000 administrative jobs at its headquarters in Wolfsburg by the end "
        "of 2026 through early retirement and by not filling vacancies, the carmaker said on Tuesday."
    )
    other = "Nestle will raise prices for its pet food in Europe by an average of 4% from May, a letter showed."
    rows = [
        ("a", datetime(2024, 3, 1), "s1", text),
        ("b", datetime(2024, 3, 2), "s2", "(Wire) - " + text),
        ("c", datetime(2024, 5, 1), "s3", text),
        ("d", datetime(2024, 3, 1), "s4", other),
        ("e", datetime(2024, 3, 1), "s5", "   "),
    ]
    df = spark.createDataFrame(rows, "article_id string, published_at timestamp, source string, text string")
    signed = sign_articles(df, CFG)
    again = sign_articles(df, CFG)
    assert_df_equality(signed, again, ignore_row_order=True)
    sig = {r.article_id: r for r in signed.collect()}
    assert len(sig["a"].signature) == CFG.num_hash_tables and len(sig["a"].band_keys) == CFG.bands
    assert sig["a"].signature == sig["b"].signature == sig["c"].signature
    assert sig["e"].signature is None and sig["e"].band_keys is None and sig["e"].shingle_count == 0
    pairs = {(r.article_a, r.article_b) for r in M.candidate_pairs(signed, signed, CFG.horizon_days).collect()}
    assert pairs == {("a", "b")}  # c is 60 days later, d shares no band, e has no words


def test_connected_components_take_the_smallest_label(spark):
    nodes = spark.createDataFrame(
        [(n, (t, n)) for n, t in [("a", 3), ("b", 1), ("c", 2), ("d", 5), ("e", 4), ("f", 0)]],
        "node string, label struct<t:int, id:string>",
    )
    edges = spark.createDataFrame(
        [("a", "b"), ("b", "c"), ("c", "a"), ("c", "c"), ("d", "e")], "src string, dst string"
    )
    got = {r.node: r.label.id for r in M.connected_components(nodes, edges, 10).collect()}
    assert got == {"a": "b", "b": "b", "c": "b", "d": "e", "e": "e", "f": "f"}
    chain = spark.createDataFrame(
        [(str(i), (i, str(i))) for i in range(6)], "node string, label struct<t:int, id:string>"
    )
    links = spark.createDataFrame([(str(i), str(i + 1)) for i in range(5)], "src string, dst string")
    with pytest.raises(M.ComponentsDidNotConverge):
        M.connected_components(chain, links, 2)


def test_story_measures_rank_novelty_and_weights(spark):
    t0 = datetime(2024, 3, 1, 12, 0)
    members = spark.createDataFrame(
        [
            ("x1", "x", t0),
            ("x0", "x", t0),
            ("x2", "x", t0 + timedelta(days=1)),
            ("x3", "x", t0 + timedelta(days=10)),
            ("y1", "y", t0),
        ],
        "article_id string, story_id string, published_at timestamp",
    )
    out = members.transform(M.with_story_measures, 7, "reciprocal", 0.5, "one").select(
        "article_id", "rank_in_story", "story_size", "earlier_copies", "novelty", "story_weight"
    )
    expected = spark.createDataFrame(
        [
            ("x0", 1, 4, 0, 1.0, 0.25),
            ("x1", 2, 4, 1, 0.5, 0.25),
            ("x2", 3, 4, 2, 1 / 3, 0.25),
            ("x3", 4, 4, 0, 1.0, 0.25),  # 10 days on: no copy within the 7-day window, novel again
            ("y1", 1, 1, 0, 1.0, 1.0),
        ],
        "article_id string, rank_in_story int, story_size int, earlier_copies int, novelty double, story_weight double",
    )
    assert_df_equality(out, expected, ignore_row_order=True, ignore_nullable=True)
    curved = {
        r.article_id: r for r in members.transform(M.with_story_measures, 7, "exponential", 0.5, "sqrt").collect()
    }
    assert curved["x2"].novelty == pytest.approx(0.36787944, rel=1e-6)
    assert sum(r.story_weight for r in curved.values() if r.story_id == "x") == pytest.approx(2.0)


def test_story_table_lists_members_in_rank_order(spark):
    t0 = datetime(2024, 3, 1)
    members = spark.createDataFrame(
        [
            ("b", "a", t0 + timedelta(hours=1), "Beta", 2),
            ("a", "a", t0, "Alpha", 1),
            ("c", "a", t0 + timedelta(hours=2), "Alpha", 3),
        ],
        "article_id string, story_id string, published_at timestamp, source string, rank_in_story int",
    )
    row = M.story_table(members).first()
    assert row.member_article_ids == ["a", "b", "c"] and row.first_seen_article_id == "a"
    assert row.first_seen_at == t0 and row.last_seen_at == t0 + timedelta(hours=2)
    assert (row.size, row.source_count, row.sources) == (3, 2, ["Alpha", "Beta"])


def test_settings_reject_banding_that_misses_pairs_at_the_threshold():
    assert CFG.candidate_probability(CFG.threshold) >= 0.9
    with pytest.raises(ValueError, match="probability"):
        StorySettings(num_hash_tables=20, band_rows=5)
    with pytest.raises(ValueError, match="multiple"):
        StorySettings(num_hash_tables=100, band_rows=3)


# --- the stage: incremental runs across weeks ---------------------------------------------------

STORY_X = (
    "Siemens Mobility has won an order worth about 700 million euros to build 41 regional trains for "
    "Austria's federal railways, the German engineering group said. The trains will be built at the "
    "company's plant in Vienna, with the first deliveries scheduled for 2027. The contract also includes an "
    "option for up to 60 more units."
)
STORY_Y = (
    "Nestle will close its frozen food factory in Ontario by the end of the year and move production to its "
    "plants in the United States, the Swiss food group said. About 160 people work at the site, which makes "
    "frozen pizza and snacks for the Canadian market."
)
STORY_Z = (
    "Maersk has ordered 12 container ships that can run on methanol from a shipyard in South Korea, with "
    "deliveries from 2027, the Danish shipping group said. Each vessel will be able to carry about 9,000 "
    "containers, and the company did not disclose the price."
)


def _bronze(spark, rows):
    """Minimal bronze/articles rows: (article_id, published_at, source, body)."""
    now = datetime(2024, 4, 1)
    data = [
        dict(
            article_id=a,
            source_file="f",
            record_number=1,
            byte_offset=None,
            source_format="jsonl",
            ingest_run_id="r",
            ingested_at=now,
            first_seen_at=now,
            last_seen_at=now,
            seen_count=1,
            seen_in=None,
            raw_payload=None,
            title=None,
            body=body,
            url=None,
            source=src,
            language="en",
            detected_language="en",
            author=None,
            published_raw=None,
            published_at=ts,
            date_source="article",
            dump_date=None,
        )
        for a, ts, src, body in rows
    ]
    return spark.createDataFrame(data, BRONZE_ARTICLES.schema)


def _table(spark, settings, table, columns):
    return io.read(spark, settings.lakehouse_root(), table, empty_if_missing=False).select(*columns)


def test_incremental_runs_equal_a_full_refresh_across_weeks(spark, settings_factory, tmp_path):
    """Run 1 (ISO week 10): X and a copy, Y, Z. Run 2 (week 11): a later copy of X (one story
    across the week boundary), an article that copies both Y and Z (the stories merge) and a
    copy of Z published *before* Z (a late arrival: the story takes its id)."""
    settings = settings_factory()
    root = settings.lakehouse_root()
    sun = datetime(2024, 3, 10, 9, 0)  # Sunday of ISO week 10
    week1 = [
        ("x1", sun, "Alpine Post", STORY_X),
        ("x2", sun + timedelta(hours=3), "Wire Two", "(Wire Two) - " + STORY_X),
        ("y1", sun, "Maple Daily", STORY_Y),
        ("z1", sun + timedelta(hours=1), "Harbour News", STORY_Z),
    ]
    week2 = [
        ("x3", sun + timedelta(days=1), "Late Herald", STORY_X + "\n\nRead more: other news"),
        ("yz", sun + timedelta(days=1, hours=2), "Digest", STORY_Y + "\n\n" + STORY_Z),
        ("z0", sun - timedelta(hours=2), "Early Bird", STORY_Z + "\n\nCopyright Early Bird."),
    ]
    io.append_rows(spark, root, BRONZE_ARTICLES, _bronze(spark, week1))
    first = run_stories(spark, settings, RunContext.start("stories")).counts
    assert (first["rows_in"], first["duplicate_pairs"], first["stories_touched"]) == (4, 1, 3)
    io.append_rows(spark, root, BRONZE_ARTICLES, _bronze(spark, week2))
    second = run_stories(spark, settings, RunContext.start("stories")).counts
    assert second["rows_in"] == 3 and second["stories_absorbed"] == 2, second  # y1 and z1 -> z0

    columns = ["article_id", "story_id", "rank_in_story", "story_size", "earlier_copies", "novelty", "story_weight"]
    incremental = _table(spark, settings, SILVER_ARTICLE_STORIES, columns)
    expected = spark.createDataFrame(
        [
            ("x1", "x1", 1, 3, 0, 1.0, 1 / 3),
            ("x2", "x1", 2, 3, 1, 0.5, 1 / 3),
            ("x3", "x1", 3, 3, 2, 1 / 3, 1 / 3),
            ("z0", "z0", 1, 4, 0, 1.0, 0.25),
            ("y1", "z0", 2, 4, 1, 0.5, 0.25),
            ("z1", "z0", 3, 4, 2, 1 / 3, 0.25),
            ("yz", "z0", 4, 4, 3, 0.25, 0.25),
        ],
        "article_id string, story_id string, rank_in_story int, story_size int, earlier_copies int, "
        "novelty double, story_weight double",
    )
    assert_df_equality(incremental, expected, ignore_row_order=True, ignore_nullable=True)

    stories = _table(spark, settings, SILVER_STORIES, SILVER_STORIES.schema.fieldNames())
    assert sorted(r.story_id for r in stories.collect()) == ["x1", "z0"]  # y1's and z1's stories merged
    x = stories.filter("story_id = 'x1'").first()
    assert x.member_article_ids == ["x1", "x2", "x3"] and x.sources == ["Alpine Post", "Late Herald", "Wire Two"]
    # The story spans ISO weeks 10 and 11 with one id; each week counts its members' weights.
    per_week = {
        r.iso_week: r.weight
        for r in io.read(spark, root, SILVER_ARTICLE_STORIES, empty_if_missing=False)
        .filter("story_id = 'x1'")
        .groupBy(F.weekofyear("published_at").alias("iso_week"))
        .agg(F.sum("story_weight").alias("weight"))
        .collect()
    }
    assert per_week == pytest.approx({10: 2 / 3, 11: 1 / 3})

    # Nothing new: nothing changes.
    version = io.table_version(spark, SILVER_ARTICLE_STORIES.path(root))
    assert run_stories(spark, settings, RunContext.start("stories")).counts["rows_in"] == 0
    assert io.table_version(spark, SILVER_ARTICLE_STORIES.path(root)) == version

    # A full refresh over the same articles gives the same stories.
    refreshed = settings_factory(**{"paths.lakehouse": str(tmp_path / "refreshed")})
    io.append_rows(spark, refreshed.lakehouse_root(), BRONZE_ARTICLES, _bronze(spark, week1 + week2))
    full = run_stories(spark, refreshed, RunContext.start("stories"), full_refresh=True).counts
    assert full["rows_in"] == 7
    assert_df_equality(_table(spark, refreshed, SILVER_ARTICLE_STORIES, columns), incremental, ignore_row_order=True)
    assert_df_equality(
        _table(spark, refreshed, SILVER_STORIES, ["story_id", "member_article_ids", "size", "sources"]),
        stories.select("story_id", "member_article_ids", "size", "sources"),
        ignore_row_order=True,
    )
    signatures = io.read(spark, refreshed.lakehouse_root(), SILVER_ARTICLE_SIGNATURES, empty_if_missing=False)
    assert sorted(signatures.columns) == sorted(SILVER_ARTICLE_SIGNATURES.schema.fieldNames())
    assert sorted(incremental.columns) == sorted(columns) and set(columns) <= set(
        SILVER_ARTICLE_STORIES.schema.fieldNames()
    )

    # Other shingling settings cannot be mixed with the stored signatures.
    with pytest.raises(StorySettingsChanged):
        run_stories(spark, settings_factory(**{"stories.shingle_size": 4}), RunContext.start("stories"))
