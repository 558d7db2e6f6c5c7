"""newslake check: is every Delta table of the lakehouse whole? (reads only; exit 1 when not)

python -m jobs.check --conf conf/local.yaml [--lakehouse DIR] [--table LAYER/TABLE ...]
spark-submit --jars ... --py-files dist/newslake-0.1.0-py3-none-any.whl jobs/check.py --conf conf/cluster.yaml
"""

from newslake.cli import check_main, entry

if __name__ == "__main__":
    entry(check_main)
