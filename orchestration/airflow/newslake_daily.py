"""Airflow DAG: the newslake pipeline once a day, one task per stage, for the day's dump folder.

Copy this file into your DAGs folder and set two Airflow Variables (or keep the defaults):
``newslake_home`` (a checkout with ``.venv`` from ``scripts/setup.sh``) and ``newslake_conf``
(a profile such as ``conf/cluster.yaml``). They are read when a task runs (Jinja ``var.value``),
not when the scheduler parses the file, so parsing never touches the metadata database.

Every task passes the logical date (``{{ ds }}``) as ``--run-date``, so catch-up, backfills
(``airflow dags backfill -s 2024-04-01 -e 2024-04-30 newslake_daily`` in Airflow 2,
``airflow backfill create --dag-id newslake_daily --from-date ... --to-date ...`` in Airflow 3)
and retries process exactly their own day and are idempotent: re-running a day merges by key
and replaces only that day's rows and weeks.

The schedule is a data-interval timetable on purpose: the run that starts at midnight processes
the day that just ended (``ds`` = that day). Airflow 3 reads a bare ``"@daily"`` as a trigger
timetable whose ``ds`` is the day that is only starting, whose dump folder is still empty.

Loads in Airflow 2.10+ and 3.x (tested with the version pinned in scripts/setup.sh). For a
cluster, replace the BashOperator command by ``spark-submit ... jobs/<stage>.py`` (see README,
"Running on a cluster") or use SparkSubmitOperator from the Spark provider with the same
arguments.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.timetables.interval import CronDataIntervalTimetable

try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.operators.bash import BashOperator

NEWSLAKE_HOME = "{{ var.value.get('newslake_home', '/opt/newslake') }}"
NEWSLAKE_CONF = "{{ var.value.get('newslake_conf', 'conf/local.yaml') }}"
# The order of newslake.stages.STAGES (tests/test_airflow_dag.py checks it): the DAG is parsed in
# Airflow's own environment, which does not import newslake.
STAGES = ("ingest", "enrich", "stories", "aggregate")

default_args = {
    "owner": "data-engineering",
    "retries": 3,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=4),
}

with DAG(
    dag_id="newslake_daily",
    description="raw news dumps -> bronze -> silver -> gold, one logical day per run",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="UTC"),
    start_date=datetime(2024, 1, 1),
    catchup=True,
    max_active_runs=1,  # the stages of two days may run together, but one day at a time is simpler to watch
    default_args=default_args,
    tags=["newslake", "news", "sentiment"],
) as dag:
    previous = None
    for stage in STAGES:
        task = BashOperator(
            task_id=stage,
            cwd=NEWSLAKE_HOME,
            bash_command=(
                f".venv/bin/python -m jobs.{stage} --conf {NEWSLAKE_CONF} "
                "--run-date {{ ds }} --run-id {{ run_id | replace(':', '_') | replace('+', '_') }}_"
                + stage
                + " --log-format json"
            ),
        )
        if previous is not None:
            previous >> task
        previous = task
