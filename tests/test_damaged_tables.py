"""Damage that must not go unnoticed (issue 20, defect 5): a lost or corrupted data file, a
truncated Delta log. ``python -m jobs.check`` names each; the aggregate stage refuses to run on a
silver version with files missing, names the table of a broken log, and a gold rewrite that fails
partway leaves every gold table as it was.

One clean lakehouse (inline silver, one aggregate run) is built for the session (conftest's
``gold_lakehouse``); each test damages its own copy."""

import glob
import os
import re

import pytest
from conftest import ROOT
from test_gold_stage import GOLD, aggregate, make_settings, versions

from newslake import io
from newslake.cli import check_main
from newslake.gold import stage as gold_stage


@pytest.fixture()
def lake(gold_lakehouse, tmp_path):
    """A copy of the session's clean lakehouse to damage (Delta logs hold relative paths: a copy is a table)."""
    return gold_lakehouse.copy(tmp_path / "lake")


def data_file(lake, table):
    """One data file of the table (the first in sorted order)."""
    path = sorted(glob.glob(f"{lake}/{table}/**/part-*.parquet", recursive=True))[0]
    return path


def remove(path):
    """Delete a file as a careless cleanup would: with its local checksum file, if any."""
    os.remove(path)
    checksum = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.crc")
    if os.path.exists(checksum):
        os.remove(checksum)


def corrupt_in_place(path):
    """Overwrite the file's last 8 bytes (footer length and magic): same name, same size."""
    with open(path, "r+b") as handle:
        handle.seek(-8, os.SEEK_END)
        handle.write(b"\0" * 8)
    checksum = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.crc")
    if os.path.exists(checksum):
        os.remove(checksum)


def truncate_latest_commit(lake, table):
    """Cut the table's latest commit file in half and remove the .crc files beside it (Delta's
    version checksum and Hadoop's file checksum), as a crash on a store without atomic puts or
    a bad copy leaves it; the commit file's name."""
    commits = sorted(glob.glob(f"{lake}/{table}/_delta_log/*.json"))
    latest = commits[-1]
    data = open(latest, "rb").read()
    with open(latest, "wb") as handle:
        handle.write(data[: len(data) // 2])
    for crc in glob.glob(f"{lake}/{table}/_delta_log/*.crc") + glob.glob(f"{lake}/{table}/_delta_log/.*.crc"):
        os.remove(crc)
    return os.path.basename(latest)


def check(lake, capsys, *extra):
    code = check_main(["--conf", str(ROOT / "conf" / "local.yaml"), "--lakehouse", str(lake), *extra])
    return code, capsys.readouterr().out


def test_check_passes_a_whole_lakehouse_and_names_every_damage(spark, lake, capsys):
    code, out = check(lake, capsys)
    assert code == 0, out
    for table in ["silver/articles", "silver/sentences", "silver/mentions", "ops/gold_state"] + [
        f"gold/{name}" for name in GOLD
    ]:
        assert any(line.startswith("ok") and f" {table} " in line for line in out.splitlines()), (table, out)
    assert out.rstrip().endswith(f"{len(GOLD) + 5} tables checked, 0 broken")

    lost = data_file(lake, "silver/sentences")
    remove(lost)
    rotten = data_file(lake, "gold/evidence")
    corrupt_in_place(rotten)
    commit = truncate_latest_commit(lake, "silver/mentions")
    code, out = check(lake, capsys)
    assert code == 1, out
    broken = {line.split()[1] for line in out.splitlines() if line.startswith("BROKEN")}
    assert broken == {"silver/sentences", "gold/evidence", "silver/mentions"}, out
    assert f"{os.path.basename(lost)} of version 0 is missing" in out
    assert f"{os.path.basename(rotten)} of version" in out and "is not a whole Parquet file" in out
    assert re.search(rf"_delta_log/{commit} line \d+ is not valid JSON", out), out
    assert out.rstrip().endswith("3 broken")
    # --table narrows the check to what is named.
    code, out = check(lake, capsys, "--table", "gold/companies")
    assert code == 0 and out.rstrip().endswith("1 tables checked, 0 broken"), out


def test_check_of_a_folder_without_tables_is_a_usage_error(tmp_path, capsys):
    assert check(tmp_path, capsys)[0] == 2


def test_incremental_aggregate_fails_naming_a_missing_silver_file(spark, lake):
    """Silver unchanged since the last run, one of its files gone: the run must not report
    "nothing to recompute" and exit 0."""
    lost = data_file(lake, "silver/sentences")
    remove(lost)
    before = versions(spark, lake)
    with pytest.raises(io.DamagedTableError) as failure:
        aggregate(spark, make_settings(lake))
    message = str(failure.value)
    assert "silver/sentences version 0 references 1 missing data file(s)" in message
    assert os.path.basename(lost) in message and "jobs.check" in message
    assert versions(spark, lake) == before


def test_full_refresh_failing_partway_replaces_no_gold_table(spark, lake, caplog):
    """A silver file rotten in place (same name and size, so nothing looks missing): the full
    rebuild fails when it reads it, which is while computing gold/evidence, the fifth table. No
    gold table may be rewritten by then; a rebuild that succeeds says which tables it replaced."""
    before = versions(spark, lake)
    rotten = data_file(lake, "silver/sentences")
    saved = open(rotten, "rb").read()
    corrupt_in_place(rotten)
    # Whatever the reader raises on a corrupt Parquet file: what matters is that nothing is committed.
    with pytest.raises(Exception):  # noqa: B017
        aggregate(spark, make_settings(lake), full_refresh=True)
    assert versions(spark, lake) == before
    assert not glob.glob(f"{lake}/_staging/aggregate-*")  # the staged rows are removed either way

    with open(rotten, "wb") as handle:  # restored: the rebuild goes through, one commit per table
        handle.write(saved)
    caplog.set_level("INFO", logger="newslake.gold")
    counts = aggregate(spark, make_settings(lake), full_refresh=True)
    assert counts["full_refresh"] == 1
    after = versions(spark, lake)
    assert {name: after[name] - before[name] for name in GOLD} == {name: 1 for name in GOLD}
    order = ", ".join(t.name for t in gold_stage.GOLD_TABLES)
    assert f"replaced gold tables (one commit each, in this order): {order}" in caplog.text


def test_truncated_delta_log_names_the_table_and_the_commit(spark, lake):
    commit = truncate_latest_commit(lake, "silver/sentences")
    with pytest.raises(io.DamagedTableError) as failure:
        aggregate(spark, make_settings(lake))
    first_line = str(failure.value).splitlines()[0]
    assert re.search(
        rf"{lake}/silver/sentences is damaged: _delta_log/{commit} line \d+ is not valid JSON", first_line
    ), first_line
