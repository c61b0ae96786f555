"""Fixed-size batches of a lazy iterable (the pipeline's task batches and the store's IN lists),
and results of work submitted a few items ahead, in order (backfills across processes)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R", covariant=True)


class Pending(Protocol[R]):
    """A submitted piece of work: a concurrent.futures.Future or a PrefectFuture."""

    def result(self) -> R: ...


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Batches of at most `size` items, in order; reads `items` lazily."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def submitted_ahead(
    submit: Callable[[T], Pending[R]], items: Iterable[T], depth: int
) -> Iterator[R]:
    """Each item's result, in order, with at most `depth` items submitted and not yet taken:
    workers stay busy while the caller uses a result, and memory holds a few, never all."""
    in_flight: deque[Pending[R]] = deque()
    for item in items:
        in_flight.append(submit(item))
        if len(in_flight) >= max(1, depth):
            yield in_flight.popleft().result()
    while in_flight:
        yield in_flight.popleft().result()
