"""Small recorded migrations, applied in order and remembered in `schema_migrations`.

Each migration is a function over a Connection that builds its own frozen table definitions
with SQLAlchemy DDL, so it means the same thing on SQLite and PostgreSQL forever; it never
creates "the current schema" from `schema.py`, which moves on. To change the schema: edit
`schema.py`, then append a migration here that takes an existing database to match (the schema
test compares a migrated database with `schema.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
)

from pohang_watch.errors import StoreError
from pohang_watch.store.engine import MIGRATION_LOCK, serialise
from pohang_watch.store.migration_3 import near_duplicates_and_health
from pohang_watch.store.migration_4 import match_buckets
from pohang_watch.store.migration_5 import judged_pages
from pohang_watch.store.migration_6 import article_signatures
from pohang_watch.store.schema import schema_migrations


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _create_initial_tables(conn: Connection) -> None:
    """Version 1: corpus, ledger, outbox, deliveries and targets."""
    meta = MetaData()
    tables = [
        Table(
            "articles",
            meta,
            Column("id", Integer, primary_key=True),
            Column("article_id", String(32), unique=True),
            Column("url", Text, unique=True),
            Column("content_hash", String(64), nullable=False, unique=True),
            Column("title", Text, nullable=False),
            Column("subtitles", JSON, nullable=False),
            Column("published_at", DateTime(timezone=True)),
            Column("byline", Text),
            Column("paragraphs", JSON, nullable=False),
            Column("captions", JSON, nullable=False),
            Column("source", Text, nullable=False),
            Column("source_run", String(200), nullable=False),
            Column("relevance", Float, nullable=False),
            Column("about_pohang", Boolean, nullable=False),
            Column("first_seen_at", DateTime(timezone=True), nullable=False),
            CheckConstraint("relevance >= 0 AND relevance <= 1", name="ck_articles_relevance"),
        ),
        Table(
            "article_urls",
            meta,
            Column("url", Text, primary_key=True),
            Column(
                "article_pk",
                Integer,
                ForeignKey("articles.id", ondelete="CASCADE"),
                nullable=False,
                index=True,
            ),
        ),
        Table(
            "ledger_entries",
            meta,
            Column("id", Integer, primary_key=True),
            Column("key_hash", String(64), nullable=False, unique=True),
            Column("key", Text, nullable=False),
            Column("kind", String(16), nullable=False),
            Column("actor", Text),
            Column("what", Text, nullable=False),
            Column("parties", JSON, nullable=False),
            Column("partnership_kind", String(50)),
            Column("status", String(50), nullable=False),
            Column("target_year", Integer),
            Column("amount_value", Float),
            Column("amount_currency", String(3)),
            Column("amount_text", Text),
            Column("sector", String(100), nullable=False),
            Column("first_seen", Text, nullable=False),
            Column("first_article_pk", Integer, ForeignKey("articles.id"), nullable=False),
            Column("first_evidence", Text, nullable=False),
            Column("first_url", Text),
            Column("mentions", Integer, nullable=False),
            Column("created_at", DateTime(timezone=True), nullable=False),
            Column("updated_at", DateTime(timezone=True), nullable=False),
            Column("state_at", DateTime(timezone=True), nullable=False),
        ),
        Table(
            "mentions",
            meta,
            Column("id", Integer, primary_key=True),
            Column(
                "entry_pk",
                Integer,
                ForeignKey("ledger_entries.id", ondelete="CASCADE"),
                nullable=False,
            ),
            Column(
                "article_pk",
                Integer,
                ForeignKey("articles.id", ondelete="CASCADE"),
                nullable=False,
                index=True,
            ),
            Column("change", String(16), nullable=False),
            Column("status", String(50), nullable=False),
            Column("target_year", Integer),
            Column("amount_text", Text),
            Column("evidence", Text, nullable=False),
            Column("created_at", DateTime(timezone=True), nullable=False),
            UniqueConstraint("entry_pk", "article_pk", name="uq_mentions_entry_article"),
        ),
        Table(
            "outbox",
            meta,
            Column("id", Integer, primary_key=True),
            Column("alert_key", String(64), nullable=False, unique=True),
            Column("change", String(16), nullable=False),
            Column("kind", String(16), nullable=False, index=True),
            Column("entry_pk", Integer, ForeignKey("ledger_entries.id"), nullable=False),
            Column("payload", JSON, nullable=False),
            Column("created_at", DateTime(timezone=True), nullable=False),
        ),
        Table(
            "deliveries",
            meta,
            Column("id", Integer, primary_key=True),
            Column(
                "alert_pk",
                Integer,
                ForeignKey("outbox.id", ondelete="CASCADE"),
                nullable=False,
            ),
            Column("target_id", String(64), nullable=False),
            Column("sent_at", DateTime(timezone=True)),
            Column("attempts", Integer, nullable=False),
            Column("last_error", Text),
            Column("last_attempt_at", DateTime(timezone=True)),
            Column("claim_token", String(32)),
            Column("claimed_until", DateTime(timezone=True)),
            UniqueConstraint("alert_pk", "target_id", name="uq_deliveries_alert_target"),
        ),
        Table(
            "targets",
            meta,
            Column("target_id", String(64), primary_key=True),
            Column("name", Text, nullable=False),
            Column("registered_at", DateTime(timezone=True), nullable=False),
            Column("start_after_alert_pk", Integer, nullable=False),
        ),
    ]
    for table in tables:
        table.create(conn)


def _create_archive_tables(conn: Connection) -> None:
    """Version 2: the raw archive of fetched article pages and listing validators."""
    meta = MetaData()
    tables = [
        Table(
            "raw_pages",
            meta,
            Column("id", Integer, primary_key=True),
            Column("url", Text, nullable=False, unique=True),
            Column("final_url", Text, nullable=False),
            Column("article_id", String(32), index=True),
            Column("status", Integer, nullable=False),
            Column("headers", JSON, nullable=False),
            Column("fetched_at", DateTime(timezone=True), nullable=False, index=True),
            Column("sha256", String(64), nullable=False),
            Column("content", LargeBinary, nullable=False),
        ),
        Table(
            "listing_validators",
            meta,
            Column("url", Text, primary_key=True),
            Column("etag", Text),
            Column("last_modified", Text),
            Column("updated_at", DateTime(timezone=True), nullable=False),
        ),
    ]
    for table in tables:
        table.create(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial tables", _create_initial_tables),
    Migration(2, "raw archive and listing validators", _create_archive_tables),
    Migration(
        3, "near-duplicates, fuzzy matching groups, target health", near_duplicates_and_health
    ),
    Migration(4, "ledger match buckets", match_buckets),
    Migration(5, "saved pages judged", judged_pages),
    Migration(6, "near-duplicate signatures", article_signatures),
)


def applied_versions(conn: Connection) -> list[int]:
    """Versions already recorded, oldest first (creating the bookkeeping table if needed)."""
    schema_migrations.create(conn, checkfirst=True)
    rows = conn.execute(select(schema_migrations.c.version).order_by(schema_migrations.c.version))
    return [row.version for row in rows]


def migrate(conn: Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[int]:
    """Apply the migrations not yet recorded, in the caller's transaction; return their versions.

    Refuses a database recorded by a newer program: running old code on it could corrupt it.
    On PostgreSQL two processes starting at once on a fresh database would both see no tables
    and both create them; the migration lock makes the second wait and then find them made.
    """
    serialise(conn, MIGRATION_LOCK)
    applied = set(applied_versions(conn))
    known = {migration.version for migration in migrations}
    if unknown := sorted(applied - known):
        raise StoreError(f"database has schema versions {unknown} this program does not know")
    pending = [m for m in sorted(migrations, key=lambda m: m.version) if m.version not in applied]
    for migration in pending:
        migration.apply(conn)
        conn.execute(
            insert(schema_migrations).values(
                version=migration.version, name=migration.name, applied_at=datetime.now(UTC)
            )
        )
    return [migration.version for migration in pending]
