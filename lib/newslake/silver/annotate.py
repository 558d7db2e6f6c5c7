"""Annotate clean article text: sentences, company mentions (alias, ticker, coreference) and
country mentions. The one code path of the enrich stage, also run by the evaluation on labeled
passages (``newslake.evaluation``), so the printed metrics measure what the stage writes.

:func:`linking_resources` is the edge: it reads the gazetteer CSVs, writes the phrase files the
``TextMatcher`` s read when the pipeline is fitted, and builds the small lookup tables.
:func:`annotate` takes articles (``article_id, clean_text``) and returns DataFrames.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Optional, Tuple

from pyspark.ml import Pipeline
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newslake.config import EnrichSettings
from newslake.nlp import gazetteer as G
from newslake.nlp import linking as L
from newslake.nlp.pipeline import (
    BLOCKER_RULES,
    COREFERENCE_RULE,
    DATELINE_RULE,
    TICKER_RULES,
    build_annotation_pipeline,
    matcher_phrases,
)
from newslake.nlp.sentences import split_sentences


@dataclass(frozen=True)
class LinkingResources:
    company_phrases: str
    country_phrases: str
    aliases: DataFrame
    companies: DataFrame
    tickers: DataFrame
    country_aliases: DataFrame
    places: DataFrame
    dated_companies: bool = False
    """Some company has a validity window (a user's universe): linking checks publication dates."""


@dataclass(frozen=True)
class Annotation:
    annotated: DataFrame
    """The pipeline's output (materialized), one row per sentence: ``article_id,
    sentence_index, char_begin, char_end, sentence_text`` and the chunk annotation columns."""
    sentences: DataFrame
    """``article_id, sentence_index, char_begin, char_end, sentence_text``."""
    companies: DataFrame
    """Company mentions: ``article_id, sentence_index, company_id, company, matched_text,
    char_begin, char_end, link_method`` (``alias``, ``ticker`` or ``coreference``)."""
    countries: DataFrame
    """Country mentions: ``article_id, sentence_index, country, matched_text, char_begin, char_end``."""
    persisted: Tuple[DataFrame, ...] = ()

    def unpersist(self) -> None:
        for frame in self.persisted:
            frame.unpersist()


@contextmanager
def linking_resources(
    spark: SparkSession, gazetteer_dir: str, enrich: EnrichSettings, universe: Optional[str] = None
) -> Iterator[LinkingResources]:
    """The gazetteer, merged with the user's universe file or folder when ``universe`` is set
    (``paths.universe``, see ``gazetteer.load_companies``), as phrase files (in a temporary
    folder that lives as long as the context) and broadcastable tables."""
    companies = G.load_companies(gazetteer_dir, universe)
    countries = G.read_countries(gazetteer_dir)
    organisations = G.read_organisations(gazetteer_dir)
    company_forms = [form for entry in companies for form in G.company_surface_forms(entry)]
    country_forms = [
        form for entry in countries for form in G.country_surface_forms(entry, enrich.capitals_as_metonyms)
    ]
    country_forms += list(G.organisation_surface_forms(organisations))
    with tempfile.TemporaryDirectory(prefix="newslake-gazetteer-") as tmp:
        yield LinkingResources(
            company_phrases=G.write_phrase_file(matcher_phrases(company_forms), os.path.join(tmp, "companies.txt")),
            country_phrases=G.write_phrase_file(matcher_phrases(country_forms), os.path.join(tmp, "countries.txt")),
            aliases=G.company_alias_frame(spark, companies),
            companies=G.company_frame(spark, companies),
            tickers=G.ticker_frame(spark, companies),
            country_aliases=G.country_alias_frame(spark, countries, enrich.capitals_as_metonyms, organisations),
            places=G.place_frame(spark, G.read_place_rows(gazetteer_dir, countries)),
            dated_companies=any(entry.dated for entry in companies),
        )


def annotation_pipeline(resources: LinkingResources, enrich: EnrichSettings) -> Pipeline:
    return build_annotation_pipeline(
        resources.company_phrases,
        resources.country_phrases,
        "sentence_text",
        exchanges=enrich.ticker_exchanges,
        coreference_heads=list(enrich.coreference_heads),
        coreference_modifiers=enrich.coreference_modifiers,
        blocker_rules=L.blocker_rules(enrich.company_blockers, enrich.country_blockers),
    )


Materialize = Callable[[DataFrame, str], DataFrame]
"""Takes a frame and a name for it; returns an equal frame that is computed once."""


def persist_frame(df: DataFrame, name: str) -> DataFrame:
    """The default :data:`Materialize`: the frame, persisted (``name`` is unused)."""
    return df.persist()


ANNOTATED_COLS = (
    "article_id",
    "sentence_index",
    "char_begin",
    "char_end",
    "sentence_text",
    "company_chunk",
    "country_chunk",
    "rule_chunk",
)


def annotate(
    articles: DataFrame,
    resources: LinkingResources,
    enrich: EnrichSettings,
    partitions: Optional[int] = None,
    materialize: Materialize = persist_frame,
) -> Annotation:
    """Requires ``article_id, clean_text`` (and ``published_at`` for a universe with validity
    windows); the sentences and linked mentions of every article.

    The articles are hash-partitioned by ``article_id`` (``partitions``, default the session's
    shuffle partitions) and cut into sentences (``nlp.sentences``); the Spark NLP pipeline
    then annotates each sentence. The annotated sentences and the company mentions (before and
    after coreference) go through ``materialize`` (default: persisted; call
    :meth:`Annotation.unpersist` when done). The enrich stage stages them as files instead
    (see ``silver.stage``), which also cuts their query plans short. Linking reads the
    articles' ``clean_text`` only for the few mentions whose rule looks beyond the sentence."""
    base = articles.select("article_id", "clean_text")
    base = base.repartition(partitions, "article_id") if partitions else base.repartition("article_id")
    sentence_rows = split_sentences(base, extra_bounds=enrich.paragraph_bounds)
    model = annotation_pipeline(resources, enrich).fit(sentence_rows)
    annotated = materialize(model.transform(sentence_rows).select(*ANNOTATED_COLS), "annotated")
    sentences = annotated.select("article_id", "sentence_index", "char_begin", "char_end", "sentence_text")
    texts = articles.select("article_id", "clean_text")
    # Publication dates only matter to companies with a validity window (a user's universe).
    dates = None
    if resources.dated_companies:
        published = F.to_date("published_at") if "published_at" in articles.columns else F.lit(None).cast("date")
        dates = articles.select("article_id", published.alias("published_date"))
    rule_chunks = L.explode_chunks(annotated, "rule_chunk")
    blockers = rule_chunks.filter(F.col("rule").isin(*BLOCKER_RULES))
    tickers = rule_chunks.filter(F.col("rule").isin(*TICKER_RULES))
    found = materialize(
        L.company_mentions(
            L.explode_chunks(annotated, "company_chunk"),
            tickers,
            blockers,
            resources.aliases,
            resources.tickers,
            resources.companies,
            texts,
            enrich,
            dates,
        ),
        "company_mentions_found",
    )
    coref = L.coreference_mentions(
        rule_chunks.filter(F.col("rule") == COREFERENCE_RULE), found, resources.companies, enrich.coreference_heads
    )
    # Materialized: sentence sentiment, entity scoring and the sentence table all read the mentions,
    # and the coreference joins would otherwise run once for each.
    companies = materialize(found.unionByName(coref), "company_mentions")
    countries = L.country_mentions(
        L.explode_chunks(annotated, "country_chunk"),
        blockers,
        resources.country_aliases,
        found,
        texts,
        enrich.country_context_blockers,
        enrich.metonym_verbs,
    ).unionByName(L.dateline_countries(rule_chunks.filter(F.col("rule") == DATELINE_RULE), resources.places))
    return Annotation(annotated, sentences, companies, countries, (annotated, found, companies))
