"""newslake enrich stage.

    python -m jobs.enrich --conf conf/local.yaml [--lakehouse DIR] [--input DIR]
    spark-submit --packages com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3,io.delta:delta-spark_2.12:3.3.2 \
        --py-files dist/newslake-0.1.0-py3-none-any.whl jobs/enrich.py --conf conf/cluster.yaml
"""

from newslake.cli import enrich_main, entry

if __name__ == "__main__":
    entry(enrich_main)
