"""Fresh databases for store tests: a SQLite file per test, and a PostgreSQL schema per test
when $POHANG_WATCH_TEST_PG_URL names a server (the same tests run on both)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL_ENV = "POHANG_WATCH_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]

NewUrl = Callable[[], str]


def sqlite_urls(tmp_path: Path) -> Iterator[NewUrl]:
    """Each URL names a file in its own folder (which `Store.open` creates when missing)."""
    counter = iter(range(1_000))

    def new_url() -> str:
        folder = tmp_path / f"db{next(counter)}"
        folder.mkdir()
        return f"sqlite:///{folder / 'pohang-watch.db'}"

    yield new_url


def postgresql_urls() -> Iterator[NewUrl]:
    """Each URL gets its own schema (search_path), dropped afterwards: needs no CREATEDB."""
    base = os.environ.get(PG_URL_ENV)
    if not base:
        pytest.skip(f"${PG_URL_ENV} is not set")
    admin = create_engine(base)
    schemas: list[str] = []

    def new_url() -> str:
        schema = f"pw_test_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    try:
        yield new_url
    finally:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def new_database_urls(backend: str, tmp_path: Path) -> Iterator[NewUrl]:
    if backend == "sqlite":
        yield from sqlite_urls(tmp_path)
    else:
        yield from postgresql_urls()
