"""``gold/companies`` and ``gold/countries``: dimension tables from the gazetteers
(``conf/gazetteer/companies.csv``, ``countries.csv``), so BI tools can join names, tickers,
sectors and regions onto the weekly tables by ``company_id`` and ``country``."""

from __future__ import annotations

from typing import Iterable, List, Tuple

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from newslake.nlp.gazetteer import CompanyEntry, CountryEntry
from newslake.schemas import GOLD_COMPANIES

UNKNOWN_COUNTRY = ("ZZ", "Unknown", None)
# The company rows as read from the gazetteer, before the HQ country's name and region are joined.
COMPANY_ROW = StructType([f for f in GOLD_COMPANIES.fields if f.name not in ("hq_country_name", "hq_region")])


def company_rows(entries: Iterable[CompanyEntry]) -> List[Tuple]:
    """``COMPANY_ROW`` tuples, sorted by id: id, canonical name, primary ticker (the first
    listed), all tickers, sector (None when blank) and HQ country."""
    return [
        (
            e.company_id,
            e.canonical_name,
            e.tickers[0] if e.tickers else None,
            list(e.tickers),
            e.sector or None,
            e.country or UNKNOWN_COUNTRY[0],
        )
        for e in sorted(entries, key=lambda e: e.company_id)
    ]


def country_rows(entries: Iterable[CountryEntry]) -> List[Tuple]:
    """``gold/countries`` tuples, sorted by code, plus ``ZZ`` (Unknown), the code silver gives a
    mention whose country is not known, so that every gold row joins."""
    rows = {e.iso2: (e.iso2, e.name, e.region or None) for e in entries}
    rows.setdefault(UNKNOWN_COUNTRY[0], UNKNOWN_COUNTRY)
    return [rows[code] for code in sorted(rows)]


def companies_dimension(companies: DataFrame, countries: DataFrame) -> DataFrame:
    """Requires ``COMPANY_ROW`` columns and ``gold/countries`` columns; adds ``hq_country_name``
    and ``hq_region`` of the company's HQ country."""
    hq = countries.select(
        F.col("country").alias("hq_country"),
        F.col("country_name").alias("hq_country_name"),
        F.col("region").alias("hq_region"),
    )
    return companies.join(F.broadcast(hq), "hq_country", "left")
