"""newslake ingest stage.

    python -m jobs.ingest --conf conf/local.yaml [--lakehouse DIR] [--input DIR]
    spark-submit --packages com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3,io.delta:delta-spark_2.12:3.3.2 \
        --py-files dist/newslake-0.1.0-py3-none-any.whl jobs/ingest.py --conf conf/cluster.yaml
"""

from newslake.cli import entry, ingest_main

if __name__ == "__main__":
    entry(ingest_main)
