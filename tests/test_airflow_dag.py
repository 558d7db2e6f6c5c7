"""The example DAG loads in Airflow (skipped when Airflow, an optional extra, is not installed)."""

import pytest

from conftest import ROOT


def test_dag_loads_with_four_ordered_stages():
    pytest.importorskip("airflow", reason="Airflow is optional: pip install -e '.[airflow]' to run this test")
    from airflow.models import DagBag

    bag = DagBag(dag_folder=str(ROOT / "orchestration" / "airflow"), include_examples=False)
    assert bag.import_errors == {}
    dag = bag.get_dag("newslake_daily")
    assert dag is not None and dag.catchup
    assert [t.task_id for t in dag.topological_sort()] == ["ingest", "enrich", "stories", "aggregate"]
    for task in dag.tasks:
        assert task.retries == 3
        assert "--run-date {{ ds }}" in task.bash_command
