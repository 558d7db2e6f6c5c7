"""Train the fast sentiment model (models/sentiment_fast) from ../shared/data.

    python -m jobs.train_sentiment --conf conf/local.yaml [--data-dir ../shared/data] \
        [--out models/sentiment_fast] [--seed 42]
    spark-submit --master 'local[2]' jobs/train_sentiment.py --conf conf/local.yaml
"""

import sys

from newslake.training.train import main

if __name__ == "__main__":
    sys.exit(main())
