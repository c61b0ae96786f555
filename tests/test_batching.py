"""Work submitted ahead comes back in order, with only a few items in flight."""

from __future__ import annotations

from concurrent.futures import Future

from pohang_watch.batching import submitted_ahead


def test_results_come_in_order_with_at_most_depth_items_in_flight() -> None:
    submitted: list[int] = []
    taken: list[int] = []

    def submit(item: int) -> Future[int]:
        assert len(submitted) - len(taken) < 3, "never more than `depth` waiting"
        submitted.append(item)
        future: Future[int] = Future()
        future.set_result(item * 10)
        return future

    for result in submitted_ahead(submit, range(10), depth=3):
        taken.append(result // 10)
    assert taken == list(range(10))
