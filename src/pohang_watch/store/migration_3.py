"""Migration 3: near-duplicate bands, fuzzy-matching groups, UPDATED evidence, target health.

Kept apart from `migrations.py` (which holds the frozen tables of versions 1 and 2) because it
also fills the new columns of existing rows: each ledger entry gets its match group and the
evidence of its current state, each stored article its LSH bands, so a database from before
this version matches and de-duplicates exactly like a new one.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.schema import CreateIndex

from pohang_watch.matching import group_hash, group_key
from pohang_watch.neardup import band_hashes, shingles

_BATCH = 500


def _add_column(
    conn: Connection, table: str, column: Column[Any], default: str | None = None
) -> None:
    """ALTER TABLE … ADD COLUMN, the same on SQLite and PostgreSQL (appended last)."""
    kind = column.type.compile(dialect=conn.dialect)
    tail = f" NOT NULL DEFAULT {default}" if default is not None else ""
    conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column.name} {kind}{tail}"))


def _frozen_tables(meta: MetaData) -> dict[str, Table]:
    """The version-3 shapes this migration reads and writes (never `schema.py`'s)."""
    return {
        "articles": Table(
            "articles",
            meta,
            Column("id", Integer, primary_key=True),
            Column("paragraphs", Text),
            Column("story_pk", Integer),
        ),
        "ledger_entries": Table(
            "ledger_entries",
            meta,
            Column("id", Integer, primary_key=True),
            Column("kind", String(16)),
            Column("actor", Text),
            Column("parties", Text),
            Column("partnership_kind", String(50)),
            Column("first_evidence", Text),
            Column("first_url", Text),
            Column("group_hash", String(64)),
            Column("state_evidence", Text),
            Column("state_url", Text),
        ),
    }


def near_duplicates_and_health(conn: Connection) -> None:
    """Version 3: the new columns and table, then the existing rows filled in."""
    meta = MetaData()
    frozen = _frozen_tables(meta)
    _add_column(conn, "articles", Column("story_pk", Integer))
    conn.execute(CreateIndex(Index("ix_articles_story_pk", frozen["articles"].c.story_pk)))
    bands = Table(
        "article_bands",
        meta,
        Column(
            "article_pk", Integer, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
        ),
        Column("band", Integer, primary_key=True, autoincrement=False),
        Column("band_hash", BigInteger, nullable=False),
        Index("ix_article_bands_hash", "band_hash", "band"),
    )
    bands.create(conn)
    entries = frozen["ledger_entries"]
    for name in ("group_hash", "state_evidence", "state_url"):
        _add_column(conn, "ledger_entries", entries.c[name])
    conn.execute(CreateIndex(Index("ix_ledger_entries_group_hash", entries.c.group_hash)))
    _add_column(conn, "targets", Column("failures", Integer), default="0")
    for name in ("last_error",):
        _add_column(conn, "targets", Column(name, Text))
    for name in ("down_reported_at", "last_sent_at"):
        _add_column(conn, "targets", Column(name, DateTime(timezone=True)))
    created = Table("outbox", meta, Column("created_at", DateTime(timezone=True))).c.created_at
    conn.execute(CreateIndex(Index("ix_outbox_created_at", created)))
    _fill_entries(conn, entries)
    _fill_bands(conn, frozen["articles"], bands)


def _fill_entries(conn: Connection, entries: Table) -> None:
    rows = conn.execute(
        select(
            entries.c.id,
            entries.c.kind,
            entries.c.actor,
            entries.c.parties,
            entries.c.partnership_kind,
        )
    ).all()
    for row in rows:
        parties = json.loads(row.parties) if isinstance(row.parties, str) else row.parties
        group = group_key(row.kind, row.actor, parties or (), row.partnership_kind)
        conn.execute(
            update(entries)
            .where(entries.c.id == row.id)
            .values(
                group_hash=group_hash(group),
                state_evidence=entries.c.first_evidence,
                state_url=entries.c.first_url,
            )
        )


def _fill_bands(conn: Connection, articles: Table, bands: Table) -> None:
    after = 0
    while True:
        query = (
            select(articles.c.id, articles.c.paragraphs)
            .where(articles.c.id > after)
            .order_by(articles.c.id)
            .limit(_BATCH)
        )
        chunk = conn.execute(query).all()
        if not chunk:
            return
        rows = [
            {"article_pk": row.id, "band": band, "band_hash": value}
            for row in chunk
            for band, value in band_hashes(shingles(_paragraphs(row.paragraphs)))
        ]
        if rows:
            conn.execute(insert(bands), rows)
        after = chunk[-1].id


def _paragraphs(value: Any) -> list[str]:
    loaded = json.loads(value) if isinstance(value, str) else value
    return [str(p) for p in loaded or []]
