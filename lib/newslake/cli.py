"""Command-line entry points shared by ``jobs/*.py``, ``spark-submit`` and console scripts.

Every stage takes ``--conf PROFILE [--lakehouse DIR] [--input DIR] [--set key=value ...]``,
logs what it did, records itself in ``ops/runs`` and exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
import time
from datetime import date
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from newslake.config import ConfigurationError, Settings, load_settings, parse_set_option
from newslake.errors import describe

log = logging.getLogger("newslake")


@contextlib.contextmanager
def stdout_kept_for_result() -> Iterator[None]:
    """Point file descriptor 1 at stderr while the block runs, then restore it.

    For commands whose stdout is one JSON document: the Spark JVM they start inherits the
    redirected descriptor, so what the JVM prints (Spark NLP's ONNX wrapper says "Using CPUs"
    on stdout) lands on stderr, while the command prints its JSON after the block.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def build_parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--conf", default="conf/local.yaml", help="YAML profile (default: conf/local.yaml)")
    parser.add_argument("--lakehouse", help="root of the Delta tables; overrides paths.lakehouse")
    parser.add_argument("--input", help="raw dump folder; overrides paths.input")
    parser.add_argument("--models", help="models folder; overrides paths.models")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override any conf key, e.g. --set spark.shuffle_partitions=2")
    parser.add_argument("--full-refresh", action="store_true", help="reprocess everything (in the window, if given)")
    parser.add_argument("--run-date", type=_date, help="logical date to process (an orchestrator's ds): the window is that day")
    parser.add_argument("--start", type=_date, help="first day of the logical window (with --end)")
    parser.add_argument("--end", type=_date, help="last day of the logical window, inclusive (with --start)")
    parser.add_argument("--run-id", help="run id to record (default: a new random id)")
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    parser.add_argument("--quiet-summary", action="store_true", help="do not print the gold summary")
    return parser


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def window_from_args(args: argparse.Namespace) -> Tuple[Optional[date], Optional[date]]:
    if args.run_date and (args.start or args.end):
        raise ValueError("give either --run-date or --start/--end, not both")
    if args.run_date:
        return args.run_date, args.run_date
    if bool(args.start) != bool(args.end):
        raise ValueError("--start and --end go together")
    if args.start and args.end < args.start:
        raise ValueError(f"--end {args.end} is before --start {args.start}")
    return args.start, args.end


PATH_OPTIONS = {"paths.lakehouse": "--lakehouse", "paths.input": "--input", "paths.models": "--models"}


def settings_from_args(args: argparse.Namespace) -> Settings:
    overrides: Dict[str, object] = {
        "paths.lakehouse": args.lakehouse, "paths.input": args.input, "paths.models": args.models,
    }
    origins = dict(PATH_OPTIONS)
    for item in args.set:
        key, value = parse_set_option(item)
        overrides[key] = value
        origins[key] = f"--set {key}=..."
    return load_settings(args.conf, overrides, override_origins=origins)


def require_input_folder(settings: Settings) -> None:
    """A local input folder must exist before Spark starts (an object-store path is checked by
    the stage, which has the file system)."""
    path = settings.paths.input
    local = re.sub(r"^file:(//)?", "", path) if path.startswith("file:") else path
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", local):
        return
    if not os.path.isdir(local):
        raise ConfigurationError(f"paths.input: the input folder {path!r} does not exist "
                                 f"({'not a folder' if os.path.exists(local) else 'no such path'}); "
                                 "pass --input DIR or set paths.input")


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                   "message": record.getMessage()}
        payload.update(getattr(record, "fields", {}))
        return json.dumps(payload, default=str)


def configure_logging(fmt: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False


def run_stages(stages: Sequence[str], argv: Optional[List[str]] = None) -> int:
    """Run the given stages (names in ``newslake.stages.STAGES``) in order; stop at the first
    failure with a message naming it."""
    name = stages[0] if len(stages) == 1 else "pipeline"
    parser = build_parser(f"jobs.{name}", f"newslake {name}: " + " -> ".join(stages))
    args = parser.parse_args(argv)
    configure_logging(args.log_format)
    try:
        settings = settings_from_args(args)
        window = window_from_args(args)
        if "ingest" in stages:
            require_input_folder(settings)
    except Exception as exc:  # bad conf or arguments are the user's to fix: say what and where
        log.error("configuration error: %s", exc)
        return 2

    from newslake.runner import run_stage
    from newslake.spark import MissingJarsError, build_spark
    from newslake.stages import print_gold_summary

    try:
        spark = build_spark(settings.spark, app_name=f"{settings.spark.app_name}-{name}")
    except MissingJarsError as exc:
        log.error("configuration error: %s", exc)
        return 2
    for stage in stages:
        started = time.time()
        try:
            run_stage(spark, settings, stage, args.run_id, window, args.full_refresh)
        except Exception as exc:
            if not getattr(exc, "newslake_logged", False):  # run_stage logs the failures it records
                log.error("stage %s failed after %.1fs: %s", stage, time.time() - started, describe(exc),
                          exc_info=True, extra={"fields": {"stage": stage, "event": "failed", "error": describe(exc)}})
            if len(stages) > 1:
                log.error("pipeline stopped at stage %s; later stages did not run", stage)
            return 1
    if "aggregate" in stages and not args.quiet_summary:
        print_gold_summary(spark, settings)
    return 0


def ingest_main(argv: Optional[List[str]] = None) -> int:
    return run_stages(["ingest"], argv)


def enrich_main(argv: Optional[List[str]] = None) -> int:
    return run_stages(["enrich"], argv)


def stories_main(argv: Optional[List[str]] = None) -> int:
    return run_stages(["stories"], argv)


def aggregate_main(argv: Optional[List[str]] = None) -> int:
    return run_stages(["aggregate"], argv)


def pipeline_main(argv: Optional[List[str]] = None) -> int:
    from newslake.stages import STAGES

    return run_stages(list(STAGES), argv)


def check_main(argv: Optional[List[str]] = None) -> int:
    """``newslake-check``: every table's log and data files (writes nothing)."""
    from newslake.check import main

    return main(argv)


def train_sentiment_main(argv: Optional[List[str]] = None) -> int:
    """``newslake-train-sentiment``: the fast tier's training job."""
    from newslake.training.train import main

    return main(argv)


def build_accurate_sentiment_main(argv: Optional[List[str]] = None) -> int:
    """``newslake-build-accurate-sentiment``: the accurate tier's build (needs the extra)."""
    from newslake.training.accurate import main

    return main(argv)


def build_teacher_sentiment_main(argv: Optional[List[str]] = None) -> int:
    """``newslake-build-teacher-sentiment``: the teacher tier's build (needs the extra)."""
    from newslake.training.teacher import main

    return main(argv)


def entry(main: Callable[[Optional[List[str]]], int]) -> None:
    sys.exit(main(None))
