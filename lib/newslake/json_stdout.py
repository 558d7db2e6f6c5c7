"""Keep a command's stdout for its one JSON document while Spark runs.

Shared by the commands that print a JSON result (``jobs.evaluate``, the sentiment builds,
``bench.realnews_parts``); a module of its own so that they need not import the stage CLI.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator


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
