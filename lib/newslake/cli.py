"""Command-line entry points shared by ``jobs/*.py``, ``spark-submit`` and console scripts.

Every stage takes ``--conf PROFILE [--lakehouse DIR] [--input DIR] [--set key=value ...]``,
logs what it did, records itself in ``ops/runs`` and exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from datetime import date
from typing import Callable, List, Optional, Sequence, Tuple

from newslake.arguments import configure_logging, job_parser, settings_from_args
from newslake.config import ConfigurationError, Settings
from newslake.errors import describe

log = logging.getLogger("newslake")


def build_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """The stage jobs' parser: the common options (:func:`newslake.arguments.job_parser`) plus
    the processing window, the run id and the summary switch."""
    parser = job_parser(prog, description, paths=("lakehouse", "input", "models"), overrides=True, log_format=True)
    parser.add_argument("--full-refresh", action="store_true", help="reprocess everything (in the window, if given)")
    parser.add_argument(
        "--run-date", type=_date, help="logical date to process (an orchestrator's ds): the window is that day"
    )
    parser.add_argument("--start", type=_date, help="first day of the logical window (with --end)")
    parser.add_argument("--end", type=_date, help="last day of the logical window, inclusive (with --start)")
    parser.add_argument("--run-id", help="run id to record (default: a new random id)")
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


def require_input_folder(settings: Settings) -> None:
    """A local input folder must exist before Spark starts (an object-store path is checked by
    the stage, which has the file system)."""
    path = settings.paths.input
    local = re.sub(r"^file:(//)?", "", path) if path.startswith("file:") else path
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", local):
        return
    if not os.path.isdir(local):
        raise ConfigurationError(
            f"paths.input: the input folder {path!r} does not exist "
            f"({'not a folder' if os.path.exists(local) else 'no such path'}); "
            "pass --input DIR or set paths.input"
        )


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
                log.error(
                    "stage %s failed after %.1fs: %s",
                    stage,
                    time.time() - started,
                    describe(exc),
                    exc_info=True,
                    extra={"fields": {"stage": stage, "event": "failed", "error": describe(exc)}},
                )
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
