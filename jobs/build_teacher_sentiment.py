"""Build the teacher sentiment tier (models/sentiment_teacher, all-mpnet-base-v2) from ../shared/data.

    pip install -e '.[teacher]'
    python -m jobs.build_teacher_sentiment --conf conf/local.yaml [--data-dir ../shared/data] \
        [--device cpu|cuda] [--max-steps N] [--checkpoint-every N] [--restart]
    spark-submit --master 'local[2]' jobs/build_teacher_sentiment.py --conf conf/local.yaml

A killed build resumes from its checkpoint when the same command runs again.
"""

import sys

from newslake.training.teacher import main

if __name__ == "__main__":
    sys.exit(main())
