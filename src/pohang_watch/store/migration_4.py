"""Migration 4: match buckets, so a mention is matched without reading its whole group.

Each ledger entry gets `match_bucket` (its group and, for a commitment, its object's numbers)
and `match_object` (the object fuzzy matching compares), and an index on the bucket. Existing
entries are filled in here, so a database from before this version finds every candidate a new
one would.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    select,
    text,
    update,
)
from sqlalchemy.schema import CreateIndex

from pohang_watch.matching import bucket_hash, bucket_key, group_key, object_text

_BATCH = 500


def _frozen_entries(meta: MetaData) -> Table:
    """The version-4 shape of the columns this migration reads and writes."""
    return Table(
        "ledger_entries",
        meta,
        Column("id", Integer, primary_key=True),
        Column("kind", String(16)),
        Column("actor", Text),
        Column("what", Text),
        Column("parties", Text),
        Column("partnership_kind", String(50)),
        Column("match_bucket", String(64)),
        Column("match_object", Text),
    )


def match_buckets(conn: Connection) -> None:
    """Version 4: the two columns (appended last, the same on SQLite and PostgreSQL), their
    index, then every existing entry's bucket and object."""
    entries = _frozen_entries(MetaData())
    for name in ("match_bucket", "match_object"):
        kind = entries.c[name].type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE ledger_entries ADD COLUMN {name} {kind}"))
    conn.execute(CreateIndex(Index("ix_ledger_entries_match_bucket", entries.c.match_bucket)))
    _fill(conn, entries)


def _fill(conn: Connection, entries: Table) -> None:
    statement = (
        update(entries)
        .where(entries.c.id == bindparam("b_id"))
        .values(match_bucket=bindparam("b_bucket"), match_object=bindparam("b_object"))
    )
    after = 0
    while True:
        query = (
            select(
                entries.c.id,
                entries.c.kind,
                entries.c.actor,
                entries.c.what,
                entries.c.parties,
                entries.c.partnership_kind,
            )
            .where(entries.c.id > after)
            .order_by(entries.c.id)
            .limit(_BATCH)
        )
        chunk = conn.execute(query).all()
        if not chunk:
            return
        conn.execute(statement, [_bucket_row(row) for row in chunk])
        after = chunk[-1].id


def _bucket_row(row: Any) -> dict[str, Any]:
    parties = json.loads(row.parties) if isinstance(row.parties, str) else row.parties
    parties = tuple(parties or ())
    if row.kind == "commitment":
        words = object_text(row.what)
    else:
        words = object_text(row.what, parties=parties, kind=row.partnership_kind or "")
    group = group_key(row.kind, row.actor, parties, row.partnership_kind)
    return {
        "b_id": row.id,
        "b_bucket": bucket_hash(group, bucket_key(row.kind, words)),
        "b_object": words,
    }
