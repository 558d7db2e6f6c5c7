"""Resolve the JVM dependencies with Spark's own Ivy (``spark.jars.packages``) and copy the jars
into a folder that ``spark.jars`` can use offline. The fallback of ``scripts/setup.sh`` for
machines without Maven; both read the same coordinates (``SparkSettings.packages``)."""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import sys

from newslake.config import SparkSettings
from newslake.spark import build_spark


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jars-dir", default=".cache/jars")
    parser.add_argument("--ivy-dir", default=".cache/ivy")
    args = parser.parse_args(argv)
    settings = SparkSettings(master="local[1]", jar_source="packages", ivy_dir=args.ivy_dir)
    spark = build_spark(settings, app_name="newslake-resolve-jars")
    spark.stop()
    os.makedirs(args.jars_dir, exist_ok=True)
    jars = glob.glob(os.path.join(args.ivy_dir, "jars", "*.jar"))
    for jar in jars:
        shutil.copy2(jar, args.jars_dir)
    print(f"copied {len(jars)} jars into {args.jars_dir}")
    return 0 if jars else 1


if __name__ == "__main__":
    sys.exit(main())
