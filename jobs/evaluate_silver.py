"""Silver NLP metrics as JSON: sentence-boundary F1, company and country linking P/R on the
hand-labeled sets, FinEntity span recall and Reuters-21578 country P/R.

    python -m jobs.evaluate_silver --conf conf/local.yaml [--shared-data ../shared/data] [--reuters-limit 2000]
    spark-submit --py-files dist/newslake-0.1.0-py3-none-any.whl jobs/evaluate_silver.py --conf conf/cluster.yaml

The hand-labeled sets are the repository's tests/data/labeled and the public data its sibling
folder ../shared/data, unless --labeled-dir and --shared-data say otherwise.
"""

import os
import sys

from newslake.evaluation.job import main

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if __name__ == "__main__":
    sys.exit(
        main(
            labeled_dir=os.path.join(REPOSITORY, "tests", "data", "labeled"),
            shared_data=os.path.join(os.path.dirname(REPOSITORY), "shared", "data"),
        )
    )
