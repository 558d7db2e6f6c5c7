"""Airflow DAG: the newslake pipeline once a day, one task per stage, for the day's dump folder.

Copy this file into your DAGs folder and set two Airflow Variables (or edit the defaults):
``newslake_home`` (a checkout with ``.venv`` from ``scripts/setup.sh``) and ``newslake_conf``
(a profile such as ``conf/cluster.yaml``). Every task passes the logical date (``{{ ds }}``) as
``--run-date``, so catch-up, backfills (``airflow dags backfill -s 2024-04-01 -e 2024-04-30
newslake_daily``) and retries process exactly their own day and are idempotent: re-running a
day merges by key and replaces only that day's rows and weeks.

For a cluster, replace the BashOperator command by ``spark-submit ... jobs/<stage>.py`` (see
README, "Running on a cluster") or use SparkSubmitOperator from the Spark provider with the
same arguments.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

NEWSLAKE_HOME = Variable.get("newslake_home", default_var="/opt/newslake")
NEWSLAKE_CONF = Variable.get("newslake_conf", default_var="conf/local.yaml")

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
    schedule="@daily",
    start_date=datetime(2024, 1, 1),
    catchup=True,
    max_active_runs=1,  # the stages of two days may run together, but one day at a time is simpler to watch
    default_args=default_args,
    tags=["newslake", "news", "sentiment"],
) as dag:
    stages = {}
    for stage in ("ingest", "enrich", "stories", "aggregate"):
        stages[stage] = BashOperator(
            task_id=stage,
            cwd=NEWSLAKE_HOME,
            bash_command=(
                f".venv/bin/python -m jobs.{stage} --conf {NEWSLAKE_CONF} "
                "--run-date {{ ds }} --run-id {{ run_id | replace(':', '_') | replace('+', '_') }}_" + stage
                + " --log-format json"
            ),
        )
    stages["ingest"] >> stages["enrich"] >> stages["stories"] >> stages["aggregate"]
