#!/usr/bin/env bash
# Installs newslake on a fresh machine: a virtualenv in .venv with the package and its test and
# notebook extras, and the Spark NLP + Delta jars resolved once from Maven Central into
# .cache/jars (later runs, tests included, never touch the network). Safe to run again: each
# step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
JARS_DIR=.cache/jars

if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating virtualenv .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.newslake-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ scripts/setup.sh -nt "$stamp" ]; then
  echo "[setup] installing newslake and its dependencies"
  .venv/bin/python -m pip install --quiet --upgrade pip setuptools wheel  # the spark-submit test builds the wheel without isolation
  .venv/bin/python -m pip install --quiet -e ".[test,notebook]"
  touch "$stamp"
fi

if ! ls "$JARS_DIR"/spark-nlp_*.jar >/dev/null 2>&1 || ! ls "$JARS_DIR"/delta-spark_*.jar >/dev/null 2>&1; then
  mkdir -p "$JARS_DIR"
  if command -v mvn >/dev/null 2>&1; then
    echo "[setup] resolving Spark NLP and Delta jars from Maven Central with Maven into $JARS_DIR"
    mvn -q -B -f deps/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$PWD/$JARS_DIR"
  else
    echo "[setup] Maven not found: resolving the same coordinates with Spark's Ivy into .cache/ivy"
    .venv/bin/python -m newslake.resolve_jars --jars-dir "$JARS_DIR"
  fi
fi
echo "[setup] ready: $(ls "$JARS_DIR" | wc -l) jars in $JARS_DIR"
