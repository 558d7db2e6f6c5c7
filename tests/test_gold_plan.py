"""The aggregate stage's plan, without Spark: the settings fingerprint that decides a full gold
rebuild, and the week arithmetic of an incremental run."""

from datetime import date

from newslake.config import load_settings
from newslake.gold import plan, weeks

COMPANIES = "company_id,company,aliases,tickers,hq_country,sector\ntesla,Tesla,Tesla Inc,NASDAQ:TSLA,US,Consumer Discretionary\n"
COUNTRIES = "country,name,aliases\nUS,United States,USA\n"


def _settings(gazetteer, **overrides):
    return load_settings(environ={}, overrides={"paths.gazetteer": str(gazetteer), **overrides})


def _gazetteer(tmp_path):
    (tmp_path / "companies.csv").write_text(COMPANIES, encoding="utf-8")
    (tmp_path / "countries.csv").write_text(COUNTRIES, encoding="utf-8")
    return tmp_path


def test_settings_fingerprint_is_pinned(tmp_path):
    """The fingerprint is stored in ops/gold_state and compared on every run: a different value
    for the same settings, gazetteer and table layouts forces a full gold rebuild on every
    user's lakehouse. Change this value only together with a deliberate change of what gold
    depends on (GOLD_LOGIC_VERSION, a gold table's name, schema or partitioning)."""
    assert plan.settings_fingerprint(_settings(_gazetteer(tmp_path))) == PINNED


def test_settings_fingerprint_follows_what_gold_depends_on(tmp_path):
    gazetteer = _gazetteer(tmp_path)
    base = plan.settings_fingerprint(_settings(gazetteer))
    assert plan.settings_fingerprint(_settings(gazetteer, **{"aggregate.min_mentions_to_trust": 4})) != base
    assert plan.settings_fingerprint(_settings(gazetteer, **{"stories.weighting": "sqrt"})) != base
    # Where things are and how they are maintained is not what gold holds.
    assert (
        plan.settings_fingerprint(_settings(gazetteer, **{"aggregate.optimize": True, "paths.lakehouse": "/elsewhere"}))
        == base
    )
    (gazetteer / "countries.csv").write_text(COUNTRIES + "DE,Germany,\n", encoding="utf-8")
    assert plan.settings_fingerprint(_settings(gazetteer)) != base


def test_weeks_to_recompute_and_read():
    w15, w16, w18 = date(2024, 4, 8), date(2024, 4, 15), date(2024, 4, 29)
    recompute = weeks.weeks_to_recompute([w15, w18, w15])
    assert recompute == [w15, w16, w18, date(2024, 5, 6)]
    assert weeks.weeks_to_read([w16]) == [w15, w16]
    assert weeks.window_weeks(date(2024, 4, 10), date(2024, 4, 15)) == [w15, w16]
    assert weeks.week_predicate([w15, w16]) == "week_start IN (DATE'2024-04-08', DATE'2024-04-15')"


# Computed by the code before the gold registry moved into newslake.catalogue (issue 19).
PINNED = "7d5a54147c607708"
