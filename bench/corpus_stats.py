"""How much a news corpus looks like real wire copy: one simple measure for every corpus.

    python -m bench.corpus_stats [--reuters DIR] [--profiles calibrated,legacy] [--sample 2000]
        [--corpus DIR] [--json OUT]

Prints, side by side, for Reuters-21578 (``../shared/data/reuters21578``, read in place; skipped
with a note when absent), for articles drawn from each generator profile (in memory, seeded) and
for a corpus already written by ``bench.generate`` (``--corpus``): sentences per article (median,
mean, p10, p90), words per article and per sentence, company mentions per sentence and the share
of sentences that name a company. ``bench.generate --stats`` prints the same for the corpus it
wrote, and ``python -m bench`` puts it into the results document.

The measure is deliberately simple and the same for every corpus, so the columns compare:

* **Sentences** (:func:`split_sentences`): paragraphs at blank lines; inside a paragraph, a cut
  after ``.``, ``?`` or ``!`` (and any closing quotes or brackets) followed by whitespace and a
  capital letter or digit (after any opening quote), unless the word before the full stop is a
  known abbreviation (titles, company suffixes, months, US states) or an initialism (``U.S.``).
  It is not the project's splitter (that one is Spark SQL rules in ``newslake.nlp.sentences``):
  the point here is the same ruler for the real and the generated text, and it runs in a second
  over the 19,043 Reuters stories without a Spark session.
* **Company mentions** (:func:`company_names`, :func:`sentence_mentions`): an article's company
  names are runs of one to four capitalised words followed by a legal form (``Inc``, ``Corp``,
  ``Plc``, ``AG`` ...) or by a ticker in brackets (``(NASDAQ: TSLA)``); a mention is any later
  occurrence of such a name (``Texaco Inc`` ... ``Texaco said``). Pronouns and descriptions (``the
  company``) are not counted, nor names that never appear with a legal form or a ticker: Reuters'
  1987 companies are not in the project's gazetteer, so its linker would not be a fair ruler for
  the real text. The figure is a floor for both corpora alike.

Reuters bodies are hard-wrapped at 70 columns with indented paragraph starts: :func:`reuters_bodies`
joins the wrapped lines and turns each indented start into a blank line (the generated corpus
already separates paragraphs with blank lines), and drops the ``Reuter`` sign-off. Titles are left
out on both sides (the generated corpus keeps them in a field of their own).
"""

from __future__ import annotations

import argparse
import glob
import html
import json
import os
import re
import statistics
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Mapping, Optional, Sequence

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"

# --- sentences ---------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Messrs Dr Prof Sen Rep Gov Gen Lt Col Capt Adm Rev St Jr Sr No Nos vs approx est "
    "Inc Corp Co Cos Ltd Bros Mfg Intl Assn Dept Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo Mont Neb Nev "
    "Okla Ore Pa Penn Tenn Tex Va Vt Wash Wis Wyo".split()
)
_CUT = re.compile(r"(?<=[.!?])([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?\.?")
_PARAGRAPH = re.compile(r"\n\s*\n")
_CLOSERS = "\"'\u201d\u2019)]"


def split_sentences(text: str) -> List[str]:
    """The sentences of ``text`` by the simple measure above (whitespace collapsed)."""
    out: List[str] = []
    for paragraph in _PARAGRAPH.split(text):
        paragraph = " ".join(paragraph.split())
        start = 0
        for cut in _CUT.finditer(paragraph):
            head = paragraph[start : cut.end(1)]
            words = head.split()
            last = words[-1].rstrip(_CLOSERS) if words else ""
            if last.endswith(".") and (last[:-1] in _ABBREVIATIONS or _INITIALISM.fullmatch(last)):
                continue
            out.append(head.strip())
            start = cut.end()
        tail = paragraph[start:].strip()
        if tail:
            out.append(tail)
    return out


# --- company mentions --------------------------------------------------------------------------

_LEGAL_FORM = (
    r"(?:Inc|Incorporated|Corp|Corporation|Co|Cos|Company|Ltd|Limited|Plc|PLC|plc|AG|SA|S\.A|NV|"
    r"N\.V|SE|ASA|AB|Oyj|SpA|GmbH|LP|L\.P|LLC|Bancorp|Group|Holdings?)"
)
_NAME_WORD = r"(?:[A-Z][\w&'\-]*|&)"
_COMPANY = re.compile(
    rf"\b((?:{_NAME_WORD} ){{1,4}}?){_LEGAL_FORM}\b\.?"  # Texaco Inc, National Westminster Bank Plc
    rf"|\b((?:{_NAME_WORD} ){{0,3}}{_NAME_WORD}) \((?:[A-Z]+: ?[A-Z0-9.]+|\$[A-Z]+)\)"
)  # Tesla (NASDAQ: TSLA)
_NOT_NAME_START = frozenset(
    "The A An In Its Their His Her Shares But And Of At On For By To From As Analysts Rival Unit Units".split()
)


def company_names(text: str) -> List[str]:
    """The company names an article introduces with a legal form or a ticker, longest first."""
    names = set()
    for match in _COMPANY.finditer(text):
        words = (match.group(1) or match.group(2)).split()
        while words and words[0] in _NOT_NAME_START:
            words = words[1:]
        if words and words[-1] != "&":
            names.add(" ".join(words))
    return sorted(names, key=lambda n: (-len(n), n))


def sentence_mentions(sentences: Sequence[str], names: Sequence[str]) -> List[int]:
    """Company mentions in each sentence: non-overlapping occurrences of the article's names."""
    if not names:
        return [0] * len(sentences)
    pattern = re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w&])")
    return [len(pattern.findall(s)) for s in sentences]


# --- statistics --------------------------------------------------------------------------------


def _quantile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank quantile of sorted values."""
    index = min(len(sorted_values) - 1, max(0, int(round(q * (len(sorted_values) - 1)))))
    return sorted_values[index]


def corpus_stats(bodies: Iterable[str]) -> Dict[str, object]:
    """The figures of a corpus of article bodies (empty bodies are skipped)."""
    sentences_per_article: List[int] = []
    words_per_article: List[int] = []
    words_per_sentence: List[int] = []
    mentions_total = with_company = 0
    for body in bodies:
        sentences = split_sentences(body)
        if not sentences:
            continue
        mentions = sentence_mentions(sentences, company_names(body))
        sentences_per_article.append(len(sentences))
        lengths = [len(s.split()) for s in sentences]
        words_per_article.append(sum(lengths))
        words_per_sentence.extend(lengths)
        mentions_total += sum(mentions)
        with_company += sum(1 for m in mentions if m)
    n, s = len(sentences_per_article), len(words_per_sentence)
    if not n:
        return {"articles": 0}
    per_article = sorted(sentences_per_article)
    return {
        "articles": n,
        "sentences": s,
        "sentences_per_article": {
            "median": statistics.median(per_article),
            "mean": round(s / n, 2),
            "p10": _quantile(per_article, 0.1),
            "p90": _quantile(per_article, 0.9),
        },
        "words_per_article": {
            "median": statistics.median(words_per_article),
            "mean": round(sum(words_per_article) / n, 1),
        },
        "words_per_sentence": {
            "median": statistics.median(words_per_sentence),
            "mean": round(sum(words_per_sentence) / s, 2),
        },
        "company_mentions_per_sentence": round(mentions_total / s, 4),
        "company_mentions_per_article": round(mentions_total / n, 3),
        "share_of_sentences_with_company": round(with_company / s, 4),
    }


# Reuters-21578 by this measure (python -m bench.corpus_stats, 2026-12-07), so that a machine
# without ../shared still knows what the calibrated profile aims at.
REUTERS_21578 = {
    "articles": 19043,
    "sentences": 124762,
    "sentences_per_article": {"median": 5, "mean": 6.55, "p10": 2, "p90": 13},
    "words_per_article": {"median": 88, "mean": 133.8},
    "words_per_sentence": {"median": 20.0, "mean": 20.43},
    "company_mentions_per_sentence": 0.2514,
    "company_mentions_per_article": 1.647,
    "share_of_sentences_with_company": 0.172,
}
# How close the calibrated profile must come to those figures (relative error). The share of
# sentences naming a company is not fitted (see bench.corpus.PROFILES) and has no tolerance.
TOLERANCES = {
    ("sentences_per_article", "median"): 0.10,
    ("sentences_per_article", "mean"): 0.10,
    ("sentences_per_article", "p90"): 0.20,
    ("words_per_article", "median"): 0.15,
    ("words_per_sentence", "mean"): 0.20,
    ("company_mentions_per_sentence",): 0.15,
    ("company_mentions_per_article",): 0.15,
}


def off_target(
    stats: Mapping[str, object],
    targets: Mapping[str, object] = REUTERS_21578,
    tolerances: Mapping[Sequence[str], float] = TOLERANCES,
) -> Dict[str, Dict[str, float]]:
    """The figures of ``stats`` further from ``targets`` than their tolerance (empty: on target)."""
    out = {}
    for path, tolerance in tolerances.items():
        value, target = figure(stats, path), figure(targets, path)
        error = abs(value - target) / target if value is not None and target else float("inf")
        if error > tolerance:
            out[".".join(path)] = {"value": value, "target": target, "relative_error": round(error, 3)}
    return out


# The figures compared, as (label, path in the stats dictionary, digits).
ROWS = (
    ("articles", ("articles",), 0),
    ("sentences/article, median", ("sentences_per_article", "median"), 1),
    ("sentences/article, mean", ("sentences_per_article", "mean"), 2),
    ("sentences/article, p10", ("sentences_per_article", "p10"), 0),
    ("sentences/article, p90", ("sentences_per_article", "p90"), 0),
    ("words/article, median", ("words_per_article", "median"), 1),
    ("words/sentence, mean", ("words_per_sentence", "mean"), 2),
    ("words/sentence, median", ("words_per_sentence", "median"), 1),
    ("company mentions/sentence", ("company_mentions_per_sentence",), 3),
    ("company mentions/article", ("company_mentions_per_article",), 2),
    ("sentences with a company", ("share_of_sentences_with_company",), 3),
)


def figure(stats: Mapping[str, object], path: Sequence[str]) -> Optional[float]:
    value: object = stats
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return value  # type: ignore[return-value]


def format_table(columns: Mapping[str, Mapping[str, object]]) -> str:
    """The figures of several corpora side by side, one column each."""
    names = list(columns)
    width = max([12] + [len(n) + 2 for n in names])
    lines = [f"{'corpus statistics':<28}" + "".join(n.rjust(width) for n in names)]
    for label, path, digits in ROWS:
        cells = []
        for name in names:
            value = figure(columns[name], path)
            cells.append(("-" if value is None else f"{value:,.{digits}f}").rjust(width))
        lines.append(f"{label:<28}" + "".join(cells))
    return "\n".join(lines)


# --- the corpora -------------------------------------------------------------------------------

_STORY = re.compile(r"<REUTERS\b.*?</REUTERS>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_SIGN_OFF = re.compile(r"\s*\breuter\b\s*(?:&#3;|\x03)?\s*$", re.I)
_INDENTED_LINE = re.compile(r"\n(?=[ \t])")


def reuters_bodies(directory: Path) -> Iterator[str]:
    """Every Reuters-21578 body (file order), paragraphs separated by blank lines."""
    for path in sorted(glob.glob(os.path.join(str(directory), "reut2-*.sgm"))):
        with open(path, encoding="latin-1") as handle:
            raw = handle.read()
        for story in _STORY.finditer(raw):
            body = _BODY.search(story.group(0))
            if not body:
                continue
            text = html.unescape(_SIGN_OFF.sub("", body.group(1)))
            paragraphs = (" ".join(p.split()) for p in _INDENTED_LINE.split(text))
            yield "\n\n".join(p for p in paragraphs if p)


def reuters_stats(directory: Path = DEFAULT_REUTERS) -> Optional[Dict[str, object]]:
    """The figures of Reuters-21578, or None when its files are not there."""
    if not glob.glob(os.path.join(str(directory), "reut2-*.sgm")):
        return None
    stats = corpus_stats(reuters_bodies(directory))
    stats["source"] = f"Reuters-21578 ({directory}), every story with a body"
    return stats


def profile_bodies(profile: str, articles: int, seed: int = 42) -> Iterator[str]:
    """Bodies of ``articles`` original stories of a generator profile, as the generator renders
    them (one a day-hour apart, sites in turn), without writing files."""
    from bench.corpus import PROFILES, SITES, Gazetteer, StoryMaker, render_body

    maker = StoryMaker(Gazetteer(ROOT / "conf" / "gazetteer"), seed, PROFILES[profile])
    start = datetime(2024, 1, 1, 6, tzinfo=timezone.utc)
    for story_no in range(articles):
        site = SITES[story_no % len(SITES)]
        yield render_body(maker.make(story_no, start + timedelta(hours=story_no), site), site.curly)[0]


def corpus_bodies(corpus: Path, limit: Optional[int] = None) -> Iterator[str]:
    """Bodies of the good JSON Lines records of a corpus written by ``bench.generate`` (both
    vendors' field names), in path order, at most ``limit``; unparseable lines and bodies the
    ingest job would quarantine as too short are skipped."""
    from newslake.config import IngestSettings

    min_chars = IngestSettings().min_body_chars
    seen = 0
    for path in sorted(Path(corpus).glob("vendor_*/dt=*/*.jsonl")):
        with open(path, "rb") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                body = record.get("body") or record.get("content") if isinstance(record, dict) else None
                if not isinstance(body, str) or len(body.strip()) < min_chars:
                    continue
                yield body
                seen += 1
                if limit is not None and seen >= limit:
                    return


def compare(
    reuters: Optional[Path], profiles: Sequence[str], sample: int, seed: int, corpus: Optional[Path] = None
) -> Dict[str, Dict[str, object]]:
    """Figures of Reuters (when present), each profile's sample and a written corpus."""
    columns: Dict[str, Dict[str, object]] = {}
    if reuters is not None:
        real = reuters_stats(reuters)
        if real is not None:
            columns["reuters-21578"] = real
    for profile in profiles:
        stats = corpus_stats(profile_bodies(profile, sample, seed))
        stats["source"] = f"profile {profile}: {sample} original stories, seed {seed}, in memory"
        columns[f"gen:{profile}"] = stats
    if corpus is not None:
        stats = corpus_stats(corpus_bodies(corpus, sample))
        stats["source"] = f"{corpus}: the first {sample} JSON Lines bodies"
        columns["corpus"] = stats
    return columns


def main(argv: Optional[Sequence[str]] = None) -> int:
    from bench.corpus import PROFILES

    p = argparse.ArgumentParser(
        prog="python -m bench.corpus_stats",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--reuters", type=Path, default=DEFAULT_REUTERS, help="Reuters-21578 folder (reut2-*.sgm)")
    p.add_argument("--profiles", default=",".join(PROFILES), help="generator profiles to sample")
    p.add_argument("--sample", type=int, default=2000, help="articles per profile (and from --corpus)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--corpus", type=Path, help="also a corpus written by bench.generate")
    p.add_argument("--json", type=Path, help="write the figures here too")
    a = p.parse_args(argv)
    profiles = [x.strip() for x in a.profiles.split(",") if x.strip()]
    unknown = set(profiles) - set(PROFILES)
    if unknown:
        p.error(f"--profiles: choose from {','.join(PROFILES)} (got {sorted(unknown)})")
    columns = compare(a.reuters, profiles, a.sample, a.seed, a.corpus)
    if "reuters-21578" not in columns:
        print(f"note: no Reuters-21578 files under {a.reuters}; real-text column left out", file=sys.stderr)
    print(format_table(columns))
    if a.json:
        a.json.write_text(json.dumps(columns, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
