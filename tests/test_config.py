import os

import pytest
from pydantic import ValidationError

from newslake.config import load_settings, parse_set_option


def test_file_then_env_then_cli(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("paths:\n  lakehouse: from-file\n  input: in-file\nspark:\n  shuffle_partitions: 3\n")
    env = {"NEWSLAKE__PATHS__LAKEHOUSE": "from-env", "NEWSLAKE__SPARK__SHUFFLE_PARTITIONS": "5"}
    settings = load_settings(str(conf), {"paths.lakehouse": "from-cli"}, environ=env)
    assert settings.paths.lakehouse == "from-cli"
    assert settings.paths.input == "in-file"
    assert settings.spark.shuffle_partitions == 5
    assert settings.table_path("gold", "sentiment_weekly") == os.path.abspath("from-cli") + "/gold/sentiment_weekly"
    assert load_settings(None, {"paths.lakehouse": "s3a://b/lake/"}, environ={}).table_path("bronze", "articles") == "s3a://b/lake/bronze/articles"


def test_none_override_keeps_file_value(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("paths:\n  lakehouse: lake\n")
    assert load_settings(str(conf), {"paths.lakehouse": None}, environ={}).paths.lakehouse == "lake"


def test_unknown_key_is_rejected(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("paths:\n  lakehuose: typo\n")
    with pytest.raises(ValidationError, match="lakehuose"):
        load_settings(str(conf), environ={})


def test_missing_file_says_what_to_do():
    with pytest.raises(FileNotFoundError, match="--conf conf/local.yaml"):
        load_settings("no/such.yaml", environ={})


def test_settings_are_frozen():
    settings = load_settings(None, environ={})
    with pytest.raises(ValidationError):
        settings.paths.lakehouse = "x"


def test_set_option_parses_yaml_scalars():
    assert parse_set_option("spark.shuffle_partitions=2") == ("spark.shuffle_partitions", 2)
    assert parse_set_option("spark.ui_enabled=false") == ("spark.ui_enabled", False)
    with pytest.raises(ValueError, match="section.key=value"):
        parse_set_option("oops")


def test_shipped_profiles_load():
    for profile in ("conf/local.yaml", "conf/cluster.yaml"):
        settings = load_settings(profile, environ={})
        assert settings.paths.lakehouse
    assert load_settings("conf/cluster.yaml", environ={}).paths.lakehouse.startswith("s3a://")
