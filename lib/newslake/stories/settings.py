"""Settings of the stories stage (issue #9): near-duplicate clustering, novelty and weighting.

Kept here until the lead wires them into ``newslake.config.Settings`` as ``stories:`` (see the
stage's docstring for the exact wiring). Frozen and strict like every other settings section.
"""

from __future__ import annotations

import math
from typing import List, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class StorySettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Two articles are copies of one story when the Jaccard similarity of their word-shingle
    # sets is at least this (Jaccard distance at most 1 - threshold). 0.4 sits in the gap seen
    # on both evaluation sets: different stories reach at most 0.34 (the benchmark generator's
    # template-built stories; 0.13 in the labeled pairs), rewrites start at 0.41 and
    # syndicated copies at 0.68 (see bench/story_eval.py and tests/test_stories.py).
    threshold: float = Field(default=0.4, gt=0.0, le=1.0)
    # Words per shingle. Shorter shingles forgive more rewording but let different stories
    # about one company share more phrases (at 3 words the generator's different stories
    # reach 0.48).
    shingle_size: int = Field(default=5, ge=1, le=12)
    # MinHash functions per article (Spark ML MinHashLSH's numHashTables): the signature length.
    num_hash_tables: int = Field(default=150, ge=4, le=1024)
    # LSH banding: the signature is cut into num_hash_tables / band_rows bands; two articles
    # are candidates when all the rows of at least one band agree, with probability
    # 1 - (1 - s^r)^b for similarity s (50 bands of 3: 0.96 at s = 0.4, 0.33 at 0.2, 0.05 at
    # 0.1). Candidates are then checked with the exact Jaccard similarity of their shingle
    # sets, so banding only trades cost against recall, never precision.
    band_rows: int = Field(default=3, ge=1, le=32)
    # Seed of the MinHash functions. Changing it (or shingle_size, num_hash_tables, band_rows,
    # num_features, the boilerplate patterns) invalidates stored signatures: run with
    # --full-refresh.
    seed: int = 20240901
    # Size of the hashed shingle space fed to MinHashLSH (must stay below its prime 2038074743).
    num_features: int = Field(default=1 << 26, ge=1024, le=2_000_000_000)
    # New articles are compared with articles published at most this many days before or after
    # them (and only those are read back from silver/article_signatures).
    horizon_days: int = Field(default=14, ge=0)
    # novelty = curve(k), k = earlier copies of the story published at most this many days
    # before the article: reciprocal 1 / (1 + k), exponential exp(-novelty_decay * k).
    novelty_window_days: int = Field(default=7, ge=0)
    novelty_curve: Literal["reciprocal", "exponential"] = "reciprocal"
    novelty_decay: float = Field(default=0.5, gt=0.0)
    # Total weight W(n) of a story of n articles, shared equally by its members
    # (story_weight = W(n) / n): "one" W = 1 (a story counts once however often it is copied),
    # "sqrt" W = sqrt(n), "log" W = 1 + ln(n) (syndication counts a little).
    weighting: Literal["one", "sqrt", "log"] = "one"
    # Label propagation stops after this many rounds; not converging by then is an error.
    max_iterations: int = Field(default=50, ge=1)
    # Minimum LSH recall at the threshold that the banding must give (see candidate_probability).
    min_candidate_probability: float = Field(default=0.9, ge=0.0, le=1.0)
    # Opening credit of a syndicated copy, removed before shingling: "BERLIN, March 4 (Wire) - ",
    # "HANGZHOU, China, Feb. 20 (Wire) - ", "LONDON (Wire) -- ", "(Wire) - ".
    dateline_pattern: str = (
        r"^\s*(?:[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+){0,3}"
        r"(?:,\s*[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){0,2})?,?\s*"
        r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*)?)?"
        r"\([^()\n]{2,60}\)\s*[-\u2013\u2014:]+\s*"
    )
    # Whole lines that are syndication or site boilerplate, not the story (case-insensitive,
    # matched against a whole stripped line): credits, copyright, republication notes, "Read
    # more", newsletter and social prompts, "Related:" lists, contact lines.
    boilerplate_line_patterns: List[str] = Field(default_factory=lambda: [
        r"\(?\s*(?:additional )?(?:reporting|writing|editing|compiled|produced) by\b.*",
        r".*\ball rights reserved\b.*",
        r"(?:\u00a9|\(c\)|copyright\b).*",
        r"this (?:story|article|report|item|content) (?:was|is|has been|first|originally)\b.*"
        r"(?:syndicated|published|republished|distributed|appeared|provided|licensed)\b.*",
        r"(?:originally|first) (?:published|appeared) (?:by|in|on|at)\b.*",
        r"(?:read (?:more|also|next|the full)|see (?:also|more)|click here|continue reading|full story)\b.{0,80}",
        r"(?:share this|share on|follow us|subscribe to|sign up (?:for|to))\b.{0,80}",
        r"related(?: coverage| stories| articles| news| content)?\s*:.{0,80}",
        r"(?:advertisement|sponsored(?: content)?)",
        r"(?:write to|contact|email|e-mail)\b.{0,80}@.*",
        r"[-\u2013\u2014]{1,3}\s*(?:with assistance from|reporting by|edited by)\b.*",
        r"\(?\s*source\s*:.{0,80}",
    ])

    @property
    def bands(self) -> int:
        return self.num_hash_tables // self.band_rows

    def candidate_probability(self, similarity: float) -> float:
        """P(two articles of this Jaccard similarity share at least one band): 1 - (1 - s^r)^b."""
        return 1.0 - (1.0 - similarity ** self.band_rows) ** self.bands

    def minhash_params(self) -> str:
        """What a stored signature depends on; stored with it and checked on every run."""
        digest = abs(hash_text("\x1f".join([self.dateline_pattern, *self.boilerplate_line_patterns])))
        return (f"k={self.shingle_size};h={self.num_hash_tables};r={self.band_rows};seed={self.seed};"
                f"nf={self.num_features};bp={digest:x}")

    @model_validator(mode="after")
    def _banding_fits(self) -> "StorySettings":
        if self.num_hash_tables % self.band_rows:
            raise ValueError(f"stories.num_hash_tables={self.num_hash_tables} is not a multiple of "
                             f"stories.band_rows={self.band_rows}")
        p = self.candidate_probability(self.threshold)
        if p < self.min_candidate_probability:
            raise ValueError(
                f"with {self.bands} bands of {self.band_rows} rows, pairs at the threshold "
                f"{self.threshold} become candidates with probability {p:.3f} only, below "
                f"stories.min_candidate_probability={self.min_candidate_probability}: use fewer "
                "band_rows or more num_hash_tables")
        return self


def hash_text(text: str) -> int:
    """A stable 64-bit hash of a string (Python's hash() is salted per process)."""
    import hashlib

    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=True)


def story_total_weight(size: int, weighting: str) -> float:
    """W(n), the Python mirror of ``newslake.stories.minhash.story_total_weight_col``."""
    if weighting == "one":
        return 1.0
    if weighting == "sqrt":
        return math.sqrt(size)
    return 1.0 + math.log(size)
