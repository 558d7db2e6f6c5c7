"""One SparkSession for the whole suite: local[2], 2 shuffle partitions, UI off, Delta and
Spark NLP from the jars that scripts/setup.sh resolved."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


TINY_LABELED_CSV = (
    "text,label,entity\n"
    "Profit rose and sales increased,positive,\n"
    "Shares slumped on a net loss,negative,\n"
    "The office is in Helsinki,neutral,\n"
    "Acme rose while Zeta fell,negative,Zeta\n"
    "Acme rose while Zeta fell,positive,Acme\n"
)
"""A labeled CSV of the generic format (text,label[,entity]) small enough for every job test."""


def local_conf_with_models(tmp_path, models_dir) -> str:
    """A copy of conf/local.yaml for a job run in a subprocess: local[2], the repository's jars,
    and ``models_dir`` as the models path; returns the file's path."""
    import yaml

    tree = yaml.safe_load((ROOT / "conf" / "local.yaml").read_text(encoding="utf-8"))
    tree["spark"].update(
        {"master": "local[2]", "jars_dir": str(ROOT / ".cache" / "jars"), "ivy_dir": str(ROOT / ".cache" / "ivy")}
    )
    tree["paths"]["models"] = str(models_dir)
    path = tmp_path / "conf.yaml"
    path.write_text(yaml.safe_dump(tree), encoding="utf-8")
    return str(path)
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
