"""Company and country gazetteers (``conf/gazetteer/*.csv``) as match phrases and lookup tables.

The CSVs are configuration, read on the driver. What the pipeline matches is a phrase file per
gazetteer (one surface form a line, for Spark NLP's ``TextMatcher``); what Spark joins the
matches against are small tables built from the same rows (broadcast), never collected data.

A match is looked up by its *key*: the surface form with everything but letters and digits
removed (:func:`alias_key`, and the same expression in Spark, :data:`KEY_REGEX`). So "U.S.",
"U.S" (the tokenizer splits a final full stop off) and "US" find the same row, as do
"Mercedes-Benz" and "Mercedes Benz".
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Sequence, Set, Tuple

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import BooleanType, StringType, StructField, StructType

KEY_REGEX = r"[^\p{L}\p{N}]"
"""Java regex of the characters a key drops (``regexp_replace(text, KEY_REGEX, '')``)."""

COMPANY_ALIAS_SCHEMA = StructType([
    StructField("key", StringType(), False),
    StructField("alias", StringType(), False),
    StructField("company_id", StringType(), False),
    StructField("form", StringType(), False),
])
COMPANY_SCHEMA = StructType([
    StructField("company_id", StringType(), False),
    StructField("company", StringType(), False),
    StructField("sector", StringType(), True),
    StructField("hq_country", StringType(), True),
    StructField("requires_context", BooleanType(), False),
    StructField("context_regex", StringType(), True),
    StructField("name_regex", StringType(), False),
])
TICKER_SCHEMA = StructType([
    StructField("symbol", StringType(), False),
    StructField("exchange", StringType(), False),
    StructField("company_id", StringType(), False),
    StructField("us_listing", BooleanType(), False),
])
COUNTRY_ALIAS_SCHEMA = StructType([
    StructField("key", StringType(), False),
    StructField("alias", StringType(), False),
    StructField("country", StringType(), False),
    StructField("form", StringType(), False),
])

US_EXCHANGES = ("NYSE", "NASDAQ", "CBOE", "AMEX")


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


def alias_key(text: str) -> str:
    """Letters and digits of ``text``, in order and case kept (the lookup key of a match)."""
    return "".join(ch for ch in text if ch.isalnum())


def _plural(alias: str) -> str:
    """"Teslas", "Fords", "BYDs": a one-word name used for the company's products; "" when the
    name takes no plural (ends in s, has a space, is too short)."""
    if " " in alias or alias.endswith(("s", "S")) or not alias[-1].isalpha():
        return ""
    if alias[-1].islower() and len(alias) >= 4:
        return alias + "s"
    if alias.isupper() and 2 <= len(alias) <= 5:
        return alias + "s"
    return ""


def company_surface_forms(entry: CompanyEntry) -> Dict[str, str]:
    """Surface form -> ``name`` or ``plural``: the canonical name, the aliases and their plurals.
    Tickers are not phrases: the pipeline finds ``$TSLA``, ``NASDAQ: TSLA`` and bare symbols by
    pattern (see :func:`ticker_rows`)."""
    forms: Dict[str, str] = {}
    for alias in (entry.canonical_name,) + entry.aliases:
        if len(alias) >= 2:
            forms.setdefault(alias, "name")
    for alias in list(forms):
        plural = _plural(alias)
        if plural:
            forms.setdefault(plural, "plural")
    return forms


def _symbol(ticker: str) -> Tuple[str, str]:
    exchange, _, symbol = ticker.partition(":")
    return (exchange.strip().upper(), symbol.strip()) if symbol else ("", exchange.strip())


def _terms_regex(terms: Iterable[str]) -> str:
    unique = sorted({t for t in terms if t}, key=lambda t: (-len(t), t))
    if not unique:
        return ""
    # (?<![\w-]) / (?![\w-]) instead of \b: a term starting or ending in a non-word character
    # ("Apple Inc.", "$TSLA") still matches, and "e-commerce" is not found inside "re-commerce".
    return r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in unique) + r")(?![\w-])"


def context_regex(entry: CompanyEntry) -> str:
    """Words that confirm an ambiguous company in its sentence or article: the hand-written
    context terms, the multi-word aliases and the ticker symbols (``$`` forms included)."""
    symbols = [_symbol(t)[1] for t in entry.tickers]
    terms = list(entry.context_terms) + [a for a in entry.aliases if " " in a or "." in a]
    terms += [s for s in symbols if len(s) >= 3 and s.isalpha()] + ["$" + s for s in symbols if s.isalpha()]
    return _terms_regex(terms)


def name_regex(entry: CompanyEntry) -> str:
    """Any of the company's names (to find it in an article's title)."""
    return _terms_regex(company_surface_forms(entry))


def company_alias_rows(companies: Iterable[CompanyEntry]) -> List[Tuple[str, str, str, str]]:
    """``(key, alias, company_id, form)`` per surface form; on a key shared by two companies
    the first by id wins (``build_gazetteer.py`` reports alias collisions)."""
    rows: Dict[str, Tuple[str, str, str, str]] = {}
    for entry in sorted(companies, key=lambda e: e.company_id):
        for form, kind in sorted(company_surface_forms(entry).items(), key=lambda fk: (fk[1], fk[0])):
            key = alias_key(form)
            if key and (key not in rows or (rows[key][2] == entry.company_id and kind == "name")):
                rows[key] = (key, form, entry.company_id, kind)
    return sorted(rows.values())


def company_rows(companies: Iterable[CompanyEntry]) -> List[tuple]:
    return sorted(
        (e.company_id, e.canonical_name, e.sector or None, e.country, e.requires_context,
         context_regex(e) or None, name_regex(e))
        for e in companies
    )


def ticker_rows(companies: Iterable[CompanyEntry]) -> List[Tuple[str, str, str, bool]]:
    """``(symbol, exchange, company_id, us_listing)`` for every listing with a symbol."""
    rows: Set[Tuple[str, str, str, bool]] = set()
    for entry in companies:
        for ticker in entry.tickers:
            exchange, symbol = _symbol(ticker)
            if symbol:
                rows.add((symbol, exchange, entry.company_id, exchange in US_EXCHANGES))
    return sorted(rows)


def country_surface_forms(entry: CountryEntry, capitals_as_metonyms: bool) -> Dict[str, str]:
    forms: Dict[str, str] = {}
    for alias in (entry.name, *entry.aliases):
        if len(alias) >= 2:
            forms.setdefault(alias, "name")
    for demonym in entry.demonyms:
        if len(demonym) >= 2:
            forms.setdefault(demonym, "demonym")
    if capitals_as_metonyms and len(entry.capital) >= 2:
        forms.setdefault(entry.capital, "capital")
    return forms


def country_alias_rows(countries: Iterable[CountryEntry], capitals_as_metonyms: bool) -> List[Tuple[str, str, str, str]]:
    """``(key, alias, country, form)``; form is ``name``, ``demonym`` or ``capital`` (capitals
    only with ``capitals_as_metonyms``)."""
    rows: Dict[str, Tuple[str, str, str, str]] = {}
    for entry in sorted(countries, key=lambda e: e.iso2):
        for form, kind in sorted(country_surface_forms(entry, capitals_as_metonyms).items()):
            key = alias_key(form)
            if key:
                rows.setdefault(key, (key, form, entry.iso2, kind))
    return sorted(rows.values())


def write_phrase_file(phrases: Sequence[str], path: str) -> str:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(sorted(set(phrases))) + "\n")
    return path


def company_alias_frame(spark: SparkSession, companies: Sequence[CompanyEntry]) -> DataFrame:
    return spark.createDataFrame(company_alias_rows(companies), COMPANY_ALIAS_SCHEMA)


def company_frame(spark: SparkSession, companies: Sequence[CompanyEntry]) -> DataFrame:
    return spark.createDataFrame(company_rows(companies), COMPANY_SCHEMA)


def ticker_frame(spark: SparkSession, companies: Sequence[CompanyEntry]) -> DataFrame:
    return spark.createDataFrame(ticker_rows(companies), TICKER_SCHEMA)


def country_alias_frame(spark: SparkSession, countries: Sequence[CountryEntry], capitals_as_metonyms: bool) -> DataFrame:
    return spark.createDataFrame(country_alias_rows(countries, capitals_as_metonyms), COUNTRY_ALIAS_SCHEMA)
