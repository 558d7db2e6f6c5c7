"""The sentence pre-pass's cost against an earlier revision's, in one session, alternating.

    python -m bench.sentence_prepass --corpus /tmp/bench10k --baseline-rev 1becad6 [--articles N] [--rounds 4]

``--corpus`` is a folder from ``python -m bench.generate`` (its JSON Lines bodies are read);
``--baseline-rev`` a git revision whose ``lib/newslake/nlp/sentences.py`` is the baseline. Each
round writes the marked text of every body with Spark's ``noop`` sink, once with each version
(the order alternates between rounds), and records wall seconds and the JVM's CPU seconds (user +
system of the driver JVM, where local-mode tasks run; read from ``/proc``, so Linux only). CPU
seconds are the figure to compare on a shared machine: wall time there moves with other load.
The cached read of the bodies is measured the same way and subtracted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import types
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def module_at(revision: str) -> types.ModuleType:
    """``newslake.nlp.sentences`` as of ``revision``, loaded as a separate module."""
    source = subprocess.run(
        ["git", "show", f"{revision}:lib/newslake/nlp/sentences.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    module = types.ModuleType(f"sentences_{revision}")
    exec(compile(source, f"{revision}:sentences.py", "exec"), module.__dict__)
    return module


def _jvm_cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    spark, corpus: str, versions: Dict[str, types.ModuleType], articles: Optional[int], rounds: int
) -> Dict[str, object]:
    from pyspark.sql import functions as F

    pid = spark._jvm.java.lang.ProcessHandle.current().pid()
    raw = spark.read.json(os.path.join(corpus, "vendor_*", "dt=*", "*.jsonl"))
    bodies = raw.select(F.coalesce("body", "content").alias("text")).where("text is not null")
    if articles:
        bodies = bodies.limit(articles)
    bodies = bodies.repartition(spark.sparkContext.defaultParallelism).persist()
    count = bodies.count()
    chars = bodies.select(F.sum(F.length("text"))).first()[0]

    def timed(df) -> Tuple[float, float]:
        cpu, wall = _jvm_cpu_seconds(pid), time.perf_counter()
        df.write.format("noop").mode("overwrite").save()
        return time.perf_counter() - wall, _jvm_cpu_seconds(pid) - cpu

    timed(bodies)
    runs: Dict[str, List[Tuple[float, float]]] = {name: [] for name in [*versions, "cached read"]}
    names = list(versions)
    for i in range(rounds):
        runs["cached read"].append(timed(bodies))
        for name in names if i % 2 == 0 else names[::-1]:
            runs[name].append(timed(bodies.select(versions[name].sentence_marked_text(F.col("text")))))
    read_wall = min(w for w, _ in runs["cached read"])
    read_cpu = min(c for _, c in runs["cached read"])
    summary = {}
    for name in names:
        walls = sorted(w - read_wall for w, _ in runs[name])
        cpus = sorted(c - read_cpu for _, c in runs[name])
        summary[name] = {
            "rules": len(versions[name]._rules()),
            "cpu_s_best": round(cpus[0], 2),
            "cpu_s_median": round(cpus[len(cpus) // 2], 2),
            "wall_s_best": round(walls[0], 2),
            "wall_s_median": round(walls[len(walls) // 2], 2),
        }
    bodies.unpersist()
    return {"articles": count, "characters": chars, "rounds": rounds, "versions": summary}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sentence_prepass", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", required=True, help="a folder written by python -m bench.generate")
    parser.add_argument("--baseline-rev", required=True, help="git revision of the baseline rules")
    parser.add_argument("--articles", type=int, default=None, help="use at most this many bodies")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args(argv)

    from newslake.config import load_settings
    from newslake.nlp import sentences
    from newslake.spark import build_spark

    settings = load_settings(
        os.path.join(ROOT, "conf", "local.yaml"),
        {"spark.master": args.master, "spark.extra": {"spark.ui.showConsoleProgress": "false"}},
    )
    spark = build_spark(settings.spark, app_name="newslake-bench-sentence-prepass")
    try:
        result = measure(
            spark,
            args.corpus,
            {f"baseline {args.baseline_rev}": module_at(args.baseline_rev), "working tree": sentences},
            args.articles,
            args.rounds,
        )
    finally:
        spark.stop()
    print(
        f"{result['articles']:,} bodies, {result['characters']:,} characters, {result['rounds']} rounds "
        f"(seconds over the cached read)"
    )
    for name, row in result["versions"].items():
        print(
            f"{name:24s} {row['rules']:3d} rules  JVM CPU best {row['cpu_s_best']:7.2f} median {row['cpu_s_median']:7.2f}"
            f"  wall best {row['wall_s_best']:7.2f} median {row['wall_s_median']:7.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
