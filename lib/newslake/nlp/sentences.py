"""News sentence boundaries: clean article text -> one row per sentence.

Two steps, both exact about offsets:

* :func:`sentence_marked_text` (Spark SQL, Java regexes) rewrites ``clean_text`` into a *marked
  text* of exactly the same length: full stops that must not end a sentence (``U.S. Treasury``,
  ``Inc. said``, ``Jan. 15``, ``p. 55``, ``J.P. Morgan``, ``e.g.``, ``9:30 a.m. ET``, ``At 5 a.m.
  Mr. Smith``, dots in bullet items, spaced ellipses ``. . .`` and ``[...]``, URLs and numbers)
  become :data:`PROTECT`, and whitespace where a sentence must end (blank lines, bullet lines,
  inline list items ``1.) ... 2.) ...``, ``Corp. Her``, ``in the U.S. Sales``, ``unit.)
  Margins``, ``decade… Then``, and every sentence-final mark left after that) becomes
  :data:`BOUND`.
* :func:`split_sentences` (a vectorised Python step over Arrow batches) cuts the text at the
  bounds: :func:`sentence_spans` gives each sentence's ``char_begin``/``char_end`` (inclusive)
  in ``clean_text`` and its text, trimmed; closing quotes and brackets left at the start of a
  piece go back to the sentence they close.

Until 2026-12 the cut was Spark NLP's ``SentenceDetector`` set to split at :data:`BOUND` only
(its own Pragmatic rules cost three times the pre-pass and, with the news cases decided before,
only ever disagreed for the worse), plus a Spark SQL post-pass that mapped its sentences back
to ``clean_text``. Those two cost ten times the cut here, for the same rows: every sentence
of a 9,791-article benchmark corpus is identical. :func:`sentence_spans` keeps the detector's
rules: pieces trimmed like Java's ``String.trim``, pieces longer than :data:`MAX_SENTENCE_CHARS`
dropped (their text joins the sentence before), empty pieces dropped.

Offsets agree between the JVM (UTF-16 units), Spark SQL and Python (code points) because
``silver.clean`` drops the few characters outside the Basic Multilingual Plane (emoji).
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, List, Sequence, Tuple

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

PROTECT = "\ue001"
"""Stands for a full stop (or ``?``/``!``/``;``/``…``) that does not end a sentence."""
BOUND = "\ue000"
"""Replaces the whitespace character where a sentence must end."""

MAX_SENTENCE_CHARS = 5000
"""A piece between two bounds longer than this is no sentence (a table, a run-on list) and is
not cut out on its own: its text stays with the sentence before it."""

SENTENCE_COLS = ("sentence_index", "char_begin", "char_end", "sentence_text")

_BULLET_CHARS = "•\\-*–▪·‣◦●■□➢►⁃"
# A list item's marker: a bullet ("•", "-", "⁃"), optionally numbered ("• 9.", "⁃9."), a number
# ("1.", "1)", "1.)") or a letter ("a.", "b)"); a space or tab follows it.
_BULLET = r"(?:[" + _BULLET_CHARS + r"](?:[ \t]?\d{1,2}[.)])?|\d{1,2}\.?\)|\d{1,2}\.|[a-z][.)])"
# The same after the markers' full stops are protected ("1." -> "1" + PROTECT).
_BULLET_MARKED = (
    r"(?:[" + _BULLET_CHARS + r"](?:[ \t]?\d{1,2}[.)\ue001])?|\d{1,2}[.\ue001]?\)|\d{1,2}[.\ue001]|"
    r"[a-z][.)\ue001])"
)
# A marker that starts another item on the same line ("1.) The first item 2.) The second item"):
# not the bullets that double as dashes ("-", "–", "*", "·"), and a letter only before a capital.
_INLINE_MARKED = (
    r"(?:[•▪‣◦●■□➢►⁃](?:[ \t]?\d{1,2}[.)\ue001])?|\d{1,2}[.\ue001]?\)|\d{1,2}[.\ue001]|"
    r"[a-z][.)\ue001](?=[ \t]+[A-Z]))[ \t]"
)
_CLOSERS = "”’\"')\\]"
_ATTRIBUTION_VERBS = (
    "said|says|asked|asks|added|adds|told|tells|wrote|writes|noted|notes|explained|argued|insisted|"
    "replied|warned|continued|recalled|joked|tweeted|posted|cautioned|conceded|admitted|acknowledged"
)
# Abbreviations that never end a sentence (titles, "vs.", "est."): their full stop is protected.
_NEVER_FINAL = (
    "Mr|Mrs|Ms|Messrs|Mmes|Dr|Prof|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Capt|Sgt|Adm|Rev|Hon|"
    "Supt|Gens|vs|v|cf|approx|est|Fig|Figs|Vol|Vols|Art|Arts|Ch|Pp|pp"
)
# Abbreviations that end a sentence when a capitalised word follows (company suffixes, "Jr.",
# US states): the whitespace after them becomes a bound, unless another suffix follows.
_MAY_BE_FINAL = (
    "Inc|Corp|Co|Cos|Ltd|Bros|Jr|Sr|Plc|Mfg|Intl|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|"
    "Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|"
    "Wash|Wis|Wyo"
)
_SUFFIX_NEXT = r"(?:Ltd|Inc|Corp|Co|LLC|LLP|Limited|AG|SA|S\.A|NV|N\.V|plc|PLC|Plc|SE|GmbH|KGaA|Holdings)\b"
_MONTHS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
# A spaced ellipsis that opens a sentence: ". . . The".
_ELLIPSIS_OPENS = r"[ \t]\.[ \t]\.[ \t]\.[ \t]+[A-Z“\"‘'(]"
# Abbreviations that never end a sentence before a number ("No. 2", "turn to p. 55", "N°. 1026").
_BEFORE_NUMBERS = "No|Nos|N°|Nº|no|nos|Sec|Secs|sec|secs|Para|Paras|para|paras|p|pp|fig|figs|vol|vols|ch|art|pg"
_TIME_ZONES = "ET|EST|EDT|CT|CST|CDT|PT|PST|PDT|MT|MST|GMT|BST|CET|CEST|UTC|JST|HKT|SGT|IST|AEST|AEDT"
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# Capitalised words that go on after a time ("5 p.m. ET", "5 p.m. Friday", "10 A.M. Local time",
# "7.30 A.M. To 12 noon" in old wire copy).
_AFTER_TIME = (
    r"(?:(?:" + _TIME_ZONES + r")\b|(?:" + _WEEKDAYS + r")(?![\w’'])|[A-Z][a-z]+\s+time\b|"
    r"(?:To|Until|Till|Through)\s+(?:\d|noon|midnight))"
)
# "At 5 a.m. Mr. Smith went": a time that opens its sentence is not that sentence's end.
_OPENING_TIME = (
    r"(?:^|[.?!…][" + "”’\"')\\]" + r"]{0,3}\s|[\n\ue000])(?:At|By|Before|After|Until|Till|From|Around|"
    r"About|Since)\s\d{1,2}(?:[:.]\d\d)?\s?[aApP]\.[mM]\."
)
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
_US_NOUN_BEFORE = (
    "the|in|to|from|of|across|into|at|for|on|by|over|than|and|throughout|outside|"
    "inside|within|around|toward|towards|beyond|via"
)
_STARTS = '[A-Z“"‘(]'
_ATTRIBUTION = r"(?:[A-Z][\w’'.-]*\s+){1,3}(?:" + _ATTRIBUTION_VERBS + r")\b"


def _rules() -> List[Tuple[str, str]]:
    """The pre-pass as ordered (Java regex, replacement) pairs; each keeps the text's length."""
    p, b = PROTECT, BOUND
    # Each rule starts with the character it replaces, then checks what follows (cheap, and
    # false at most positions), and only then looks behind: Java tries a pattern at every
    # position of the text, and a leading lookbehind (up to 1,000 characters for bullet items)
    # made the pre-pass cost more than the rest of enrich together.
    return [
        # Bullet items are sentences of their own: nothing inside an item ends it; the line break
        # before and after an item is a bound. A blank line always ends a sentence. The first
        # rule matches from an item's start to its first mark, then (\G) from there to the next
        # mark of the same line; a lookbehind to the line's start from every mark cost a fifth
        # of the whole pre-pass.
        (r"(?m)((?:^[ \t]{0,8}" + _BULLET + r"[ \t]|\G(?<=[.?!;…]))[^\n.?!;…]*)[.?!;…]", "$1" + p),
        (r"(?m)^([ \t]{0,8}(?:[" + _BULLET_CHARS + r"][ \t]?)?(?:\d{1,2}|[a-z]))\.(?=\)?[ \t])", "$1" + p),
        (r"\n(?=[ \t]*\n)", b),
        # The line break after an item is a bound, and so is the space before another item on
        # the item's line ("1. The first item 2. The second item", "a. ... b. ...", "• 9. ...
        # • 10. ..."): from the line's first marker (\G: then from the item before) to either.
        (
            r"(?m)((?:\G(?<=[ \t])|^[ \t]{0,8}"
            + _BULLET_MARKED
            + r"[ \t])[^\n]*?)(?:\n|(?<![•▪‣◦●■□➢►⁃])[ \t](?="
            + _INLINE_MARKED
            + "))",
            "$1" + b,
        ),
        (r"\n(?=[ \t]{0,8}" + _BULLET_MARKED + r"[ \t])", b),
        # Full stops that end no sentence, in one pass (rules that replace the same character
        # share a pass, with that character first and the alternatives after it: a pass costs
        # about as much as its cheapest rule alone, and the pre-pass about as much as its
        # number of passes):
        # - abbreviations that never end a sentence; "No. 2", "p. 55", "Jan. 15", "St. Paul";
        # - "[...]" and spaced ellipses: of ". . ." no dot ends a sentence ("the thing is . . .
        #   I didn't"), of ". . . ." only the last ("with a period . . . . Next"), unless the
        #   first is a word's full stop and a capital follows: then that full stop ends the
        #   sentence and the ellipsis opens the next ("compounds. . . . The practice");
        # - e.g., i.e.; a.m./p.m. before a time zone or a weekday ("5 p.m. Friday") or at the
        #   end of a time that opens the sentence ("At 5 a.m. Mr. Smith went");
        # - "U.S." / "U.K." / "U.N." / "E.U." when a name continues ("U.S. Treasury").
        (
            r"\.(?:(?=\s)(?<=(?<![\w.])(?:" + _NEVER_FINAL + r")\.)"
            r"|(?=[ \t][.\ue001])(?!(?<=\w\.)" + _ELLIPSIS_OPENS + ")"
            r"|(?![ \t]?[.\ue001])(?<=(?:(?<![.\ue001][ \t]?)|(?<=\w\.[ \t]))\.[ \t]\.[ \t]\.)|(?=\.{0,2}\])(?<=\[\.{1,3})"
            r"|(?=\s*\d)(?<=(?<![\w.])(?:" + _BEFORE_NUMBERS + "|" + _MONTHS + r")\.)"
            r"|(?=\s+[A-Z])(?<=(?<!\b[A-Z][a-z]{1,20} )(?<![\w.])(?:St|Ste|Mt|Ft)\.)"
            r"|(?<=\b[eE]\.[gG]\.|\b[iI]\.[eE]\.)"
            r"|(?=\s+[A-Z])(?<=(?<![\w.])[aApP]\.[mM]\.)(?:(?=\s+" + _AFTER_TIME + ")|(?<=" + _OPENING_TIME + "))"
            r"|(?=\s+(?:" + _US_CONTINUATIONS + r")\b)(?<=\b(?:U\.S|U\.K|U\.N|E\.U)\.))",
            p,
        ),
        # a.m./p.m. before any other capital end the sentence ("at 6 P.M. Mr. Smith then went"),
        # and so does "U.S." as a noun after a preposition or "the" ("in the U.S. Sales rose").
        (
            r"\s(?="
            + _STARTS
            + r")(?<=(?<![\w.])[aApP]\.[mM]\.\s|\b(?:"
            + _US_NOUN_BEFORE
            + r") (?:U\.S|U\.K|U\.N|E\.U)\.\s)",
            b,
        ),
        # Before any other capital, "U.S." and other dotted capitals are initials of a name
        # ("J.P. Morgan", "A.P. Møller"), as is a single capital ("John D. Whitaker", "Albert I.
        # Jones"), but not the pronoun after a lower-case word ("you and I. Did"); a company
        # suffix before another ("Co. Ltd.") ends nothing either.
        (
            r"\.(?:(?=\s+[A-Z])(?:(?<=\b(?:U\.S|U\.K|U\.N|E\.U)\.)|(?<=(?<![\w.])[A-Z]\.[A-Z](?:\.[A-Z])?\.)"
            r"|(?=\s+[A-Z](?:[a-z]|\.))(?<=(?<![\w.])[A-Z]\.)(?<!\b[a-z][a-z’']{0,20} I\.|[,;] I\.))"
            r"|(?=\s+" + _SUFFIX_NEXT + r")(?<=(?<![\w.])(?:" + _MAY_BE_FINAL + r")\.))",
            p,
        ),
        # Company suffixes, "Jr.", state abbreviations, months and streets before a capital start
        # a new sentence, and so does an ellipsis ("for a decade… Then the pandemic hit").
        (
            r"\s(?="
            + _STARTS
            + r")(?<=(?<![\w.])(?:"
            + _MAY_BE_FINAL
            + "|"
            + _MONTHS
            + r"|St|Ave|Blvd|Rd)\.\s|(?:\.\.\.|…)\s)",
            b,
        ),
        # Generic: a full stop inside a token (numbers, domains, "U.S"), or followed by a
        # lower-case word, a comma or a dash, ends nothing; nor does "?"/"!" before "she said".
        (
            r"[.…](?:(?<=\.)(?=[A-Za-z0-9])|(?=[.…]*(?:[" + _CLOSERS + r"]*\s+[a-z](?![a-z]*[A-Z])|\s*[,;:]))"
            r"|(?<=\.)(?=\s+[—–-]\s))",
            p,
        ),
        (r"[?!](?=[" + _CLOSERS + r"]*\s+[a-z](?![a-z]*[A-Z]))", p),
        # A question or exclamation followed by its attribution is one sentence ("“Why sell
        # now?” Patel asked."; after a full stop, "Analysts said ..." starts a new one);
        # any other closing quote or bracket after the end of a sentence, then a capital or an
        # opening quote, is a bound, and so is an opening quote after the end of a sentence.
        (r"[?!…](?=[" + _CLOSERS + r"]{1,3}\s+" + _ATTRIBUTION + ")", p),
        (r"\s(?=[A-Z“\"‘'(])(?<=[.?!…][" + _CLOSERS + r"]{1,3}\s)", b),
        (r"\s(?=[“\"‘'][A-Z])(?<=[.?!…]\s)", b),
        # An ellipsis's inner dots never end a sentence.
        (r"\.(?=\.)", p),
        # Whatever full stop, question or exclamation mark is left ends its sentence: the
        # whitespace after it (and after closing quotes or brackets) is a bound. A semicolon
        # never ends a sentence in news copy.
        (r"\s(?=\S)(?<=[.?!…][" + _CLOSERS + r"]{0,3}\s)", b),
    ]


def sentence_marked_text(text: Column, extra_bounds: Sequence[str] = ()) -> Column:
    """The marked text of ``text``: same length, :data:`PROTECT` for full stops that end no
    sentence, :data:`BOUND` for whitespace where one must end (see the module docstring).
    Each string of ``extra_bounds`` (``enrich.paragraph_bounds``) also ends a sentence
    wherever it occurs (its characters become bounds; the sentence before keeps them)."""
    out = F.coalesce(text, F.lit(""))
    for pattern, replacement in _rules():
        out = F.regexp_replace(out, pattern, replacement)
    for bound in extra_bounds:
        if bound and bound != "\n\n":  # a blank line is always a bound
            literal = "\\Q" + bound.replace("\\E", "\\E\\\\E\\Q") + "\\E"
            out = F.regexp_replace(out, literal, BOUND * len(bound))
    return out


_JAVA_WHITESPACE = " \t\n\x0b\x0c\r"
"""Java regex ``\\s`` (the post-pass trims with it)."""
_JAVA_TRIM = "".join(chr(code) for code in range(0x21))
"""What Java's ``String.trim`` strips (the detector trimmed pieces with it)."""
# Matched at a piece's start within the next 64 characters (the window the post-pass looked at).
_LEADING_CLOSERS = re.compile("[" + _JAVA_WHITESPACE + "]*(?:[" + _CLOSERS + "]+(?=[" + _JAVA_WHITESPACE + "]|$))?")


def sentence_spans(text: str, marked: str, max_chars: int = MAX_SENTENCE_CHARS) -> List[Tuple[int, int, str]]:
    """The sentences of ``text`` given its marked text (:func:`sentence_marked_text`): a list of
    ``(char_begin, char_end, sentence_text)``, offsets inclusive, text trimmed, none empty.

    The pieces between bounds that are neither empty nor longer than ``max_chars`` start a
    sentence; each sentence runs to the next one's start, so it keeps the text of a dropped
    long piece after it. Closing quotes or brackets that open a piece and are followed by
    whitespace close the sentence before."""
    starts: List[int] = []
    offset = 0
    for piece in marked.split(BOUND):
        content = piece.strip(_JAVA_TRIM)
        if 0 < len(content) <= max_chars:
            begin = offset + len(piece) - len(piece.lstrip(_JAVA_TRIM))
            starts.append(begin + _LEADING_CLOSERS.match(text, begin, begin + 64).end() - begin)
        offset += len(piece) + 1
    spans: List[Tuple[int, int, str]] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        segment = text[start:end]
        sentence = segment.strip(_JAVA_WHITESPACE)
        if sentence:
            begin = start + len(segment) - len(segment.lstrip(_JAVA_WHITESPACE))
            spans.append((begin, begin + len(sentence) - 1, sentence))
    return spans


def _sentence_batches(batches: Iterable, id_col: str, max_chars: int) -> Iterator:
    """``mapInArrow`` body: batches of ``id_col, text, marked`` -> one row per sentence."""
    import pyarrow as pa

    schema = pa.schema(
        [
            (id_col, pa.string()),
            ("sentence_index", pa.int32()),
            ("char_begin", pa.int32()),
            ("char_end", pa.int32()),
            ("sentence_text", pa.string()),
        ]
    )
    for batch in batches:
        ids, index, begins, ends, texts = [], [], [], [], []
        for key, text, marked in zip(*(column.to_pylist() for column in batch.columns)):
            for i, (begin, end, sentence) in enumerate(sentence_spans(text or "", marked or "", max_chars)):
                ids.append(key)
                index.append(i)
                begins.append(begin)
                ends.append(end)
                texts.append(sentence)
        yield pa.RecordBatch.from_arrays(
            [
                pa.array(ids, pa.string()),
                pa.array(index, pa.int32()),
                pa.array(begins, pa.int32()),
                pa.array(ends, pa.int32()),
                pa.array(texts, pa.string()),
            ],
            schema=schema,
        )


def split_sentences(
    df: DataFrame,
    id_col: str = "article_id",
    text_col: str = "clean_text",
    extra_bounds: Sequence[str] = (),
    max_chars: int = MAX_SENTENCE_CHARS,
) -> DataFrame:
    """Requires ``id_col`` (string) and ``text_col``; one row per sentence: ``id_col``,
    ``sentence_index`` (0-based, in text order), ``char_begin``, ``char_end`` (inclusive
    offsets in ``text_col``) and ``sentence_text``. A text without sentences gives no row."""
    marked = df.select(
        F.col(id_col).cast("string").alias(id_col),
        F.col(text_col).alias("_text"),
        sentence_marked_text(F.col(text_col), extra_bounds).alias("_marked"),
    )
    schema = f"`{id_col}` string, sentence_index int, char_begin int, char_end int, sentence_text string"
    return marked.mapInArrow(lambda batches: _sentence_batches(batches, id_col, max_chars), schema)
