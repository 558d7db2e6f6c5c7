import re

from conftest import ROOT

from newslake import catalogue


def test_every_table_and_column_is_documented():
    text = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)
    for table in catalogue.TABLES:
        section = next((s for s in sections if s.startswith(f"{table.qualified_name}\n")), None)
        assert section is not None, f"{table.qualified_name} has no section in docs/data_dictionary.md"
        for field in table.schema.fieldNames():
            assert f"`{field}`" in section, f"{table.qualified_name}.{field} is not documented"


def test_every_quarantine_reason_is_documented():
    from newslake.bronze.formats import REASON_CODES

    text = (ROOT / "docs" / "data_dictionary.md").read_text(encoding="utf-8")
    for reason in list(REASON_CODES) + ["empty_body", "body_too_short", "no_usable_date"]:
        assert f"| `{reason}` |" in text
