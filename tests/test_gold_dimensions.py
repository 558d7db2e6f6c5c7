from chispa import assert_df_equality
from conftest import ROOT

from newslake.gold.dimensions import COMPANY_ROW, companies_dimension, company_rows, country_rows
from newslake.nlp.gazetteer import CompanyEntry, CountryEntry, read_companies, read_countries
from newslake.schemas import GOLD_COMPANIES, GOLD_COUNTRIES

COMPANIES = [
    CompanyEntry("tesla", "Tesla", ("Tesla",), ("NASDAQ:TSLA",), "US", "Consumer Discretionary", False, ()),
    CompanyEntry("openai", "OpenAI", ("OpenAI",), (), "US", "", False, ()),
    CompanyEntry("byd", "BYD", ("BYD",), ("HKEX:1211", "SZSE:002594"), "CN", "Consumer Discretionary", False, ()),
]
COUNTRIES = [
    CountryEntry("US", "United States", (), (), "Washington", "Northern America"),
    CountryEntry("CN", "China", (), (), "Beijing", "Eastern Asia"),
]


def test_rows_from_gazetteer_entries():
    assert company_rows(COMPANIES) == [
        ("byd", "BYD", "HKEX:1211", ["HKEX:1211", "SZSE:002594"], "Consumer Discretionary", "CN"),
        ("openai", "OpenAI", None, [], None, "US"),
        ("tesla", "Tesla", "NASDAQ:TSLA", ["NASDAQ:TSLA"], "Consumer Discretionary", "US"),
    ]
    assert country_rows(COUNTRIES) == [
        ("CN", "China", "Eastern Asia"),
        ("US", "United States", "Northern America"),
        ("ZZ", "Unknown", None),
    ]


def test_companies_dimension_adds_hq_country_and_region(spark):
    countries = spark.createDataFrame(country_rows(COUNTRIES), GOLD_COUNTRIES)
    companies = spark.createDataFrame(company_rows(COMPANIES), COMPANY_ROW)
    actual = companies_dimension(companies, countries).select(*GOLD_COMPANIES.fieldNames())
    expected = spark.createDataFrame(
        [
            (
                "byd",
                "BYD",
                "HKEX:1211",
                ["HKEX:1211", "SZSE:002594"],
                "Consumer Discretionary",
                "CN",
                "China",
                "Eastern Asia",
            ),
            ("openai", "OpenAI", None, [], None, "US", "United States", "Northern America"),
            (
                "tesla",
                "Tesla",
                "NASDAQ:TSLA",
                ["NASDAQ:TSLA"],
                "Consumer Discretionary",
                "US",
                "United States",
                "Northern America",
            ),
        ],
        GOLD_COMPANIES,
    )
    assert_df_equality(actual, expected, ignore_row_order=True, ignore_nullable=True)


def test_the_shipped_gazetteers_give_one_row_per_id():
    gazetteer = str(ROOT / "conf" / "gazetteer")
    companies, countries = company_rows(read_companies(gazetteer)), country_rows(read_countries(gazetteer))
    assert len({r[0] for r in companies}) == len(companies) > 1000
    assert len({r[0] for r in countries}) == len(countries) == 250  # 249 ISO countries + ZZ
    codes = {r[0] for r in countries}
    assert all(r[5] in codes for r in companies), "every HQ country joins gold/countries"
    tesla = next(r for r in companies if r[0] == "tesla")
    assert tesla == ("tesla", "Tesla", "NASDAQ:TSLA", ["NASDAQ:TSLA"], "Consumer Discretionary", "US")
