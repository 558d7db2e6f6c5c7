import pytest

from newslake.config import SparkSettings
from newslake.spark import MissingJarsError, jar_conf, session_conf


def test_local_jars_win_in_auto_mode(tmp_path):
    (tmp_path / "a.jar").write_bytes(b"")
    conf = jar_conf(SparkSettings(jars_dir=str(tmp_path)))
    assert conf["spark.jars"].endswith("a.jar")


def test_packages_when_no_local_jars(tmp_path):
    conf = jar_conf(SparkSettings(jars_dir=str(tmp_path / "none")))
    assert "com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3" in conf["spark.jars.packages"]


def test_jars_mode_without_jars_explains(tmp_path):
    with pytest.raises(MissingJarsError, match="scripts/setup.sh"):
        jar_conf(SparkSettings(jar_source="jars", jars_dir=str(tmp_path)))


def test_provided_mode_adds_nothing_and_delta_is_always_on():
    conf = session_conf(SparkSettings(jar_source="provided"))
    assert "spark.jars" not in conf and "spark.jars.packages" not in conf
    assert conf["spark.sql.extensions"] == "io.delta.sql.DeltaSparkSessionExtension"
    assert conf["spark.sql.session.timeZone"] == "UTC"


def test_fixture_session_has_delta_and_spark_nlp(spark, tmp_path):
    import sparknlp

    spark.range(3).write.format("delta").save(str(tmp_path / "t"))
    assert spark.read.format("delta").load(str(tmp_path / "t")).count() == 3
    assert spark.sparkContext._jvm.com.johnsnowlabs.util.Build.version() == sparknlp.version()
