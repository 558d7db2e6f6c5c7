"""Wire copy: Reuters instrument codes, datelines, organisations that imply a country, and a
user's point-in-time universe (``paths.universe``) on 2008-style news. One annotation run
over all constructed passages; the universe file checks are plain Python."""

import datetime as dt
import json

import pytest
from conftest import ROOT, make_test_settings
from pyspark.sql import functions as F

from newslake.evaluation import linking as E
from newslake.nlp import gazetteer as G
from newslake.silver.annotate import annotate, linking_resources

UNIVERSE = ROOT / "conf" / "universes" / "defunct_and_renamed.csv"
WIRE_TICKERS = ROOT / "tests" / "data" / "labeled" / "wire_tickers.jsonl"

LEHMAN = (
    "NEW YORK (Reuters) - Lehman Brothers Holdings Inc ( LEH.N ) filed for bankruptcy on Monday, and "
    "Bank of America Corp ( BAC.N ) agreed to buy Merrill Lynch & Co ( MER.N ) for $50 billion. "
    "Shares of Washington Mutual and Wachovia Corp fell."
)
ARTICLES = [
    # id, published (None: no date), text
    ("w-2008", dt.datetime(2008, 9, 15, 14, 0), LEHMAN),
    ("w-2024", dt.datetime(2024, 9, 16, 14, 0), LEHMAN),
    ("w-nodate", None, LEHMAN),
    ("w-fb-2015", dt.datetime(2015, 4, 22, 9, 0), "Facebook Inc ( FB.O ) said its user count rose. Meta is a prefix."),
    ("w-fb-2023", dt.datetime(2023, 4, 26, 9, 0), "Meta Platforms Inc said Facebook had 3 billion users."),
    ("w-tw-2020", dt.datetime(2020, 7, 16, 9, 0), "Twitter Inc said hackers took over 130 accounts."),
    ("w-tw-2024", dt.datetime(2024, 5, 2, 9, 0), "The social network X, formerly Twitter, said ad sales fell."),
    ("w-tokyo", None, "TOKYO, March 3 - The yen rose as exporters sold dollars."),
    ("w-calif", None, "SAN MATEO, Calif., March 3 - The company said sales rose."),
    ("w-alberta", None, "CALGARY, Alberta, March 4 - Morrison Petroleums said it will have a gain."),
    ("w-paren", None, "WASHINGTON (Reuters) - The Bundesbank and the Bank of Japan held rates."),
    ("w-opec", None, "OPEC and the Inter-American Development Bank met in Vienna (no country named)."),
    ("w-nodash", None, "Apple, Google and Amazon - three firms - led gains."),
]


@pytest.fixture(scope="module")
def wire(spark):
    settings = make_test_settings(**{"paths.universe": str(UNIVERSE)})
    df = spark.createDataFrame(ARTICLES, "article_id string, published_at timestamp, clean_text string")
    with linking_resources(spark, settings.paths.gazetteer, settings.enrich, settings.paths.universe) as resources:
        result = annotate(df, resources, settings.enrich)
        companies = result.companies.localCheckpoint()
        countries = result.countries.localCheckpoint()
        result.unpersist()
    return _sets(companies, "company_id"), _sets(countries, "country"), companies


def _sets(frame, col):
    return {
        r.article_id: set(r.ids) for r in frame.groupBy("article_id").agg(F.collect_set(col).alias("ids")).collect()
    }


def test_2008_wire_copy_links_defunct_firms_inside_their_windows(wire):
    companies, _, mentions = wire
    assert companies["w-2008"] == {
        "lehman-brothers",
        "bank-of-america",
        "merrill-lynch",
        "washington-mutual",
        "wachovia",
    }
    # Sixteen years on the names no longer mean those firms; Bank of America is undated.
    assert companies["w-2024"] == {"bank-of-america"}
    # No publication date: inside no window.
    assert companies["w-nodate"] == {"bank-of-america"}
    rics = {
        (r.matched_text, r.company_id)
        for r in mentions.filter("article_id = 'w-2008' AND link_method = 'ticker'").collect()
    }
    assert rics == {("LEH.N", "lehman-brothers"), ("BAC.N", "bank-of-america"), ("MER.N", "merrill-lynch")}


def test_a_rename_links_the_name_in_use_at_the_time(wire):
    companies, _, _ = wire
    assert companies["w-fb-2015"] == {"facebook"}  # "Meta is a prefix": no Meta Platforms in 2015
    assert companies["w-fb-2023"] == {"meta-platforms"}  # Facebook, the old name, is a product here
    # One name, two universe rows with disjoint windows: the window decides.
    assert companies["w-tw-2020"] == {"twitter"}
    assert companies["w-tw-2024"] == {"x-corp"}


def test_datelines_give_their_place_country(wire):
    _, countries, _ = wire
    assert countries["w-tokyo"] == {"JP"}
    assert countries["w-calif"] == {"US"}
    assert countries["w-alberta"] == {"CA"}
    assert countries["w-2008"] == {"US"}
    assert "w-nodash" not in countries


def test_organisations_imply_their_country_or_none(wire):
    _, countries, _ = wire
    assert countries["w-paren"] == {"US", "DE", "JP"}  # WASHINGTON dateline, Bundesbank, Bank of Japan
    assert "w-opec" not in countries  # neither OPEC nor "Inter-American" gives a country


def test_ric_linking_on_the_labeled_wire_set(spark):
    settings = make_test_settings()
    result = E.evaluate_rics(spark, str(WIRE_TICKERS), settings.paths.gazetteer, settings.enrich)
    print("\nRIC linking:", json.dumps({k: v for k, v in result.items() if k != "errors"}), result["errors"])
    assert result["passages"] == 32 and result["held_out"]["passages"] == 10
    assert result["precision"] == 1.0 and result["recall"] >= 0.95


def test_rics_are_derived_from_listings():
    assert G.rics("STO:ERIC-B") == ["ERICb.ST"]
    assert G.rics("NYSE:BRK.B") == ["BRKb.N"]
    assert G.rics("NASDAQ:AAPL") == ["AAPL.O", "AAPL.OQ"]
    assert G.rics("HKEX:0700") == ["0700.HK"]
    assert G.rics("RIC:VOWG_p.DE") == ["VOWG_p.DE"]


def _write(tmp_path, text, name="u.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


HEADER = "company_id,canonical_name,aliases,tickers,country,sector,requires_context,context_terms,valid_from,valid_to\n"


@pytest.mark.parametrize(
    "row, where",
    [
        ("lehman,Lehman,Lehman,NYSE:LEH,US,Financials,false,,2008-13-01,\n", "line 3, column valid_from"),
        ("Lehman Bros,Lehman,Lehman,NYSE:LEH,US,Financials,false,,,\n", "line 3, column company_id"),
        ("lehman,Lehman,Lehman,LEH,US,Financials,false,,,\n", "line 3, column tickers"),
        ("lehman,Lehman,Lehman,NYSE:LEH,USA,Financials,false,,,\n", "line 3, column country"),
        ("lehman,Lehman,Lehman,NYSE:LEH,US,Financials,yes,,,\n", "line 3, column requires_context"),
        ("lehman,Lehman,Lehman,NYSE:LEH,US,Financials,false,,2012-01-01,2008-01-01\n", "line 3, column valid_to"),
        ("lehman,Lehman,Lehman,NYSE:LEH,US,Financials,false,,,,extra\n", "line 3, column 11"),
    ],
)
def test_a_malformed_universe_row_names_file_line_and_column(tmp_path, row, where):
    path = _write(tmp_path, "# my universe\n" + HEADER + row)
    with pytest.raises(G.UniverseError) as info:
        G.read_universe(path)
    assert f"{path}, {where}" in str(info.value)


def test_universe_header_and_duplicate_ids_are_reported(tmp_path):
    with pytest.raises(G.UniverseError, match=r"line 1, column canonical_name: missing"):
        G.read_universe(_write(tmp_path, "company_id,name\nx,X\n"))
    folder = tmp_path / "many"
    folder.mkdir()
    _write(folder, HEADER + "acme,Acme,,,,,,,,\n", "a.csv")
    _write(folder, HEADER + "acme,Acme Corp,,,,,,,,\n", "b.csv")
    with pytest.raises(
        G.UniverseError, match=r"b\.csv, line 2, column company_id: 'acme' is already defined in .*a\.csv, line 2"
    ):
        G.read_universe(str(folder))
    with pytest.raises(G.UniverseError, match="no such file"):
        G.read_universe(str(tmp_path / "missing.csv"))


def test_universe_names_shared_only_across_disjoint_windows(tmp_path):
    overlapping = HEADER + "old-acme,Acme,,,,,,,,2010-12-31\nnew-acme,Acme,,,,,,,2010-06-01,\n"
    with pytest.raises(G.UniverseError, match="old-acme and new-acme share the name"):
        G.load_companies(str(ROOT / "conf" / "gazetteer"), _write(tmp_path, overlapping))
    disjoint = HEADER + "old-acme,Acme,,,,,,,,2010-12-31\nnew-acme,Acme,,,,,,,2011-01-01,\n"
    companies = G.load_companies(str(ROOT / "conf" / "gazetteer"), _write(tmp_path, disjoint, "d.csv"))
    owners = {row[2] for row in G.company_alias_rows(companies) if row[0] == "Acme"}
    assert owners == {"old-acme", "new-acme"}


def test_universe_rows_replace_and_extend_the_shipped_gazetteer():
    shipped = G.read_companies(str(ROOT / "conf" / "gazetteer"))
    merged = G.load_companies(str(ROOT / "conf" / "gazetteer"), str(UNIVERSE))
    by_id = {e.company_id: e for e in merged}
    assert len(merged) == len(shipped) + 9  # eleven rows, two replace meta-platforms and x-corp
    assert (
        by_id["meta-platforms"].valid_from == dt.date(2021, 10, 28)
        and "Facebook" not in by_id["meta-platforms"].aliases
    )
    owner = {row[0]: row[2] for row in G.company_alias_rows(merged)}
    assert owner["Facebook"] == "facebook" and owner["Meta"] == "meta-platforms"


def test_universe_setting_comes_from_the_command_line():
    settings = make_test_settings(**{"paths.universe": "my_universe.csv"})
    assert settings.paths.universe == "my_universe.csv"
    assert make_test_settings().paths.universe is None
