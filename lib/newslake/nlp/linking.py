"""Company and country linking: the annotation pipeline's matches -> linked mentions.

Every function is a ``DataFrame -> DataFrame`` transformation over the exploded chunks of
:func:`newslake.nlp.pipeline.build_annotation_pipeline` and the small gazetteer tables of
:mod:`newslake.nlp.gazetteer` (broadcast). The rules, in order:

Companies (``link_method``: ``alias``, ``ticker`` or ``coreference``)

1. *Matches*: case-sensitive aliases and their plurals (``Tesla``, ``Tesla’s`` -> ``Tesla``,
   ``Teslas``, ``BYDs``), cashtags (``$TSLA``), exchange-prefixed tickers (``NASDAQ: TSLA``),
   Reuters instrument codes in brackets (``( BAC.N )``, ``(7203.T)``, ``<JNJ.N>``) and
   bare all-capital symbols of a US listing with market words in the sentence (``TSLA fell
   4%``), never an ordinary abbreviation (``enrich.bare_ticker_stoplist``).
2. *Look-alikes*: a match inside a blocker match (``Harrison Ford``, ``the Big Apple``, ``Amazon
   rainforest``; ``enrich.company_blockers``) is dropped; of overlapping matches the longest
   wins (``NASDAQ: AAPL`` over ``Nasdaq``).
3. *Ambiguous names* (``requires_context`` in the gazetteer: Apple, Shell, Target, Meta, Lotus,
   Ford ...) count when confirmed: by a context word in the sentence, by a company signal right
   after or before the name (``Apple said``, ``Ford's shares``, ``a former Apple engineer``,
   ``shares of Apple``), by another confirmed mention of the company in the article, or by a
   context word elsewhere in the article unless the name opens its sentence before a copula
   (``Meta is a prefix ...``).
4. *Coreference*: a definite description (``the company``, ``the automaker``, ``The
   Shanghai-based carmaker``, ``the iPhone maker``) is a mention of the most recent company when
   that company is the only one named so far in the article and its sector fits the head noun.

Countries: names, short forms and demonyms (``U.S.``, ``U.S.-based``, ``Britain``, ``Chinese``)
except inside a blocker match (``North American``, ``New Mexico``) or a company name (``Saudi
Aramco``), or where the article's context shows a look-alike (``Georgia`` with Atlanta, ``Turkey``
at Thanksgiving; ``enrich.country_context_blockers``). Capitals only with
``enrich.capitals_as_metonyms`` and only as the subject of a government verb (``Beijing said``).
Organisations that imply a country (``conf/gazetteer/organisations.csv``: ``the Bundesbank``,
``the Fed``) count as that country; those of none (OPEC, the IMF) hide the country words in
their names (``Inter-American``). A wire dateline opening a sentence (``TOKYO, March 3 -``,
``NEW YORK (Reuters) -``) gives its place's country (``conf/gazetteer/places.csv``).
"""

from __future__ import annotations

import re
from typing import Callable, List, Mapping, Optional, Sequence

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from newslake.nlp.gazetteer import KEY_REGEX, RIC_EXCHANGE
from newslake.nlp.pipeline import DATELINE_REGEX

MENTION_COLS = (
    "article_id",
    "sentence_index",
    "company_id",
    "company",
    "matched_text",
    "char_begin",
    "char_end",
    "link_method",
)
COUNTRY_COLS = ("article_id", "sentence_index", "country", "matched_text", "char_begin", "char_end")

# Exchange names as written in text -> the gazetteer's exchange codes.
EXCHANGE_CODES = {
    "LON": "LSE",
    "ETR": "XETRA",
    "FRA": "XETRA",
    "TYO": "TSE",
    "HKG": "HKEX",
    "KOSPI": "KRX",
    "OTCMKTS": "OTC",
    "NYSE AMERICAN": "NYSE",
    "NYSE ARCA": "NYSE",
    "AMEX": "NYSE",
}


CHUNK_COLS = (
    "article_id",
    "sentence_index",
    "matched_text",
    "char_begin",
    "char_end",
    "rule",
    "sentence_begin",
    "sentence_text",
)


def explode_chunks(annotated: DataFrame, chunk_col: str) -> DataFrame:
    """Requires the annotated sentence rows (``article_id, sentence_index, char_begin,
    sentence_text`` and ``chunk_col``); one row per chunk with ``sentence_index,
    matched_text, char_begin, char_end`` (offsets in the article's ``clean_text``), ``rule`` (the
    RegexMatcher identifier, null for TextMatcher chunks), ``sentence_begin`` and
    ``sentence_text``."""
    sentence_begin = F.col("char_begin")
    return annotated.select(
        "article_id",
        "sentence_index",
        sentence_begin.alias("sentence_begin"),
        "sentence_text",
        F.explode(chunk_col).alias("c"),
    ).select(
        "article_id",
        "sentence_index",
        F.col("c.result").alias("matched_text"),
        (F.col("sentence_begin") + F.col("c.begin")).cast("int").alias("char_begin"),
        (F.col("sentence_begin") + F.col("c.end")).cast("int").alias("char_end"),
        F.col("c.metadata").getItem("identifier").alias("rule"),
        F.col("sentence_begin").cast("int").alias("sentence_begin"),
        "sentence_text",
    )


def with_article_text(df: DataFrame, texts: DataFrame) -> DataFrame:
    """Adds the article's ``clean_text`` (``texts``: ``article_id, clean_text``). Linking
    calls it only for the few mentions whose rule reads beyond their sentence, and drops the
    text right after: carried along every chunk, it multiplied what every join moved."""
    return df.join(texts.select("article_id", "clean_text"), "article_id")


def with_key(df: DataFrame, text_col: str = "matched_text") -> DataFrame:
    """Adds ``key``: the letters and digits of ``text_col`` (see ``gazetteer.alias_key``)."""
    return df.withColumn("key", F.regexp_replace(F.col(text_col), KEY_REGEX, ""))


def _other(df: DataFrame, *extra: str) -> DataFrame:
    """``article_id, char_begin, char_end`` (+ ``extra``) renamed with a ``_o_`` prefix, so a
    frame can be joined with itself."""
    return df.select(*[F.col(c).alias("_o_" + c) for c in ("article_id", "char_begin", "char_end", *extra)])


def _overlaps_other(df: DataFrame) -> Column:
    return (
        (df["article_id"] == F.col("_o_article_id"))
        & (df["char_begin"] <= F.col("_o_char_end"))
        & (F.col("_o_char_begin") <= df["char_end"])
    )


def drop_blocked(matches: DataFrame, blockers: DataFrame) -> DataFrame:
    """Matches that overlap no span of ``blockers`` (``article_id, char_begin, char_end``)."""
    return matches.join(_other(blockers), _overlaps_other(matches), "left_anti")


def keep_longest(mentions: DataFrame, priority_col: str = "priority") -> DataFrame:
    """Of mentions whose spans overlap within an article, keep the longest (then the lowest
    ``priority_col``, then the earliest)."""
    other = _other(mentions, priority_col)
    length = mentions["char_end"] - mentions["char_begin"]
    other_length = F.col("_o_char_end") - F.col("_o_char_begin")
    other_priority = F.col("_o_" + priority_col)
    beaten = (
        (other_length > length)
        | ((other_length == length) & (other_priority < mentions[priority_col]))
        | (
            (other_length == length)
            & (other_priority == mentions[priority_col])
            & (F.col("_o_char_begin") < mentions["char_begin"])
        )
    )
    return mentions.join(other, _overlaps_other(mentions) & beaten, "left_anti")


def alias_candidates(company_chunks: DataFrame, aliases: DataFrame) -> DataFrame:
    """Requires ``company_chunks`` (exploded); adds ``company_id``, ``form`` and ``link_method``
    ``alias`` for each chunk whose key is a gazetteer alias."""
    return (
        with_key(company_chunks)
        .join(F.broadcast(aliases.select("key", "company_id", "form")), "key")
        .drop("key")
        .withColumn("link_method", F.lit("alias"))
    )


def _exchange_code(raw: Column) -> Column:
    upper = F.upper(F.trim(raw))
    mapping = F.create_map(*[F.lit(x) for kv in EXCHANGE_CODES.items() for x in kv])
    return F.coalesce(F.element_at(mapping, upper), upper)


def ticker_candidates(
    ticker_chunks: DataFrame,
    tickers: DataFrame,
    bare_context: str,
    stoplist: Sequence[str],
    valid: Callable[[DataFrame], DataFrame] = lambda df: df,
) -> DataFrame:
    """Requires exploded ``ticker_chunks`` (``rule``: cashtag, exchange, bare or ric); one
    candidate per chunk with ``company_id``, ``form`` = the rule and ``link_method`` ``ticker``.
    A RIC is looked up among the RICs of the ticker table (exchange ``RIC``), every other form
    among the listings. A symbol listed by several companies goes to the listing on the named
    exchange, else a US listing, else the first id, among the listings that ``valid`` keeps
    (:func:`within_validity`: a symbol reused after a company's end goes to the right one)."""
    chunks = ticker_chunks.withColumn(
        "symbol",
        F.when(F.col("rule") == "cashtag", F.expr("substring(matched_text, 2)"))
        .when(F.col("rule") == "exchange", F.trim(F.regexp_extract("matched_text", r":\s*(\S+)$", 1)))
        .otherwise(F.trim(F.col("matched_text"))),
    ).withColumn(
        "named_exchange",
        F.when(F.col("rule") == "exchange", _exchange_code(F.regexp_extract("matched_text", r"^(.*?)\s*:", 1))).when(
            F.col("rule") == "ric", F.lit(RIC_EXCHANGE)
        ),
    )
    bare = F.col("rule") == "bare"
    chunks = chunks.filter(
        ~bare
        | (~F.col("symbol").isin(list(stoplist)) & F.coalesce(F.col("sentence_text").rlike(bare_context), F.lit(False)))
    )
    joined = valid(
        chunks.join(F.broadcast(tickers), "symbol").filter(
            (~bare | F.col("us_listing")) & ((F.col("rule") == "ric") == (F.col("exchange") == RIC_EXCHANGE))
        )
    )
    rank = Window.partitionBy("article_id", "char_begin", "char_end").orderBy(
        F.desc(F.coalesce(F.col("exchange") == F.col("named_exchange"), F.lit(False))),
        F.desc("us_listing"),
        "company_id",
    )
    return (
        joined.withColumn("_r", F.row_number().over(rank))
        .filter("_r = 1")
        .select(*CHUNK_COLS, "company_id", F.col("rule").alias("form"), F.lit("ticker").alias("link_method"))
    )


def within_validity(candidates: DataFrame, companies: DataFrame, dates: DataFrame) -> DataFrame:
    """Requires ``candidates`` (with ``company_id``), ``companies`` (``company_id, valid_from,
    valid_to``) and ``dates`` (``article_id, published_date``). Drops a candidate of a company
    with a validity window (a user's universe: Lehman Brothers until 2012) unless its article
    was published inside that window; an article without a date is inside none."""
    windows = F.broadcast(
        companies.select("company_id", "valid_from", "valid_to").filter(
            F.col("valid_from").isNotNull() | F.col("valid_to").isNotNull()
        )
    )
    flagged = candidates.join(windows, "company_id", "left")
    dated = F.col("valid_from").isNotNull() | F.col("valid_to").isNotNull()
    undated = flagged.filter(~dated).drop("valid_from", "valid_to")
    inside = (
        flagged.filter(dated)
        .join(dates, "article_id")
        .filter(
            (F.col("published_date") >= F.coalesce("valid_from", F.col("published_date")))
            & (F.col("published_date") <= F.coalesce("valid_to", F.col("published_date")))
        )
        .drop("valid_from", "valid_to", "published_date")
    )
    return undated.unionByName(inside)


def confirm_companies(
    candidates: DataFrame,
    companies: DataFrame,
    texts: DataFrame,
    signal_after: str,
    signal_before: str,
    weak_start: str,
) -> DataFrame:
    """Requires ``candidates`` (alias and ticker candidates with their chunk context),
    ``companies`` (gazetteer: ``company_id, company, requires_context, context_regex``) and
    ``texts`` (``article_id, clean_text``). Keeps unambiguous companies and confirmed ambiguous
    ones (rule 3 of the module docstring); the result has :data:`MENTION_COLS`."""
    df = candidates.join(
        F.broadcast(companies.select("company_id", "company", "requires_context", "context_regex")), "company_id"
    )
    plain = df.filter(~F.col("requires_context")).select(*MENTION_COLS)
    ambiguous = with_article_text(df.filter(F.col("requires_context")), texts)
    has_regex = F.col("context_regex").isNotNull()
    after = F.expr("substring(clean_text, char_end + 2, 60)")
    before = F.expr("substring(clean_text, greatest(char_begin - 39, 1), least(char_begin, 40))")
    in_sentence = has_regex & F.expr("coalesce(sentence_text rlike context_regex, false)")
    in_article = has_regex & F.expr("coalesce(clean_text rlike context_regex, false)")
    signal = after.rlike(signal_after) | before.rlike(signal_before)
    weak = (F.col("char_begin") == F.col("sentence_begin")) & after.rlike(weak_start)
    ambiguous = ambiguous.select(
        *MENTION_COLS,
        ((F.col("link_method") == "ticker") | in_sentence | signal).alias("_local"),
        (in_article & ~weak).alias("_in_article"),
    )
    article_confirmed = F.max(F.col("_local").cast("int")).over(Window.partitionBy("article_id", "company_id")) == 1
    confirmed = (
        ambiguous.withColumn("_accepted", F.col("_local") | article_confirmed | F.col("_in_article"))
        .filter("_accepted")
        .select(*MENTION_COLS)
    )
    return plain.unionByName(confirmed)


def company_mentions(
    company_chunks: DataFrame,
    ticker_chunks: DataFrame,
    blocker_chunks: DataFrame,
    aliases: DataFrame,
    tickers: DataFrame,
    companies: DataFrame,
    texts: DataFrame,
    enrich,
    dates: Optional[DataFrame] = None,
) -> DataFrame:
    """Alias and ticker mentions (rules 1-3): :data:`MENTION_COLS`. ``texts`` holds the
    articles' ``clean_text``; ``enrich`` is the ``EnrichSettings`` (ticker and signal rules).
    ``dates`` (``article_id, published_date``) is given when some company has a validity
    window (:func:`within_validity`); without it no window is checked."""
    blockers = blocker_chunks.filter(F.col("rule") == "company")

    def valid(df: DataFrame) -> DataFrame:
        return df if dates is None else within_validity(df, companies, dates)

    candidates = valid(alias_candidates(company_chunks, aliases)).unionByName(
        ticker_candidates(ticker_chunks, tickers, enrich.bare_ticker_context, enrich.bare_ticker_stoplist, valid)
    )
    candidates = drop_blocked(candidates, blockers).withColumn(
        "priority", F.when(F.col("link_method") == "alias", 0).otherwise(1)
    )
    candidates = keep_longest(candidates).drop("priority")
    return confirm_companies(
        candidates,
        companies,
        texts,
        enrich.company_signal_after,
        enrich.company_signal_before,
        enrich.weak_sentence_start,
    )


def coreference_head_regex(heads: Mapping[str, Sequence[str]]) -> str:
    names = sorted(heads, key=lambda h: (-len(h), h))
    return r"(?i)(" + "|".join(re.escape(h) for h in names) + r")$"


def coreference_mentions(
    coref_chunks: DataFrame, mentions: DataFrame, companies: DataFrame, heads: Mapping[str, Sequence[str]]
) -> DataFrame:
    """Rule 4: requires exploded ``coref_chunks`` and the alias/ticker ``mentions``; the
    descriptions that refer to a company, as ``MENTION_COLS`` with ``link_method``
    ``coreference`` and the description as ``matched_text``."""
    head_map = {h.lower(): list(sectors) for h, sectors in heads.items()}
    head = F.lower(F.regexp_extract("matched_text", coreference_head_regex(heads), 1))
    refs = coref_chunks.withColumn("head", F.when(head != "", head).otherwise(F.lit("maker")))
    earlier = mentions.select("article_id", F.col("char_begin").alias("_m_begin"), "company_id")
    scope = (
        refs.join(earlier, (refs["article_id"] == earlier["article_id"]) & (earlier["_m_begin"] < refs["char_begin"]))
        .drop(earlier["article_id"])
        .groupBy("article_id", "sentence_index", "matched_text", "char_begin", "char_end", "head")
        .agg(F.countDistinct("company_id").alias("_n"), F.max_by("company_id", "_m_begin").alias("company_id"))
        .filter("_n = 1")
    )
    sectors = F.create_map(
        *[x for h, s in head_map.items() for x in (F.lit(h), F.array(*[F.lit(v) for v in s]).cast("array<string>"))]
    )
    fits = F.element_at(sectors, F.col("head"))
    linked = scope.join(F.broadcast(companies.select("company_id", "company", "sector")), "company_id")
    linked = linked.filter(
        F.coalesce(F.size(fits) == 0, F.lit(True)) | F.coalesce(F.array_contains(fits, F.col("sector")), F.lit(False))
    )
    linked = linked.withColumn("link_method", F.lit("coreference")).select(*MENTION_COLS)
    # A description that contains a name ("The Volkswagen Group") is that name's mention already.
    return drop_blocked(linked, mentions)


def country_mentions(
    country_chunks: DataFrame,
    blocker_chunks: DataFrame,
    country_aliases: DataFrame,
    companies_found: DataFrame,
    texts: DataFrame,
    context_blockers: Mapping[str, str],
    metonym_verbs: Sequence[str],
) -> DataFrame:
    """Country rules of the module docstring: :data:`COUNTRY_COLS`. ``texts`` holds the
    articles' ``clean_text``, read for the forms whose rule looks beyond the sentence (context
    blockers, capitals)."""
    found = with_key(country_chunks).join(F.broadcast(country_aliases.select("key", "country", "form")), "key")
    found = found.filter(F.col("country") != "")  # an organisation of no country (OPEC, the IMF)
    found = drop_blocked(found, blocker_chunks.filter(F.col("rule") == "country"))
    found = drop_blocked(found, companies_found)
    blocking = (
        F.create_map(*[F.lit(x) for kv in sorted(context_blockers.items()) for x in kv]) if context_blockers else None
    )
    needs_text = F.col("form") == "capital"
    if blocking is not None:
        needs_text = needs_text | F.element_at(blocking, F.col("matched_text")).isNotNull()
    found = found.withColumn("_needs_text", needs_text)
    plain = found.filter(~F.col("_needs_text"))
    checked = with_article_text(found.filter("_needs_text"), texts)
    if blocking is not None:
        checked = checked.withColumn("_blk_regex", F.element_at(blocking, F.col("matched_text"))).filter(
            F.col("_blk_regex").isNull() | ~F.expr("clean_text rlike _blk_regex")
        )
    verbs = "|".join(re.escape(v) for v in metonym_verbs) or "said"
    after = F.expr("substring(clean_text, char_end + 2, 40)")
    metonym = after.rlike(r"^(?:[’']s)?\s+(?:" + verbs + r")\b") & ~after.rlike(r"^(?:-based|\s+state\b)")
    checked = checked.filter((F.col("form") != "capital") | metonym)
    return plain.select(*COUNTRY_COLS).unionByName(checked.select(*COUNTRY_COLS))


def dateline_countries(dateline_chunks: DataFrame, places: DataFrame) -> DataFrame:
    """Requires exploded ``dateline_chunks`` (:data:`~newslake.nlp.pipeline.DATELINE_REGEX`
    matches) and ``places`` (``place_key, place_country``, see ``gazetteer.read_place_rows``);
    :data:`COUNTRY_COLS`, one mention per dateline whose place is known, its span the city's.
    The state, province or country after the city decides ("PORTLAND, Maine" -> US), else the
    city does ("TOKYO" -> JP; a city name shared by several countries is the most populous one's)."""

    def key(col: Column) -> Column:
        return F.lower(F.regexp_replace(col, KEY_REGEX, ""))

    city = F.regexp_extract("matched_text", DATELINE_REGEX, 1)
    region = F.regexp_extract("matched_text", DATELINE_REGEX, 2)
    df = dateline_chunks.withColumn("city", city).select(
        "article_id",
        "sentence_index",
        "city",
        F.expr("char_begin + instr(matched_text, city) - 1").cast("int").alias("char_begin"),
        key(F.col("city")).alias("_city_key"),
        key(region).alias("_region_key"),
    )
    by_city = places.select(F.col("place_key").alias("_city_key"), F.col("place_country").alias("_city_country"))
    by_region = places.select(F.col("place_key").alias("_region_key"), F.col("place_country").alias("_region_country"))
    df = df.join(F.broadcast(by_city), "_city_key", "left").join(F.broadcast(by_region), "_region_key", "left")
    return df.select(
        "article_id",
        "sentence_index",
        F.coalesce("_region_country", "_city_country").alias("country"),
        F.col("city").alias("matched_text"),
        "char_begin",
        (F.col("char_begin") + F.length("city") - 1).cast("int").alias("char_end"),
    ).filter(F.col("country").isNotNull())


def blocker_rules(company_blockers: Sequence[str], country_blockers: Sequence[str]) -> List[str]:
    """RegexMatcher rules (``regex~company`` / ``regex~country``) for the look-alike blockers."""
    for pattern in [*company_blockers, *country_blockers]:
        if "~" in pattern:
            raise ValueError(f"blocker pattern {pattern!r} must not contain '~' (the rule delimiter)")
    return [f"{p}~company" for p in company_blockers] + [f"{p}~country" for p in country_blockers]
