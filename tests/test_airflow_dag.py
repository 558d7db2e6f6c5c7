"""The example DAG loads in a real Airflow, and the commands it renders are ones the jobs accept.

Airflow lives in its own virtualenv (``.cache/airflow-venv``, made by ``scripts/setup.sh
--airflow``, which ``scripts/test.sh`` runs): its pins (SQLAlchemy, pydantic, ...) must not
move the project's. The DagBag load runs in that interpreter; this test reads what it reports.
Skipped when that virtualenv is missing, except in CI, where a missing Airflow is a failure.
"""

import ast
import json
import os
import shlex
import subprocess
from datetime import date

import pytest
from conftest import ROOT

from newslake.cli import build_parser
from newslake.stages import STAGES

AIRFLOW_PYTHON = os.environ.get("NEWSLAKE_AIRFLOW_PYTHON", str(ROOT / ".cache" / "airflow-venv" / "bin" / "python"))

# Runs inside the Airflow virtualenv: load the folder with DagBag, describe the DAG as JSON,
# with each task's command rendered by Airflow's own Jinja environment for one logical day.
LOAD_DAG = r"""
import json, sys
from datetime import datetime, timezone
import airflow
try:
    from airflow.dag_processing.dagbag import DagBag  # Airflow 3
    bag = DagBag(dag_folder=sys.argv[1])
except ImportError:
    from airflow.models import DagBag  # Airflow 2
    bag = DagBag(dag_folder=sys.argv[1], include_examples=False)
from airflow.timetables.base import TimeRestriction

class Values:
    def get(self, key, default=None):
        return {"newslake_home": "/srv/newslake"}.get(key, default)

class Var:
    value = Values()

out = {"airflow": airflow.__version__, "import_errors": {k: str(v) for k, v in bag.import_errors.items()},
       "dag_ids": sorted(bag.dags)}
dag = bag.dags.get("newslake_daily")
if dag is not None:
    first = dag.timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=dag.start_date, latest=None, catchup=True))
    context = {"ds": "2024-04-22", "run_id": "scheduled__2024-04-22T00:00:00+00:00", "var": Var()}
    env = dag.get_template_env()
    out.update(
        timetable=type(dag.timetable).__name__, summary=dag.timetable.summary, catchup=dag.catchup,
        max_active_runs=dag.max_active_runs,
        first_interval=[first.data_interval.start.isoformat(), first.data_interval.end.isoformat()],
        first_run_after=first.run_after.isoformat(),
        order=[t.task_id for t in dag.topological_sort()],
        tasks={t.task_id: {"retries": t.retries, "upstream": sorted(t.upstream_task_ids),
                           "operator": type(t).__name__, "bash_command": t.bash_command,
                           "rendered": t.render_template(t.bash_command, context, jinja_env=env),
                           "cwd": t.render_template(t.cwd, context, jinja_env=env)}
               for t in dag.tasks})
print("DAGJSON " + json.dumps(out))
"""


DAG_FILE = ROOT / "orchestration" / "airflow" / "newslake_daily.py"


def test_dag_stage_list_is_the_registry():
    """The DAG file keeps its own list (Airflow parses it without newslake): the registry's order."""
    tree = ast.parse(DAG_FILE.read_text(encoding="utf-8"))
    lists = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "STAGES" for t in node.targets)
    ]
    assert lists == [tuple(STAGES)]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    if not os.path.exists(AIRFLOW_PYTHON):
        if os.environ.get("CI"):
            pytest.fail(f"no Airflow interpreter at {AIRFLOW_PYTHON}: scripts/test.sh should have made it")
        pytest.skip(f"no Airflow interpreter at {AIRFLOW_PYTHON}: ./scripts/setup.sh --airflow makes it")
    home = tmp_path_factory.mktemp("airflow_home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PYSPARK", "SPARK"))}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "orchestration" / "airflow"),
    )
    done = subprocess.run(
        [AIRFLOW_PYTHON, "-c", LOAD_DAG, str(ROOT / "orchestration" / "airflow")],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(text for text in done.stdout.splitlines() if text.startswith("DAGJSON "))
    return json.loads(line[len("DAGJSON ") :])


def test_dag_loads_without_import_errors(loaded):
    assert loaded["import_errors"] == {}
    assert loaded["dag_ids"] == ["newslake_daily"]


def test_schedule_is_daily_with_catchup_and_ds_is_the_finished_day(loaded):
    assert loaded["timetable"] == "CronDataIntervalTimetable" and loaded["summary"] == "0 0 * * *"
    assert loaded["catchup"] is True and loaded["max_active_runs"] == 1
    # The first run covers 2024-01-01 and starts once that day is over: its ds is the finished day.
    assert loaded["first_interval"] == ["2024-01-01T00:00:00+00:00", "2024-01-02T00:00:00+00:00"]
    assert loaded["first_run_after"] == "2024-01-02T00:00:00+00:00"


def test_three_stages_in_order_with_retries(loaded):
    assert loaded["order"] == ["ingest", "enrich", "stories", "aggregate"]
    assert loaded["order"] == list(STAGES)  # the registry's order
    tasks = loaded["tasks"]
    assert [tasks[s]["upstream"] for s in ("ingest", "enrich", "stories", "aggregate")] == [
        [],
        ["ingest"],
        ["enrich"],
        ["stories"],
    ]
    for stage, task in tasks.items():
        assert task["retries"] == 3
        assert task["operator"] == "BashOperator"
        assert "--run-date {{ ds }}" in task["bash_command"]
        assert f"-m jobs.{stage} " in task["bash_command"]


def test_rendered_commands_are_accepted_by_the_jobs(loaded):
    for stage, task in loaded["tasks"].items():
        assert task["cwd"] == "/srv/newslake"
        words = shlex.split(task["rendered"])
        assert words[:3] == [".venv/bin/python", "-m", f"jobs.{stage}"]
        args = build_parser(f"jobs.{stage}", stage).parse_args(words[3:])
        assert args.run_date == date(2024, 4, 22) and args.conf == "conf/local.yaml"
        assert args.run_id == f"scheduled__2024-04-22T00_00_00_00_00_{stage}"
        assert args.log_format == "json"
