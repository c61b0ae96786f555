"""The processes a backfill parses on: forked from a server that has imported pohang-watch's
page analysis and nothing else (no Prefect, database or alert libraries), so each stays small.

A fork of the flow's process would copy its Prefect threads and client. multiprocessing's
forkserver children would still import the parent's main module again (so that functions
defined there can be unpickled); under a Prefect worker that module is `prefect.engine`, and
each parse process would import Prefect. These processes only run `pohang_watch.analysis`, so
the main module is hidden from them. This module is what they unpickle their process object
from: it imports nothing else.

The forkserver is one per process: its preload is this module's only when this pool is the first
to start it, as in a flow run (nothing else in pohang-watch uses the forkserver). POSIX only.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
import types
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import ForkServerContext, ForkServerProcess

from pohang_watch import analysis

_HIDING_MAIN = threading.Lock()
_KEEP_BUSY_S = 0.25  # per worker at start-up: longer than a worker takes to start


class _AnalysisProcess(ForkServerProcess):
    """A forkserver child that does not import the parent's main module.

    The module is hidden from the whole process while a child starts: 6–13 ms, and ~0.5 s for
    the first, which waits for the forkserver to import the analysis. `analysis_pool` starts
    them all before any work is handed to it."""

    def start(self) -> None:
        with _HIDING_MAIN:
            main = sys.modules["__main__"]
            sys.modules["__main__"] = types.ModuleType("__main__")
            try:
                super().start()
            finally:
                sys.modules["__main__"] = main


class _AnalysisContext(ForkServerContext):
    """The forkserver start method, with processes that skip the parent's main module."""

    Process = _AnalysisProcess


def _log_like_the_cli(level: int) -> None:
    """Each message with its level and logger name (a page's error also comes back in its batch
    as a PageError)."""
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def analysis_pool(processes: int) -> ProcessPoolExecutor:
    """A pool of `processes` processes for `pohang_watch.analysis` functions, all started.

    The pool starts a process only when a task finds none idle, so each is kept busy at first:
    they start now, in the caller's thread, not later while other threads are at work."""
    context = _AnalysisContext()
    context.set_forkserver_preload([analysis.__name__])
    pool = ProcessPoolExecutor(
        processes,
        mp_context=context,
        initializer=_log_like_the_cli,
        initargs=(logging.getLogger().getEffectiveLevel(),),
    )
    try:
        list(pool.map(time.sleep, [_KEEP_BUSY_S] * processes))
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return pool
