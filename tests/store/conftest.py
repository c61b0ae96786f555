from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pohang_watch.store import Store
from store.backends import BACKENDS, NewUrl, new_database_urls


@pytest.fixture(params=BACKENDS)
def new_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewUrl]:
    """Make fresh, empty database URLs on the parametrised backend."""
    yield from new_database_urls(request.param, tmp_path)


@pytest.fixture
def store_url(new_db_url: NewUrl) -> str:
    return new_db_url()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened
