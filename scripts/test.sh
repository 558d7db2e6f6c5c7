#!/usr/bin/env bash
# Runs the test suite on a fresh clone: installs what is missing (scripts/setup.sh, with the
# separate Airflow virtualenv for the DAG test), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --airflow
exec .venv/bin/python -m pytest -q --durations=30 "$@"
