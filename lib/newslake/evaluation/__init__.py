"""Evaluation of the silver layer's NLP against hand-labeled sets and real public data.

* :mod:`.sentences`: sentence-boundary precision, recall and F1 (``tests/data/labeled/sentence_boundaries.jsonl``);
* :mod:`.linking`: company and country linking precision and recall over passage-level sets
  (``tests/data/labeled/linking_gold.jsonl``);
* :mod:`.finentity`: recall of FinEntity's entity spans by the company linker, and what else it links;
* :mod:`.reuters`: country precision and recall against the PLACES of Reuters-21578 stories.

Each module has pure functions that score plain Python data and one function that runs the real
enrich code (:mod:`newslake.silver.annotate`) on a small labeled set; ``jobs/evaluate_silver.py``
prints all figures as JSON.
"""
