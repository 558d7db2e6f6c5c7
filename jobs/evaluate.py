"""Evaluate a sentiment model on a labeled file; prints one JSON object on stdout.

    python -m jobs.evaluate --conf conf/local.yaml --format phrasebank|sentfin|finentity|csv \
        --path FILE [--model fast|accurate] [--split validation|all]
    spark-submit --master 'local[2]' jobs/evaluate.py --conf conf/local.yaml --format csv --path FILE
"""

import sys

from newslake.training.evaluate import main

if __name__ == "__main__":
    sys.exit(main())
