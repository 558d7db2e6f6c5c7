"""The linguistic rule data behind the defaults of some ``ingest``, ``enrich`` and ``stories``
settings (exchanges, stoplists, look-alike blockers, coreference heads, boilerplate patterns ...),
kept in ``rules.yaml`` beside this module rather than in code. ``newslake.config`` takes its
defaults from here; a profile or ``--set`` overrides them like any other setting.

The file is package data, read with ``pkgutil`` so it is found in an installed wheel and in the
zipped copy of the package that spark-submit puts on the executors' path alike."""

from __future__ import annotations

import copy
import functools
import pkgutil
from typing import Any, Callable, Dict

import yaml

RULES_FILE = "rules.yaml"


@functools.lru_cache(maxsize=None)
def _rules() -> Dict[str, Dict[str, Any]]:
    data = pkgutil.get_data(__package__, RULES_FILE)
    if data is None:
        raise FileNotFoundError(f"{__package__}/{RULES_FILE} is missing from the installed package")
    return yaml.safe_load(data.decode("utf-8"))


def default(section: str, key: str) -> Any:
    """A fresh copy of the rule data for the setting ``section.key`` (a list or a mapping that
    no two settings objects may share)."""
    try:
        return copy.deepcopy(_rules()[section][key])
    except KeyError:
        raise KeyError(f"{__package__}/{RULES_FILE} has no {section}.{key}") from None


def default_factory(section: str, key: str) -> Callable[[], Any]:
    """:func:`default` for a pydantic ``Field(default_factory=...)``."""
    return functools.partial(default, section, key)
