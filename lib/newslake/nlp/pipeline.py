"""The Spark NLP part of the enrich stage's annotation: tokens, then company, ticker, country and
coreference matches in each sentence.

It runs over sentence rows (``newslake.nlp.sentences.split_sentences``): each sentence is a
Spark NLP document of its own, so tokens and chunks carry offsets within their sentence;
``newslake.nlp.linking.explode_chunks`` adds the sentence's ``char_begin`` to place them in the
article's ``clean_text``.
"""

from __future__ import annotations

import re
from typing import Iterable, List, Sequence

from pyspark.ml import Pipeline
from sparknlp.annotator import RegexMatcher, TextMatcher, Tokenizer
from sparknlp.base import DocumentAssembler

# Curly and straight apostrophes split possessives off names ("Tesla’s" -> "Tesla", "s"), the
# hyphen splits "U.S.-based" and "Chinese-made" so the country form matches on its own; U+FFFD
# stands for an apostrophe lost to a bad encoding in scraped text ("Apple\ufffds").
SPLIT_CHARS = ["’", "'", "-", "–", "—", "/", "\ufffd"]
CONTEXT_CHARS = [".", ",", ";", ":", "!", "?", "*", "(", ")", '"', "“", "”", "‘", "’", "'", "[", "]", "•", "…"]

TICKER_RULES = ("cashtag", "exchange", "bare", "ric")
"""Identifiers of the ticker rules in ``rule_chunk``."""
COREFERENCE_RULE = "coref"
DATELINE_RULE = "dateline"

_PLACE = r"[A-Z][A-Za-z.'’\-]*(?: [A-Z][A-Za-z.'’\-]*){0,3}"
_MONTH = r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\.?"
_SOURCE = r"\([A-Z][^()\n]{1,40}\)"
DATELINE_REGEX = (
    r"^\s*(" + _PLACE + r")(?:,\s*(" + _PLACE + r"))?,?\s*(?:,\s*" + _PLACE + r")?"
    r"(?:,?\s*" + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?(?:\s*" + _SOURCE + r")?|\s*" + _SOURCE + r")"
    r"\s*[-–—]{1,2}"
)
"""A wire dateline opening a sentence: "TOKYO, March 3 -", "SAN MATEO, Calif., March 3 -",
"NEW YORK (Reuters) -", "HANGZHOU, China, Feb. 20 (Newslake) -". Group 1 is the city,
group 2 the state, province or country after it. A date or a source in parentheses is
required, so a sentence that opens with names and a dash is no dateline. The matcher's rule
also wants white space after the dash (the match itself ends at the dash)."""
BLOCKER_RULES = ("company", "country")
"""Identifiers of the look-alike blocker rules (see ``nlp.linking.blocker_rules``)."""


def ticker_rules(exchanges: Iterable[str]) -> List[str]:
    """RegexMatcher rules (``regex~kind``) for ticker forms: ``$TSLA``, ``NASDAQ: TSLA``, bare
    all-capital symbols of 2-5 letters (kept only with market context, see ``nlp.linking``)
    and Reuters instrument codes in brackets (``(BAC.N)``)."""
    names = "|".join(sorted({e for e in exchanges if e}, key=lambda e: (-len(e), e)))
    return [
        r"(?<![\w$])\$[A-Z][A-Z0-9]{0,5}(?:\.[A-Z])?(?![\w])~cashtag",
        r"(?<![\w])(?:" + names + r")\s?:\s?[A-Z0-9][A-Z0-9.\-]{0,7}(?<![.\-])~exchange",
        r"(?<![\w$.&\-])[A-Z]{2,5}(?![\w&]|\.[A-Za-z]|-[A-Za-z])~bare",
        # A Reuters instrument code in brackets: "( BAC.N )", "(7203.T)", "<JNJ.N>", "(VOWG_p.DE)".
        r"(?<=[(<]\s{0,2})[A-Z0-9][A-Za-z0-9_]{0,11}\.[A-Z]{1,3}(?=\s{0,2}[)>])~ric",
    ]


def coreference_rule(heads: Iterable[str], modifiers: Iterable[str]) -> str:
    """RegexMatcher rule for definite descriptions of a company: "the company", "the carmaker",
    "The Shanghai-based carmaker", "the iPhone maker", "the social media company"."""
    head = "|".join(sorted({h for h in heads if h}, key=lambda h: (-len(h), h)))
    mods = "|".join(sorted({m for m in modifiers if m}, key=lambda m: (-len(m), m)))
    modifier = (
        r"(?:[A-Z][\w.&’'-]*-based|U\.S\.-based|[A-Z][a-zA-Z]+(?:[ -][A-Z][a-zA-Z]+)?"
        + (r"|" + mods if mods else "")
        + r")"
    )
    maker = r"(?:[A-Za-z][\w-]*\s)?(?:[A-Za-z][\w-]*\s)?maker"
    return r"\b[Tt]he\s(?:" + modifier + r"\s){0,2}(?:" + head + "|" + maker + r")\b(?!-)~coref"


def news_tokenizer(input_col: str = "sentence") -> Tokenizer:
    """The tokenizer of the pipeline (also used to tokenize gazetteer phrases the same way)."""
    return (
        Tokenizer()
        .setInputCols([input_col])
        .setOutputCol("token")
        .setSplitChars(SPLIT_CHARS)
        .setContextChars(CONTEXT_CHARS)
    )


_SPLIT_RE = re.compile("[" + re.escape("".join(SPLIT_CHARS)) + "]")


def phrase_tokens(text: str) -> List[str]:
    """The tokens :func:`news_tokenizer` makes of ``text``, computed in Python: whitespace
    separates tokens, context characters at a token's start and end become tokens of their
    own, split characters split what is left and are dropped. ``tests/test_linking.py`` checks
    it against the real tokenizer on every gazetteer form."""
    out: List[str] = []
    for token in text.split():
        prefix, suffix = [], []
        while token and token[0] in CONTEXT_CHARS:
            prefix.append(token[0])
            token = token[1:]
        while token and token[-1] in CONTEXT_CHARS:
            suffix.insert(0, token[-1])
            token = token[:-1]
        out += prefix + [part for part in _SPLIT_RE.split(token) if part] + suffix
    return out


def matcher_phrases(forms: Iterable[str]) -> List[str]:
    """Phrase-file lines for a ``TextMatcher``: each form's tokens joined by spaces (the
    matcher tokenizes its phrases at whitespace only), plus the tokens it has before a hyphen
    ("U.S." keeps its final full stop in "U.S.-based", not at the end of a sentence)."""
    lines = set()
    for form in set(forms):
        lines.add(" ".join(phrase_tokens(form)))
        hyphenated = phrase_tokens(form + "-x")
        if hyphenated and hyphenated[-1] == "x":
            lines.add(" ".join(hyphenated[:-1]))
    return sorted(line for line in lines if line)


def build_annotation_pipeline(
    company_phrases_path: str,
    country_phrases_path: str,
    sentence_col: str = "sentence_text",
    exchanges: Sequence[str] = ("NASDAQ", "Nasdaq", "NYSE"),
    coreference_heads: Sequence[str] = ("company",),
    coreference_modifiers: Sequence[str] = (),
    blocker_rules: Sequence[str] = (),
) -> Pipeline:
    """Requires ``sentence_col`` (one sentence per row); adds ``sentence`` (the sentence as a
    Spark NLP document), ``token``, ``company_chunk``, ``country_chunk`` (TextMatcher,
    case-sensitive, longest match) and ``rule_chunk`` (one RegexMatcher for the ticker,
    coreference and blocker rules; the rule's name in the ``identifier`` metadata, see
    :data:`TICKER_RULES`, :data:`COREFERENCE_RULE` and :data:`BLOCKER_RULES`). Chunk offsets
    are within the sentence."""
    sentence = DocumentAssembler().setInputCol(sentence_col).setOutputCol("sentence").setCleanupMode("disabled")
    companies = (
        TextMatcher()
        .setInputCols(["sentence", "token"])
        .setOutputCol("company_chunk")
        .setEntities(company_phrases_path)
        .setCaseSensitive(True)
        .setEntityValue("company")
        .setBuildFromTokens(True)
        .setMergeOverlapping(True)
    )
    countries = (
        TextMatcher()
        .setInputCols(["sentence", "token"])
        .setOutputCol("country_chunk")
        .setEntities(country_phrases_path)
        .setCaseSensitive(True)
        .setEntityValue("country")
        .setBuildFromTokens(True)
        .setMergeOverlapping(True)
    )

    # One matcher for all regex rules: each annotator pass converts every row's sentences to
    # Scala objects and back, which cost more than the matching itself. MATCH_ALL applies each
    # rule on its own, so a rule's matches are what they would be in a matcher of its own.
    rules = (
        RegexMatcher()
        .setInputCols(["sentence"])
        .setOutputCol("rule_chunk")
        .setRules(
            [
                *ticker_rules(exchanges),
                coreference_rule(coreference_heads, coreference_modifiers),
                DATELINE_REGEX + r"(?=\s)~" + DATELINE_RULE,
                *blocker_rules,
            ]
        )
        .setDelimiter("~")
        .setStrategy("MATCH_ALL")
    )
    return Pipeline(stages=[sentence, news_tokenizer(), companies, countries, rules])
