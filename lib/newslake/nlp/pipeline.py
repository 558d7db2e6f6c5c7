"""The Spark NLP annotation pipeline of the enrich stage: documents, news sentences, tokens,
company and country matches."""

from __future__ import annotations

from typing import Sequence

from pyspark.ml import Pipeline
from sparknlp.annotator import SentenceDetector, TextMatcher, Tokenizer
from sparknlp.base import DocumentAssembler

# Curly and straight apostrophes split possessives off names ("Tesla’s" -> "Tesla", "s"), the
# hyphen splits "U.S.-based" so the country form matches on its own.
SPLIT_CHARS = ["’", "'", "-"]
CONTEXT_CHARS = [".", ",", ";", ":", "!", "?", "*", "(", ")", "\"", "“", "”", "‘", "’", "'", "[", "]"]


def build_annotation_pipeline(
    company_phrases_path: str,
    country_phrases_path: str,
    text_col: str = "clean_text",
    paragraph_bounds: Sequence[str] = ("\n\n",),
) -> Pipeline:
    """Requires ``text_col``; adds ``document``, ``sentence``, ``token``, ``company_chunk`` and
    ``country_chunk`` annotation columns (chunks carry their sentence index in metadata)."""
    document = DocumentAssembler().setInputCol(text_col).setOutputCol("document").setCleanupMode("disabled")
    sentence = (
        SentenceDetector().setInputCols(["document"]).setOutputCol("sentence")
        .setCustomBounds(list(paragraph_bounds)).setUseCustomBoundsOnly(False)
        .setExplodeSentences(False).setMinLength(2).setMaxLength(2000)
    )
    token = (
        Tokenizer().setInputCols(["sentence"]).setOutputCol("token")
        .setSplitChars(SPLIT_CHARS).setContextChars(CONTEXT_CHARS)
    )
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
    return Pipeline(stages=[document, sentence, token, companies, countries])
