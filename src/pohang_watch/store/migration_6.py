"""Migration 6: the MinHash signature of every article with LSH bands (`article_signatures`).

The near-duplicate check drops candidates by their signature before reading their text; the
articles stored before this version get theirs here, from their stored paragraphs.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    exists,
    insert,
    select,
)

from pohang_watch.neardup import MIN_SHINGLES, shingles, signature, signature_bytes

_BATCH = 500


def article_signatures(conn: Connection) -> None:
    """Version 6: the table, then a signature for each article that has bands."""
    meta = MetaData()
    articles = Table(
        "articles", meta, Column("id", Integer, primary_key=True), Column("paragraphs", JSON)
    )
    bands = Table("article_bands", meta, Column("article_pk", Integer))
    signatures = Table(
        "article_signatures",
        meta,
        Column(
            "article_pk",
            Integer,
            ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        Column("minhash", LargeBinary, nullable=False),
    )
    signatures.create(conn)
    banded = exists().where(bands.c.article_pk == articles.c.id)
    after = 0
    while True:
        query = (
            select(articles.c.id, articles.c.paragraphs)
            .where(articles.c.id > after, banded)
            .order_by(articles.c.id)
            .limit(_BATCH)
        )
        chunk = conn.execute(query).all()
        if not chunk:
            return
        rows = [row for row in map(_signature_row, chunk) if row is not None]
        if rows:
            conn.execute(insert(signatures), rows)
        after = chunk[-1].id


def _signature_row(row: Any) -> dict[str, Any] | None:
    paragraphs = json.loads(row.paragraphs) if isinstance(row.paragraphs, str) else row.paragraphs
    body = shingles(paragraphs or ())
    if len(body) < MIN_SHINGLES:
        return None
    return {"article_pk": row.id, "minhash": signature_bytes(signature(body))}
