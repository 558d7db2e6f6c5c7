"""The aggregate stage on a small silver lakehouse built inline: every gold table, incremental
recomputation of late weeks, identical full refresh, idempotence, Delta properties, readers
without Spark, maintenance, charts and export."""

import random
from datetime import date, datetime, timedelta

import pytest
from conftest import ROOT
from pyspark.sql import functions as F

from newslake import catalogue, io
from newslake.gold import maintenance
from newslake.gold import stage as gold_stage
from newslake.gold.export import export_main
from newslake.runs import RunContext

NAMES = {"tesla": "Tesla", "byd": "BYD", "nio": "Nio", "volkswagen": "Volkswagen"}
COUNTRY_NAMES = {"CN": "China", "US": "the United States", "DE": "Germany"}
GOLD = [table.name for table in catalogue.GOLD_TABLES]
W15, W16 = date(2024, 4, 8), date(2024, 4, 15)


# --- silver, built inline ---------------------------------------------------------------------


def article(article_id, published, sentences, dominant="ZZ", title=None):
    """``sentences``: (text, score, company ids, country codes) tuples."""
    return {
        "article_id": article_id,
        "published_at": published,
        "sentences": sentences,
        "dominant": dominant,
        "title": title or f"Article {article_id}",
    }


def _label(score):
    return "positive" if score > 0.2 else "negative" if score < -0.2 else "neutral"


def silver_rows(articles):
    """silver/articles, sentences, mentions and article_entities rows (dicts keyed by column),
    derived the way enrich derives them. A company named in an article's first sentence has
    relevance 1.0 there, any other 0.4."""
    arts, sents, ments, ents = [], [], [], []
    for a in articles:
        ts = a["published_at"]
        iso_year, iso_week, _ = ts.date().isocalendar()
        week = {
            "published_at": ts,
            "iso_year": iso_year,
            "iso_week": iso_week,
            "week_start": ts.date() - timedelta(days=ts.weekday()),
        }
        text, offsets = "", []
        for s_text, *_ in a["sentences"]:
            text += "\n\n" if text else ""
            offsets.append((len(text), len(text) + len(s_text) - 1))
            text += s_text
        mean = round(sum(s[1] for s in a["sentences"]) / len(a["sentences"]), 6)
        arts.append(
            {
                "article_id": a["article_id"],
                "title": a["title"],
                "url": f"https://news.example/{a['article_id']}",
                "source": "News Example",
                "language": "en",
                "date_source": "article",
                **week,
                "clean_text": text,
                "publisher_sentiment": None,
                "sentences": len(a["sentences"]),
                "sentiment_label": _label(mean),
                "sentiment_score": mean,
                "countries": sorted({c for *_, cs in a["sentences"] for c in cs}),
                "dominant_country": a["dominant"],
            }
        )
        lead = set(a["sentences"][0][2])
        for company_id in sorted({c for _, _, cs, _ in a["sentences"] for c in cs}):
            ents.append(
                {
                    "article_id": a["article_id"],
                    "company_id": company_id,
                    "company": NAMES[company_id],
                    "relevance": 1.0 if company_id in lead else 0.4,
                    **week,
                }
            )
        for i, ((s_text, score, companies, ctry), (begin, end)) in enumerate(zip(a["sentences"], offsets)):
            sents.append(
                {
                    "article_id": a["article_id"],
                    "sentence_index": i,
                    "char_begin": begin,
                    "char_end": end,
                    "sentence_text": s_text,
                    "sentiment_label": _label(score),
                    "sentiment_score": score,
                    "sentiment_confidence": 0.9,
                    "companies": sorted(companies),
                    "countries": sorted(ctry),
                    **week,
                }
            )
            for company_id in companies:
                for country in sorted(ctry) or [a["dominant"]]:
                    ments.append(
                        {
                            "article_id": a["article_id"],
                            "sentence_index": i,
                            "company_id": company_id,
                            "company": NAMES[company_id],
                            "matched_text": NAMES[company_id],
                            "char_begin": begin,
                            "char_end": begin + len(NAMES[company_id]) - 1,
                            "country": country,
                            "country_source": "sentence"
                            if ctry
                            else ("article" if a["dominant"] != "ZZ" else "unknown"),
                            "sentiment_label": _label(score),
                            "sentiment_score": score,
                            **week,
                        }
                    )
    return {"articles": arts, "sentences": sents, "mentions": ments, "article_entities": ents}


_DEFAULTS = {"string": "test", "int": 0, "bigint": 0, "double": 0.0, "boolean": False}


def _frame(spark, rows, schema):
    """``rows`` (dicts) as a frame of the silver ``schema``; columns the rows do not name (added to
    silver since) get a neutral value of their type."""

    def value(row, field):
        if field.name in row:
            return row[field.name]
        return [] if field.dataType.typeName() == "array" else _DEFAULTS[field.dataType.simpleString()]

    return spark.createDataFrame([tuple(value(r, f) for f in schema.fields) for r in rows], schema)


def write_silver(spark, lakehouse, articles):
    """Append the articles to silver like an enrich run (one commit per table)."""
    for name, rows in silver_rows(articles).items():
        schema = catalogue.table(f"silver/{name}").schema
        _frame(spark, rows, schema).write.format("delta").mode("append").partitionBy("iso_year").save(
            f"{lakehouse}/silver/{name}"
        )


def sample_articles():
    """Six weeks (2024-W14..W19) of articles about four carmakers, deterministic."""
    rng = random.Random(6)
    verbs = [
        "raised its outlook",
        "cut prices",
        "missed delivery targets",
        "won a large order",
        "faced a probe",
        "opened a plant",
        "recalled cars",
        "beat forecasts",
    ]
    articles = []
    for week in range(6):
        for k in range(3):
            published = datetime(2024, 4, 1, 9) + timedelta(days=7 * week + 2 * k, hours=k)
            sentences = []
            for _ in range(rng.randint(2, 4)):
                companies = rng.sample(sorted(NAMES), rng.choice([1, 1, 2]))
                countries = rng.sample(sorted(COUNTRY_NAMES), rng.choice([0, 1, 1, 2]))
                where = " and ".join(COUNTRY_NAMES[c] for c in countries) or "its home market"
                text = f"{' and '.join(NAMES[c] for c in companies)} {rng.choice(verbs)} in {where}."
                sentences.append((text, round(rng.uniform(-0.95, 0.95), 3), companies, countries))
            articles.append(article(f"a{week}{k}", published, sentences, dominant=rng.choice(["CN", "US", "ZZ"])))
    return articles


LATE = article(
    "late-tesla-recall",
    datetime(2024, 4, 10, 8),
    [
        ("Tesla recalled two million cars in the United States over autopilot flaws.", -0.99, ["tesla"], ["US"]),
        ("Regulators said Tesla and BYD face tougher scrutiny in China.", -0.6, ["tesla", "byd"], ["CN"]),
    ],
    dominant="US",
    title="Tesla recalls two million cars",
)


def make_settings(lakehouse, **overrides):
    from conftest import make_test_settings

    # conf/local.yaml writes charts; "" writes none (a None override would leave the YAML's value).
    return make_test_settings(**{"paths.lakehouse": str(lakehouse), "aggregate.charts_dir": "", **overrides})


def aggregate(spark, settings, full_refresh=False, ctx=None):
    ctx = ctx or RunContext.start("aggregate")
    return gold_stage.run_aggregate(spark, settings, ctx, full_refresh=full_refresh).counts


def versions(spark, lakehouse):
    return {name: io.table_version(spark, f"{lakehouse}/gold/{name}") for name in GOLD}


def rows(spark, lakehouse, name):
    frame = spark.read.format("delta").load(f"{lakehouse}/gold/{name}")
    return frame.orderBy(*frame.columns).collect()


def snapshot(spark, lakehouse):
    """Every gold table's rows in a fixed order."""
    return {name: rows(spark, lakehouse, name) for name in GOLD}


def week_files(spark, path, week):
    return sorted(spark.read.format("delta").load(path).filter(F.col("week_start") == F.lit(week)).inputFiles())


# --- the flow, run once for the module ---------------------------------------------------------


@pytest.fixture(scope="module")
def flow(spark, gold_lakehouse, tmp_path_factory):
    """First run (full: conftest's ``gold_lakehouse``, built once for the session, copied here), a
    second run (nothing new), a late article (incremental, writing the charts), then a full
    refresh; what each step saw."""
    lakehouse = gold_lakehouse.copy(tmp_path_factory.mktemp("gold") / "lake")
    settings = make_settings(lakehouse)
    result = {"lakehouse": lakehouse}
    result["first_counts"] = gold_lakehouse.counts
    result["first_versions"] = versions(spark, lakehouse)
    result["first_company"] = rows(spark, lakehouse, "sentiment_weekly_company")
    result["second_counts"] = aggregate(spark, settings)
    result["second_versions"] = versions(spark, lakehouse)
    weekly = f"{lakehouse}/gold/sentiment_weekly"
    result["files_before"] = {w: week_files(spark, weekly, w) for w in (date(2024, 4, 1), W15, W16, date(2024, 4, 22))}
    write_silver(spark, lakehouse, [LATE])
    result["charts_dir"] = tmp_path_factory.mktemp("charts")
    result["late_counts"] = aggregate(
        spark, make_settings(lakehouse, **{"aggregate.charts_dir": str(result["charts_dir"])})
    )
    result["late_versions"] = versions(spark, lakehouse)
    result["late"] = snapshot(spark, lakehouse)
    result["files_after"] = {w: week_files(spark, weekly, w) for w in result["files_before"]}
    result["full_counts"] = aggregate(spark, settings, full_refresh=True)
    result["full"] = snapshot(spark, lakehouse)
    return result


def test_first_run_builds_every_gold_table_with_its_layout(spark, flow):
    assert flow["first_counts"]["full_refresh"] == 1
    assert flow["first_counts"]["weeks_recomputed"] == 6
    for name in GOLD:
        path = f"{flow['lakehouse']}/gold/{name}"
        frame = spark.read.format("delta").load(path)
        declared = catalogue.table(f"gold/{name}").schema
        assert [(f.name, f.dataType) for f in frame.schema] == [(f.name, f.dataType) for f in declared]
        detail = spark.sql(f"DESCRIBE DETAIL delta.`{path}`").first()
        assert detail.properties.get("delta.enableChangeDataFeed") == "true", name
        expected = ["week_start"] if name not in ("companies", "countries") else []
        assert list(detail.partitionColumns) == expected, name
    gold = flow["full"]
    assert len(gold["sentiment_weekly_market"]) == 6
    assert {r.company_id for r in gold["sentiment_weekly_company"]} == set(NAMES)
    assert len(gold["companies"]) > 1000 and any(r.country == "ZZ" for r in gold["countries"])
    assert gold["evidence"] and max(r["rank"] for r in gold["evidence"]) <= 3
    # silver/article_entities exists: its relevance weights the weighted score and the evidence.
    assert any(r.relevance_weighted_score != r.mean_score for r in gold["sentiment_weekly"])
    assert {r.relevance for r in gold["evidence"]} == {0.4, 1.0}


def test_company_rollup_agrees_with_silver(spark, flow):
    """Company x week mentions count distinct (article, sentence, company) across countries."""
    silver = spark.read.format("delta").load(f"{flow['lakehouse']}/silver/mentions")
    expected = {
        (r.company_id, r.week_start): r.n
        for r in silver.groupBy("company_id", "week_start")
        .agg(F.countDistinct("article_id", "sentence_index").alias("n"))
        .collect()
    }
    gold = {(r.company_id, r.week_start): r.mentions for r in flow["late"]["sentiment_weekly_company"]}
    assert gold == expected


def test_second_run_writes_nothing(flow):
    assert flow["second_counts"]["weeks_recomputed"] == 0
    assert flow["second_versions"] == flow["first_versions"]  # no commit: the rows cannot have changed


def test_late_article_recomputes_its_week_and_the_next_only(spark, flow):
    counts = flow["late_counts"]
    assert (counts["full_refresh"], counts["weeks_recomputed"]) == (0, 2)
    before, after = flow["files_before"], flow["files_after"]
    assert after[date(2024, 4, 1)] == before[date(2024, 4, 1)]  # untouched weeks keep their files
    assert after[date(2024, 4, 22)] == before[date(2024, 4, 22)]
    assert after[W15] != before[W15] and after[W16] != before[W16]
    first = {(r.company_id, r.week_start): r for r in flow["first_company"]}
    late = {(r.company_id, r.week_start): r for r in flow["late"]["sentiment_weekly_company"]}
    assert late[("tesla", W15)].mentions == first[("tesla", W15)].mentions + 2
    assert late[("tesla", W16)].prev_week_mean_score == late[("tesla", W15)].mean_score
    assert late[("tesla", W16)].score_change == pytest.approx(
        late[("tesla", W16)].mean_score - late[("tesla", W15)].mean_score, abs=1e-6
    )
    unchanged = [k for k in first if k[1] not in (W15, W16)]
    assert unchanged and all(first[k] == late[k] for k in unchanged)
    # Change Data Feed: downstream loaders see only the two recomputed weeks.
    weekly = f"{flow['lakehouse']}/gold/sentiment_weekly"
    changed = (
        spark.read.format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", flow["second_versions"]["sentiment_weekly"] + 1)
        .option("endingVersion", flow["late_versions"]["sentiment_weekly"])
        .load(weekly)
    )
    assert {r.week_start for r in changed.select("week_start").distinct().collect()} == {W15, W16}
    evidence = [r for r in flow["late"]["evidence"] if r.article_id == LATE["article_id"]]
    assert {(r.company_id, r.sign, r["rank"]) for r in evidence} >= {("tesla", "negative", 1)}
    top = next(r for r in evidence if r.company_id == "tesla" and r["rank"] == 1)
    assert (top.sentence_index, top.score, top.url) == (0, -0.99, "https://news.example/late-tesla-recall")
    text = LATE["sentences"][0][0]
    assert (top.sentence_text, top.char_begin, top.char_end) == (text, 0, len(text) - 1)


def test_full_refresh_gives_identical_rows(flow):
    assert flow["full_counts"]["full_refresh"] == 1
    for name in GOLD:
        assert flow["full"][name] == flow["late"][name], name


def test_charts_written_as_png(flow):
    assert flow["late_counts"]["charts_written"] == 3
    for name in ("weekly_sentiment.png", "company_country_heatmap.png", "biggest_move_evidence.png"):
        data = (flow["charts_dir"] / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name


def _plain(value):
    """A value as both Spark and delta-rs give it back, comparable."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat()
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().replace(tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(records):
    return sorted((tuple(_plain(v) for v in r) for r in records), key=repr)


def test_gold_is_readable_without_spark(spark, flow):
    """delta-rs gives back the rows Spark wrote, and DuckDB queries them through delta-rs's
    Arrow dataset (DuckDB's own delta extension is fetched at run time, so it is not relied on)."""
    import duckdb
    from deltalake import DeltaTable

    for name in GOLD:
        path = f"{flow['lakehouse']}/gold/{name}"
        table = DeltaTable(path)
        assert table.version() == io.table_version(spark, path)
        frame = table.to_pandas()
        columns = [f.name for f in catalogue.table(f"gold/{name}").schema]
        assert list(frame.columns) == columns
        assert _rows(frame[columns].itertuples(index=False)) == _rows(flow["full"][name]), name
    dataset = DeltaTable(f"{flow['lakehouse']}/gold/sentiment_weekly").to_pyarrow_dataset()
    con = duckdb.connect()
    con.register("weekly", dataset)
    got = con.execute("SELECT count(*), sum(mentions), round(sum(mean_score), 6) FROM weekly").fetchone()
    rows = flow["full"]["sentiment_weekly"]
    assert got == (len(rows), sum(r.mentions for r in rows), round(sum(r.mean_score for r in rows), 6))


def test_export_writes_one_parquet_and_one_csv_file(flow, tmp_path):
    import pandas as pd

    base = ["--conf", str(ROOT / "conf" / "local.yaml"), "--lakehouse", str(flow["lakehouse"]), "--out", str(tmp_path)]
    assert export_main(base + ["--table", "gold/sentiment_weekly", "--format", "parquet"]) == 0
    assert export_main(base + ["--table", "gold/companies", "--format", "csv"]) == 0
    assert export_main(base + ["--table", "gold/nope", "--format", "csv"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["companies.csv", "sentiment_weekly.parquet"]
    weekly = pd.read_parquet(tmp_path / "sentiment_weekly.parquet")
    assert _rows(weekly.itertuples(index=False)) == _rows(flow["full"]["sentiment_weekly"])
    companies = pd.read_csv(tmp_path / "companies.csv", keep_default_na=False)
    tesla = companies[companies.company_id == "tesla"].iloc[0]
    assert (tesla.company, tesla.hq_country, tesla.sector) == ("Tesla", "US", "Consumer Discretionary")
    assert "NASDAQ:TSLA" in tesla.tickers.split("|")
    assert len(companies) == len(flow["full"]["companies"])


def test_optimize_zorders_the_recomputed_weeks_and_vacuums(spark, flow):
    """What ``aggregate.optimize`` runs after a write (here on one table and one week)."""
    settings = make_settings(flow["lakehouse"], **{"aggregate.optimize": True})
    weekly = catalogue.GOLD_WEEKLY_TABLES[0]
    path = f"{flow['lakehouse']}/gold/{weekly.name}"
    before = rows(spark, flow["lakehouse"], weekly.name)
    maintenance.maintain(spark, settings.lakehouse_root(), [weekly], [W15], settings.aggregate.vacuum_retention_hours)
    history = spark.sql(f"DESCRIBE HISTORY delta.`{path}`").select("operation", "operationParameters").collect()
    assert [r.operation for r in history[:3]] == ["VACUUM END", "VACUUM START", "OPTIMIZE"]
    optimize = history[2].operationParameters
    assert optimize["zOrderBy"] == '["company_id","country"]' and "2024-04-08" in optimize["predicate"]
    assert rows(spark, flow["lakehouse"], weekly.name) == before
