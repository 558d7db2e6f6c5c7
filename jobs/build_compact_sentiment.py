"""Build the compact sentiment tier's shipped source (models/shipped/sentiment_compact).

Quantizes the accurate tier's ONNX export (build that first), cuts out the word-embedding
table that the base wheel ships, assembles and imports the result into Spark NLP and measures
the fast, accurate and compact tiers side by side for the model card:

    pip install -e '.[accurate]'
    python -m jobs.build_accurate_sentiment --conf conf/local.yaml --data-dir ../shared/data
    python -m jobs.build_compact_sentiment --conf conf/local.yaml --data-dir ../shared/data
"""

import sys

from newslake.training.compact import main

if __name__ == "__main__":
    sys.exit(main())
