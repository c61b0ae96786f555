"""Starting several runs at the same moment, for the tests of concurrent writers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

TIMEOUT_SECONDS = 300


def run_at_once(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Call each function in its own thread, all released together by a barrier; return their
    results in order, re-raising the first exception any of them raised."""
    barrier = threading.Barrier(len(calls), timeout=TIMEOUT_SECONDS)
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except BaseException as exc:  # handed to the test thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a run hung"
    if errors:
        raise errors[0]
    return results
