"""Phase timing: where a run's wall clock (and, when asked, CPU time) went, phase by phase.

One timer for the stages and the benchmark. A stage runner times its phases with
``timer.phase(name)`` and returns ``timer.phase_seconds()`` in its
:class:`newslake.runs.StageResult`; the benchmark times whole stages with the same class and
a CPU clock of its process tree.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Dict, Iterator, Optional

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


class PhaseTimer:
    """Wall seconds per named phase, summed when a phase runs more than once (a phase may also
    hold another phase: each is timed on its own).

    With ``spark`` and ``label``, a phase also names the Spark jobs it starts (``<label>:
    <phase>`` as the job description in the Spark UI and the event log), so a slow phase can be
    followed to its Spark stages. With ``cpu_clock`` (a function returning CPU seconds so far),
    the CPU seconds of each phase are summed too."""

    def __init__(
        self,
        spark: Optional["SparkSession"] = None,
        label: Optional[str] = None,
        cpu_clock: Optional[Callable[[], float]] = None,
    ) -> None:
        self._context = spark.sparkContext if spark is not None and label else None
        self._label = label
        self._cpu_clock = cpu_clock
        self.seconds: Dict[str, float] = {}
        self.cpu_seconds: Dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        outer = None
        if self._context is not None:
            outer = self._context.getLocalProperty("spark.job.description")
            self._context.setJobDescription(f"{self._label}: {name}")
        cpu_started = self._cpu_clock() if self._cpu_clock is not None else 0.0
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
            if self._cpu_clock is not None:
                self.cpu_seconds[name] = self.cpu_seconds.get(name, 0.0) + self._cpu_clock() - cpu_started
            if self._context is not None:
                self._context.setJobDescription(outer)

    def phase_seconds(self, digits: int = 2) -> Dict[str, float]:
        """Each phase's wall seconds, rounded, in the order the phases first ran."""
        return {name: round(value, digits) for name, value in self.seconds.items()}

    def rows_per_second(self, name: str, rows: int) -> float:
        """``rows`` over the wall seconds of phase ``name`` (0 when it took no measurable time)."""
        seconds = self.seconds.get(name, 0.0)
        return round(rows / seconds, 1) if seconds > 0 else 0.0
