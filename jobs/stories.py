"""newslake stories stage: near-duplicate articles clustered into stories (MinHash LSH).

    python -m jobs.stories --conf conf/local.yaml [--lakehouse DIR] [--full-refresh]
    spark-submit --packages com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3,io.delta:delta-spark_2.12:3.3.2 \
        --py-files dist/newslake-0.1.0-py3-none-any.whl jobs/stories.py --conf conf/cluster.yaml
"""

from newslake.cli import entry, stories_main

if __name__ == "__main__":
    entry(stories_main)
