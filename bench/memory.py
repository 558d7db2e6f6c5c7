"""Peak memory of the benchmark's processes, sampled in a background thread.

A PySpark job on ``local[N]`` is a process tree::

    python (the driver program: this benchmark)
    ├── java (the JVM: the Spark driver *and* its executors; in local mode they are one process)
    │   └── python -m pyspark.daemon -> forked Python workers (UDFs, mapInPandas, VADER ...)
    └── python -m bench.baselines ... (the single-process pandas baseline, when it runs)

:func:`process_tree_probe` reads the resident set size (RSS) of each group from ``/proc`` via
psutil; :func:`jvm_heap_probe` asks the JVM for its used heap (RSS of a JVM only grows up to
``-Xmx`` and rarely shrinks; heap used shows what the data needs). :class:`MemorySampler` calls
the probes every ``interval`` seconds and keeps, per named phase, the peak of every group.

RSS of forked Python workers counts pages they share with the daemon once per worker, so the
workers' sum is an upper bound.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, List, Mapping, Optional

import psutil

Probe = Callable[[], Mapping[str, float]]

MIB = float(1 << 20)

# Group names, in the order reports show them.
DRIVER_PYTHON = "driver_python_rss"
JVM = "jvm_rss"
PYTHON_WORKERS = "python_workers_rss"
SUBPROCESS = "subprocess_rss"
JVM_HEAP = "jvm_heap_used"
GROUPS = (JVM, JVM_HEAP, PYTHON_WORKERS, DRIVER_PYTHON, SUBPROCESS)


class PeakTracker:
    """Running maxima of named readings, per open phase. Pure bookkeeping, thread-safe.

    ``begin(name)`` opens a phase, ``update(reading)`` raises the peaks of every open phase,
    ``end(name)`` closes it and returns its peaks (a group never seen is absent)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: Dict[str, Dict[str, float]] = {}
        self._samples: Dict[str, int] = {}
        self.closed: Dict[str, Dict[str, float]] = {}
        self.sample_counts: Dict[str, int] = {}

    def begin(self, name: str) -> None:
        with self._lock:
            if name in self._open:
                raise ValueError(f"phase {name!r} is already open")
            self._open[name] = {}
            self._samples[name] = 0

    def update(self, reading: Mapping[str, float]) -> None:
        with self._lock:
            for name, peaks in self._open.items():
                self._samples[name] += 1
                for group, value in reading.items():
                    if value is None:
                        continue
                    if value > peaks.get(group, float("-inf")):
                        peaks[group] = float(value)

    def end(self, name: str) -> Dict[str, float]:
        with self._lock:
            if name not in self._open:
                raise ValueError(f"phase {name!r} is not open")
            peaks = self._open.pop(name)
            self.closed[name] = peaks
            self.sample_counts[name] = self._samples.pop(name)
            return dict(peaks)

    def open_phases(self) -> List[str]:
        with self._lock:
            return list(self._open)


def combine(probes: List[Probe]) -> Probe:
    """One probe whose reading merges several (a failing probe contributes nothing)."""

    def read() -> Dict[str, float]:
        merged: Dict[str, float] = {}
        for probe in probes:
            try:
                merged.update(probe())
            except Exception:  # a process that just exited, a JVM shutting down
                continue
        return merged

    return read


def _rss(proc: psutil.Process) -> int:
    try:
        return proc.memory_info().rss
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return 0


def _is_python(proc: psutil.Process) -> bool:
    try:
        name = proc.name().lower()
        if "python" in name:
            return True
        cmd = proc.cmdline()
        return bool(cmd) and "python" in os.path.basename(cmd[0]).lower()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def process_tree_probe(root_pid: Optional[int] = None, jvm_pid: Optional[int] = None) -> Probe:
    """RSS in bytes of: the root process (the driver program), the JVM, the Python processes
    below the JVM (Spark's Python workers) and every other process below the root (e.g. the
    pandas baseline). ``jvm_pid`` None: no JVM group, every descendant counts as a subprocess.

    One listing of the root's descendants per reading, each placed by its parent chain, so a
    worker forked between two listings cannot be counted in the wrong group."""
    root = psutil.Process(root_pid or os.getpid())

    def read() -> Dict[str, float]:
        reading: Dict[str, float] = {DRIVER_PYTHON: _rss(root)}
        try:
            descendants = root.children(recursive=True)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            descendants = []
        parent: Dict[int, int] = {}
        for child in descendants:
            try:
                parent[child.pid] = child.ppid()
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                parent[child.pid] = -1

        def below_jvm(pid: int) -> bool:
            seen = 0
            while pid in parent and seen < 64:
                pid, seen = parent[pid], seen + 1
                if pid == jvm_pid:
                    return True
            return False

        workers = other = 0
        jvm_rss = None
        for child in descendants:
            if jvm_pid is not None and child.pid == jvm_pid:
                jvm_rss = _rss(child)
            elif jvm_pid is not None and below_jvm(child.pid):
                if _is_python(child):
                    workers += _rss(child)
            else:
                other += _rss(child)
        if jvm_pid is not None:
            if jvm_rss is None:  # a JVM that is not below the root (given explicitly)
                try:
                    jvm_rss = _rss(psutil.Process(jvm_pid))
                except psutil.NoSuchProcess:
                    jvm_rss = 0
            reading[JVM] = jvm_rss
            reading[PYTHON_WORKERS] = workers
        reading[SUBPROCESS] = other
        return reading

    return read


def jvm_heap_probe(spark) -> Probe:
    """Used heap of the session's JVM, in bytes (through py4j; works from any Python thread)."""
    bean = spark.sparkContext._jvm.java.lang.management.ManagementFactory.getMemoryMXBean()

    def read() -> Dict[str, float]:
        return {JVM_HEAP: float(bean.getHeapMemoryUsage().getUsed())}

    return read


def find_jvm_pid(spark=None, root_pid: Optional[int] = None) -> Optional[int]:
    """The pid of the JVM PySpark launched: py4j's gateway process, else a java child."""
    if spark is not None:
        proc = getattr(getattr(spark.sparkContext, "_gateway", None), "proc", None)
        if proc is not None and getattr(proc, "pid", None):
            return int(proc.pid)
    try:
        for child in psutil.Process(root_pid or os.getpid()).children(recursive=True):
            if "java" in child.name().lower():
                return child.pid
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        pass
    return None


class MemorySampler:
    """Calls ``probe`` every ``interval`` seconds in a daemon thread and keeps per-phase peaks.

    ``with sampler.phase("enrich"): ...`` takes a reading when the phase opens and when it
    closes, so a phase shorter than the interval still has two readings."""

    def __init__(self, probe: Probe, interval: float = 0.5):
        if interval <= 0:
            raise ValueError("interval must be positive")
        self.interval = interval
        self.tracker = PeakTracker()
        self._probes: List[Probe] = [probe]
        self._probe_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self.readings = 0

    def add_probe(self, probe: Probe) -> None:
        with self._probe_lock:
            self._probes.append(probe)

    def remove_probe(self, probe: Probe) -> None:
        with self._probe_lock:
            if probe in self._probes:
                self._probes.remove(probe)

    def sample(self) -> Dict[str, float]:
        with self._probe_lock:
            probes = list(self._probes)
        reading = combine(probes)()
        self.tracker.update(reading)
        self.readings += 1
        return reading

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def start(self) -> "MemorySampler":
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="bench-memory-sampler", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join(timeout=10 * self.interval + 5)
            self._thread = None

    def __enter__(self) -> "MemorySampler":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @contextmanager
    def phase(self, name: str) -> Iterator[Dict[str, float]]:
        """Yields a dict that holds the phase's peaks (bytes) once the block has finished."""
        result: Dict[str, float] = {}
        self.tracker.begin(name)
        try:
            self.sample()
            yield result
        finally:
            self.sample()
            result.update(self.tracker.end(name))


def to_mib(peaks: Mapping[str, float]) -> Dict[str, float]:
    """``{"jvm_rss": bytes}`` -> ``{"jvm_rss_peak_mib": MiB}`` in :data:`GROUPS` order."""
    out: Dict[str, float] = {}
    for group in GROUPS:
        if group in peaks:
            out[f"{group}_peak_mib"] = round(peaks[group] / MIB, 1)
    return out


def tree_cpu_seconds(root_pid: Optional[int] = None) -> float:
    """CPU seconds (user + system) used so far by a process and all its descendants, including
    descendants that already exited and were waited for (their time is in ``children_*``).
    The difference of two readings is the CPU a phase used, e.g. the JVM's threads plus the
    Python workers; compared with wall time x cores it shows how busy the cores were."""
    try:
        root = psutil.Process(root_pid or os.getpid())
        procs = [root] + root.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            t = proc.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        total += t.user + t.system + getattr(t, "children_user", 0.0) + getattr(t, "children_system", 0.0)
    return total
