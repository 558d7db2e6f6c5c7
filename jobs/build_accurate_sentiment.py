"""Build the accurate sentiment tier (models/sentiment_accurate) from ../shared/data.

    pip install -e '.[accurate]'
    python -m jobs.build_accurate_sentiment --conf conf/local.yaml [--data-dir ../shared/data] \
        [--out models/sentiment_accurate] [--seed 42] [--epochs N] [--learning-rate LR]
    spark-submit --master 'local[2]' jobs/build_accurate_sentiment.py --conf conf/local.yaml
"""

import sys

from newslake.training.accurate import main

if __name__ == "__main__":
    sys.exit(main())
