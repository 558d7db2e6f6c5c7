"""One SparkSession for the whole suite: local[2], 2 shuffle partitions, UI off, Delta and
Spark NLP from the jars that scripts/setup.sh resolved."""

from __future__ import annotations

import os
import shutil
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


def _file_listing(root: Path) -> dict:
    """Every file under ``root`` with its size and modification time: what a write would change."""
    listing = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            listing[os.path.relpath(path, root)] = (stat.st_size, stat.st_mtime_ns)
    return listing


class BuiltLakehouse:
    """A lakehouse built once for the session: its root (``path``) and what the building
    aggregate run returned (``counts``). Tests only read it; :meth:`copy` gives a writable copy
    (a Delta log holds relative paths, so a copied folder is the same tables)."""

    def __init__(self, path: Path, counts: dict):
        self.path = path
        self.counts = counts

    def copy(self, target: Path) -> Path:
        shutil.copytree(self.path, target)
        return target


@pytest.fixture(scope="session")
def gold_lakehouse(spark, tmp_path_factory):
    """Inline silver for six weeks of four carmakers (``test_gold_stage.sample_articles``) and one
    aggregate run over it, charts off: the lakehouse the gold, damage and notebook tests start
    from, built once instead of once per module. At the end of the session it must hold exactly
    the files it was built with: a test that wrote into it instead of a copy fails here."""
    from test_gold_stage import aggregate, make_settings, sample_articles, write_silver

    lake = tmp_path_factory.mktemp("gold_lakehouse") / "lake"
    write_silver(spark, lake, sample_articles())
    built = BuiltLakehouse(lake, aggregate(spark, make_settings(lake)))
    files = _file_listing(lake)
    yield built
    assert _file_listing(lake) == files, f"a test wrote into the shared lakehouse {lake}: write to a copy"


@pytest.fixture(scope="session")
def tiny_sentiment_model(spark):
    """The fast sentiment model trained once for the session on ``test_sentiment_model.TINY``
    (18 sentences, entity pairs among them): the model tests score with it and the job tests
    save it as ``sentiment_fast``. Tests read it; none refits it."""
    from test_sentiment_model import PARAMS, TINY, TINY_DDL

    from newslake.training.fast_model import train_sentiment

    return train_sentiment(spark.createDataFrame(TINY, TINY_DDL), PARAMS)
