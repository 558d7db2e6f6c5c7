"""The Spark NLP annotation pipeline of the enrich stage: news sentences, tokens, company, ticker,
country and coreference matches.

Sentence detection is Spark NLP's rule-based ``SentenceDetector``, splitting at custom bounds
that a length-preserving pre-pass in Spark SQL sets for news text, and a post-pass:

* :func:`sentence_marked_text` rewrites ``clean_text`` into a *detector text* of exactly the
  same length: full stops that must not end a sentence (``U.S. Treasury``, ``Inc. said``,
  ``Jan. 15``, ``J.P. Morgan``, ``e.g.``, ``9:30 a.m. ET``, dots in bullet items, URLs and
  numbers) become :data:`PROTECT`, and whitespace where a sentence must end (blank lines,
  bullet lines, ``Corp. Her``, ``in the U.S. Sales``, ``unit.) Margins``, ``decade… Then``)
  becomes :data:`BOUND`, a custom bound of the detector. Every sentence-final mark left after
  that (``. The``, ``?``, ``!``, closing quotes) is a bound too, and the detector splits at
  bounds only: its own Pragmatic rules cost three times the pre-pass and, with the news
  cases decided before, only ever disagreed for the worse.
* :class:`SentenceSpans` turns the detector's sentences back into spans of ``clean_text``:
  a sentence runs from its start to the next one's, closing quotes and brackets that the
  detector put at the start of a sentence go back to the one they close, whitespace is
  trimmed and empty spans dropped. The ``sentence`` column then holds the original text, so
  tokens and chunks carry offsets in ``clean_text``.

Because the detector text has the length of ``clean_text``, offsets agree between the JVM
(UTF-16) and Spark SQL (code points) only for text inside the Basic Multilingual Plane;
``silver.clean`` drops the few characters outside it (emoji).
"""

from __future__ import annotations

import re
from typing import Iterable, List, Sequence, Tuple

from pyspark.ml import Pipeline, Transformer
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from sparknlp.annotator import RegexMatcher, SentenceDetector, TextMatcher, Tokenizer
from sparknlp.base import DocumentAssembler

# Curly and straight apostrophes split possessives off names ("Tesla’s" -> "Tesla", "s"), the
# hyphen splits "U.S.-based" and "Chinese-made" so the country form matches on its own; U+FFFD
# stands for an apostrophe lost to a bad encoding in scraped text ("Apple\ufffds").
SPLIT_CHARS = ["’", "'", "-", "–", "—", "/", "\ufffd"]
CONTEXT_CHARS = [".", ",", ";", ":", "!", "?", "*", "(", ")", "\"", "“", "”", "‘", "’", "'", "[", "]", "•", "…"]

PROTECT = "\ue001"
"""Stands for a full stop (or ``?``/``!``/``;``/``…``) that does not end a sentence."""
BOUND = "\ue000"
"""Replaces the whitespace character where a sentence must end (a custom bound)."""
QUOTE = "\ue002"
"""Stands for a quotation mark or apostrophe in the detector text."""

DETECTOR_TEXT_COL = "_sbd_text"
RAW_SENTENCE_COL = "_sbd_sentence"

_BULLET = r"(?:[•\-*–▪·‣◦●■□➢►]|\d{1,2}[.)])"
# After the numbered markers' full stops are protected ("1." -> "1" + PROTECT).
_BULLET_MARKED = r"(?:[•\-*–▪·‣◦●■□➢►]|\d{1,2}[.)\ue001])"
_CLOSERS = "”’\"')\\]"
_ATTRIBUTION_VERBS = (
    "said|says|asked|asks|added|adds|told|tells|wrote|writes|noted|notes|explained|argued|insisted|"
    "replied|warned|continued|recalled|joked|tweeted|posted|cautioned|conceded|admitted|acknowledged"
)
# Abbreviations that never end a sentence (titles, "vs.", "est."): their full stop is protected.
_NEVER_FINAL = ("Mr|Mrs|Ms|Messrs|Mmes|Dr|Prof|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Capt|Sgt|Adm|Rev|Hon|"
                "Supt|Gens|vs|v|cf|approx|est|Fig|Figs|Vol|Vols|Art|Arts|Ch|Pp|pp")
# Abbreviations that end a sentence when a capitalised word follows (company suffixes, "Jr.",
# US states): the whitespace after them becomes a bound, unless another suffix follows.
_MAY_BE_FINAL = ("Inc|Corp|Co|Cos|Ltd|Bros|Jr|Sr|Plc|Mfg|Intl|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|"
                 "Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|"
                 "Wash|Wis|Wyo")
_SUFFIX_NEXT = r"(?:Ltd|Inc|Corp|Co|LLC|LLP|Limited|AG|SA|S\.A|NV|N\.V|plc|PLC|Plc|SE|GmbH|KGaA|Holdings)\b"
_MONTHS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
_TIME_ZONES = "ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|MT|MST|GMT|BST|CET|CEST|UTC|JST|HKT|SGT|IST|AEST|AEDT"
# Capitalised words that continue a name after "U.S." ("U.S. Treasury"), so no sentence ends there.
_US_CONTINUATIONS = (
    "Treasury|Treasuries|Senate|House|Congress|Federal|Fed|Department|Army|Navy|Air|Supreme|Court|"
    "Commerce|Justice|Labor|Energy|Trade|Securities|SEC|FDA|Food|Census|District|Attorney|Attorneys|"
    "President|Embassy|Government|Dollar|GDP|CPI|Marshals|Capitol|Chamber|Mint|Geological|Coast|"
    "Border|Customs|Immigration|Marine|Marines|Secretary|Ambassador|Representative|Rep|Sen|Agency|"
    "Environmental|National|Central|Strategic|Defense|Transportation|Open|Postal|Steel|Bancorp|Bank|"
    "Space|Forest|Fish|Special|Olympic|Patent|International|Cellular|Foods|Physical|Global|Sugar|"
    "Highway|Interior|State|Office|Copyright|Soccer"
)
_US_NOUN_BEFORE = ("the|in|to|from|of|across|into|at|for|on|by|over|than|and|throughout|outside|"
                   "inside|within|around|toward|towards|beyond|via")
_STARTS = "[A-Z“\"‘(]"
_ATTRIBUTION = r"(?:[A-Z][\w’'.-]*\s+){1,3}(?:" + _ATTRIBUTION_VERBS + r")\b"


def _rules() -> List[Tuple[str, str]]:
    """The pre-pass as ordered (Java regex, replacement) pairs; each keeps the text's length."""
    p, b = PROTECT, BOUND
    # Each rule starts with the character it replaces and checks what precedes it with a
    # lookbehind that ends in that character: Java tries a pattern at every position of the
    # text, and a leading lookbehind (up to 1,000 characters for bullet items) made the pre-pass
    # cost more than the rest of enrich together.
    return [
        # Bullet items are sentences of their own: nothing inside an item ends it; the line break
        # before and after an item is a bound. A blank line always ends a sentence.
        (r"(?m)[.?!;…](?<=^[ \t]{0,8}" + _BULLET + r"[ \t][^\n]{0,1000}?[.?!;…])", p),
        (r"(?m)^([ \t]{0,8}\d{1,2})\.(?=[ \t])", "$1" + p),
        (r"\n(?=[ \t]*\n)", b),
        (r"(?m)^([ \t]{0,8}" + _BULLET_MARKED + r"[ \t][^\n]*)\n", "$1" + b),
        (r"\n(?=[ \t]{0,8}" + _BULLET_MARKED + r"[ \t])", b),
        # Abbreviations that never end a sentence; "No. 2", "Jan. 15", "St. Paul" (Saint).
        (r"\.(?<=(?<![\w.])(?:" + _NEVER_FINAL + r")\.)(?=\s)", p),
        (r"\.(?<=(?<![\w.])(?:No|Nos|Sec|Secs|Para)\.)(?=\s*\d)", p),
        (r"\.(?<=(?<![\w.])(?:" + _MONTHS + r")\.)(?=\s*\d)", p),
        (r"\.(?<=(?<!\b[A-Z][a-z]{1,20} )(?<![\w.])(?:St|Ste|Mt|Ft)\.)(?=\s+[A-Z])", p),
        # e.g., i.e. never end a sentence; a.m./p.m. before a time zone do not either.
        (r"\.(?<=\b[eE]\.[gG]\.|\b[iI]\.[eE]\.)", p),
        (r"\.(?<=\b[aApP]\.[mM]\.)(?=\s+(?:" + _TIME_ZONES + r")\b)", p),
        # "U.S." / "U.K." / "U.N." / "E.U.": a name continues ("U.S. Treasury"); a noun after a
        # preposition or "the" ends the sentence before a capital ("in the U.S. Sales rose").
        (r"\.(?<=\b(?:U\.S|U\.K|U\.N|E\.U)\.)(?=\s+(?:" + _US_CONTINUATIONS + r")\b)", p),
        (r"\s(?<=\b(?:" + _US_NOUN_BEFORE + r") (?:U\.S|U\.K|U\.N|E\.U)\.\s)(?=" + _STARTS + ")", b),
        (r"\.(?<=\b(?:U\.S|U\.K|U\.N|E\.U)\.)(?=\s+[A-Z])", p),
        # Other dotted capitals are initials of a name ("J.P. Morgan", "A.P. Møller"), as is a
        # single capital ("John D. Whitaker").
        (r"\.(?<=(?<![\w.])[A-Z]\.[A-Z](?:\.[A-Z])?\.)(?=\s+[A-Z])", p),
        (r"\.(?<=(?<![\w.])[A-Z]\.)(?=\s+[A-Z](?:[a-z]|\.))", p),
        # Company suffixes, "Jr.", state abbreviations, months, streets and a.m./p.m. before a
        # capital: another suffix continues ("Co. Ltd."); anything else starts a new sentence.
        (r"\.(?<=(?<![\w.])(?:" + _MAY_BE_FINAL + r")\.)(?=\s+" + _SUFFIX_NEXT + ")", p),
        (r"\s(?<=(?<![\w.])(?:" + _MAY_BE_FINAL + "|" + _MONTHS + r"|St|Ave|Blvd|Rd)\.\s)(?=" + _STARTS + ")", b),
        (r"\s(?<=\b[aApP]\.[mM]\.\s)(?=" + _STARTS + ")", b),
        # Generic: a full stop inside a token (numbers, domains, "U.S"), or followed by a
        # lower-case word, a comma or a dash, ends nothing; nor does "?"/"!" before "she said".
        (r"\.(?=[A-Za-z0-9])", p),
        (r"[.…](?=[.…]*[" + _CLOSERS + r"]*\s+[a-z](?![a-z]*[A-Z]))", p),
        (r"[?!](?=[" + _CLOSERS + r"]*\s+[a-z](?![a-z]*[A-Z]))", p),
        (r"[.…](?=[.…]*\s*[,;:])", p),
        (r"\.(?=\s+[—–-]\s)", p),
        # A question or exclamation followed by its attribution is one sentence ("“Why sell
        # now?” Patel asked."; after a full stop, "Analysts said ..." starts a new one);
        # any other closing quote or bracket after the end of a sentence, then a capital or an
        # opening quote, is a bound, and so is an opening quote after the end of a sentence.
        (r"[?!…](?=[" + _CLOSERS + r"]{1,3}\s+" + _ATTRIBUTION + ")", p),
        (r"\s(?<=[.?!…][" + _CLOSERS + r"]{1,3}\s)(?=[A-Z“\"‘'(])", b),
        (r"\s(?<=[.?!…]\s)(?=[“\"‘'][A-Z])", b),
        # An ellipsis before a capital ends the sentence ("for a decade… Then the pandemic hit");
        # its inner dots never do.
        (r"\s(?<=(?:\.\.\.|…)\s)(?=" + _STARTS + ")", b),
        (r"\.(?=\.)", p),
        # Whatever full stop, question or exclamation mark is left ends its sentence: the
        # whitespace after it (and after closing quotes or brackets) is a bound. The detector
        # then only splits at bounds, because its own Pragmatic rules cost three times the
        # whole pre-pass and, with everything above decided, changed 8 of 82,601 boundaries of
        # a benchmark corpus, for the worse ("Tesla Inc.|'s").
        (r"\s(?<=[.?!…][" + _CLOSERS + r"]{0,3}\s)(?=\S)", b),
        # A semicolon never ends a sentence in news copy. Quotes are neutralised last: the rules
        # above decide every boundary next to a quote, and the detector's own quote handling
        # (it protects text between quotes) would override them.
        (";", ","),
        ("[“”\"‘’']", QUOTE),
    ]


def sentence_marked_text(text: Column) -> Column:
    """The detector text of ``text``: same length, :data:`PROTECT` for full stops that end no
    sentence, :data:`BOUND` for whitespace where one must end (see the module docstring)."""
    out = F.coalesce(text, F.lit(""))
    for pattern, replacement in _rules():
        out = F.regexp_replace(out, pattern, replacement)
    return out


_LEADING_CLOSERS = "^\\s*(?:[" + _CLOSERS + "]+(?=\\s|$))?"


def with_sentence_spans(df: DataFrame, text_col: str, detected_col: str, output_col: str) -> DataFrame:
    """Requires ``text_col`` and the detector's sentences in ``detected_col``; adds
    ``output_col``: the sentences rebuilt as spans of ``text_col``. Each runs to the next one's
    start; closing quotes or brackets at a start go back to the sentence they close; whitespace
    is trimmed and empty spans are dropped; ``result``, ``begin``, ``end`` and the ``sentence``
    index refer to ``text_col``."""
    text = F.col(text_col)
    starts = F.transform(
        F.col(detected_col),
        lambda s: s["begin"] + F.length(F.regexp_extract(text.substr(s["begin"] + 1, F.lit(64)), _LEADING_CLOSERS, 0)),
    )
    df = df.withColumn("_sbd_starts", starts)
    n = F.size("_sbd_starts")
    bounds = F.transform(
        F.sequence(F.lit(1), F.greatest(n, F.lit(1))),
        lambda i: F.struct(
            F.element_at("_sbd_starts", i).alias("b"),
            F.when(i < n, F.element_at("_sbd_starts", i + 1)).otherwise(F.length(text)).alias("e"),
        ),
    )
    segments = F.transform(
        F.filter(bounds, lambda sp: F.coalesce(sp["e"] > sp["b"], F.lit(False))),
        lambda sp: F.struct(sp["b"].alias("b"), text.substr(sp["b"] + 1, sp["e"] - sp["b"]).alias("seg")),
    )
    trimmed = F.filter(
        F.transform(
            segments,
            lambda sg: F.struct(
                (sg["b"] + F.length(sg["seg"]) - F.length(F.regexp_replace(sg["seg"], "^\\s+", ""))).alias("begin"),
                F.regexp_replace(F.regexp_replace(sg["seg"], "^\\s+", ""), "\\s+$", "").alias("result"),
            ),
        ),
        lambda t: F.length(t["result"]) > 0,
    )
    annotations = F.transform(
        trimmed,
        lambda t, i: F.struct(
            F.lit("document").alias("annotatorType"),
            t["begin"].cast("int").alias("begin"),
            (t["begin"] + F.length(t["result"]) - 1).cast("int").alias("end"),
            t["result"].alias("result"),
            F.create_map(F.lit("sentence"), i.cast("string")).alias("metadata"),
            F.array().cast("array<float>").alias("embeddings"),
        ),
    )
    metadata = df.schema[detected_col].metadata
    return df.withColumn(output_col, annotations.alias(output_col, metadata=metadata)).drop("_sbd_starts")


class NewsSentenceMarker(Transformer):
    """Pipeline stage: requires ``text_col``; adds :data:`DETECTOR_TEXT_COL`."""

    def __init__(self, text_col: str = "clean_text"):
        super().__init__()
        self.text_col = text_col

    def _transform(self, dataset: DataFrame) -> DataFrame:
        return dataset.withColumn(DETECTOR_TEXT_COL, sentence_marked_text(F.col(self.text_col)))


class SentenceSpans(Transformer):
    """Pipeline stage: requires ``text_col`` and the detector's :data:`RAW_SENTENCE_COL`; adds
    ``output_col`` (Spark NLP ``document`` annotations over ``text_col``) and drops the helpers."""

    def __init__(self, text_col: str = "clean_text", output_col: str = "sentence"):
        super().__init__()
        self.text_col = text_col
        self.output_col = output_col

    def _transform(self, dataset: DataFrame) -> DataFrame:
        return with_sentence_spans(dataset, self.text_col, RAW_SENTENCE_COL, self.output_col) \
            .drop(DETECTOR_TEXT_COL, RAW_SENTENCE_COL, "_sbd_document")


def sentence_stages(text_col: str = "clean_text", extra_bounds: Sequence[str] = ()) -> List[object]:
    """The sentence part of the pipeline: requires ``text_col``; adds ``sentence``."""
    document = (DocumentAssembler().setInputCol(DETECTOR_TEXT_COL).setOutputCol("_sbd_document")
                .setCleanupMode("disabled"))
    detector = (
        SentenceDetector().setInputCols(["_sbd_document"]).setOutputCol(RAW_SENTENCE_COL)
        .setCustomBounds([BOUND, *[b for b in extra_bounds if b]]).setUseCustomBoundsOnly(True)
        .setCustomBoundsStrategy("none").setDetectLists(False).setUseAbbreviations(True)
        .setExplodeSentences(False).setMinLength(1).setMaxLength(5000)
    )
    return [NewsSentenceMarker(text_col), document, detector, SentenceSpans(text_col, "sentence")]


TICKER_RULES = ("cashtag", "exchange", "bare")
"""Identifiers of the ticker rules in ``rule_chunk``."""
COREFERENCE_RULE = "coref"
BLOCKER_RULES = ("company", "country")
"""Identifiers of the look-alike blocker rules (see ``nlp.linking.blocker_rules``)."""


def ticker_rules(exchanges: Iterable[str]) -> List[str]:
    """RegexMatcher rules (``regex~kind``) for ticker forms: ``$TSLA``, ``NASDAQ: TSLA`` and bare
    all-capital symbols of 2-5 letters (kept only with market context, see ``nlp.linking``)."""
    names = "|".join(sorted({e for e in exchanges if e}, key=lambda e: (-len(e), e)))
    return [
        r"(?<![\w$])\$[A-Z][A-Z0-9]{0,5}(?:\.[A-Z])?(?![\w])~cashtag",
        r"(?<![\w])(?:" + names + r")\s?:\s?[A-Z0-9][A-Z0-9.\-]{0,7}(?<![.\-])~exchange",
        r"(?<![\w$.&\-])[A-Z]{2,5}(?![\w&]|\.[A-Za-z]|-[A-Za-z])~bare",
    ]


def coreference_rule(heads: Iterable[str], modifiers: Iterable[str]) -> str:
    """RegexMatcher rule for definite descriptions of a company: "the company", "the carmaker",
    "The Shanghai-based carmaker", "the iPhone maker", "the social media company"."""
    head = "|".join(sorted({h for h in heads if h}, key=lambda h: (-len(h), h)))
    mods = "|".join(sorted({m for m in modifiers if m}, key=lambda m: (-len(m), m)))
    modifier = (r"(?:[A-Z][\w.&’'-]*-based|U\.S\.-based|[A-Z][a-zA-Z]+(?:[ -][A-Z][a-zA-Z]+)?"
                + (r"|" + mods if mods else "") + r")")
    maker = r"(?:[A-Za-z][\w-]*\s)?(?:[A-Za-z][\w-]*\s)?maker"
    return r"\b[Tt]he\s(?:" + modifier + r"\s){0,2}(?:" + head + "|" + maker + r")\b(?!-)~coref"


def news_tokenizer(input_col: str = "sentence") -> Tokenizer:
    """The tokenizer of the pipeline (also used to tokenize gazetteer phrases the same way)."""
    return (Tokenizer().setInputCols([input_col]).setOutputCol("token")
            .setSplitChars(SPLIT_CHARS).setContextChars(CONTEXT_CHARS))


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
    text_col: str = "clean_text",
    paragraph_bounds: Sequence[str] = (),
    exchanges: Sequence[str] = ("NASDAQ", "Nasdaq", "NYSE"),
    coreference_heads: Sequence[str] = ("company",),
    coreference_modifiers: Sequence[str] = (),
    blocker_rules: Sequence[str] = (),
) -> Pipeline:
    """Requires ``text_col``; adds ``sentence`` (spans of ``text_col``), ``token``,
    ``company_chunk``, ``country_chunk`` (TextMatcher, case-sensitive, longest match) and
    ``rule_chunk`` (one RegexMatcher for the ticker, coreference and blocker rules; the rule's
    name in the ``identifier`` metadata, see :data:`TICKER_RULES`, :data:`COREFERENCE_RULE`
    and :data:`BLOCKER_RULES`). Chunks carry their sentence index in ``sentence`` metadata and
    offsets in ``text_col``."""
    bounds = [b for b in paragraph_bounds if b and b != "\n\n"]
    companies = (
        TextMatcher().setInputCols(["sentence", "token"]).setOutputCol("company_chunk")
        .setEntities(company_phrases_path).setCaseSensitive(True).setEntityValue("company")
        .setBuildFromTokens(True).setMergeOverlapping(True)
    )
    countries = (
        TextMatcher().setInputCols(["sentence", "token"]).setOutputCol("country_chunk")
        .setEntities(country_phrases_path).setCaseSensitive(True).setEntityValue("country")
        .setBuildFromTokens(True).setMergeOverlapping(True)
    )

    # One matcher for all regex rules: each annotator pass converts every row's sentences to
    # Scala objects and back, which cost more than the matching itself. MATCH_ALL applies each
    # rule on its own, so a rule's matches are what they would be in a matcher of its own.
    rules = (RegexMatcher().setInputCols(["sentence"]).setOutputCol("rule_chunk")
             .setRules([*ticker_rules(exchanges), coreference_rule(coreference_heads, coreference_modifiers),
                        *blocker_rules])
             .setDelimiter("~").setStrategy("MATCH_ALL"))
    return Pipeline(stages=[*sentence_stages(text_col, bounds), news_tokenizer(), companies, countries, rules])
