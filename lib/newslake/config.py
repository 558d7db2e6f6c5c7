"""The one place that loads configuration: YAML profile, then environment, then command line.

Precedence (later wins):
1. the YAML profile given with ``--conf`` (``conf/local.yaml``, ``conf/cluster.yaml``);
2. environment variables ``NEWSLAKE__<SECTION>__<KEY>`` (double underscores separate levels,
   e.g. ``NEWSLAKE__PATHS__LAKEHOUSE=s3a://bucket/lake``); values are parsed as YAML scalars;
3. command-line overrides (``--lakehouse``, ``--input`` and repeated ``--set section.key=value``).

Secrets never belong in the YAML files: object-store credentials come from the environment
through Spark/Hadoop's own providers.

``spark.extra`` maps Spark's own keys, which hold dots, to values: ``--set
spark.extra.spark.sql.shuffle.partitions=4`` sets the key ``spark.sql.shuffle.partitions``
(everything after ``spark.extra.`` is one key).

A bad value is a :class:`ConfigurationError` that names the key and where its value came from
(the YAML file, the environment variable, or the command-line option), and never repeats the
value of a key that may hold a secret, nor of any environment variable.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Literal, Mapping, Optional, Tuple

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from newslake.nlp import rules

ENV_PREFIX = "NEWSLAKE__"

# Maps whose keys hold dots themselves: in a dotted override, the rest after the map is one key.
DOTTED_KEY_MAPS = ("spark.extra",)

# A key whose value may be a credential: its value is never logged, stored or echoed.
SECRET_KEY = re.compile(
    r"secret|passw|token|credential|(?:access|private|account)[._-]?key|(?:^|[._-])auth(?:[._-]|$)", re.IGNORECASE
)

REDACTED = "***"

# The default of a setting that is linguistic rule data, kept in newslake/nlp/rules.yaml.
_rule = rules.default_factory


class ConfigurationError(ValueError):
    """The configuration or the command line is wrong: the user's to fix (exit code 2)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SparkSettings(_Frozen):
    app_name: str = "newslake"
    # None means: let spark-submit decide (cluster); a local profile sets "local[*]".
    master: Optional[str] = None
    shuffle_partitions: int = Field(default=8, ge=1)
    driver_memory: Optional[str] = None
    ui_enabled: bool = False
    # Where the JVM dependencies come from: "jars" uses the jars that setup resolved into
    # jars_dir, "packages" asks Ivy for the Maven coordinates (online), "provided" assumes
    # spark-submit already passed them (--jars / --packages), "auto" picks jars when jars_dir
    # holds them, else packages.
    jar_source: Literal["auto", "jars", "packages", "provided"] = "auto"
    jars_dir: str = ".cache/jars"
    ivy_dir: str = ".cache/ivy"
    packages: List[str] = Field(
        default_factory=lambda: [
            "com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3",
            "io.delta:delta-spark_2.12:3.3.2",
            # Class files only: Spark NLP's transformer classifiers name TensorFlow types even
            # on their ONNX path (see deps/pom.xml).
            "org.tensorflow:tensorflow-core-api:0.4.0",
            "org.tensorflow:ndarray:0.4.0",
        ]
    )
    extra: Dict[str, str] = Field(default_factory=dict)

    @field_validator("extra", mode="before")
    @classmethod
    def _spark_values_as_text(cls, extra: Any) -> Any:
        """Spark takes every value as text: ``--set spark.extra.spark.sql.x=4`` reads 4 as YAML."""
        if not isinstance(extra, Mapping):
            return extra
        return {
            key: (str(value).lower() if isinstance(value, bool) else str(value))
            if isinstance(value, (bool, int, float))
            else value
            for key, value in extra.items()
        }


class PathSettings(_Frozen):
    lakehouse: str = "lakehouse"
    input: str = "data/sample_corpus"
    models: str = "models"
    gazetteer: str = "conf/gazetteer"
    # A universe of your own, merged with the gazetteer at run time: a CSV file or a folder of
    # them with the columns of companies.csv plus optional valid_from/valid_to ISO dates (see
    # conf/gazetteer/README.md; example: conf/universes/us_financials_2008.csv). None: none.
    universe: Optional[str] = None

    @field_validator("lakehouse", "input")
    @classmethod
    def _not_empty_or_root(cls, path: str) -> str:
        # "" and "/" would put the tables in the working directory or the file system's root.
        if re.fullmatch(r"\s*|[A-Za-z][A-Za-z0-9+.-]*:/*|/+", path):
            raise ValueError(f"{path!r} is empty or a file system root: give the folder that holds the tables")
        return path


class FieldMapping(_Frozen):
    """Vendor field names, first present wins."""

    title: List[str] = Field(default_factory=lambda: ["title", "headline", "name"])
    body: List[str] = Field(default_factory=lambda: ["body", "text", "content", "article", "description"])
    url: List[str] = Field(default_factory=lambda: ["url", "link", "uri", "permalink"])
    published: List[str] = Field(
        default_factory=lambda: ["published", "published_at", "date", "pubDate", "datetime", "timestamp"]
    )
    source: List[str] = Field(default_factory=lambda: ["source", "site", "publisher", "outlet"])
    language: List[str] = Field(default_factory=lambda: ["language", "lang"])


class IngestSettings(_Frozen):
    min_body_chars: int = Field(default=60, ge=0)
    max_record_bytes: int = Field(default=5_000_000, ge=1)
    field_mapping: FieldMapping = Field(default_factory=FieldMapping)
    # Dates before this year or more than max_future_days ahead are not usable.
    min_year: int = Field(default=1980, ge=1, le=9999)
    max_future_days: int = Field(default=2, ge=0)
    quarantine_payload_prefix: int = Field(default=2000, ge=0)
    # One-article text files: leading "Name: value" header lines, by field (case-insensitive).
    text_headers: Dict[str, List[str]] = Field(
        default_factory=lambda: {
            "title": ["title", "headline"],
            "author": ["author", "by", "byline"],
            "published": ["date", "published"],
            "url": ["url", "link"],
            "source": ["source", "publisher", "site"],
        }
    )
    # A wire-style dateline opening the body (its date is used when the file has no date header).
    dateline_pattern: str = Field(default_factory=_rule("ingest", "dateline_pattern"))


class EnrichSettings(_Frozen):
    # Sentence-level sentiment (silver/sentences, silver/articles): every sentence, so cheap.
    sentiment_model: str = "sentiment_fast"
    # Sentiment toward each company (silver/mentions, article_entities and so every gold
    # figure): the int8 MiniLM transformer that scripts/setup.sh assembles.
    entity_sentiment_model: str = "sentiment_compact"

    def model_version(self) -> str:
        """The models silver records (``model_version``): the sentence model, then the entity
        model after a ``+`` when it is another one."""
        if self.entity_sentiment_model == self.sentiment_model:
            return self.sentiment_model
        return f"{self.sentiment_model}+{self.entity_sentiment_model}"

    # Scraped pages' site chrome, a breadcrumb glued to the title, the publisher's own sentiment
    # widget: regexes, in newslake/nlp/rules.yaml with the other linguistic rule data.
    chrome_line_patterns: List[str] = Field(default_factory=_rule("enrich", "chrome_line_patterns"))
    breadcrumb_prefix_pattern: str = Field(default_factory=_rule("enrich", "breadcrumb_prefix_pattern"))
    widget_pattern: str = Field(default_factory=_rule("enrich", "widget_pattern"))
    # |score| below this is neutral; scores lie in [-1, 1].
    neutral_band: float = Field(default=0.2, ge=0.0, lt=1.0)
    # Sentence boundaries: blank lines, bullet items and the news rules of newslake.nlp.sentences
    # always apply; each of these strings also ends a sentence wherever it occurs.
    paragraph_bounds: List[str] = Field(default_factory=lambda: ["\n\n"])
    # "Beijing said" -> CN: off by default, since capitals are also just places. When on, a
    # capital counts only as the subject of one of metonym_verbs ("Beijing ordered", not "in Beijing").
    capitals_as_metonyms: bool = False
    metonym_verbs: List[str] = Field(default_factory=_rule("enrich", "metonym_verbs"))
    languages: List[str] = Field(default_factory=lambda: ["en"])
    # A killed enrich run leaves its _staging/enrich-<run id> folder; the next enrich removes it
    # once nothing in it changed for this long (at once when its run is not running).
    staging_stale_after_hours: float = Field(default=6.0, gt=0)

    # ---- company linking (newslake.nlp.linking), coreference, countries ----------------------
    # Exchanges, bare-ticker context and stoplist, company signals, look-alike blockers,
    # coreference heads and modifiers, country look-alikes: see newslake/nlp/rules.yaml.
    ticker_exchanges: List[str] = Field(default_factory=_rule("enrich", "ticker_exchanges"))
    bare_ticker_context: str = Field(default_factory=_rule("enrich", "bare_ticker_context"))
    bare_ticker_stoplist: List[str] = Field(default_factory=_rule("enrich", "bare_ticker_stoplist"))
    company_signal_after: str = Field(default_factory=_rule("enrich", "company_signal_after"))
    company_signal_before: str = Field(default_factory=_rule("enrich", "company_signal_before"))
    weak_sentence_start: str = Field(default_factory=_rule("enrich", "weak_sentence_start"))
    company_blockers: List[str] = Field(default_factory=_rule("enrich", "company_blockers"))
    # Head noun -> GICS sectors it can refer to ([] = any sector).
    coreference_heads: Dict[str, List[str]] = Field(default_factory=_rule("enrich", "coreference_heads"))
    coreference_modifiers: List[str] = Field(default_factory=_rule("enrich", "coreference_modifiers"))
    country_blockers: List[str] = Field(default_factory=_rule("enrich", "country_blockers"))
    # Form -> regex over the whole article that shows the form is something else.
    country_context_blockers: Dict[str, str] = Field(default_factory=_rule("enrich", "country_context_blockers"))
    # ---- silver/article_entities relevance -------------------------------------------------
    # relevance = title_weight*in_title + lead_weight*in_lead
    #           + share_weight*min(1, sentence_share/share_saturation)
    #           + mentions_weight*(1 - exp(-mentions/mentions_scale)), clipped to [0, 1]
    lead_sentences: int = Field(default=3, ge=1)
    relevance_title_weight: float = Field(default=0.35, ge=0)
    relevance_lead_weight: float = Field(default=0.25, ge=0)
    relevance_share_weight: float = Field(default=0.25, ge=0)
    relevance_mentions_weight: float = Field(default=0.15, ge=0)
    relevance_share_saturation: float = Field(default=0.5, gt=0)
    relevance_mentions_scale: float = Field(default=3.0, gt=0)


class AggregateSettings(_Frozen):
    min_mentions_to_trust: int = Field(default=3, ge=1)
    # gold/evidence: sentences kept per company x week and sign (top |score| x relevance).
    evidence_per_week: int = Field(default=3, ge=1)
    # OPTIMIZE ... ZORDER BY the dashboard filter keys and VACUUM the gold tables after a run.
    optimize: bool = False
    vacuum_retention_hours: int = Field(default=168, ge=0)
    # Where the run writes its PNG charts; a relative path is relative to paths.lakehouse;
    # None writes none.
    charts_dir: Optional[str] = None
    charts_top_companies: int = Field(default=5, ge=1)


class StorySettings(_Frozen):
    """Near-duplicate clustering of articles into stories (``newslake.stories``), novelty and
    the story weights gold uses. Changing shingle_size, num_hash_tables, band_rows, seed,
    num_features or the boilerplate patterns invalidates the stored signatures (the stage
    refuses to mix them: run it with --full-refresh)."""

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
    # Opening credit of a syndicated copy, removed before shingling, and whole lines that are
    # syndication or site boilerplate (regexes, in newslake/nlp/rules.yaml).
    dateline_pattern: str = Field(default_factory=_rule("stories", "dateline_pattern"))
    boilerplate_line_patterns: List[str] = Field(default_factory=_rule("stories", "boilerplate_line_patterns"))

    @property
    def bands(self) -> int:
        return self.num_hash_tables // self.band_rows

    def candidate_probability(self, similarity: float) -> float:
        """P(two articles of this Jaccard similarity share at least one band): 1 - (1 - s^r)^b."""
        return 1.0 - (1.0 - similarity**self.band_rows) ** self.bands

    def minhash_params(self) -> str:
        """What a stored signature depends on; stored with it and checked on every run."""
        digest = abs(_stable_hash("\x1f".join([self.dateline_pattern, *self.boilerplate_line_patterns])))
        return (
            f"k={self.shingle_size};h={self.num_hash_tables};r={self.band_rows};seed={self.seed};"
            f"nf={self.num_features};bp={digest:x}"
        )

    @model_validator(mode="after")
    def _banding_fits(self) -> "StorySettings":
        if self.num_hash_tables % self.band_rows:
            raise ValueError(
                f"stories.num_hash_tables={self.num_hash_tables} is not a multiple of "
                f"stories.band_rows={self.band_rows}"
            )
        p = self.candidate_probability(self.threshold)
        if p < self.min_candidate_probability:
            raise ValueError(
                f"with {self.bands} bands of {self.band_rows} rows, pairs at the threshold "
                f"{self.threshold} become candidates with probability {p:.3f} only, below "
                f"stories.min_candidate_probability={self.min_candidate_probability}: use fewer "
                "band_rows or more num_hash_tables"
            )
        return self


def _stable_hash(text: str) -> int:
    """A stable 64-bit hash of a string (Python's hash() is salted per process)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=True)


class QualitySettings(_Frozen):
    """Data-quality rules: named SQL predicates every row of a table must satisfy, checked on
    the rows a stage wrote. ``on_failure`` decides whether a violation fails the run."""

    on_failure: Literal["fail", "warn"] = "fail"
    rules: Dict[str, Dict[str, str]] = Field(
        default_factory=lambda: {
            "bronze/articles": {
                "article_id_present": "article_id IS NOT NULL AND length(article_id) = 64",
                "body_present": "body IS NOT NULL AND length(trim(body)) > 0",
                "published_at_present": "published_at IS NOT NULL",
                "date_source_known": "date_source IN ('article', 'dump_folder', 'ingestion')",
            },
            "silver/sentences": {
                "keys_present": "article_id IS NOT NULL AND sentence_index >= 0",
                "score_in_range": "sentiment_score BETWEEN -1 AND 1",
                "label_known": "sentiment_label IN ('positive', 'negative', 'neutral')",
                "iso_week_valid": "iso_week BETWEEN 1 AND 53 AND dayofweek(week_start) = 2",
            },
            "silver/mentions": {
                "keys_present": "article_id IS NOT NULL AND company_id IS NOT NULL",
                "country_iso2": "country RLIKE '^[A-Z]{2}$'",
                "score_in_range": "sentiment_score BETWEEN -1 AND 1",
                "iso_week_valid": "iso_week BETWEEN 1 AND 53",
            },
            "silver/article_stories": {
                "keys_present": "article_id IS NOT NULL AND story_id IS NOT NULL",
                "rank_within_story": "rank_in_story BETWEEN 1 AND story_size",
                "novelty_in_range": "novelty > 0 AND novelty <= 1",
                "weight_positive": "story_weight > 0 AND story_weight <= 1",
            },
            "silver/stories": {
                "size_matches_members": "size >= 1 AND size = size(member_article_ids)",
                "first_before_last": "first_seen_at <= last_seen_at",
            },
            "gold/sentiment_weekly": {
                "keys_present": "company IS NOT NULL AND country IS NOT NULL AND week_start IS NOT NULL",
                "mean_score_in_range": "mean_score BETWEEN -1 AND 1",
                "iso_week_valid": "iso_week BETWEEN 1 AND 53 AND dayofweek(week_start) = 2",
                "shares_sum_to_one": "abs(positive_share + negative_share + neutral_share - 1) < 1e-9",
                "counts_consistent": "articles <= sentences AND sentences <= mentions AND mentions > 0",
                "stories_consistent": "unique_stories BETWEEN 1 AND articles AND story_weighted_articles > 0 "
                "AND story_weighted_articles <= articles + 1e-9",
            },
        }
    )


class Settings(_Frozen):
    profile: str = "local"
    spark: SparkSettings = Field(default_factory=SparkSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    enrich: EnrichSettings = Field(default_factory=EnrichSettings)
    stories: StorySettings = Field(default_factory=StorySettings)
    aggregate: AggregateSettings = Field(default_factory=AggregateSettings)
    quality: QualitySettings = Field(default_factory=QualitySettings)

    def lakehouse_root(self) -> str:
        """``paths.lakehouse``, absolute: what ``catalogue.Table.path`` and ``io`` take."""
        return _absolute(self.paths.lakehouse)

    def models_dir(self) -> str:
        """``paths.models``, absolute: the folder holding the sentiment tiers."""
        return _absolute(self.paths.models)

    def model_path(self, name: str) -> str:
        return f"{self.models_dir()}/{name}"


def _absolute(path: str) -> str:
    """A local path made absolute (Delta takes a relative location for a table name);
    URIs such as s3a://, abfss://, gs:// or file:/ are left as they are."""
    path = path.rstrip("/")
    return path if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) else os.path.abspath(path)


def _split_key(dotted: str) -> Tuple[str, ...]:
    """``spark.extra.spark.sql.x`` -> ("spark", "extra", "spark.sql.x"): see DOTTED_KEY_MAPS."""
    for prefix in DOTTED_KEY_MAPS:
        if dotted.startswith(prefix + ".") and len(dotted) > len(prefix) + 1:
            return (*prefix.split("."), dotted[len(prefix) + 1 :])
    return tuple(k for k in dotted.split(".") if k)


def _set_path(tree: Dict[str, Any], keys: Tuple[str, ...], value: Any, dotted: str) -> None:
    if not keys:
        raise ConfigurationError(f"empty configuration key in override {dotted!r}")
    node = tree
    for key in keys[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ConfigurationError(f"configuration key {dotted!r} descends into a scalar")
    node[keys[-1]] = value


def _leaves(tree: Mapping[str, Any], prefix: Tuple[str, ...] = ()) -> Iterator[Tuple[str, ...]]:
    for key, value in tree.items():
        if isinstance(value, Mapping) and value:
            yield from _leaves(value, (*prefix, str(key)))
        else:
            yield (*prefix, str(key))


def _env_overrides(environ: Mapping[str, str]) -> Tuple[Dict[str, Any], Dict[Tuple[str, ...], str]]:
    tree: Dict[str, Any] = {}
    origins: Dict[Tuple[str, ...], str] = {}
    for name, raw in sorted(environ.items()):
        if name.startswith(ENV_PREFIX):
            dotted = name[len(ENV_PREFIX) :].lower().replace("__", ".")
            try:
                value = yaml.safe_load(raw)
            except yaml.YAMLError:
                value = raw
            keys = _split_key(dotted)
            _set_path(tree, keys, value, name)
            origins[keys] = f"environment variable {name}"
    return tree, origins


def _deep_merge(base: Dict[str, Any], top: Mapping[str, Any]) -> Dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def is_secret_key(dotted: str) -> bool:
    return bool(SECRET_KEY.search(dotted))


def _origin_of(loc: Tuple[str, ...], origins: Mapping[Tuple[str, ...], str]) -> str:
    """Where the value at ``loc`` came from: the latest layer that set it or a section above it,
    else the layers that set keys below it (a check across a section's keys), else the default."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in origins:
            return origins[loc[:end]]
    below = sorted({origin for keys, origin in origins.items() if keys[: len(loc)] == loc})
    return ", ".join(below) if below else "the default"


def _describe(error: ValidationError, origins: Mapping[Tuple[str, ...], str]) -> str:
    lines = []
    for item in error.errors():
        loc = tuple(str(part) for part in item["loc"])
        dotted = ".".join(loc) or "(top level)"
        origin = _origin_of(loc, origins)
        line = f"{dotted} (from {origin}): {item['msg']}"
        # Values are repeated only where they cannot be a credential.
        if not is_secret_key(dotted) and not origin.startswith("environment") and "input" in item:
            shown = repr(item["input"])
            line += f"; got {shown if len(shown) <= 80 else shown[:77] + '...'}"
        lines.append(line)
    return "invalid configuration:\n  " + "\n  ".join(lines)


def load_settings(
    conf_path: Optional[str] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    environ: Optional[Mapping[str, str]] = None,
    override_origins: Optional[Mapping[str, str]] = None,
) -> Settings:
    """Load a profile, apply environment and then command-line overrides.

    ``overrides`` maps dotted keys (``paths.lakehouse``) to values; ``override_origins`` says
    which option gave a key (``--lakehouse``), for error messages (default ``--set KEY=...``).
    Raises :class:`ConfigurationError` naming every bad key and where it came from.
    """
    tree: Dict[str, Any] = {}
    origins: Dict[Tuple[str, ...], str] = {}
    if conf_path:
        path = Path(conf_path)
        if not path.is_file():
            raise FileNotFoundError(
                f"configuration file {conf_path!r} not found; pass --conf conf/local.yaml (or another profile in conf/)"
            )
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigurationError(f"{conf_path} is not valid YAML: {exc}") from None
        if not isinstance(loaded, dict):
            raise ConfigurationError(f"{conf_path}: the top level must be a mapping of sections")
        tree = loaded
        origins.update({keys: str(conf_path) for keys in _leaves(tree)})
    env_tree, env_origins = _env_overrides(os.environ if environ is None else environ)
    tree = _deep_merge(tree, env_tree)
    origins.update(env_origins)
    cli_tree: Dict[str, Any] = {}
    for dotted, value in (overrides or {}).items():
        if value is not None:
            keys = _split_key(dotted)
            _set_path(cli_tree, keys, value, dotted)
            origins[keys] = (override_origins or {}).get(dotted, f"--set {dotted}=...")
    tree = _deep_merge(tree, cli_tree)
    try:
        return Settings.model_validate(tree)
    except ValidationError as exc:
        raise ConfigurationError(_describe(exc, origins)) from None


def redacted_settings(settings: Settings) -> Dict[str, Any]:
    """The settings as plain data, the value of every secret-looking key replaced by ``***``."""

    def scrub(node: Any, dotted: str) -> Any:
        if isinstance(node, dict):
            return {key: scrub(value, f"{dotted}.{key}" if dotted else str(key)) for key, value in node.items()}
        return REDACTED if is_secret_key(dotted) and node not in (None, "") else node

    return scrub(settings.model_dump(mode="json"), "")


def parse_set_option(item: str) -> tuple:
    """``section.key=value`` from ``--set``; the value is read as a YAML scalar."""
    if "=" not in item:
        raise ConfigurationError(f"--set expects section.key=value, got {item!r}")
    key, raw = item.split("=", 1)
    return key.strip(), yaml.safe_load(raw)
