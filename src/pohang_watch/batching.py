"""Fixed-size batches of a lazy iterable: the pipeline's task batches and the store's IN lists."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Batches of at most `size` items, in order; reads `items` lazily."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
