"""The one SparkSession factory for every job, test and notebook."""

from __future__ import annotations

import glob
import os
import shutil
import sys
import tempfile
from typing import Dict, List, Optional, Set, Tuple

from pyspark.sql import SparkSession

from newslake.config import SparkSettings
from newslake.errors import REQUIRED_JVM_CLASSES

DELTA_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
}


class MissingJarsError(RuntimeError):
    """The Spark NLP / Delta jars are neither resolved locally nor allowed to be fetched."""


def _local_jars(jars_dir: str) -> List[str]:
    return sorted(glob.glob(os.path.join(jars_dir, "*.jar")))


def jar_conf(settings: SparkSettings) -> Dict[str, str]:
    """How the JVM finds Spark NLP and Delta, per ``settings.jar_source``."""
    source = settings.jar_source
    jars = _local_jars(settings.jars_dir)
    if source == "provided":
        return {}
    if source == "jars" or (source == "auto" and jars):
        if not jars:
            raise MissingJarsError(
                f"no jars in {settings.jars_dir!r}; run scripts/setup.sh (it resolves them from "
                "Maven Central once) or set spark.jar_source: packages"
            )
        return {"spark.jars": ",".join(os.path.abspath(j) for j in jars)}
    if source in ("packages", "auto"):
        return {
            "spark.jars.packages": ",".join(settings.packages),
            "spark.jars.ivy": os.path.abspath(settings.ivy_dir),
        }
    raise ValueError(f"spark.jar_source must be auto, jars, packages or provided, not {source!r}")


def _runs_local_workers(settings: SparkSettings) -> bool:
    return (settings.master or "").startswith("local") and "PYSPARK_PYTHON" not in os.environ


def session_conf(settings: SparkSettings) -> Dict[str, str]:
    conf = {
        **DELTA_CONF,
        "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
        "spark.kryoserializer.buffer.max": "2000M",
        "spark.sql.shuffle.partitions": str(settings.shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": str(settings.ui_enabled).lower(),
        "spark.ui.showConsoleProgress": "false",
        # Tables are keyed by id; Delta retries conflicting commits, we never want silent
        # schema drift.
        "spark.databricks.delta.schema.autoMerge.enabled": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        **jar_conf(settings),
    }
    if settings.driver_memory:
        conf["spark.driver.memory"] = settings.driver_memory
    if _runs_local_workers(settings):
        conf["spark.pyspark.python"] = sys.executable
    conf.update(settings.extra)
    return conf


def submitted_master() -> Optional[str]:
    """The master spark-submit was given when spark-submit started this Python (its JVM is
    already running, with the submitted settings), else None."""
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        return None
    from pyspark import SparkConf, SparkContext

    # Connects to spark-submit's JVM (no new one starts: it is there); before that, SparkConf()
    # is an empty Python-side conf that knows nothing of the submitted settings.
    SparkContext._ensure_initialized()
    return SparkConf().get("spark.master", None)


_SHIPPED_WHEELS: Set[Tuple[str, str]] = set()


def ship_wheels_to_executors(spark: SparkSession) -> List[str]:
    """Put the wheels given to ``spark-submit --py-files`` on the executors' Python path too; the
    ``.zip`` copies added. PySpark adds only ``.zip``, ``.egg`` and ``.jar`` py-files to the
    executors' path: a ``.whl`` reached the driver alone, and every executor-side import of
    newslake (ingest's parsers run in ``mapInPandas``) failed with "No module named 'newslake'"
    on a real cluster (the standalone-cluster test). A pure-Python wheel is a zip archive, so a
    copy named ``.zip`` is importable where it lands."""
    from pyspark import SparkFiles

    context = spark.sparkContext
    shipped = []
    for path in filter(None, (context.getConf().get("spark.submit.pyFiles") or "").split(",")):
        name = os.path.basename(path)
        if not name.lower().endswith(".whl") or (context.applicationId, name) in _SHIPPED_WHEELS:
            continue  # a second build_spark in the same application: Spark refuses a second path
        local = os.path.join(SparkFiles.getRootDirectory(), name)  # PySpark copied it there at start
        zipped = os.path.join(tempfile.mkdtemp(prefix="newslake-py-files-"), f"{name}.zip")
        shutil.copyfile(local if os.path.exists(local) else path, zipped)
        context.addPyFile(zipped)
        _SHIPPED_WHEELS.add((context.applicationId, name))
        shipped.append(zipped)
    return shipped


def build_spark(settings: SparkSettings, app_name: Optional[str] = None) -> SparkSession:
    """Create (or return the running) SparkSession with Delta and Spark NLP configured."""
    if _runs_local_workers(settings):
        # PySpark starts its workers with $PYSPARK_PYTHON (default "python3" from PATH), not
        # with the interpreter running the job; in local mode they must be the same (the
        # project's virtualenv), or workers cannot import pandas, pyarrow and newslake.
        os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.appName(app_name or settings.app_name)
    # Under spark-submit its --master decides: a profile's local[*] would otherwise run the whole
    # job inside the driver while the cluster's executors sit idle (the standalone-cluster test
    # caught conf/local.yaml doing this).
    if settings.master and not submitted_master():
        builder = builder.master(settings.master)
    for key, value in session_conf(settings).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    missing = missing_jvm_dependencies(spark)
    if missing:
        spark.stop()
        raise MissingJarsError(missing_jars_message(missing, settings))
    ship_wheels_to_executors(spark)
    return spark


def missing_jvm_dependencies(spark: SparkSession) -> List[str]:
    """The dependencies (of ``REQUIRED_JVM_CLASSES``) whose classes the driver's JVM cannot load.

    Without them, the first call into Delta or Spark NLP fails with "TypeError: 'JavaPackage'
    object is not callable": py4j answers a name it cannot load as a Java package."""
    from py4j.java_gateway import JavaClass

    jvm = spark.sparkContext._jvm
    missing = []
    for name, (class_name, _) in REQUIRED_JVM_CLASSES.items():
        found = jvm
        for part in class_name.split("."):
            found = getattr(found, part)
        if not isinstance(found, JavaClass):
            missing.append(name)
    return missing


def missing_jars_message(missing: List[str], settings: SparkSettings) -> str:
    classes = ", ".join(f"{name} ({REQUIRED_JVM_CLASSES[name][0]})" for name in missing)
    return (
        f"the JVM cannot load {classes}: spark.jar_source is {settings.jar_source!r}, so the jars must come "
        f"with the job. Pass spark-submit --packages {','.join(settings.packages)} (online), or --jars "
        f"with the jars scripts/setup.sh resolved into .cache/jars (comma-separated, air-gapped); or set "
        f"spark.jar_source to auto, jars or packages to let the job load them itself"
    )
