"""newslake export: one table as a single Parquet or CSV file, for tools that cannot read Delta.

    python -m jobs.export --conf conf/local.yaml --table gold/sentiment_weekly --format csv --out exports
    spark-submit --packages io.delta:delta-spark_2.12:3.3.2 \
        --py-files dist/newslake-0.1.0-py3-none-any.whl jobs/export.py --conf conf/cluster.yaml \
        --table gold/sentiment_weekly --format parquet --out s3a://my-news-bucket/exports
"""

from newslake.cli import entry
from newslake.gold.export import export_main

if __name__ == "__main__":
    entry(export_main)
