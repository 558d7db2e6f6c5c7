import os

import pytest
from pydantic import ValidationError

from newslake import catalogue
from newslake.config import load_settings, parse_set_option


def test_file_then_env_then_cli(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("paths:\n  lakehouse: from-file\n  input: in-file\nspark:\n  shuffle_partitions: 3\n")
    env = {"NEWSLAKE__PATHS__LAKEHOUSE": "from-env", "NEWSLAKE__SPARK__SHUFFLE_PARTITIONS": "5"}
    settings = load_settings(str(conf), {"paths.lakehouse": "from-cli"}, environ=env)
    assert settings.paths.lakehouse == "from-cli"
    assert settings.paths.input == "in-file"
    assert settings.spark.shuffle_partitions == 5
    assert (
        catalogue.GOLD_SENTIMENT_WEEKLY.path(settings.lakehouse_root())
        == os.path.abspath("from-cli") + "/gold/sentiment_weekly"
    )
    s3 = load_settings(None, {"paths.lakehouse": "s3a://b/lake/"}, environ={})
    assert catalogue.BRONZE_ARTICLES.path(s3.lakehouse_root()) == "s3a://b/lake/bronze/articles"


def test_none_override_keeps_file_value(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("paths:\n  lakehouse: lake\n")
    assert load_settings(str(conf), {"paths.lakehouse": None}, environ={}).paths.lakehouse == "lake"


def test_unknown_key_is_rejected(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("paths:\n  lakehuose: typo\n")
    with pytest.raises(ValueError, match=r"paths.lakehuose \(from .*p.yaml\): Extra inputs are not permitted"):
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
    import yaml

    for profile in ("conf/local.yaml", "conf/cluster.yaml"):
        settings = load_settings(profile, environ={})
        # The profile's own paths, not the defaults (paths.lakehouse has a non-empty default).
        written = yaml.safe_load(open(profile, encoding="utf-8"))["paths"]
        assert written["lakehouse"] and {key: getattr(settings.paths, key) for key in written} == written, profile
    assert load_settings("conf/cluster.yaml", environ={}).paths.lakehouse.startswith("s3a://")


# ---- refusing nonsense, and saying where it came from (issue 20) ------------------------------

from newslake.config import ConfigurationError  # noqa: E402


@pytest.mark.parametrize("lakehouse", ["", "  ", "/", "file:/", "file:///"])
def test_empty_or_root_lakehouse_is_refused(lakehouse):
    with pytest.raises(ConfigurationError, match="paths.lakehouse"):
        load_settings(None, {"paths.lakehouse": lakehouse}, environ={})


@pytest.mark.parametrize("lakehouse", ["", "/"])
def test_job_refuses_empty_or_root_lakehouse_before_spark(lakehouse, tmp_path, capsys):
    from newslake.cli import ingest_main

    (tmp_path / "raw").mkdir()
    code = ingest_main(["--conf", "conf/local.yaml", "--lakehouse", lakehouse, "--input", str(tmp_path / "raw")])
    assert code == 2
    assert "configuration error" in capsys.readouterr().err


@pytest.mark.parametrize(
    "item, message",
    [
        ("quality.on_failure=ignroe", "'fail' or 'warn'"),
        ("spark.shuffle_partitions=-3", "greater than or equal to 1"),
        ("enrich.neutral_band=7.5", "less than 1"),
        ("aggregate.min_mentions_to_trust=-1", "greater than or equal to 1"),
        ("ingest.max_future_days=-100", "greater than or equal to 0"),
        ("spark.jar_source=bogus", "'auto', 'jars', 'packages' or 'provided'"),
    ],
)
def test_nonsense_settings_are_refused_naming_the_set_option(item, message):
    key, value = parse_set_option(item)
    with pytest.raises(ConfigurationError) as raised:
        load_settings(None, {key: value}, environ={})
    text = str(raised.value)
    assert f"{key} (from --set {key}=" in text and message in text, text


def test_error_names_the_yaml_file_and_key(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("spark:\n  shuffle_partitions: 0\n")
    with pytest.raises(ConfigurationError, match=rf"spark.shuffle_partitions \(from {conf}\)"):
        load_settings(str(conf), environ={})


def test_error_names_the_variable_and_never_echoes_a_secret():
    env = {"NEWSLAKE__SPARK__PASSWORD": "supersecret123", "NEWSLAKE__SPARK__SHUFFLE_PARTITIONS": "many"}
    with pytest.raises(ConfigurationError) as raised:
        load_settings(None, environ=env)
    text = str(raised.value)
    assert "NEWSLAKE__SPARK__PASSWORD" in text and "NEWSLAKE__SPARK__SHUFFLE_PARTITIONS" in text
    assert "supersecret123" not in text and "many" not in text


def test_secret_in_yaml_or_set_is_not_echoed(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("spark:\n  extra:\n    spark.hadoop.fs.s3a.secret.key: [supersecret123]\n")
    with pytest.raises(ConfigurationError) as raised:
        load_settings(str(conf), environ={})
    assert "spark.hadoop.fs.s3a.secret.key" in str(raised.value) and "supersecret123" not in str(raised.value)


def test_set_can_name_a_spark_key_with_dots(tmp_path):
    conf = tmp_path / "p.yaml"
    conf.write_text("spark:\n  extra:\n    spark.sql.adaptive.enabled: 'true'\n")
    key, value = parse_set_option("spark.extra.spark.sql.shuffle.partitions=4")
    settings = load_settings(str(conf), {key: value}, environ={})
    assert settings.spark.extra == {"spark.sql.adaptive.enabled": "true", "spark.sql.shuffle.partitions": "4"}


def test_missing_input_folder_is_a_configuration_error_before_spark(tmp_path, capsys):
    from newslake.cli import ingest_main

    code = ingest_main(
        [
            "--conf",
            "conf/local.yaml",
            "--lakehouse",
            str(tmp_path / "lake"),
            "--input",
            str(tmp_path / "no-such-folder"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and "no-such-folder" in err
    assert not (tmp_path / "lake").exists()


# --- linguistic rule data: defaults read from newslake/nlp/rules.yaml ---------------------------


def test_rule_data_defaults_are_the_known_values():
    """Known values of the defaults that live in the data file (not in code), one of each shape:
    regexes with backslashes and quotes, words YAML would read as booleans, mappings in order."""
    from newslake.config import Settings

    settings = Settings()
    enrich, stories = settings.enrich, settings.stories
    assert enrich.ticker_exchanges[:3] == ["NASDAQ", "Nasdaq", "NYSE"] and enrich.ticker_exchanges[-1] == "OTCMKTS"
    assert len(enrich.ticker_exchanges) == 41
    assert {"ON", "OK", "US", "EPA"} <= set(enrich.bare_ticker_stoplist) and len(enrich.bare_ticker_stoplist) == 75
    assert enrich.company_blockers[0] == r"\b(?:Harrison|Gerald|Betty|Doug|Tom|Whitey|Glenn|John|Rob)\s+Ford\b"
    assert enrich.company_signal_before == r"(?:\b(?:[Ss]hares|[Ss]tock|[Ss]take|[Bb]onds) (?:of|in)|\b[Rr]ivals?)\s+$"
    assert enrich.company_signal_after.startswith(r"^(?:[’']s)?\s+(?:said|says|")
    assert list(enrich.coreference_heads)[:2] == ["company", "firm"] and len(enrich.coreference_heads) == 32
    assert enrich.coreference_heads["carrier"] == ["Industrials", "Communication Services"]
    assert enrich.country_context_blockers["Chad"] == r"\bChad [A-Z][a-z]+(?! (?:said|says))"
    assert enrich.widget_pattern == r"(?im)^\s*[•*\-]?\s*overall sentiment\s*:\s*(positive|negative|neutral|mixed)\b"
    assert stories.boilerplate_line_patterns[2] == r"(?:\u00a9|\(c\)|copyright\b).*"
    assert stories.dateline_pattern.endswith(r"\([^()\n]{2,60}\)\s*[-\u2013\u2014:]+\s*")
    assert settings.ingest.dateline_pattern.startswith(r"^[A-Z][A-Za-z .'-]{1,40}, (?P<date>")
    # What stored story signatures are checked against: a changed pattern would refuse them.
    assert stories.minhash_params() == "k=5;h=150;r=3;seed=20240901;nf=67108864;bp=6405aad71cdbcf81"


def test_rule_data_is_not_shared_between_settings():
    from newslake.config import Settings

    first, second = Settings(), Settings()
    first.enrich.bare_ticker_stoplist.append("TSLA")
    first.enrich.coreference_heads["company"].append("Energy")
    assert "TSLA" not in second.enrich.bare_ticker_stoplist and second.enrich.coreference_heads["company"] == []


def test_rule_data_is_overridden_like_any_setting(tmp_path):
    conf = tmp_path / "c.yaml"
    conf.write_text("enrich:\n  ticker_exchanges: [NYSE]\n", encoding="utf-8")
    settings = load_settings(str(conf), environ={}, overrides={"stories.boilerplate_line_patterns": []})
    assert settings.enrich.ticker_exchanges == ["NYSE"] and settings.stories.boilerplate_line_patterns == []
    assert len(settings.enrich.company_blockers) == 8  # the rest keep the data file's defaults


def test_rule_data_is_found_in_a_zipped_package(tmp_path):
    """spark-submit puts a zip (the wheel's .zip copy) on the executors' path: the data file must
    be read from inside it."""
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    lib = Path(__file__).resolve().parents[1] / "lib"
    archive = tmp_path / "newslake.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in (lib / "newslake").rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, path.relative_to(lib).as_posix())
    code = (
        "import newslake.config as c; assert '.zip' in c.__file__, c.__file__; "
        "print(len(c.Settings().enrich.ticker_exchanges))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(archive)},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "41"
