"""The fast tier's parameters: everything that decides its training rows and its fitted model.

Shared by the model (:mod:`newslake.training.fast_model`), the training data
(:mod:`newslake.training.shared_data`, which the transformer tiers read too) and the job
(:mod:`newslake.training.train`), which records them in metrics.json and the model card.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Dict, Mapping

from newslake.training import datasets


@dataclass(frozen=True)
class SentimentParams:
    """Everything that decides the fitted model (recorded in metrics.json and the card)."""

    min_df: float = 2.0
    stem: bool = False
    bigrams: bool = True
    cues: bool = True
    entity_context: int = 3
    entity_copy: bool = False
    tokenizer: str = "regex"
    branch_vocabulary: bool = True
    idf: bool = True
    # Regularisation of the sentence-level and the entity-targeted classifier.
    sentence_reg_param: float = 0.02
    entity_reg_param: float = 0.02
    elastic_net: float = 0.0
    max_iter: int = 300
    standardization: bool = False
    class_weights: bool = True
    # Weight, in the other branch, of rows that belong to one: sentence rows (unmarked) in
    # the entity classifier, and single-entity rows (unmarked) in the sentence classifier.
    entity_aux_weight: float = 0.0
    sentence_aux_weight: float = 0.0
    # Sample weight of a PhraseBank sentence by the highest agreement level it appears in.
    level_weights: Mapping[str, float] = field(default_factory=lambda: {"all": 1.0, "75": 1.0, "66": 0.8, "50": 0.6})
    dataset_weights: Mapping[str, float] = field(
        default_factory=lambda: {"phrasebank": 1.0, "sentfin": 1.0, "finentity": 1.0}
    )
    train_on: tuple = ("phrasebank", "sentfin", "finentity")
    validation_percent: int = datasets.VALIDATION_PERCENT
    seed: int = 42

    def to_dict(self) -> Dict[str, object]:
        out = dataclasses.asdict(self)
        out["level_weights"] = dict(self.level_weights)
        out["dataset_weights"] = dict(self.dataset_weights)
        out["train_on"] = list(self.train_on)
        return out
