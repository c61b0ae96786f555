"""Migration 5: the fingerprints of saved pages judged by earlier runs (`judged_pages`)."""

from __future__ import annotations

from sqlalchemy import Column, Connection, DateTime, MetaData, String, Table, Text


def judged_pages(conn: Connection) -> None:
    """Version 5: one table, empty: every saved page is read once more after the upgrade."""
    Table(
        "judged_pages",
        MetaData(),
        Column("fingerprint", String(64), primary_key=True),
        Column("source", Text, nullable=False),
        Column("judged_at", DateTime(timezone=True), nullable=False),
    ).create(conn)
