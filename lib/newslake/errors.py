"""Failures a person can act on: the table or file an operation was working on, and the
innermost cause of a Spark failure instead of its Py4J wrapper ("An error occurred while calling
o519.execute") and a JVM stack trace."""

from __future__ import annotations

from typing import Optional


class TableError(RuntimeError):
    """Reading or writing one Delta table (or staging folder) failed; the message names it and
    the root cause, and ``__cause__`` keeps the original exception with its trace."""

    def __init__(self, action: str, path: str, cause: BaseException):
        self.action, self.path = action, path
        super().__init__(f"{action} {table_name(path)} ({path}): {root_cause(cause)}")


def table_name(path: str) -> str:
    """``<lakehouse>/silver/sentences`` -> ``silver/sentences`` (the table as users name it)."""
    parts = [part for part in path.rstrip("/").split("/") if part]
    return "/".join(parts[-2:]) if len(parts) >= 2 else path


def _java_throwable(exc: BaseException):
    """The Java exception behind a PySpark error, if there is one."""
    java = getattr(exc, "java_exception", None)  # py4j.protocol.Py4JJavaError
    if java is None:
        java = getattr(exc, "_origin", None)  # pyspark.errors CapturedException (AnalysisException, ...)
    return java


def root_cause(exc: BaseException) -> str:
    """``Class: message`` of the innermost cause, on one line: the last Java ``getCause()``
    of a Spark error, else the end of Python's ``raise ... from`` chain."""
    innermost = exc
    while innermost.__cause__ is not None:
        innermost = innermost.__cause__
    text = _java_root(_java_throwable(innermost)) or f"{type(innermost).__name__}: {innermost}"
    return " ".join(text.split())[:1000]


def describe(exc: BaseException) -> str:
    """One line for a failed run: a TableError as it is (it names its table and root cause),
    a Spark error by its root cause, anything else by its type and message."""
    if isinstance(exc, TableError):
        text = str(exc)
    elif _java_throwable(exc) is not None:
        text = root_cause(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())[:2000]


def _java_root(java) -> Optional[str]:
    if java is None:
        return None
    try:
        seen = 0
        while java.getCause() is not None and seen < 50:
            java = java.getCause()
            seen += 1
        return str(java.toString())
    except Exception:  # noqa: BLE001 - the gateway may be gone: fall back to the Python text
        return None


def is_concurrent_modification(exc: BaseException) -> bool:
    """Another run committed to the same Delta table first (optimistic concurrency)."""
    text = f"{type(exc).__name__}: {exc} {root_cause(exc)}"
    return any(
        marker in text
        for marker in (
            "ConcurrentAppendException",
            "ConcurrentDeleteReadException",
            "ConcurrentDeleteDeleteException",
            "ConcurrentTransactionException",
            "MetadataChangedException",
            "ProtocolChangedException",
            "DELTA_CONCURRENT_",
        )
    )


# JVM classes each dependency brings, and what makes spark-submit load them.
REQUIRED_JVM_CLASSES = {
    "Delta Lake": ("io.delta.tables.DeltaTable", "io.delta:delta-spark_2.12:3.3.2"),
    "Spark NLP": ("com.johnsnowlabs.nlp.DocumentAssembler", "com.johnsnowlabs.nlp:spark-nlp_2.12:5.5.3"),
}
