"""The processes a backfill parses on: forked from a server that has imported pohang-watch's
page analysis and nothing else (no Prefect, database or alert libraries), so each stays small.

A fork of the flow's process would copy its Prefect threads and client. multiprocessing's
forkserver children would still import the parent's main module again (so that functions
defined there can be unpickled); under a Prefect worker that module is `prefect.engine`, and
each parse process would import Prefect. These processes only run `pohang_watch.analysis`, so the
main module is hidden from them. This module is what they unpickle their process object from:
it imports nothing else.
"""

from __future__ import annotations

import sys
import threading
import types
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import ForkServerContext, ForkServerProcess

from pohang_watch import analysis

_MAIN_HIDDEN = threading.Lock()


class _AnalysisProcess(ForkServerProcess):
    """A forkserver child that does not import the parent's main module: it is hidden while the
    child starts (a few ms; the process object and its preparation data are written then)."""

    def start(self) -> None:
        with _MAIN_HIDDEN:
            main = sys.modules["__main__"]
            sys.modules["__main__"] = types.ModuleType("__main__")
            try:
                super().start()
            finally:
                sys.modules["__main__"] = main


class _AnalysisContext(ForkServerContext):
    Process = _AnalysisProcess


def analysis_pool(processes: int) -> ProcessPoolExecutor:
    """A pool of `processes` processes for `pohang_watch.analysis` functions."""
    context = _AnalysisContext()
    context.set_forkserver_preload([analysis.__name__])
    return ProcessPoolExecutor(processes, mp_context=context)
