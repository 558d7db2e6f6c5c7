"""What a built sentiment tier records about itself in metrics.json and its model card.

The versions it was built with, the training files it read (by SHA-256, so ``jobs.evaluate``
can tell a training file from a held-out one), and the size of its folder against the
20 MB a model shipped in the repository may weigh.
"""

from __future__ import annotations

import os
from typing import Dict

from pyspark.sql import SparkSession

from newslake.nlp.compact import file_sha256
from newslake.training import datasets

MAX_MODEL_BYTES = 20 * 1000 * 1000
"""A model folder at or over this size is not shipped in the repository."""


def versions(spark: SparkSession) -> Dict[str, str]:
    """The library, Spark, Spark NLP, Java and Python versions the model was built with."""
    import platform
    from importlib import metadata

    import sparknlp

    import newslake

    def dist(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "n/a"

    return {
        "newslake": newslake.__version__,
        "spark": spark.version,
        "pyspark": dist("pyspark"),
        "spark-nlp": sparknlp.version(),
        "delta-spark": dist("delta-spark"),
        "java": spark.sparkContext._jvm.java.lang.System.getProperty("java.version"),
        "python": platform.python_version(),
    }


def dir_size(path: str) -> int:
    """Bytes of every file under ``path``."""
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names)


def training_files(data_dir: str) -> Dict[str, Dict[str, str]]:
    """Each shared training file as the card records it: its path beside the repository and
    its SHA-256 (``missing`` when it is not there)."""
    out = {}
    for name, rel in datasets.SHARED_FILES.items():
        path = f"{data_dir.rstrip('/')}/{rel}"
        out[name] = {
            "path": f"../shared/data/{rel}",
            "sha256": file_sha256(path) if os.path.isfile(path) else "missing",
        }
    return out
