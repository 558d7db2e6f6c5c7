"""Company and country linking on the hand-labeled set (one annotation run over all 165
passages plus a few constructed ones), and the linker's rules one by one."""

import json

import pytest
from conftest import ROOT, make_test_settings
from pyspark.ml import Pipeline
from pyspark.sql import functions as F
from sparknlp.base import DocumentAssembler

from newslake.evaluation import linking as E
from newslake.nlp import gazetteer as G
from newslake.nlp.pipeline import matcher_phrases, news_tokenizer, phrase_tokens
from newslake.silver.annotate import annotate, linking_resources

GOLD = ROOT / "tests" / "data" / "labeled" / "linking_gold.jsonl"
EXTRA = {
    "x-coref": "Nio said on Tuesday its March deliveries rose 40%.\n\nThe Shanghai-based carmaker said demand recovered. "
    "The company's shares jumped.",
    "x-two": "Ford and GM reported sales. The company said demand was strong.",
    "x-sector": "Tesla cut prices again. The bank said it would raise rates.",
    "x-before": "The company said profit rose. Siemens later confirmed the figure.",
    "x-forms": "Teslas and BYDs sold well. Tesla’s shares rose; (NYSE:TGT) slipped and Meta Platforms rallied.",
    "x-tickers": "AI stocks rose 3% as CEO pay rose. GDP grew 2%.",
    "x-metonym": "Beijing announced new subsidies. Washington added firms to a list. Prices in Tokyo rose.",
}


@pytest.fixture(scope="module")
def linked(spark):
    settings = make_test_settings()
    rows = E.load_gold(str(GOLD))
    df = spark.createDataFrame(
        [(r["id"], r["text"]) for r in rows] + list(EXTRA.items()), "article_id string, clean_text string"
    )
    with linking_resources(spark, settings.paths.gazetteer, settings.enrich) as resources:
        result = annotate(df, resources, settings.enrich)
        companies = result.companies.localCheckpoint()
        countries = result.countries.localCheckpoint()
        result.unpersist()
    return rows, companies, countries


def _sets(frame, col):
    return {
        r.article_id: set(r.ids) for r in frame.groupBy("article_id").agg(F.collect_set(col).alias("ids")).collect()
    }


def test_company_linking_precision_and_recall(linked):
    rows, companies, countries = linked
    result = E.score(rows, {"companies": _sets(companies, "company_id"), "countries": _sets(countries, "country")})
    print("\ncompany linking:", json.dumps(result["companies"]))
    assert result["companies"]["precision"] >= 0.95 and result["companies"]["recall"] >= 0.95


def test_country_linking_precision_and_recall(linked):
    rows, companies, countries = linked
    result = E.score(rows, {"companies": _sets(companies, "company_id"), "countries": _sets(countries, "country")})
    print("\ncountry linking:", json.dumps(result["countries"]))
    assert result["countries"]["precision"] >= 0.95 and result["countries"]["recall"] >= 0.95


def _mentions(frame, article_id):
    return sorted(
        (r.company_id, r.matched_text, r.link_method, r.sentence_index)
        for r in frame.filter(F.col("article_id") == article_id).collect()
    )


def test_ticker_forms(linked):
    _, companies, _ = linked
    # "$TSLA is up 8% premarket after the company's robotaxi event, while $NVDA slipped 1%."
    assert _mentions(companies, "ln-041") == [
        ("nvidia", "$NVDA", "ticker", 0),
        ("tesla", "$TSLA", "ticker", 0),
        ("tesla", "the company", "coreference", 0),
    ]
    assert ("apple", "NASDAQ: AAPL", "ticker", 0) in _mentions(companies, "ln-042")
    assert ("tesla", "TSLA", "ticker", 0) in _mentions(companies, "ln-075")
    # "AI" (Air Liquide's Paris symbol), "CEO", "GDP": no company
    assert _mentions(companies, "x-tickers") == []


def test_plurals_possessives_and_exchange_prefix(linked):
    _, companies, _ = linked
    found = {(c, t) for c, t, _, _ in _mentions(companies, "x-forms")}
    assert {
        ("tesla", "Teslas"),
        ("byd", "BYDs"),
        ("tesla", "Tesla"),
        ("target", "NYSE:TGT"),
        ("meta-platforms", "Meta Platforms"),
    } <= found
    assert "nasdaq" not in {c for c, _ in found}


def test_coreference_to_the_only_company_in_scope(linked):
    _, companies, _ = linked
    assert _mentions(companies, "x-coref") == [
        ("nio", "Nio", "alias", 0),
        ("nio", "The Shanghai-based carmaker", "coreference", 1),
        ("nio", "The company", "coreference", 2),
    ]
    # two companies in scope, a head noun of another sector, no company before: no reference
    assert {m[2] for m in _mentions(companies, "x-two")} == {"alias"}
    assert {m[2] for m in _mentions(companies, "x-sector")} == {"alias"}
    assert {m[2] for m in _mentions(companies, "x-before")} == {"alias"}


def test_capitals_are_not_countries_by_default(linked):
    _, _, countries = linked
    assert not countries.filter(F.col("article_id") == "x-metonym").collect()


def test_capitals_as_metonyms_option(spark):
    settings = make_test_settings(**{"enrich.capitals_as_metonyms": True})
    df = spark.createDataFrame(
        [("m", EXTRA["x-metonym"]), ("s", "Apple growers in Washington state expect a frost.")],
        "article_id string, clean_text string",
    )
    with linking_resources(spark, settings.paths.gazetteer, settings.enrich) as resources:
        result = annotate(df, resources, settings.enrich)
        found = sorted((r.article_id, r.country, r.matched_text) for r in result.countries.collect())
        result.unpersist()
    assert found == [("m", "CN", "Beijing"), ("m", "US", "Washington")]


def test_matcher_phrases_are_tokenized_like_the_pipeline(spark):
    settings = make_test_settings()
    forms = sorted(
        {f for e in G.read_companies(settings.paths.gazetteer) for f in G.company_surface_forms(e)}
        | {f for e in G.read_countries(settings.paths.gazetteer) for f in G.country_surface_forms(e, True)}
    )
    forms = [f for f in forms if not f.replace(" ", "").isalnum()]  # plain words split at spaces only
    texts = forms + [f + "-x" for f in forms]
    df = spark.createDataFrame([(t,) for t in texts], "text string")
    document = DocumentAssembler().setInputCol("text").setOutputCol("document").setCleanupMode("disabled")
    rows = (
        Pipeline(stages=[document, news_tokenizer("document")])
        .fit(df)
        .transform(df)
        .select("text", F.col("token.result").alias("tokens"))
        .collect()
    )
    mismatched = [r.text for r in rows if list(r.tokens) != phrase_tokens(r.text)]
    assert not mismatched, mismatched[:20]
    assert "U.S ." in matcher_phrases(["U.S."]) and "U.S." in matcher_phrases(["U.S."])
