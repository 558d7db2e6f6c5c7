"""Company and country gazetteers (``conf/gazetteer/*.csv``) as alias tables for matching.

The CSVs are configuration, read on the driver; what Spark joins against is built from them as
small DataFrames (broadcast), never from collected data.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import BooleanType, StringType, StructField, StructType

COMPANY_ALIAS_SCHEMA = StructType([
    StructField("alias", StringType(), False),
    StructField("company_id", StringType(), False),
    StructField("company", StringType(), False),
    StructField("requires_context", BooleanType(), False),
    StructField("context_regex", StringType(), True),
    StructField("hq_country", StringType(), True),
])
COUNTRY_ALIAS_SCHEMA = StructType([
    StructField("alias", StringType(), False),
    StructField("country", StringType(), False),
])


@dataclass(frozen=True)
class CompanyEntry:
    company_id: str
    canonical_name: str
    aliases: Tuple[str, ...]
    tickers: Tuple[str, ...]
    country: str
    sector: str
    requires_context: bool
    context_terms: Tuple[str, ...]


@dataclass(frozen=True)
class CountryEntry:
    iso2: str
    name: str
    aliases: Tuple[str, ...]
    demonyms: Tuple[str, ...]
    capital: str
    region: str


def _split(value: str) -> Tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def read_companies(gazetteer_dir: str) -> List[CompanyEntry]:
    path = os.path.join(gazetteer_dir, "companies.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            CompanyEntry(
                company_id=row["company_id"], canonical_name=row["canonical_name"],
                aliases=_split(row.get("aliases", "")), tickers=_split(row.get("tickers", "")),
                country=(row.get("country") or "ZZ").strip() or "ZZ", sector=row.get("sector", ""),
                requires_context=str(row.get("requires_context", "")).strip().lower() == "true",
                context_terms=_split(row.get("context_terms", "")),
            )
            for row in csv.DictReader(handle)
        ]


def read_countries(gazetteer_dir: str) -> List[CountryEntry]:
    path = os.path.join(gazetteer_dir, "countries.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            CountryEntry(
                iso2=row["iso2"], name=row["name"], aliases=_split(row.get("aliases", "")),
                demonyms=_split(row.get("demonyms", "")), capital=row.get("capital", "") or "",
                region=row.get("region", "") or "",
            )
            for row in csv.DictReader(handle)
        ]


_TICKER_WORD = re.compile(r"^[A-Z]{4,5}$")


def company_surface_forms(entry: CompanyEntry) -> Set[str]:
    """Aliases, their plurals ("Teslas"), and ticker forms ("$TSLA"; bare symbols of 4-5 capitals,
    "TSLA", since shorter ones collide with words in all-caps headlines)."""
    forms: Set[str] = set()
    for alias in (entry.canonical_name,) + entry.aliases:
        if len(alias) < 2:
            continue
        forms.add(alias)
        if alias[-1].isalpha() and alias[-1].islower() and not alias.endswith("s") and len(alias) >= 4 \
                and " " not in alias:
            forms.add(alias + "s")
    for ticker in entry.tickers:
        symbol = ticker.split(":")[-1].strip()
        if symbol.isalpha():
            forms.add("$" + symbol)
            if _TICKER_WORD.match(symbol):
                forms.add(symbol)
    return forms


def context_regex(entry: CompanyEntry) -> str:
    terms = list(entry.context_terms) + [t.split(":")[-1] for t in entry.tickers if t.split(":")[-1].isalpha()]
    if not terms:
        return ""
    return r"\b(" + "|".join(re.escape(t) for t in sorted(set(terms))) + r")\b"


def company_alias_rows(companies: Iterable[CompanyEntry]) -> List[Tuple[str, str, str, bool, str, str]]:
    rows: Dict[str, Tuple[str, str, str, bool, str, str]] = {}
    for entry in sorted(companies, key=lambda e: e.company_id):
        for form in sorted(company_surface_forms(entry)):
            # First (by id) wins on a collision; build_gazetteer.py reports collisions.
            rows.setdefault(form, (form, entry.company_id, entry.canonical_name, entry.requires_context,
                                   context_regex(entry), entry.country))
    return sorted(rows.values())


def country_alias_rows(countries: Iterable[CountryEntry], capitals_as_metonyms: bool) -> List[Tuple[str, str]]:
    rows: Dict[str, Tuple[str, str]] = {}
    for entry in sorted(countries, key=lambda e: e.iso2):
        forms = {entry.name, *entry.aliases, *entry.demonyms}
        if capitals_as_metonyms and entry.capital:
            forms.add(entry.capital)
        for form in sorted(f for f in forms if len(f) >= 2):
            rows.setdefault(form, (form, entry.iso2))
    return sorted(rows.values())


def write_phrase_file(phrases: Sequence[str], path: str) -> str:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(phrases) + "\n")
    return path


def company_alias_frame(spark: SparkSession, companies: Sequence[CompanyEntry]) -> DataFrame:
    return spark.createDataFrame(company_alias_rows(companies), COMPANY_ALIAS_SCHEMA)


def country_alias_frame(spark: SparkSession, countries: Sequence[CountryEntry], capitals_as_metonyms: bool) -> DataFrame:
    return spark.createDataFrame(country_alias_rows(countries, capitals_as_metonyms), COUNTRY_ALIAS_SCHEMA)
