#!/usr/bin/env bash
# Runs the test suite on a fresh clone: installs what is missing (scripts/setup.sh, with the
# separate Airflow virtualenv for the DAG test), then ruff (lint and format check), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --airflow
# Lint and format check first (configured in pyproject.toml): seconds, and a failure names the line.
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest -q --durations=30 "$@"
