"""The synthetic news model: gazetteer-driven entities, sentence templates and syndication.

Pure Python and deterministic: everything random comes from ``random.Random`` instances
seeded from the corpus seed, so the same seed gives the same text on every machine. An
article's text is a pure function of ``(seed, story_no, published, site)``; syndicated copies
regenerate the original from those four values instead of keeping its text in memory.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import math
import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from bench import vocab

ZIPF_S = 1.1
MAX_WORDS = 5000  # no profile writes a longer article (the generator's word histogram is this long)
OVERSHOOT = 25  # the last paragraph overshoots the drawn length by about this many words
REQUIRES_CONTEXT_WEIGHT = 0.35
POLARITY_WEIGHTS = (("positive", 0.36), ("negative", 0.36), ("neutral", 0.28))
# Share of the article's non-lead sentences that take each polarity, by article polarity.
SENTENCE_MIX = {
    "positive": (("positive", 0.55), ("neutral", 0.30), ("negative", 0.15)),
    "negative": (("negative", 0.55), ("neutral", 0.30), ("positive", 0.15)),
    "neutral": (("neutral", 0.60), ("positive", 0.20), ("negative", 0.20)),
}
HOME_COUNTRY_SHARE = 0.55


@dataclass(frozen=True)
class Profile:
    """The shape of the generated articles: how long they are and how densely they name companies.

    ``bench.corpus_stats`` measures the same figures on Reuters-21578 and on a profile's articles.
    """

    name: str
    median_words: float  # article length: log-normal around this median ...
    words_sigma: float  # ... with this sigma of log(words)
    min_words: int
    companies_per_article: Tuple[Tuple[int, float], ...]  # (companies named, weight)
    legal_first_share: float  # first mentions written with the legal form ("Texaco Inc")
    ticker_share: float  # first mentions followed by the ticker "(NASDAQ: TSLA)"
    note: str = ""


PROFILES: Dict[str, Profile] = {
    # Fitted to Reuters-21578 (python -m bench.corpus_stats): bodies of median 5 sentences
    # (mean 6.55, p10 2, p90 13) of about 20 words, 0.25 company mentions a sentence; wire style
    # names the company with its legal form first ("Texaco Inc said ..."). The templates write
    # about 18 words a sentence, so the median length in words sets the sentence count; sigma is
    # fitted to the mean and p90. Not fitted: the share of sentences that name a company (0.25
    # here, 0.17 in Reuters), since every generated story is about a company and its sentences
    # name one company at a time, where Reuters has stories that name none (commodities, the
    # economy) and deal stories that name two companies in one sentence.
    "calibrated": Profile(
        "calibrated",
        median_words=90,
        words_sigma=0.68,
        min_words=20,
        companies_per_article=((1, 0.50), (2, 0.30), (3, 0.15), (4, 0.05)),
        legal_first_share=0.85,
        ticker_share=0.35,
        note="fitted to Reuters-21578 by bench.corpus_stats",
    ),
    # The profile before issue #17 (42 sentences an article), kept for comparison with earlier runs.
    "legacy": Profile(
        "legacy",
        median_words=600,
        words_sigma=0.6,
        min_words=80,
        companies_per_article=((1, 0.25), (2, 0.35), (3, 0.25), (4, 0.15)),
        legal_first_share=0.5,
        ticker_share=0.35,
        note="the generator before issue #17; byte-identical output",
    ),
}
DEFAULT_PROFILE = "calibrated"

# Most-covered companies first; the rest follow in a fixed hash order (seed-independent).
HEAD_COMPANIES = [
    "tesla",
    "nvidia",
    "apple",
    "microsoft",
    "byd",
    "samsung-electronics",
    "tsmc",
    "amazon",
    "alphabet",
    "volkswagen",
    "toyota",
    "meta-platforms",
    "alibaba",
    "tencent",
    "jpmorgan-chase",
    "hsbc",
    "shell",
    "nestle",
    "lvmh",
    "siemens",
    "sony",
    "nio",
    "xpeng",
    "bp",
    "boeing",
    "intel",
    "novo-nordisk",
    "asml",
    "sap",
    "bmw",
    "mercedes-benz",
    "stellantis",
    "general-motors",
    "ford",
    "exxonmobil",
    "walmart",
    "netflix",
    "unilever",
    "airbus",
]
HEAD_COUNTRIES = [
    "US",
    "CN",
    "GB",
    "DE",
    "JP",
    "IN",
    "FR",
    "KR",
    "TW",
    "CH",
    "NL",
    "CA",
    "IT",
    "ES",
    "AU",
    "BR",
    "SA",
    "AE",
    "SG",
    "HK",
    "SE",
    "MX",
    "ID",
    "TR",
    "PL",
    "NO",
    "DK",
    "BE",
    "IE",
    "IL",
    "ZA",
    "VN",
    "TH",
    "MY",
]

AUTO_IDS = {
    "tesla",
    "byd",
    "toyota",
    "volkswagen",
    "bmw",
    "mercedes-benz",
    "stellantis",
    "general-motors",
    "ford",
    "nio",
    "xpeng",
    "li-auto",
    "hyundai",
    "kia",
    "honda",
    "nissan",
    "renault",
    "porsche",
    "ferrari",
    "volvo-cars",
    "geely",
    "lotus-technology",
    "rivian",
    "lucid",
    "mazda",
    "subaru",
    "suzuki",
    "tata-motors",
    "mahindra-and-mahindra",
    "great-wall-motor",
    "leapmotor",
    "zeekr",
}
CHIP_IDS = {
    "nvidia",
    "tsmc",
    "intel",
    "amd",
    "advanced-micro-devices",
    "asml",
    "sk-hynix",
    "qualcomm",
    "broadcom",
    "micron",
    "micron-technology",
    "infineon",
    "infineon-technologies",
    "stmicroelectronics",
    "nxp-semiconductors",
    "texas-instruments",
    "arm",
    "arm-holdings",
    "samsung-electronics",
    "applied-materials",
    "lam-research",
    "kla",
    "tokyo-electron",
    "mediatek",
    "analog-devices",
    "microchip-technology",
    "on-semiconductor",
    "smic",
}
GROUPS = {  # sector nouns, products, what it ships, URL section
    "auto": (("automaker", "carmaker"), ("electric vehicles", "cars", "hybrid models", "SUVs"), "vehicles", "autos"),
    "chip": (
        ("chipmaker", "semiconductor group"),
        ("AI chips", "memory chips", "processors", "advanced chips"),
        "chips",
        "tech",
    ),
    "bank": (
        ("bank", "lender"),
        ("mortgages", "corporate loans", "wealth management services", "credit cards"),
        "loans",
        "finance",
    ),
    "insurer": (
        ("insurer",),
        ("insurance policies", "reinsurance cover", "life insurance products"),
        "policies",
        "finance",
    ),
    "Financials": (
        ("financial group", "asset manager"),
        ("funds", "payment services", "investment products"),
        "accounts",
        "finance",
    ),
    "Health Care": (
        ("drugmaker", "healthcare group"),
        ("weight-loss drugs", "cancer treatments", "vaccines", "medical devices"),
        "doses",
        "business",
    ),
    "Energy": (
        ("energy group", "oil and gas producer"),
        ("oil", "liquefied natural gas", "fuels", "crude"),
        "barrels",
        "energy",
    ),
    "Information Technology": (
        ("technology company", "tech group", "software maker"),
        ("cloud services", "software", "servers", "smartphones"),
        "devices",
        "tech",
    ),
    "Communication Services": (
        ("telecoms group", "media company"),
        ("broadband services", "streaming subscriptions", "advertising", "mobile plans"),
        "subscribers",
        "tech",
    ),
    "Consumer Discretionary": (
        ("consumer group", "retailer"),
        ("consumer products", "luxury goods", "clothing", "online orders"),
        "orders",
        "companies",
    ),
    "Consumer Staples": (
        ("consumer goods maker", "food group"),
        ("packaged foods", "beverages", "household products", "snacks"),
        "cases",
        "companies",
    ),
    "Industrials": (
        ("industrial group", "engineering group", "manufacturer"),
        ("aircraft", "turbines", "rail equipment", "automation systems"),
        "orders",
        "business",
    ),
    "Materials": (
        ("materials group", "miner", "chemicals maker"),
        ("copper", "steel", "lithium", "specialty chemicals"),
        "tonnes",
        "markets",
    ),
    "Real Estate": (
        ("property group", "real estate company"),
        ("office space", "warehouses", "rental homes"),
        "homes",
        "markets",
    ),
    "Utilities": (
        ("utility", "power company"),
        ("electricity", "renewable power", "gas supply"),
        "customers",
        "energy",
    ),
}
EXCHANGE_CITY = {
    "NYSE": "New York",
    "NASDAQ": "New York",
    "CBOE": "New York",
    "OTC": "New York",
    "TSX": "Toronto",
    "LSE": "London",
    "XETRA": "Frankfurt",
    "EPA": "Paris",
    "AMS": "Amsterdam",
    "EBR": "Brussels",
    "ELI": "Lisbon",
    "ISE": "Dublin",
    "BIT": "Milan",
    "BME": "Madrid",
    "SIX": "Zurich",
    "STO": "Stockholm",
    "HEL": "Helsinki",
    "CPH": "Copenhagen",
    "OSL": "Oslo",
    "WBAG": "Vienna",
    "WSE": "Warsaw",
    "MOEX": "Moscow",
    "BIST": "Istanbul",
    "TASE": "Tel Aviv",
    "TADAWUL": "Riyadh",
    "ADX": "Abu Dhabi",
    "DFM": "Dubai",
    "QSE": "Doha",
    "JSE": "Johannesburg",
    "TSE": "Tokyo",
    "HKEX": "Hong Kong",
    "SSE": "Shanghai",
    "SZSE": "Shenzhen",
    "TWSE": "Taipei",
    "KRX": "Seoul",
    "NSE": "Mumbai",
    "BSE": "Mumbai",
    "SGX": "Singapore",
    "IDX": "Jakarta",
    "SET": "Bangkok",
    "MYX": "Kuala Lumpur",
    "HOSE": "Ho Chi Minh City",
    "ASX": "Sydney",
    "B3": "Sao Paulo",
    "BMV": "Mexico City",
}
EXCHANGE_INDEX = {
    "NYSE": "the S&P 500",
    "NASDAQ": "the Nasdaq Composite",
    "LSE": "the FTSE 100",
    "XETRA": "the DAX",
    "EPA": "the CAC 40",
    "AMS": "the AEX",
    "SIX": "the SMI",
    "TSE": "the Nikkei 225",
    "HKEX": "the Hang Seng",
    "SSE": "the CSI 300",
    "SZSE": "the CSI 300",
    "KRX": "the Kospi",
    "TWSE": "the Taiex",
    "NSE": "the Nifty 50",
    "BSE": "the Sensex",
    "ASX": "the S&P/ASX 200",
    "TSX": "the S&P/TSX Composite",
    "BME": "the Ibex 35",
    "BIT": "the FTSE MIB",
    "STO": "the OMX Stockholm 30",
}
EURO = {"DE", "FR", "NL", "IT", "ES", "BE", "IE", "FI", "AT", "PT", "LU", "GR"}
LEGAL_FORM = re.compile(
    r"(?:\b(?:Inc|Corp|Co|Ltd|plc|AG|SA|S\.A|N\.V|SE|ASA|AB|Group|Holdings|Corporation|Company)\b\.?)$"
)
THE_COUNTRY = re.compile(
    r"^(?:United |Czech Republic|Netherlands|Philippines|Bahamas|Gambia|Maldives|Comoros|"
    r"Seychelles|DR Congo|Dominican Republic|Central African Republic|.* Islands$)"
)
ALIAS_SKIP = re.compile(
    r"\b(?:of|Republic|Kingdom|Federation|State|States of|Islamic|Democratic|Principality|"
    r"Commonwealth|Sultanate|Emirate|Union|People's|England|Scotland|Wales|Northern)\b"
)
_SLUG = re.compile(r"[^a-z0-9]+")


# --- gazetteer ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    first_forms: Tuple[str, ...]  # first mention ("Tesla Inc.")
    later_forms: Tuple[str, ...]  # other aliases for later mentions ("VW")
    ticker: Optional[str]  # "NASDAQ: TSLA"
    cashtag: Optional[str]  # "$TSLA" for US listings
    country: str
    sector: str
    requires_context: bool
    group: str
    possessive: str


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str
    forms: Tuple[str, ...]  # in-sentence forms, "the" included ("the U.S.")
    demonym: str
    capital: str


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _group(cid: str, name: str, sector: str) -> str:
    if cid in AUTO_IDS or re.search(r"\bMotors?\b", name):
        return "auto"
    if cid in CHIP_IDS or "Semiconductor" in name:
        return "chip"
    if sector == "Financials":
        if re.search(r"Bank|Banco|Banca|Bancorp|HSBC|Barclays|Santander|BNP|UBS|Citi", name):
            return "bank"
        if re.search(r"Insurance|Assurance|Allianz|AXA|Generali|Zurich|Re$|Munich|Life", name):
            return "insurer"
    return sector if sector in GROUPS else "Industrials"


def load_companies(path: Path) -> List[Company]:
    companies = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row["canonical_name"]
            aliases = [a for a in row["aliases"].split("|") if a and a != name]
            legal = tuple(a for a in aliases if LEGAL_FORM.search(a) and " " in a)
            later = tuple(a for a in aliases if a not in legal and not a.isupper() or (a.isupper() and len(a) <= 4))
            tickers = [t for t in row["tickers"].split("|") if t]
            ticker = cashtag = None
            if tickers:
                exchange, symbol = tickers[0].split(":", 1)
                ticker = f"{exchange}: {symbol}"
                if exchange in ("NYSE", "NASDAQ") and symbol.isalpha():
                    cashtag = "$" + symbol
            requires_context = row["requires_context"] == "true"
            companies.append(
                Company(
                    id=row["company_id"],
                    name=name,
                    first_forms=legal or (name,),
                    later_forms=() if requires_context else later,
                    ticker=ticker,
                    cashtag=cashtag,
                    country=row["country"],
                    sector=row["sector"],
                    requires_context=requires_context,
                    group=_group(row["company_id"], name, row["sector"]),
                    possessive=_possessive(name),
                )
            )
    return companies


def load_countries(path: Path) -> List[Country]:
    countries = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name, capital = row["name"], row["capital"]
            if not capital and row["iso2"] not in ("HK", "MO"):
                continue  # Antarctica and uninhabited territories
            forms = ["the " + name if THE_COUNTRY.match(name) else name]
            for alias in row["aliases"].split("|"):
                if not alias or alias == name or ALIAS_SKIP.search(alias) or len(alias.split()) > 3:
                    continue
                upper = alias.replace(".", "").isupper()
                forms.append("the " + alias if upper or THE_COUNTRY.match(alias) else alias)
            demonyms = [d for d in row["demonyms"].split("|") if d]
            countries.append(
                Country(row["iso2"], name, tuple(forms), demonyms[0] if demonyms else name, capital or name)
            )
    return countries


def _stable_order(ids: Sequence[str], head: Sequence[str]) -> List[str]:
    known = set(ids)
    first = [i for i in dict.fromkeys(head) if i in known]
    rest = sorted((i for i in ids if i not in set(first)), key=lambda i: hashlib.md5(i.encode()).hexdigest())
    return first + rest


class Zipf:
    """Weighted choice over ranked items with weight ``factor / rank**s``; O(log n) per draw."""

    def __init__(self, items: Sequence, s: float = ZIPF_S, factors: Optional[Sequence[float]] = None):
        self.items = list(items)
        total, cum = 0.0, []
        for rank, _ in enumerate(self.items, start=1):
            total += (factors[rank - 1] if factors else 1.0) / rank**s
            cum.append(total)
        self.cum, self.total = cum, total

    def pick(self, r: Callable[[], float]):
        return self.items[bisect.bisect(self.cum, r() * self.total)]


class Gazetteer:
    def __init__(self, directory: Path):
        companies = {c.id: c for c in load_companies(directory / "companies.csv")}
        countries = {c.iso2: c for c in load_countries(directory / "countries.csv")}
        order = _stable_order(list(companies), HEAD_COMPANIES)
        self.companies = Zipf(
            [companies[i] for i in order],
            factors=[REQUIRES_CONTEXT_WEIGHT if companies[i].requires_context else 1.0 for i in order],
        )
        self.countries = Zipf([countries[i] for i in _stable_order(list(countries), HEAD_COUNTRIES)])
        self.country_by_iso = countries


# --- number and name pools ---------------------------------------------------------------------


def _commas(n: int) -> str:
    return f"{n:,}"


def _money(rng: random.Random, currency: str, lo: float, hi: float) -> str:
    usd = math.exp(rng.uniform(math.log(lo), math.log(hi)))  # in millions of dollars
    if currency == "JPY":
        v = usd * 150  # millions of yen
        if v >= 1_000_000:
            return f"¥{v / 1_000_000:.1f}tn"
        return f"¥{v / 1000:,.0f}bn" if v >= 1000 else f"¥{v:.0f}mn"
    if currency == "KRW":
        v = usd * 1300 / 1000  # billions of won
        return f"{v / 1000:.1f} trillion won" if v >= 1000 else f"{v:.0f} billion won"
    if currency == "INR":
        return f"Rs {_commas(int(usd * 83 / 10))} crore"
    if currency == "CNY":
        v = usd * 7.2
        return f"{v / 1000:.1f}bn yuan" if v >= 1000 else f"{v:.0f}mn yuan"
    scale = {"EUR": 0.92, "GBP": 0.79, "CHF": 0.88, "HKD": 7.8}.get(currency, 1.0)
    symbol = {"EUR": "€", "GBP": "£", "CHF": "SFr", "HKD": "HK$"}.get(currency, "$")
    v = usd * scale
    long_form = rng.random() < 0.25
    if v >= 1000:
        return f"{symbol}{v / 1000:.1f} billion" if long_form else f"{symbol}{v / 1000:.1f}bn"
    return f"{symbol}{v:.0f} million" if long_form else f"{symbol}{v:.0f}mn"


def currency_of(iso2: str) -> str:
    if iso2 in EURO:
        return "EUR"
    return {"GB": "GBP", "JP": "JPY", "KR": "KRW", "IN": "INR", "CN": "CNY", "CH": "CHF", "HK": "HKD"}.get(iso2, "USD")


class Pools:
    """Pre-rendered numbers and names, so that filling a slot is one random index."""

    CURRENCIES = ("USD", "EUR", "GBP", "JPY", "KRW", "INR", "CNY", "CHF", "HKD")

    def __init__(self, seed: int, size: int = 512):
        rng = random.Random(f"pools:{seed}")
        self.money = {c: [_money(rng, c, 150, 60000) for _ in range(size)] for c in self.CURRENCIES}
        self.money_small = {c: [_money(rng, c, 5, 900) for _ in range(size)] for c in self.CURRENCIES}
        eps_symbol = {"EUR": "€", "GBP": "£", "JPY": "¥"}
        self.eps = {
            c: [
                (
                    f"¥{rng.uniform(20, 900):.0f} a share"
                    if c == "JPY"
                    else f"{eps_symbol.get(c, '$')}{rng.uniform(0.05, 12):.2f} a share"
                )
                for _ in range(size)
            ]
            for c in self.CURRENCIES
        }
        self.pct = [f"{rng.uniform(0.1, 9.9):.1f}" + ("%" if rng.random() < 0.9 else " percent") for _ in range(size)]
        self.pct2 = [
            (f"{rng.uniform(10, 60):.1f}%" if rng.random() < 0.5 else f"{rng.randint(10, 60)}%") for _ in range(size)
        ]
        self.pts = [
            (
                f"{rng.randint(2, 30) / 10:.1f} percentage points"
                if rng.random() < 0.6
                else f"{rng.randint(2, 30) * 10} basis points"
            )
            for _ in range(size)
        ]
        self.jobs = [
            _commas(int(math.exp(rng.uniform(math.log(150), math.log(20000))) // 50 * 50 + 50)) for _ in range(size)
        ]
        self.numk = [
            (
                f"{rng.uniform(1.1, 9.5):.1f} million"
                if rng.random() < 0.4
                else _commas(int(rng.uniform(20, 990)) * 1000)
            )
            for _ in range(size)
        ]
        self.times = [
            f"{rng.randint(1, 11)}:{rng.choice(('00', '15', '30', '45'))} {rng.choice(('a.m.', 'p.m.'))}"
            for _ in range(size)
        ]
        self.people = [
            (f"{first} {last}", f"{title} {last}") for first, title in vocab.FIRST_NAMES for last in vocab.LAST_NAMES
        ]
        rng.shuffle(self.people)
        self.firms = [
            f"{a} {b} {c}".replace("  ", " ") for a in vocab.FIRM_A for b in vocab.FIRM_B for c in vocab.FIRM_C
        ]
        rng.shuffle(self.firms)


# --- slot filling ------------------------------------------------------------------------------


def _pick(r: Callable[[], float], seq: Sequence):
    return seq[int(r() * len(seq))]


# Slots that depend on the article and vary at each use: left as "{C}" in pre-rendered templates.
ARTICLE_DYNAMIC = ("C", "Cs", "Cp", "Cps", "O", "Op", "X", "Xs", "M", "MS", "EPS")
ARTICLE_CONSTANT = (
    "C1",
    "Cn",
    "N",
    "PROD",
    "UNIT",
    "XD",
    "CITY",
    "DAY",
    "WD",
    "Q",
    "QN",
    "YEAR",
    "NYEAR",
    "CEO",
    "CEOm",
    "TRADE",
    "IDX",
    "PERSON",
)
# Typical word counts of slot values, to estimate a sentence's length before it is rendered.
SLOT_WORDS = {
    "C1": 2,
    "CEO": 2,
    "AN": 2,
    "PERSON": 2,
    "FIRM": 3,
    "PTS": 3,
    "NUMK": 1.4,
    "PROD": 1.7,
    "DAY": 2,
    "IDX": 2.5,
    "TIME": 2,
    "X": 1.3,
    "Xs": 1.3,
    "C": 1.3,
    "Cs": 1.3,
    "Q": 1,
    "QN": 2,
    "TRADE": 1.3,
    "N": 1.5,
    "M": 1.2,
    "MS": 1.2,
    "EPS": 3,
    "CEOm": 2,
    "CITY": 1.1,
}
VARIANTS = 24  # number/name fillings pre-rendered per template


class Slots(dict):
    """Article constants in the dict; the dynamic slots are drawn afresh on every use."""

    __slots__ = (
        "r",
        "name",
        "later",
        "the_noun",
        "possessive",
        "other_names",
        "other_possessives",
        "country_forms",
        "money",
        "money_small",
        "eps",
    )

    def __missing__(self, key: str) -> str:
        return _DYNAMIC[key](self)


_SLOT = re.compile(r"\{(\w+)\}")


def _company_surface(s: Slots) -> str:
    u = s.r()
    if u < 0.64:
        return s.name
    if u < 0.76 and s.later:
        return s.later[int(s.r() * len(s.later))]
    return "the company" if u < 0.88 else s.the_noun


def _company_surface_start(s: Slots) -> str:
    text = _company_surface(s)
    return "T" + text[1:] if text[0] == "t" and text.startswith("the ") else text


def _company_possessive(s: Slots) -> str:
    return s.possessive if s.r() < 0.85 else "the company's"


def _country_surface(s: Slots) -> str:
    forms = s.country_forms
    return forms[0] if len(forms) == 1 or s.r() < 0.7 else forms[1 + int(s.r() * (len(forms) - 1))]


def _country_surface_start(s: Slots) -> str:
    text = _country_surface(s)
    return "T" + text[1:] if text.startswith("the ") else text


_DYNAMIC: Dict[str, Callable[[Slots], str]] = {
    "C": _company_surface,
    "Cs": _company_surface_start,
    "Cp": _company_possessive,
    "Cps": lambda s: "The company's" if s.r() >= 0.85 else s.possessive,
    "O": lambda s: s.other_names[int(s.r() * len(s.other_names))],
    "Op": lambda s: s.other_possessives[int(s.r() * len(s.other_possessives))],
    "X": _country_surface,
    "Xs": _country_surface_start,
    "M": lambda s: s.money[int(s.r() * len(s.money))],
    "MS": lambda s: s.money_small[int(s.r() * len(s.money_small))],
    "EPS": lambda s: s.eps[int(s.r() * len(s.eps))],
}


# A compiled template: (variants, number of variants, estimated words once rendered). The variants
# have numbers and names filled in and the article slots left as {C}, {X} ...
Template = Tuple[Tuple[str, ...], int, float]


class TemplateBank:
    """Every sentence template of ``vocab``, pre-rendered ``VARIANTS`` times with random numbers and
    names, keyed by pool ("detail:beat", "quote:negative", ...)."""

    def __init__(self, pools: "Pools", rng: random.Random):
        fill = {
            "PCT": pools.pct,
            "PCT2": pools.pct2,
            "PTS": pools.pts,
            "JOBS": pools.jobs,
            "NUMK": pools.numk,
            "AN": [p[0] for p in pools.people],
            "FIRM": pools.firms,
            "TIME": pools.times,
            "MONTH": vocab.MONTHS,
            "NTH": vocab.ORDINALS,
        }
        self.pools: Dict[str, Tuple[Template, ...]] = {}
        self.steps: Dict[str, Tuple[int, ...]] = {}

        known = set(fill) | set(ARTICLE_DYNAMIC) | set(ARTICLE_CONSTANT)

        def draw(match: "re.Match[str]") -> str:  # a fresh value at every occurrence
            values = fill.get(match.group(1))
            return values[int(rng.random() * len(values))] if values else match.group(0)

        def compile_pool(key: str, templates: Sequence[str]) -> None:
            compiled = []
            for text in templates:
                unknown = set(_SLOT.findall(text)) - known
                if unknown:
                    raise ValueError(f"unknown slot(s) {sorted(unknown)} in template {text!r}")
                for prefix in ("{C}", "{Cp}", "{X}"):  # sentence-initial: "The company", "The U.S."
                    if text.startswith(prefix):
                        text = prefix[:-1] + "s}" + text[len(prefix) :]
                variants = [_SLOT.sub(draw, text) for _ in range(VARIANTS)]
                words = text.count(" ") + 1 + sum(SLOT_WORDS.get(k, 1) - 1 for k in _SLOT.findall(text))
                unique = tuple(dict.fromkeys(variants))
                compiled.append((unique, len(unique), words))
            self.pools[key] = tuple(compiled)
            n = len(compiled)
            self.steps[key] = tuple(s for s in range(1, max(n, 2)) if math.gcd(s, n) == 1) or (1,)

        for events in vocab.EVENTS.values():
            for name, event in events.items():
                compile_pool(f"headline:{name}", event["headlines"])
                compile_pool(f"lead:{name}", event["leads"])
                compile_pool(f"detail:{name}", event["details"])
        compile_pool("background", vocab.BACKGROUND)
        for kind, pool in (
            ("quote", vocab.QUOTES),
            ("market", vocab.MARKET),
            ("outlook", vocab.OUTLOOK),
            ("macro", vocab.MACRO),
            ("competitor", vocab.COMPETITOR),
        ):
            for polarity, templates in pool.items():
                compile_pool(f"{kind}:{polarity}", templates)


# --- articles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    index: int
    name: str
    domain: str
    vendor: str
    tz: timezone
    curly: bool
    dated_url: bool


SITES = tuple(
    Site(i, name, domain, vendor, timezone(timedelta(minutes=offset)), curly, dated)
    for i, (name, domain, vendor, offset, curly, dated) in enumerate(vocab.SITES)
)


@dataclass
class Story:
    """One article's content before it is rendered for a site."""

    story_no: int
    title: str
    text: str  # paragraphs separated by a blank line, footer excluded
    footer: Optional[str]
    author: str
    companies: Tuple[Company, ...]
    country: Country
    polarity: str
    event: str
    section: str

    @property
    def story_id(self) -> str:
        return f"story-{self.story_no:08d}"


def _weighted(r: Callable[[], float], pairs) -> object:
    u = r()
    for value, weight in pairs:
        u -= weight
        if u < 0:
            return value
    return pairs[-1][0]


def _cumulative(pairs) -> Tuple[Tuple, List[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return tuple(values), [c / total for c in cum[:-1]]


_EVENT_NAMES = {polarity: tuple(events) for polarity, events in vocab.EVENTS.items()}
_PARAGRAPH_KINDS = _cumulative(
    (
        ("detail", 0.22),
        ("quote", 0.14),
        ("market", 0.09),
        ("outlook", 0.13),
        ("background", 0.14),
        ("macro", 0.14),
        ("competitor", 0.14),
    )
)
_SENTENCE_MIX = {polarity: _cumulative(mix) for polarity, mix in SENTENCE_MIX.items()}


class StoryMaker:
    """Builds the content of story ``story_no``; same inputs, same text.

    The article is assembled as one template string (pre-rendered sentences joined by spaces and
    blank lines) and filled with a single ``format_map``: per sentence the work is a few list
    operations, which keeps generation well above 2,000 articles/s on one core.
    """

    def __init__(self, gazetteer: Gazetteer, seed: int, profile: Profile = PROFILES[DEFAULT_PROFILE]):
        self.gaz = gazetteer
        self.seed = seed
        self.profile = profile
        self.pools = Pools(seed)
        self.bank = TemplateBank(self.pools, random.Random(f"templates:{seed}"))
        self.mu = math.log(profile.median_words)

    def rng_for(self, story_no: int) -> random.Random:
        return random.Random((self.seed * 1_000_000_007 + story_no) * 2 + 1)

    def target_words(self, rng: random.Random) -> int:
        p = self.profile
        return max(p.min_words, min(MAX_WORDS, int(round(math.exp(rng.gauss(self.mu, p.words_sigma))))))

    def make(self, story_no: int, published: datetime, site: Site) -> Story:
        rng = self.rng_for(story_no)
        r = rng.random
        target = self.target_words(rng)
        polarity = _weighted(r, POLARITY_WEIGHTS)
        event_name = _pick(r, _EVENT_NAMES[polarity])
        main = self.gaz.companies.pick(r)
        others: List[Company] = []
        profile = self.profile
        wanted = _weighted(r, profile.companies_per_article) - 1
        for _ in range(wanted * 4):
            if len(others) == wanted:
                break
            other = self.gaz.companies.pick(r)
            if other is not main and other not in others:
                others.append(other)
        home = self.gaz.country_by_iso.get(main.country)
        country = home if home is not None and r() < HOME_COUNTRY_SHARE else self.gaz.countries.pick(r)
        nouns, prods, unit, section = GROUPS[main.group]
        pools = self.pools
        ceo, ceo_m = _pick(r, pools.people)
        local = published.astimezone(site.tz)
        quarter = (local.month - 1) // 3 - 1  # the quarter just reported
        exchange = main.ticker.split(":", 1)[0] if main.ticker else ""

        slots = Slots()
        noun = _pick(r, nouns)
        currency = currency_of(main.country)
        slots.r, slots.name, slots.possessive, slots.the_noun = r, main.name, main.possessive, "the " + noun
        slots.later = main.later_forms
        if main.requires_context:  # keep the confirmed name rather than an ambiguous short form
            slots.later = (main.name,) * 2
        slots.other_names = tuple(o.name for o in others) or (main.name,)
        slots.other_possessives = tuple(o.possessive for o in others) or (main.possessive,)
        slots.country_forms = country.forms
        slots.money, slots.money_small, slots.eps = (
            pools.money[currency],
            pools.money_small[currency],
            pools.eps[currency],
        )
        first = _pick(r, main.first_forms) if (main.requires_context or r() < profile.legal_first_share) else main.name
        if main.ticker and (main.requires_context or r() < profile.ticker_share):
            first = f"{first} ({main.ticker})" if not main.cashtag or r() < 0.7 else f"{first} ({main.cashtag})"
        weekday = vocab.WEEKDAYS[local.weekday()]
        slots.update(
            {
                "C1": first,
                "Cn": main.name,
                "N": noun,
                "PROD": _pick(r, prods),
                "UNIT": unit,
                "XD": country.demonym,
                "CITY": country.capital,
                "DAY": "on " + weekday,
                "WD": weekday,
                "Q": vocab.QUARTERS[quarter] + "-quarter",
                "QN": vocab.QUARTERS[quarter] + " quarter",
                "YEAR": str(local.year),
                "NYEAR": str(local.year + 1),
                "CEO": ceo,
                "CEOm": ceo_m,
                "TRADE": EXCHANGE_CITY.get(exchange, "New York"),
                "IDX": EXCHANGE_INDEX.get(exchange, "the wider market"),
                "PERSON": _pick(r, pools.people)[0],
            }
        )

        bank, steps = self.bank.pools, self.bank.steps
        leads = bank["lead:" + event_name]
        i = int(r() * len(leads))
        headlines = bank["headline:" + event_name][i % len(bank["headline:" + event_name])]
        title = headlines[0][int(r() * headlines[1])].format_map(slots)
        lead = leads[i]
        parts = [lead[0][int(r() * lead[1])]]
        words = lead[2]
        detail_key = "detail:" + event_name
        details_left = len(bank[detail_key])
        kinds, kind_cum = _PARAGRAPH_KINDS
        mix, mix_cum = _SENTENCE_MIX[polarity]
        bisect_right = bisect.bisect_right
        # Each pool is walked in a random affine order (start + k * step mod n, step coprime with
        # n), so no sentence repeats in an article until its pool is used up.
        walks: Dict[str, list] = {}

        def walk_of(key: str) -> list:
            pool, pool_steps = bank[key], steps[key]
            walk = walks[key] = [int(r() * len(pool)), pool_steps[int(r() * len(pool_steps))], pool, len(pool)]
            return walk

        target -= OVERSHOOT
        if r() < 0.4:  # a second sentence in the lead paragraph
            walk = walk_of(detail_key)
            template = walk[2][walk[0] % walk[3]]
            parts += (" ", template[0][int(r() * template[1])])
            walk[0] += walk[1]
            words += template[2]
            details_left -= 1
        while words < target:
            kind = kinds[bisect_right(kind_cum, r())]
            if (kind == "competitor" and not others) or (kind == "detail" and details_left <= 0):
                kind = "background" if r() < 0.5 else "outlook"
            n = 1 if kind == "quote" else 1 + (r() < 0.55) + (kind != "market" and r() < 0.25)
            if kind == "detail":
                key = detail_key
                details_left -= n
            elif kind == "background":
                key = kind
            else:
                key = kind + ":" + mix[bisect_right(mix_cum, r())]  # one polarity per paragraph
            walk = walks.get(key) or walk_of(key)
            pool, size, step = walk[2], walk[3], walk[1]
            sep = "\n\n"
            for k in range(n):
                position = walk[0]
                template = pool[position % size]
                walk[0] = position + step
                # the variant (numbers, names) is picked by the walk too: no extra random draw
                parts += (sep, template[0][(position // size + k) % template[1]])
                words += template[2]
                sep = " "
        text = "".join(parts).format_map(slots)
        if ".." in text:
            text = text.replace("..", ".")
        if target > MAX_WORDS - 400:  # the cap is hard: drop paragraphs, leaving room for a footer
            while len(text.split()) > MAX_WORDS - 60 and "\n\n" in text:
                text = text.rsplit("\n\n", 1)[0]
        footer = None
        if r() < 0.3:
            footer = _pick(r, vocab.ORIGINAL_FOOTERS).format(
                rep=_pick(r, pools.people)[0],
                ed=_pick(r, pools.people)[0],
                ed2=_pick(r, pools.people)[0],
                city=country.capital,
                domain=site.domain,
                site=site.name,
            )
        author = _pick(r, pools.people)[0]
        return Story(
            story_no,
            title[0].upper() + title[1:],
            text,
            footer,
            author,
            (main, *others),
            country,
            polarity,
            event_name,
            section,
        )


def syndicate(story: Story, original_published: datetime, original_site: Site, rng: random.Random) -> Story:
    """A near-copy for another site: wire prefix, 1-2 reworded sentences, new footer and title."""
    r = rng.random
    wire = _pick(r, vocab.WIRES)
    paragraphs = story.text.split("\n\n")
    u = r()
    if u < 0.5:
        local = original_published.astimezone(original_site.tz)
        city = story.country.capital.upper()
        paragraphs[0] = f"{city}, {vocab.MONTHS_SHORT[local.month - 1]} {local.day} ({wire}) - {paragraphs[0]}"
    elif u < 0.8:
        paragraphs[0] = f"({wire}) - {paragraphs[0]}"
    to_change = 1 + (r() < 0.5)
    for _ in range(12):
        if not to_change or len(paragraphs) < 2:
            break
        i = 1 + int(r() * (len(paragraphs) - 1))
        for old, new in vocab.REWORDING:
            if old in paragraphs[i]:
                paragraphs[i] = paragraphs[i].replace(old, new, 1)
                to_change -= 1
                break
    people = [f"{_pick(r, vocab.FIRST_NAMES)[0]} {_pick(r, vocab.LAST_NAMES)}" for _ in range(2)]
    footer = _pick(r, vocab.SYNDICATION_FOOTERS).format(wire=wire, rep=people[0], ed=people[1])
    if "syndicated" not in footer and r() < 0.5:
        footer = f"This story was syndicated from {original_site.name}. {footer}"
    u = r()
    title = story.title if u < 0.65 else (f"UPDATE 1-{story.title}" if u < 0.85 else f"{story.title} | {wire}")
    return Story(
        story.story_no,
        title,
        "\n\n".join(paragraphs),
        footer,
        f"{wire} staff",
        story.companies,
        story.country,
        story.polarity,
        story.event,
        story.section,
    )


_CURLY_DOUBLE = re.compile(r'"([^"\n]*)"')


def render_body(story: Story, curly: bool) -> Tuple[str, int]:
    """(body: paragraphs separated by a blank line, its word count as ``len(body.split())``)."""
    body = story.text + "\n\n" + story.footer if story.footer else story.text
    if curly:
        body = _CURLY_DOUBLE.sub("\u201c\\1\u201d", body).replace("'", "\u2019")
    return body, body.count(" ") + body.count("\n\n") + 1


def slugify(title: str, limit: int = 72) -> str:
    slug = _SLUG.sub("-", title.lower()).strip("-")
    return slug[:limit].rstrip("-") or "article"


def article_url(site: Site, section: str, title: str, published: datetime, uid: str) -> str:
    local = published.astimezone(site.tz)
    slug = slugify(title)
    if site.dated_url:
        return f"https://www.{site.domain}/{section}/{local:%Y/%m/%d}/{slug}-{uid}"
    return f"https://{site.domain}/{section}/{slug}-{uid}"


# --- publication schedule ----------------------------------------------------------------------

WEEKDAY_VOLUME = (1.0, 1.05, 1.05, 1.0, 0.9, 0.35, 0.3)


def day_counts(n: int, start: date, days: int, rng: random.Random) -> List[int]:
    """Articles per day: weekday-shaped volume with day-to-day noise; sums to ``n`` exactly."""
    weights = [
        WEEKDAY_VOLUME[(start + timedelta(days=d)).weekday()] * math.exp(rng.gauss(0, 0.15)) for d in range(days)
    ]
    total = sum(weights)
    raw = [n * w / total for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(days), key=lambda d: (counts[d] - raw[d], d))
    for d in order[: n - sum(counts)]:
        counts[d] += 1
    return counts


def seconds_of_day(count: int, rng: random.Random) -> List[int]:
    """Sorted publication times (seconds after UTC midnight): a business-hours bump on a flat floor."""
    out = []
    for _ in range(count):
        if rng.random() < 0.3:
            t = rng.random() * 86400
        else:
            t = rng.gauss(12.5 * 3600, 4 * 3600) % 86400
        out.append(int(t))
    out.sort()
    return out
