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
import datetime as dt
import glob
import os
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import BooleanType, DateType, StringType, StructField, StructType

KEY_REGEX = r"[^\p{L}\p{N}]"
"""Java regex of the characters a key drops (``regexp_replace(text, KEY_REGEX, '')``)."""

COMPANY_ALIAS_SCHEMA = StructType(
    [
        StructField("key", StringType(), False),
        StructField("alias", StringType(), False),
        StructField("company_id", StringType(), False),
        StructField("form", StringType(), False),
    ]
)
COMPANY_SCHEMA = StructType(
    [
        StructField("company_id", StringType(), False),
        StructField("company", StringType(), False),
        StructField("sector", StringType(), True),
        StructField("hq_country", StringType(), True),
        StructField("requires_context", BooleanType(), False),
        StructField("context_regex", StringType(), True),
        StructField("name_regex", StringType(), False),
        StructField("valid_from", DateType(), True),
        StructField("valid_to", DateType(), True),
    ]
)
TICKER_SCHEMA = StructType(
    [
        StructField("symbol", StringType(), False),
        StructField("exchange", StringType(), False),
        StructField("company_id", StringType(), False),
        StructField("us_listing", BooleanType(), False),
    ]
)
COUNTRY_ALIAS_SCHEMA = StructType(
    [
        StructField("key", StringType(), False),
        StructField("alias", StringType(), False),
        StructField("country", StringType(), False),
        StructField("form", StringType(), False),
    ]
)

PLACE_SCHEMA = StructType(
    [
        StructField("place_key", StringType(), False),
        StructField("place_country", StringType(), False),
    ]
)

US_EXCHANGES = ("NYSE", "NASDAQ", "CBOE", "AMEX")

RIC_EXCHANGE = "RIC"
"""The ``tickers`` pseudo-exchange of a Reuters instrument code written out by hand
(``RIC:VOWG_p.DE``), for a RIC whose root is not the exchange symbol."""
RIC_SUFFIXES: Dict[str, Tuple[str, ...]] = {
    "NYSE": ("N",),
    "NASDAQ": ("O", "OQ"),
    "AMEX": ("A",),
    "OTC": ("PK",),
    "TSX": ("TO",),
    "LSE": ("L",),
    "XETRA": ("DE",),
    "EPA": ("PA",),
    "AMS": ("AS",),
    "EBR": ("BR",),
    "ELI": ("LS",),
    "ISE": ("I",),
    "BIT": ("MI",),
    "BME": ("MC",),
    "SIX": ("S",),
    "STO": ("ST",),
    "HEL": ("HE",),
    "CPH": ("CO",),
    "OSL": ("OL",),
    "WBAG": ("VI",),
    "WSE": ("WA",),
    "MOEX": ("MM",),
    "BIST": ("IS",),
    "TASE": ("TA",),
    "TADAWUL": ("SE",),
    "ADX": ("AD",),
    "DFM": ("DU",),
    "QSE": ("QA",),
    "JSE": ("J",),
    "TSE": ("T",),
    "HKEX": ("HK",),
    "SSE": ("SS",),
    "SZSE": ("SZ",),
    "TWSE": ("TW",),
    "KRX": ("KS",),
    "NSE": ("NS",),
    "BSE": ("BO",),
    "SGX": ("SI",),
    "IDX": ("JK",),
    "SET": ("BK",),
    "MYX": ("KL",),
    "HOSE": ("HM",),
    "ASX": ("AX",),
    "B3": ("SA",),
    "BMV": ("MX",),
}
"""Gazetteer exchange -> the RIC suffixes Reuters gives its listings (``BAC.N``, ``AAPL.OQ``,
``7203.T``, ``0005.HK``)."""


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
    valid_from: Optional[dt.date] = None
    """First publication date on which the company's names mean it (None: always); only a
    user's universe (``paths.universe``) sets it."""
    valid_to: Optional[dt.date] = None
    """Last such date (None: still today)."""

    @property
    def dated(self) -> bool:
        return self.valid_from is not None or self.valid_to is not None


@dataclass(frozen=True)
class CountryEntry:
    iso2: str
    name: str
    aliases: Tuple[str, ...]
    demonyms: Tuple[str, ...]
    capital: str
    region: str


@dataclass(frozen=True)
class OrganisationEntry:
    """An institution whose name says which country a story is about (``Bundesbank`` -> DE,
    ``the Fed`` -> US); ``country`` is empty for one that implies none (OPEC, the IMF)."""

    name: str
    aliases: Tuple[str, ...]
    country: str


def _split(value: str) -> Tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split("|") if v.strip())


def read_companies(gazetteer_dir: str) -> List[CompanyEntry]:
    path = os.path.join(gazetteer_dir, "companies.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            CompanyEntry(
                company_id=row["company_id"],
                canonical_name=row["canonical_name"],
                aliases=_split(row.get("aliases", "")),
                tickers=_split(row.get("tickers", "")),
                country=(row.get("country") or "ZZ").strip() or "ZZ",
                sector=row.get("sector", ""),
                requires_context=str(row.get("requires_context", "")).strip().lower() == "true",
                context_terms=_split(row.get("context_terms", "")),
            )
            for row in csv.DictReader(handle)
        ]


UNIVERSE_COLUMNS = (
    "company_id",
    "canonical_name",
    "aliases",
    "tickers",
    "country",
    "sector",
    "requires_context",
    "context_terms",
    "valid_from",
    "valid_to",
)
"""Columns of a universe CSV: those of ``companies.csv`` plus the optional validity window."""
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TICKER = re.compile(r"^[A-Z0-9]{1,10}:\S+$")


class UniverseError(ValueError):
    """A malformed universe file; the message names the file, line and column."""


def universe_files(path: str) -> List[str]:
    if os.path.isdir(path):
        files = sorted(glob.glob(os.path.join(path, "*.csv")))
        if not files:
            raise UniverseError(f"paths.universe: {path}: folder holds no *.csv file")
        return files
    if not os.path.isfile(path):
        raise UniverseError(f"paths.universe: {path}: no such file or folder")
    return [path]


def _universe_row(path: str, line: int, row: dict) -> CompanyEntry:
    def fail(column: str, problem: str) -> UniverseError:
        return UniverseError(f"paths.universe: {path}, line {line}, column {column}: {problem}")

    def cell(column: str) -> str:
        value = row.get(column)
        return value.strip() if isinstance(value, str) else ""

    def date(column: str) -> Optional[dt.date]:
        if not cell(column):
            return None
        try:
            return dt.date.fromisoformat(cell(column))
        except ValueError:
            raise fail(column, f"{cell(column)!r} is not an ISO date (YYYY-MM-DD)") from None

    if None in row:
        raise fail(str(len(row) - 1 + len(row[None])), "more fields than the header has columns")
    if not _SLUG.match(cell("company_id")):
        raise fail("company_id", f"{cell('company_id')!r} is not a lowercase slug (a-z, 0-9, -)")
    if not cell("canonical_name"):
        raise fail("canonical_name", "empty")
    tickers = _split(cell("tickers"))
    for ticker in tickers:
        if not _TICKER.match(ticker):
            raise fail("tickers", f"{ticker!r} is not EXCHANGE:SYMBOL")
    country = cell("country")
    if country and not re.match(r"^[A-Z]{2}$", country):
        raise fail("country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
    flag = cell("requires_context").lower()
    if flag not in ("", "true", "false"):
        raise fail("requires_context", f"{cell('requires_context')!r} is not true or false")
    valid_from, valid_to = date("valid_from"), date("valid_to")
    if valid_from and valid_to and valid_from > valid_to:
        raise fail("valid_to", f"{valid_to} is before valid_from {valid_from}")
    return CompanyEntry(
        company_id=cell("company_id"),
        canonical_name=cell("canonical_name"),
        aliases=_split(cell("aliases")),
        tickers=tickers,
        country=country or "ZZ",
        sector=cell("sector"),
        requires_context=flag == "true",
        context_terms=_split(cell("context_terms")),
        valid_from=valid_from,
        valid_to=valid_to,
    )


def read_universe(path: str) -> List[CompanyEntry]:
    """A user's universe (``paths.universe``): a CSV file, or a folder of them read in name
    order, with the columns of ``companies.csv`` (``company_id`` and ``canonical_name``
    required) plus optional ``valid_from``/``valid_to`` ISO dates; ``#`` lines are comments.
    Raises :class:`UniverseError` naming the file, line and column of the first bad cell, or a
    ``company_id`` given twice."""
    entries: Dict[str, Tuple[str, CompanyEntry]] = {}
    for file in universe_files(path):
        with open(file, encoding="utf-8", newline="") as handle:
            lines = [(n, text) for n, text in enumerate(handle, start=1) if not text.startswith("#")]
        reader = csv.DictReader(text for _, text in lines)
        header_line = lines[0][0] if lines else 1
        header = reader.fieldnames or []
        for column in ("company_id", "canonical_name"):
            if column not in header:
                raise UniverseError(
                    f"paths.universe: {file}, line {header_line}, column {column}: missing from the header"
                )
        unknown = [c for c in header if c not in UNIVERSE_COLUMNS]
        if unknown:
            raise UniverseError(
                f"paths.universe: {file}, line {header_line}, column {unknown[0]}: "
                f"unknown column (known: {', '.join(UNIVERSE_COLUMNS)})"
            )
        for row in reader:
            line = lines[reader.line_num - 1][0]
            entry = _universe_row(file, line, row)
            if entry.company_id in entries:
                raise UniverseError(
                    f"paths.universe: {file}, line {line}, column company_id: "
                    f"{entry.company_id!r} is already defined in {entries[entry.company_id][0]}"
                )
            entries[entry.company_id] = (f"{file}, line {line}", entry)
    return [entry for _, entry in entries.values()]


def merge_universe(shipped: Sequence[CompanyEntry], universe: Sequence[CompanyEntry]) -> List[CompanyEntry]:
    """The universe's companies first, then the shipped ones whose ``company_id`` it does not
    redefine (a universe row replaces the shipped row). Aliases go to the first company that
    has them (:func:`company_alias_rows`), so a universe row also wins a name it shares with a
    shipped company. Two universe companies may share a name only when their validity windows
    do not overlap (Wachovia until 2008, a later firm of that name after)."""
    by_key: Dict[str, List[CompanyEntry]] = {}
    for entry in universe:
        for key in sorted({alias_key(form) for form in company_surface_forms(entry)}):
            for other in by_key.setdefault(key, []):
                if _overlap(entry, other):
                    raise UniverseError(
                        f"paths.universe: {other.company_id} and {entry.company_id} share the name {key!r} and "
                        "their validity windows overlap: give them valid_from/valid_to that do not"
                    )
            by_key[key].append(entry)
    own = {e.company_id for e in universe}
    return list(universe) + sorted((e for e in shipped if e.company_id not in own), key=lambda e: e.company_id)


def _overlap(a: CompanyEntry, b: CompanyEntry) -> bool:
    lo, hi = dt.date.min, dt.date.max
    return (a.valid_from or lo) <= (b.valid_to or hi) and (b.valid_from or lo) <= (a.valid_to or hi)


def load_companies(gazetteer_dir: str, universe: Optional[str] = None) -> List[CompanyEntry]:
    """The shipped companies (``companies.csv``), merged with the universe at ``universe``
    when one is set (:func:`merge_universe`)."""
    shipped = read_companies(gazetteer_dir)
    return merge_universe(shipped, read_universe(universe)) if universe else shipped


def read_countries(gazetteer_dir: str) -> List[CountryEntry]:
    path = os.path.join(gazetteer_dir, "countries.csv")
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            CountryEntry(
                iso2=row["iso2"],
                name=row["name"],
                aliases=_split(row.get("aliases", "")),
                demonyms=_split(row.get("demonyms", "")),
                capital=row.get("capital", "") or "",
                region=row.get("region", "") or "",
            )
            for row in csv.DictReader(handle)
        ]


def _data_rows(path: str) -> Iterable[dict]:
    """Rows of a hand-written CSV whose ``#`` lines are comments."""
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(line for line in handle if not line.startswith("#"))


def read_organisations(gazetteer_dir: str) -> List[OrganisationEntry]:
    """``organisations.csv`` (hand-written; none when the file is absent)."""
    path = os.path.join(gazetteer_dir, "organisations.csv")
    if not os.path.isfile(path):
        return []
    return [
        OrganisationEntry(
            name=row["name"].strip(), aliases=_split(row.get("aliases", "")), country=(row.get("country") or "").strip()
        )
        for row in _data_rows(path)
    ]


def place_key(text: str) -> str:
    """Lower-cased letters and digits: what a dateline's place is looked up by ("NEW YORK",
    "New York" -> ``newyork``; "Calif." -> ``calif``). Spark: ``lower(regexp_replace(x, KEY_REGEX, ''))``."""
    return alias_key(text).lower()


def read_place_rows(gazetteer_dir: str, countries: Iterable[CountryEntry]) -> List[Tuple[str, str]]:
    """``(place_key, country)`` for datelines: the rows of ``places.csv`` (cities, and the states
    and provinces a dateline names after its city), then the countries' names and aliases
    ("HONG KONG", "BAHRAIN"); a key keeps its first country."""
    rows: Dict[str, str] = {}
    path = os.path.join(gazetteer_dir, "places.csv")
    if os.path.isfile(path):
        for row in _data_rows(path):
            rows.setdefault(place_key(row["place"]), row["country"])
    for entry in countries:
        for alias in (entry.name, *entry.aliases):
            rows.setdefault(place_key(alias), entry.iso2)
    return sorted((k, c) for k, c in rows.items() if k and c)


def alias_key(text: str) -> str:
    """Letters and digits of ``text``, in order and case kept (the lookup key of a match)."""
    return "".join(ch for ch in text if ch.isalnum())


def _plural(alias: str) -> str:
    """ "Teslas", "Fords", "BYDs": a one-word name used for the company's products; "" when the
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


def company_alias_rows(companies: Sequence[CompanyEntry]) -> List[Tuple[str, str, str, str]]:
    """``(key, alias, company_id, form)`` per surface form; on a key shared by two companies
    the first in ``companies`` wins (``read_companies`` gives them by id, and
    ``build_gazetteer.py`` reports alias collisions; :func:`load_companies` puts a user's
    universe first). Dated companies (a validity window) keep a key they share with another
    dated company: linking picks the one whose window holds the article's date."""
    rows: Dict[str, Tuple[str, str, str, str]] = {}
    dated: Set[Tuple[str, str, str, str]] = set()
    dated_ids = {e.company_id for e in companies if e.dated}
    for entry in companies:
        for form, kind in sorted(company_surface_forms(entry).items(), key=lambda fk: (fk[1], fk[0])):
            key = alias_key(form)
            if not key:
                continue
            if key not in rows or (rows[key][2] == entry.company_id and kind == "name"):
                rows[key] = (key, form, entry.company_id, kind)
            elif entry.company_id in dated_ids and rows[key][2] in dated_ids and rows[key][2] != entry.company_id:
                dated.add((key, form, entry.company_id, kind))
    return sorted(set(rows.values()) | dated)


def company_rows(companies: Iterable[CompanyEntry]) -> List[tuple]:
    return sorted(
        (
            e.company_id,
            e.canonical_name,
            e.sector or None,
            e.country,
            e.requires_context,
            context_regex(e) or None,
            name_regex(e),
            e.valid_from,
            e.valid_to,
        )
        for e in companies
    )


def rics(ticker: str) -> List[str]:
    """The RICs of a gazetteer listing: the symbol (a share class as a lower-case letter:
    ``STO:ERIC-B`` -> ``ERICb.ST``, ``NYSE:BRK.B`` -> ``BRKb.N``) and each suffix of its
    exchange; a ``RIC:`` entry as written."""
    exchange, symbol = _symbol(ticker)
    if exchange == RIC_EXCHANGE:
        return [symbol] if symbol else []
    root = re.sub(r"[-. ]([A-Z])$", lambda m: m.group(1).lower(), symbol)
    return [f"{root}.{suffix}" for suffix in RIC_SUFFIXES.get(exchange, ())] if root else []


def ticker_rows(companies: Iterable[CompanyEntry]) -> List[Tuple[str, str, str, bool]]:
    """``(symbol, exchange, company_id, us_listing)`` for every listing with a symbol, and
    ``(ric, "RIC", company_id, False)`` for each of its RICs (see :func:`rics`)."""
    rows: Set[Tuple[str, str, str, bool]] = set()
    for entry in companies:
        for ticker in entry.tickers:
            exchange, symbol = _symbol(ticker)
            if symbol and exchange != RIC_EXCHANGE:
                rows.add((symbol, exchange, entry.company_id, exchange in US_EXCHANGES))
            rows.update((ric, RIC_EXCHANGE, entry.company_id, False) for ric in rics(ticker))
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


def organisation_surface_forms(organisations: Iterable[OrganisationEntry]) -> Dict[str, str]:
    """Surface form -> country ("" for an organisation of no country)."""
    forms: Dict[str, str] = {}
    for entry in organisations:
        for alias in (entry.name, *entry.aliases):
            if len(alias) >= 2:
                forms.setdefault(alias, entry.country)
    return forms


def country_alias_rows(
    countries: Iterable[CountryEntry], capitals_as_metonyms: bool, organisations: Iterable[OrganisationEntry] = ()
) -> List[Tuple[str, str, str, str]]:
    """``(key, alias, country, form)``; form is ``name``, ``demonym``, ``capital`` (capitals
    only with ``capitals_as_metonyms``) or ``organisation``. An organisation of no country has
    the country "": matched like the others (so "Inter-American Development Bank" hides
    "American"), then dropped. Countries' own forms win a shared key."""
    rows: Dict[str, Tuple[str, str, str, str]] = {}
    for entry in sorted(countries, key=lambda e: e.iso2):
        for form, kind in sorted(country_surface_forms(entry, capitals_as_metonyms).items()):
            key = alias_key(form)
            if key:
                rows.setdefault(key, (key, form, entry.iso2, kind))
    for form, country in sorted(organisation_surface_forms(organisations).items()):
        key = alias_key(form)
        if key:
            rows.setdefault(key, (key, form, country, "organisation"))
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


def country_alias_frame(
    spark: SparkSession,
    countries: Sequence[CountryEntry],
    capitals_as_metonyms: bool,
    organisations: Sequence[OrganisationEntry] = (),
) -> DataFrame:
    return spark.createDataFrame(
        country_alias_rows(countries, capitals_as_metonyms, organisations), COUNTRY_ALIAS_SCHEMA
    )


def place_frame(spark: SparkSession, rows: Sequence[Tuple[str, str]]) -> DataFrame:
    return spark.createDataFrame(list(rows), PLACE_SCHEMA)
