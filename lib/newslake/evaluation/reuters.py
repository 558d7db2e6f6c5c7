"""Country linking on Reuters-21578 (1987 Reuters newswire; the ``PLACES`` tag of each story).

The historical place names are mapped to ISO 3166-1 alpha-2 codes (:data:`PLACE_CODES` for the
ones pycountry does not resolve by name: ``usa``, ``uk``, ``west-germany``, ``ussr`` ...). A
story's gold set is its mapped ``PLACES``; its predicted set is the countries the linker finds
in its title and body. The body starts with the story's dateline (``TOKYO, March 3 -``), as it
does on the wire: the SGML files keep it in a ``<DATELINE>`` tag of its own.

Tuning and held-out parts: a story whose ``NEWID`` is even is in the ``tune`` part (the one
looked at while writing the dateline, organisation and place rules), an odd one in the
``held_out`` part (only ever scored). Precision and recall are micro-averaged over stories,
printed for all stories and for each part. ``PLACES`` lists the countries a story is about,
named or not (a US company's story is tagged ``usa``), so recall is bounded by what the text
names.
"""

from __future__ import annotations

import glob
import html
import os
import re
from typing import Dict, Iterator, List, Optional, Sequence, Set

from pyspark.sql import SparkSession

from newslake.config import EnrichSettings
from newslake.evaluation.linking import passage_sets
from newslake.evaluation.metrics import micro_prf
from newslake.silver.annotate import annotate, linking_resources

PLACE_CODES = {
    "usa": "US",
    "uk": "GB",
    "west-germany": "DE",
    "east-germany": "DE",
    "ussr": "RU",
    "yugoslavia": "RS",
    "czechoslovakia": "CZ",
    "zaire": "CD",
    "kampuchea": "KH",
    "burma": "MM",
    "western-samoa": "WS",
    "yemen-arab-republic": "YE",
    "yemen-demo-republic": "YE",
    "netherlands-antilles": "CW",
    "uae": "AE",
    "ivory-coast": "CI",
    "hong-kong": "HK",
    "macao": "MO",
    "south-korea": "KR",
    "north-korea": "KP",
    "taiwan": "TW",
    "vatican": "VA",
    "swaziland": "SZ",
    "trinidad-tobago": "TT",
    "us-virgin-islands": "VI",
    "british-virgin-islands": "VG",
    "cape-verde": "CV",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "tanzania": "TZ",
    "bolivia": "BO",
    "venezuela": "VE",
    "vietnam": "VN",
    "congo": "CG",
    "russia": "RU",
    "south-africa": "ZA",
    "new-zealand": "NZ",
    "saudi-arabia": "SA",
    "sri-lanka": "LK",
    "el-salvador": "SV",
    "costa-rica": "CR",
    "dominican-republic": "DO",
    "papua-new-guinea": "PG",
    "sierra-leone": "SL",
    "burkina-faso": "BF",
    "central-african-republic": "CF",
    "equatorial-guinea": "GQ",
    "guinea-bissau": "GW",
    "french-guiana": "GF",
    "new-caledonia": "NC",
    "cayman-islands": "KY",
    "american-samoa": "AS",
    "bahamas": "BS",
    "gambia": "GM",
    "libya": "LY",
    "moldova": "MD",
    "antigua": "AG",
    "brunei": "BN",
    "turkey": "TR",
}

_STORY = re.compile(r"<REUTERS\b.*?</REUTERS>", re.S)
_PLACES = re.compile(r"<PLACES>(.*?)</PLACES>", re.S)
_D = re.compile(r"<D>(.*?)</D>")
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_DATELINE = re.compile(r"<DATELINE>(.*?)</DATELINE>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')
_TRAILER = re.compile(r"\s*Reuter\s*(?:&#3;|\x03)?\s*$")


def place_code(place: str) -> Optional[str]:
    """ISO alpha-2 code of a Reuters place name, None when it is no country."""
    if place in PLACE_CODES:
        return PLACE_CODES[place]
    import pycountry

    try:
        return pycountry.countries.lookup(place.replace("-", " ")).alpha_2
    except LookupError:
        return None


def articles(directory: str, files: Optional[Sequence[str]] = None) -> Iterator[dict]:
    """Every story with a BODY, in file order: ``{"file" (e.g. ``reut2-003.sgm``), "newid",
    "title", "body", "places"}``. ``body`` is the BODY unescaped, without the closing
    ``Reuter`` trailer, stripped; offsets into a story (the hand-labeled real-news set) count
    characters of this string. ``files`` limits the read to those file names."""
    paths = sorted(glob.glob(os.path.join(directory, "reut2-*.sgm")))
    if files is not None:
        wanted = set(files)
        paths = [p for p in paths if os.path.basename(p) in wanted]
    for path in paths:
        with open(path, encoding="latin-1") as handle:
            raw = handle.read()
        for match in _STORY.finditer(raw):
            story = match.group(0)
            body = _BODY.search(story)
            if not body:
                continue
            places = _PLACES.search(story)
            title = _TITLE.search(story)
            dateline = _DATELINE.search(story)
            yield {
                "file": os.path.basename(path),
                "newid": _NEWID.search(story).group(1),
                "title": html.unescape(title.group(1)).strip() if title else "",
                "dateline": html.unescape(dateline.group(1)).strip() if dateline else "",
                "body": html.unescape(_TRAILER.sub("", body.group(1))).strip(),
                "places": _D.findall(places.group(1)) if places else [],
            }


def stories(directory: str) -> Iterator[dict]:
    """Every story with a BODY and at least one PLACE that maps to a country, in file order:
    ``{"id", "text" (title, blank line, dateline and body, as the wire carries it),
    "countries", "part"}`` (``part``: ``tune`` for an even NEWID, else ``held_out``)."""
    for article in articles(directory):
        codes = {place_code(p) for p in article["places"]} - {None}
        if not codes:
            continue
        title = article["title"]
        text = (article["dateline"] + " " + article["body"]) if article["dateline"] else article["body"]
        newid = int(article["newid"])
        yield {
            "id": f"reut-{newid}",
            "text": (title + "\n\n" + text) if title else text,
            "countries": sorted(codes),
            "part": "held_out" if newid % 2 else "tune",
        }


def sample(directory: str, limit: int) -> List[dict]:
    out = []
    for story in stories(directory):
        out.append(story)
        if len(out) >= limit:
            break
    return out


def score(rows: Sequence[dict], predicted: Dict[str, Set[str]]) -> Dict[str, object]:
    """Micro P/R/F1 over all stories, then the same for each part (``tune``, ``held_out``)."""
    gold = {r["id"]: set(r["countries"]) for r in rows}
    result: Dict[str, object] = {"stories": len(rows)}
    result.update(micro_prf(gold, predicted, [r["id"] for r in rows]))
    for part in ("tune", "held_out"):
        ids = [r["id"] for r in rows if r.get("part") == part]
        if ids:
            result[part] = {"stories": len(ids), **micro_prf(gold, predicted, ids)}
    return result


def evaluate(
    spark: SparkSession, directory: str, gazetteer_dir: str, enrich: EnrichSettings, limit: int = 2000
) -> Dict[str, object]:
    rows = sample(directory, limit)
    df = spark.createDataFrame([(r["id"], r["text"]) for r in rows], "article_id string, clean_text string")
    with linking_resources(spark, gazetteer_dir, enrich) as resources:
        result = annotate(df, resources, enrich)
        try:
            predicted = passage_sets(result.countries, "country")
        finally:
            result.unpersist()
    return score(rows, predicted)
