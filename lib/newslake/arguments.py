"""The command-line options every entry point shares, declared once.

Each entry point (the stage jobs in :mod:`newslake.cli`, ``jobs.check``, ``jobs.evaluate``,
``jobs.evaluate_silver``, the sentiment builds) starts from :func:`job_parser`, naming the
common option groups it takes, and adds its own options to the parser it gets back;
:func:`settings_from_args` turns the common options into :class:`~newslake.config.Settings`
the same way for all of them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Dict, Mapping, Optional, Sequence

from newslake.config import Settings, load_settings, parse_set_option

DEFAULT_CONF = "conf/local.yaml"
SHARED_DATA = "../shared/data"
"""Where the public labeled data lives beside a checkout (``--data-dir``'s default)."""

PATH_OPTIONS = {"paths.lakehouse": "--lakehouse", "paths.input": "--input", "paths.models": "--models"}
"""Conf key -> the option that overrides it."""
PATH_HELP = {
    "lakehouse": "root of the Delta tables; overrides paths.lakehouse",
    "input": "raw dump folder; overrides paths.input",
    "models": "models folder; overrides paths.models",
}


def job_parser(
    prog: str,
    description: str,
    *,
    conf_required: bool = False,
    paths: Sequence[str] = (),
    path_help: Optional[Mapping[str, str]] = None,
    overrides: bool = False,
    log_format: bool = False,
    data_dir: bool = False,
    model_out: Optional[str] = None,
) -> argparse.ArgumentParser:
    """A parser with ``--conf`` and the common groups the entry point asks for.

    ``paths``: which of ``lakehouse``, ``input``, ``models`` it takes (``path_help`` rewords
    one, e.g. for a job that accepts but does not read it); ``overrides``: ``--set KEY=VALUE``;
    ``log_format``: ``--log-format text|json``; ``data_dir``: ``--data-dir`` (the shared
    labeled data); ``model_out``: ``--out``, the folder of the tier it builds.
    """
    parser = argparse.ArgumentParser(prog=prog, description=description)
    if conf_required:
        parser.add_argument("--conf", required=True, help=f"YAML profile, e.g. {DEFAULT_CONF}")
    else:
        parser.add_argument("--conf", default=DEFAULT_CONF, help=f"YAML profile (default: {DEFAULT_CONF})")
    for name in paths:
        if name not in PATH_HELP:
            raise ValueError(f"job_parser: unknown path option {name!r}; expected one of {', '.join(PATH_HELP)}")
        parser.add_argument(f"--{name}", help=(path_help or {}).get(name, PATH_HELP[name]))
    if overrides:
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="override any conf key, e.g. --set spark.shuffle_partitions=2",
        )
    if log_format:
        parser.add_argument(
            "--log-format",
            choices=("text", "json"),
            default="text",
            help="log lines as text or as one JSON object each (default: text)",
        )
    if data_dir:
        parser.add_argument("--data-dir", default=SHARED_DATA, help="the shared labeled data")
    if model_out:
        parser.add_argument("--out", default=None, help=f"model folder (default: <models>/{model_out})")
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The profile ``--conf`` with the path options and ``--set`` overrides the parser has."""
    overrides: Dict[str, object] = {key: getattr(args, option[2:], None) for key, option in PATH_OPTIONS.items()}
    origins = dict(PATH_OPTIONS)
    for item in getattr(args, "set", None) or []:
        key, value = parse_set_option(item)
        overrides[key] = value
        origins[key] = f"--set {key}=..."
    return load_settings(args.conf, overrides, override_origins=origins)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "message": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        return json.dumps(payload, default=str)


def configure_logging(fmt: str) -> None:
    """The ``newslake`` logger to stderr, as text or one JSON object a line (``--log-format``)."""
    log = logging.getLogger("newslake")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        _JsonFormatter() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    )
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False
