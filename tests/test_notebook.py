"""The weekly sentiment notebook runs headless (nbconvert, the project's python3 kernel) against a
lakehouse built here, and shows its three charts and the evidence table."""

import os
import subprocess
import sys

import nbformat
import pytest
from conftest import ROOT
from test_gold_stage import LATE, aggregate, make_settings, write_silver

NOTEBOOK = ROOT / "notebooks" / "weekly_sentiment.ipynb"


@pytest.fixture(scope="module")
def lakehouse(spark, gold_lakehouse, tmp_path_factory):
    """The session's six weeks (conftest's ``gold_lakehouse``, copied) and a late article, aggregated."""
    lake = gold_lakehouse.copy(tmp_path_factory.mktemp("notebook") / "lake")
    write_silver(spark, lake, [LATE])
    aggregate(spark, make_settings(lake))
    return lake


def test_notebook_holds_no_logic():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "from newslake" in code
    for construct in ("def ", "class ", "lambda", "while ", "import matplotlib", "pyspark"):
        assert construct not in code, f"the notebook should call newslake, not hold {construct.strip()!r}"


def test_notebook_runs_headless(lakehouse, tmp_path):
    env = dict(os.environ, NEWSLAKE_LAKEHOUSE=str(lakehouse), MPLBACKEND="Agg")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.kernel_name=python3",
            "--ExecutePreprocessor.timeout=600",
            "--output-dir",
            str(tmp_path),
            str(NOTEBOOK),
        ],
        env=env,
        check=True,
        timeout=900,
        capture_output=True,
    )
    executed = nbformat.read(tmp_path / NOTEBOOK.name, as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3
    tables = "\n".join(o["data"].get("text/plain", "") for o in outputs if "data" in o)
    assert "Tesla" in tables
    evidence = executed.cells[-3].outputs[0]["data"]["text/html"]
    assert "sentence_text" in evidence and "https://news.example/" in evidence
