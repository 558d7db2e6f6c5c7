"""Build the compact sentiment tier's shipped source (models/shipped/sentiment_compact).

Quantizes the accurate tier's ONNX export (build that first), cuts out the word-embedding
table that the base wheel ships, assembles and imports the result into Spark NLP and measures
the fast, accurate and compact tiers side by side for the model card:

    pip install -e '.[accurate]'
    python -m jobs.build_accurate_sentiment --conf conf/local.yaml --data-dir ../shared/data
    python -m jobs.build_compact_sentiment --conf conf/local.yaml --data-dir ../shared/data
"""

import os
import sys

from newslake.training.compact import main

# The team's hand-labeled real-news set, measured beside the validation sets when it is there.
REALNEWS = os.path.join("tests", "data", "labeled", "realnews_entity.jsonl")

if __name__ == "__main__":
    sys.exit(main(realnews=REALNEWS))
