"""Engines for SQLite and PostgreSQL, and the few places the two dialects differ.

SQLite needs care to behave like a real database: foreign keys are off by default, writers
should wait instead of failing at once, WAL lets readers run beside a writer, and pysqlite's own
transaction handling skips DDL and SAVEPOINTs. So we take over BEGIN ourselves (the recipe in
SQLAlchemy's SQLite docs) and begin write transactions IMMEDIATE, which takes the write lock
up front instead of failing half-way when two writers meet.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Insert,
    Table,
    Update,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.sql.compiler import SQLCompiler

from pohang_watch.errors import StoreError

BUSY_TIMEOUT_MS = 30_000
# Keys of PostgreSQL advisory locks (any fixed 64-bit numbers no other program on the database
# uses): ASCII "pohang" + "LG" (ledger) and + "MG" (migrations).
LEDGER_LOCK = 0x706F68616E674C47
MIGRATION_LOCK = 0x706F68616E674D47
# SQLSTATEs after which PostgreSQL has rolled the transaction back and running it again can
# succeed: deadlock_detected and serialization_failure.
_RETRYABLE = frozenset({"40P01", "40001"})
_BEGIN_OPTION = "pohang_watch_begin"
_WAL_RETRY_SECONDS = 0.01


def create_store_engine(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, with SQLite's folder created and tuned."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _create_sqlite_folder(parsed.database)
        engine = create_engine(parsed)
        _tune_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True)
    raise StoreError(f"unsupported database backend {parsed.get_backend_name()!r}")


def writer(engine: Engine) -> Engine:
    """The same engine, beginning its transactions for writing (IMMEDIATE on SQLite)."""
    return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})


def _create_sqlite_folder(database: str | None) -> None:
    """Create the database's folder; an unusable path is a StoreError naming it, so the CLI
    reports a configuration problem instead of a traceback."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StoreError(
            f"cannot create the folder {folder} for database {database}: {reason}"
        ) from exc


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _use_wal(cursor: Any) -> None:
    """Switch the database to WAL (a no-op once it is). Switching a new database needs it to
    itself, and SQLite answers "locked" at once rather than calling the busy handler when
    another connection has it open: two runs creating the database at the same moment. So wait
    here, as long as the busy timeout, for the other to finish."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(_WAL_RETRY_SECONDS)


def dialect_insert(conn: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT that supports ON CONFLICT on both backends (insert-or-ignore, upsert)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def execute_many(
    conn: Connection, statement: Insert | Update, rows: Sequence[Mapping[str, Any]]
) -> int:
    """`conn.execute(statement, rows)` for rows that give every parameter of the statement,
    through the driver's own executemany: SQLAlchemy builds and converts each row's parameters
    in Python, which costs more than SQLite's own work for the thousands of band, mention and
    entry rows of a batch. The statement is compiled once, and the values converted a column
    at a time by the bound parameters' types. Returns the rows changed (an insert that did
    nothing on a conflict changed none)."""
    if not rows:
        return 0
    dialect = conn.dialect
    names = list(rows[0])
    compiled = statement.compile(dialect=dialect, column_keys=names, for_executemany=True)
    assert isinstance(compiled, SQLCompiler)
    columns: dict[str, list[Any]] = {}
    for name in names:
        values = [row[name] for row in rows]
        process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        columns[name] = list(map(process, values)) if process else values
    params: list[Any]
    if compiled.positional:
        order = compiled.positiontup or []
        params = list(zip(*(columns[name] for name in order), strict=True))
    else:
        params = [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]
    return conn.exec_driver_sql(str(compiled), params).rowcount


def serialise(conn: Connection, key: int) -> None:
    """Hold the advisory lock `key` until this transaction ends (PostgreSQL; a no-op on SQLite,
    whose IMMEDIATE write transactions already run one at a time).

    For the read-decide-write sections that no unique constraint can make safe: the lock is
    released only at commit or rollback, after the holder's rows are visible, so the next
    holder's reads (READ COMMITTED: a fresh snapshot per statement) see everything it wrote.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(key)))


def retryable(error: BaseException) -> bool:
    """Whether the database rolled the transaction back to break a deadlock or a serialisation
    conflict, so that running the same transaction again is the right answer."""
    orig = getattr(error, "orig", None)
    return getattr(orig, "sqlstate", None) in _RETRYABLE
