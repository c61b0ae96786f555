"""Saved pages judged by an earlier run: fingerprints of their bytes and rules
(pipeline/unchanged.py decides what goes in; here they are only looked up and added)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Connection, select

from pohang_watch.store.corpus import chunks
from pohang_watch.store.engine import dialect_insert
from pohang_watch.store.schema import judged_pages


def known_fingerprints(conn: Connection, fingerprints: Iterable[str]) -> set[str]:
    """Which of these fingerprints are recorded: one indexed IN query per chunk."""
    found: set[str] = set()
    column = judged_pages.c.fingerprint
    for chunk in chunks(sorted(set(fingerprints))):
        found.update(conn.execute(select(column).where(column.in_(chunk))).scalars())
    return found


def add_fingerprints(conn: Connection, rows: Sequence[tuple[str, str]], now: datetime) -> None:
    """Record (fingerprint, source) pairs; one recorded already (another run) is left as is."""
    values = [{"fingerprint": f, "source": source, "judged_at": now} for f, source in rows]
    statement = dialect_insert(conn, judged_pages).on_conflict_do_nothing()
    for chunk in chunks(values):
        conn.execute(statement, chunk)
