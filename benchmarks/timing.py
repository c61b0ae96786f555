"""Figures and the clock: what one timed stage reports, and how it is measured.

Per-page stages report the median over pages (robust to a garbage-collection pause landing on
one page); batch stages report total time divided by pages, since their cost is per batch.
"""

from __future__ import annotations

import re
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class Figure:
    """One timed line of the report. ``ms_per_page`` is None for a stage that was not run."""

    name: str
    group: str  # anchor | stage | pipeline | prefect
    method: str  # "median" per page, "total/N", or "once" (a fixed cost, ms in all)
    pages: int
    ms_per_page: float | None
    total_s: float | None = None
    note: str = ""
    peak_rss_mb: float | None = None  # of the process that ran it, when that was its own

    @property
    def pages_per_s(self) -> float | None:
        return 1000 / self.ms_per_page if self.ms_per_page else None


def per_page(
    name: str, group: str, items: Iterable[T], work: Callable[[T], R], note: str = ""
) -> tuple[Figure, list[R]]:
    """Run ``work`` on each item, timing each call; the figure is the median per call."""
    results: list[R] = []
    times: list[int] = []
    for item in items:
        start = time.perf_counter_ns()
        results.append(work(item))
        times.append(time.perf_counter_ns() - start)
    median = statistics.median(times) / 1e6 if times else None
    figure = Figure(name, group, "median", len(times), median, sum(times) / 1e9, note)
    return figure, results


def batch(
    name: str, group: str, pages: int, work: Callable[[], R], note: str = ""
) -> tuple[Figure, R]:
    """Run ``work`` once over ``pages`` pages; the figure is its total time divided by pages."""
    start = time.perf_counter_ns()
    result = work()
    total = (time.perf_counter_ns() - start) / 1e9
    return Figure(name, group, "total/N", pages, total * 1000 / max(pages, 1), total, note), result


def not_run(name: str, group: str, note: str) -> Figure:
    """A line for a stage that exists in the plan but not (yet) in this environment."""
    return Figure(name, group, "-", 0, None, None, note)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far.

    Linux's VmHWM first: getrusage's ru_maxrss survives fork and exec, so a freshly spawned
    worker would report its parent's peak. Elsewhere ru_maxrss (macOS counts bytes, not KiB).
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0
