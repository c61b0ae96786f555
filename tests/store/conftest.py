from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The store, ledger and notify tests share builders (ledger/builders.py, store/backends.py);
# pytest imports these folders as packages but does not put tests/ itself on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
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
