"""The current tables, as SQLAlchemy Core.

This is what the code reads and writes. Migrations (`migrations.py`) build the same tables step
by step with their own frozen definitions; a test compares the two, so a change here without a
migration fails the suite.

    articles ─┬─< article_urls          every URL an article was seen under
              ├─< article_bands         MinHash LSH bands: near-duplicate candidates by index
              ├── article_signatures    MinHash signatures: weak candidates dropped unread
              ├─< mentions >── ledger_entries ─< outbox ─< deliveries >── targets
    raw_pages                           every article page fetched, compressed (reparse)
    listing_validators                  ETag / Last-Modified of listing pages (304s)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes in UTC on every backend.

    SQLite has no timezone type and would hand back naive values; storing UTC and re-attaching
    it on the way out keeps comparisons and ISO output right on both SQLite and PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware one")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(32), unique=True),
    Column("url", Text, unique=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("subtitles", JSON, nullable=False),
    Column("published_at", UtcDateTime),
    Column("byline", Text),
    Column("paragraphs", JSON, nullable=False),
    Column("captions", JSON, nullable=False),
    Column("source", Text, nullable=False),
    Column("source_run", String(200), nullable=False),
    Column("relevance", Float, nullable=False),
    Column("about_pohang", Boolean, nullable=False),
    Column("first_seen_at", UtcDateTime, nullable=False),
    CheckConstraint("relevance >= 0 AND relevance <= 1", name="ck_articles_relevance"),
    # The first stored article of the story this one republishes or lightly edits (a
    # near-duplicate); NULL for an original. Its items are diffed like any article's.
    Column("story_pk", Integer, index=True),
)

# One row per LSH band of an article's MinHash: articles sharing any (band, band_hash) are
# near-duplicate candidates, found by an indexed IN query whatever the corpus size.
article_bands = Table(
    "article_bands",
    metadata,
    Column(
        "article_pk",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("band", Integer, primary_key=True, autoincrement=False),
    Column("band_hash", BigInteger, nullable=False),
    # Hash first: the lookup is `band_hash IN (…)`, which every backend answers from this
    # index (SQLite scans the table for a row-value IN over (band, band_hash)).
    Index("ix_article_bands_hash", "band_hash", "band"),
)

# The MinHash signature of an article with bands (`neardup.signature_bytes`): candidates that
# share a band by chance are dropped by their signature before their text is read.
article_signatures = Table(
    "article_signatures",
    metadata,
    Column(
        "article_pk",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("minhash", LargeBinary, nullable=False),
)

article_urls = Table(
    "article_urls",
    metadata,
    Column("url", Text, primary_key=True),
    Column(
        "article_pk",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    # The key can be long (it holds the normalised "what"); unique on its sha256 keeps the
    # index small on PostgreSQL, whose btree entries have a size limit.
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
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Published time (else first-seen time) of the mention the current state came from; an
    # older mention is recorded but cannot move the state back.
    Column("state_at", UtcDateTime, nullable=False),
    # sha256 of the match group (kind and normalised actor, or parties and partnership kind):
    # a mention is compared, fuzzily, only with the entries of its group, found by this index.
    Column("group_hash", String(64), index=True),
    # Evidence and link of the mention the current state came from: an UPDATED alert quotes
    # them beside the new mention's.
    Column("state_evidence", Text),
    Column("state_url", Text),
    # sha256 of the match group and, for commitments, the object's numbers (`ledger.item_bucket`):
    # every entry a mention could match is in its bucket, read by this index, and of those only
    # the candidates (`ledger.candidate_ids`, from `match_object`) are loaded. Both are derived
    # from `matching.object_text`: a change to it needs a migration that recomputes them.
    Column("match_bucket", String(64), index=True),
    Column("match_object", Text),
)

mentions = Table(
    "mentions",
    metadata,
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
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("entry_pk", "article_pk", name="uq_mentions_entry_article"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("alert_key", String(64), nullable=False, unique=True),
    Column("change", String(16), nullable=False),
    Column("kind", String(16), nullable=False, index=True),
    Column("entry_pk", Integer, ForeignKey("ledger_entries.id"), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False, index=True),  # digests read a period
)

# One row per (alert, target) once a send was claimed or tried: delivered when sent_at is set;
# otherwise the failure count and last error, and the alert stays pending for that target only.
# A sender claims a row (claim_token, claimed_until) before sending so that two processes never
# both send it; the lease runs out on its own if the sender dies mid-send.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "alert_pk",
        Integer,
        ForeignKey("outbox.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("target_id", String(64), nullable=False),
    Column("sent_at", UtcDateTime),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("last_attempt_at", UtcDateTime),
    Column("claim_token", String(32)),
    Column("claimed_until", UtcDateTime),
    UniqueConstraint("alert_pk", "target_id", name="uq_deliveries_alert_target"),
)

# Every target ever delivered to. A target added later starts after the alerts some target was
# already told about, so adding Slack after a console demo does not replay history.
targets = Table(
    "targets",
    metadata,
    Column("target_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),  # redacted: never the URL
    Column("registered_at", UtcDateTime, nullable=False),
    Column("start_after_alert_pk", Integer, nullable=False),
    # Health, for the `ops` route: consecutive failed sends, when that was reported (cleared,
    # and reported again, on recovery), and the last successful send (per-route intervals).
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("down_reported_at", UtcDateTime),
    Column("last_sent_at", UtcDateTime),
)

# Every article page fetched from the live site, body zlib-compressed, so a better parser or
# extractor can rebuild the corpus without fetching again (`pohang-watch reparse`). Pages not
# about Pohang are kept too: they are never fetched twice, and a relevance change can take them.
raw_pages = Table(
    "raw_pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),  # as requested (canonical article URL)
    Column("final_url", Text, nullable=False),
    Column("article_id", String(32), index=True),
    Column("status", Integer, nullable=False),
    Column("headers", JSON, nullable=False),  # only those that matter (FetchedPage.headers)
    Column("fetched_at", UtcDateTime, nullable=False, index=True),
    Column("sha256", String(64), nullable=False),  # of the uncompressed body
    Column("content", LargeBinary, nullable=False),
)

# Validators of listing pages whose articles are safely stored: the next run asks
# "changed since?" and an unchanged page costs a 304 instead of a download.
listing_validators = Table(
    "listing_validators",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Saved pages an earlier run judged (stored, duplicate or not about Pohang), by a fingerprint of
# their bytes and of the rules that judged them (pipeline/unchanged.py): an unchanged page in a
# watched folder is skipped before it is parsed.
judged_pages = Table(
    "judged_pages",
    metadata,
    Column("fingerprint", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("judged_at", UtcDateTime, nullable=False),
)
