"""Feature SQL of the fast sentiment pipeline: financial-direction cues and entity context.

These are Spark SQL expressions over the token arrays the Spark NLP stages produce (after the
Finisher), run by a ``SQLTransformer`` stage so the saved ``PipelineModel`` carries them.
"""

from __future__ import annotations

from typing import Iterable

# Words that say a quantity moved up or down.
UP_WORDS = (
    "rise rises rose risen rising increase increased increases increasing grew grow grows "
    "growing up higher high improve improved improves improving improvement gain gained gains "
    "jump jumped jumps climb climbed climbs surge surged surges doubled tripled soar soared "
    "advance advanced strengthen strengthened expand expanded expands expansion boost boosted "
    "boosts exceed exceeded exceeds beat beats record upgrade upgraded raise raised raises "
    "rally rallied rallies recover recovered recovery rebound rebounded outperform "
    "outperformed top tops topped hike hiked widen widened more double doubles triple "
    "triples lifted lift strengthens accelerated accelerate"
).split()
DOWN_WORDS = (
    "fall falls fell fallen falling decrease decreased decreases decreasing decline declined "
    "declines declining drop dropped drops down lower low lowered weaken weakened weaker cut "
    "cuts reduce reduced reduces reduction slump slumped plunge plunged plunges tumble tumbled "
    "slip slipped slips shrink shrank shrunk narrow narrowed narrows sank sink dip dipped "
    "dips slide slid slides downgrade downgraded contract contracted crash crashed plummet "
    "plummeted less lose lost slash slashed miss missed misses shed halved trim trimmed "
    "reductions reducing cutting halt halted closes close closed closure layoff lay"
).split()
# Things investors want more of, and things they want less of.
GOOD_OBJECTS = (
    "profit profits sales revenue revenues income earnings margin margins ebit ebitda eps "
    "orders order demand dividend dividends turnover result results growth shares share stock "
    "stocks price prices volume volumes market output production deliveries cash value "
    "outlook guidance forecast rating target nifty sensex index indices gdp returns return "
    "capacity traffic customers subscribers bookings backlog jobs job personnel employees "
    "staff workforce workers people headcount"
).split()
BAD_OBJECTS = (
    "loss losses cost costs debt debts expense expenses deficit deficits unemployment "
    "layoffs writedown writedowns impairment impairments npa npas provisions provision "
    "inflation risk risks liabilities default defaults delinquencies arrears"
).split()


def _in_list(var: str, words: Iterable[str]) -> str:
    quoted = ", ".join(f"'{w}'" for w in sorted(set(words)))
    return f"{var} IN ({quoted})"


def word_classes_sql(words_col: str) -> str:
    """SQL array with one code per word: U(p), D(own), G(ood object), B(ad object) or ''."""
    return (
        f"transform({words_col}, x -> CASE "
        f"WHEN {_in_list('x', UP_WORDS)} THEN 'U' "
        f"WHEN {_in_list('x', DOWN_WORDS)} THEN 'D' "
        f"WHEN {_in_list('x', GOOD_OBJECTS)} THEN 'G' "
        f"WHEN {_in_list('x', BAD_OBJECTS)} THEN 'B' ELSE '' END)"
    )


def cue_tokens_sql(classes_col: str) -> str:
    """SQL array of cue tokens for the direction x object pairs present in the sentence.

    ``classes_col`` holds :func:`word_classes_sql`. ``cue_up_good`` and ``cue_down_bad``
    (profit rose, loss narrowed) point to positive, ``cue_down_good`` and ``cue_up_bad``
    (sales fell, costs increased) to negative.
    """
    has = {code: f"array_contains({classes_col}, '{code}')" for code in "UDGB"}
    return (
        "filter(array("
        f"CASE WHEN {has['U']} AND {has['G']} THEN 'cue_up_good' END, "
        f"CASE WHEN {has['D']} AND {has['B']} THEN 'cue_down_bad' END, "
        f"CASE WHEN {has['D']} AND {has['G']} THEN 'cue_down_good' END, "
        f"CASE WHEN {has['U']} AND {has['B']} THEN 'cue_up_bad' END"
        "), c -> c IS NOT NULL)"
    )


def context_tokens_sql(words_col: str, position_col: str, marker: str, window: int) -> str:
    """SQL array ``ctx_<word>`` for words within ``window`` tokens of the first ``marker``,
    whose 1-based position (0: absent) is in ``position_col``."""
    start = f"greatest(1, {position_col} - {window})"
    return (
        f"CASE WHEN {position_col} > 0 THEN filter(transform("
        f"slice({words_col}, {start}, {position_col} + {window} - {start} + 1), "
        f"x -> CASE WHEN x != '{marker}' THEN concat('ctx_', x) END), c -> c IS NOT NULL) "
        "ELSE array() END"
    )


def entity_copy_sql(words_col: str, position_col: str) -> str:
    """SQL array ``ent_<word>`` of every word, only for entity-marked inputs (domain copy)."""
    return f"CASE WHEN {position_col} > 0 THEN transform({words_col}, x -> concat('ent_', x)) ELSE array() END"
