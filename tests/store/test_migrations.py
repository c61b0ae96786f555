"""Migrations are recorded, run once, refuse newer databases, and build exactly schema.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    create_engine,
    insert,
    inspect,
    select,
)

from pohang_watch.errors import StoreError
from pohang_watch.store import Store
from pohang_watch.store.migrations import MIGRATIONS, Migration, applied_versions, migrate
from pohang_watch.store.schema import metadata, schema_migrations
from store.backends import NewUrl


def _engine(url: str) -> Engine:
    return create_engine(url)


def _recorded(url: str) -> list[tuple[Any, ...]]:
    engine = _engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(schema_migrations).order_by(schema_migrations.c.version))
        recorded = [tuple(row) for row in rows]
    engine.dispose()
    return recorded


def test_migrations_are_recorded_and_not_rerun(store_url: str) -> None:
    Store.open(store_url).close()
    first = _recorded(store_url)
    assert [(version, name) for version, name, _ in first] == [
        (1, "initial tables"),
        (2, "raw archive and listing validators"),
        (3, "near-duplicates, fuzzy matching groups, target health"),
        (4, "ledger match buckets"),
        (5, "saved pages judged"),
        (6, "near-duplicate signatures"),
    ]
    Store.open(store_url).close()
    assert _recorded(store_url) == first


def _add_watchlist(conn: Connection) -> None:
    Table("watchlist", MetaData(), Column("id", Integer, primary_key=True)).create(conn)


def test_a_new_migration_applies_once_on_an_existing_database(store_url: str) -> None:
    Store.open(store_url).close()
    later = (*MIGRATIONS, Migration(99, "add watchlist", _add_watchlist))
    engine = _engine(store_url)
    with engine.begin() as conn:
        assert migrate(conn, later) == [99]
    with engine.begin() as conn:
        assert migrate(conn, later) == []
        assert applied_versions(conn) == [1, 2, 3, 4, 5, 6, 99]
    assert "watchlist" in inspect(engine).get_table_names()
    engine.dispose()


def test_a_database_from_a_newer_program_is_refused(store_url: str) -> None:
    Store.open(store_url).close()
    engine = _engine(store_url)
    with engine.begin() as conn:
        conn.execute(
            insert(schema_migrations).values(
                version=999, name="future", applied_at=datetime.now(UTC)
            )
        )
    engine.dispose()
    with pytest.raises(StoreError, match=r"versions \[999\]"):
        Store.open(store_url)


def _describe(engine: Engine) -> dict[str, Any]:
    """Tables, columns, keys, uniques, indexes and checks as the database reports them."""
    inspector = inspect(engine)
    described: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        described[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign_keys": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"], str(fk["options"]))
                for fk in inspector.get_foreign_keys(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
            "indexes": sorted(
                (tuple(map(str, i["column_names"])), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "checks": sorted(c["name"] or "" for c in inspector.get_check_constraints(table)),
        }
    return described


def test_migrated_schema_matches_schema_py(new_db_url: NewUrl) -> None:
    migrated_url, declared_url = new_db_url(), new_db_url()
    Store.open(migrated_url).close()
    declared = _engine(declared_url)
    metadata.create_all(declared)
    migrated = _engine(migrated_url)
    assert _describe(migrated) == _describe(declared)
    assert set(_describe(migrated)) == set(metadata.tables)
    migrated.dispose()
    declared.dispose()


def test_sqlite_database_gets_its_folder_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "data" / "pohang-watch.db"
    with Store.open(f"sqlite:///{path}") as store:
        assert store.article_count() == 0
    assert path.is_file()
    engine = _engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_unreachable_database_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot open|cannot migrate"):
        Store.open("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(StoreError):
        Store.open("mysql://somewhere/db")


def test_sqlite_folder_that_cannot_be_made_is_a_store_error_naming_it() -> None:
    with pytest.raises(StoreError, match=r"/proc/nope/x\.db") as raised:
        Store.open("sqlite:////proc/nope/x.db")
    assert isinstance(raised.value.__cause__, OSError)
