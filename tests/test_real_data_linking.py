"""The linker on real public data (``../shared/data``; skipped with a message when absent):
FinEntity's company-mention spans and Reuters-21578's PLACES. Samples keep it fast; the full
figures come from ``python -m jobs.evaluate_silver``."""

import json

import pytest
from conftest import make_test_settings

from newslake.evaluation import finentity, reuters

pytestmark = pytest.mark.shared_data

FINENTITY_SAMPLE = 150
REUTERS_SAMPLE = 300
# Floors a little under the sample's figures. PLACES names countries a story is about whether or
# not its text names them (US companies' stories are tagged "usa"): the story's dateline
# ("HOUSTON, Feb 26 -") is what finds most of those.
GAZETTEER_SPAN_RECALL_MIN = 0.9
MENTIONS_ON_SPANS_MIN = 0.85
REUTERS_PRECISION_MIN = 0.65
REUTERS_RECALL_MIN = 0.85


def test_finentity_company_spans_are_found(spark, shared_data):
    path = shared_data / "finentity" / "FinEntity_train.json"
    if not path.is_file():
        pytest.skip(f"{path} not found: FinEntity is needed for this test")
    settings = make_test_settings()
    result = finentity.evaluate(spark, str(path), settings.paths.gazetteer, settings.enrich, FINENTITY_SAMPLE)
    print("\nFinEntity sample:", json.dumps(result))
    assert result["passages"] == FINENTITY_SAMPLE and result["gazetteer_spans"] > 50
    # Spans that name a gazetteer company are found; most linked mentions are annotated spans.
    assert result["gazetteer_span_recall"] >= GAZETTEER_SPAN_RECALL_MIN
    assert result["mentions_on_spans"] >= MENTIONS_ON_SPANS_MIN


def test_reuters_country_sets(spark, shared_data):
    directory = shared_data / "reuters21578"
    if not directory.is_dir():
        pytest.skip(f"{directory} not found: Reuters-21578 is needed for this test")
    settings = make_test_settings()
    result = reuters.evaluate(spark, str(directory), settings.paths.gazetteer, settings.enrich, REUTERS_SAMPLE)
    print("\nReuters-21578 sample:", json.dumps(result))
    assert result["stories"] == REUTERS_SAMPLE
    assert result["precision"] >= REUTERS_PRECISION_MIN and result["recall"] >= REUTERS_RECALL_MIN


def test_reuters_place_names_map_to_iso_codes():
    assert [reuters.place_code(p) for p in ("usa", "uk", "west-germany", "ussr", "hong-kong", "turkey", "brazil")] == [
        "US",
        "GB",
        "DE",
        "RU",
        "HK",
        "TR",
        "BR",
    ]
    assert reuters.place_code("atlantis") is None
