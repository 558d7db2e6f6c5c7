"""One SparkSession for the whole suite: local[2], 2 shuffle partitions, UI off, Delta and
Spark NLP from the jars that scripts/setup.sh resolved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def make_test_settings(**overrides):
    from newslake.config import load_settings

    base = {
        "spark.master": "local[2]",
        "spark.shuffle_partitions": 2,
        "spark.ui_enabled": False,
        "spark.driver_memory": "4g",
        "spark.extra": {"spark.ui.showConsoleProgress": "false"},
        "spark.jars_dir": str(ROOT / ".cache" / "jars"),
        "spark.ivy_dir": str(ROOT / ".cache" / "ivy"),
        "paths.models": str(ROOT / "models"),
        "paths.gazetteer": str(ROOT / "conf" / "gazetteer"),
        "paths.input": str(ROOT / "data" / "sample_corpus"),
    }
    base.update(overrides)
    return load_settings(str(ROOT / "conf" / "local.yaml"), base, environ={})


@pytest.fixture(scope="session")
def spark():
    from newslake.spark import build_spark

    session = build_spark(make_test_settings().spark, app_name="newslake-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data not found at {SHARED_DATA}: labeled data tests need it (see README)")
    return SHARED_DATA


@pytest.fixture()
def settings_factory(tmp_path):
    def make(**overrides):
        overrides.setdefault("paths.lakehouse", str(tmp_path / "lakehouse"))
        return make_test_settings(**overrides)

    return make
