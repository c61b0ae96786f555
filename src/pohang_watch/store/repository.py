"""The Store: the one door to the database for the corpus, the ledger and the outbox.

Every write is one transaction: a batch of articles, its ledger changes and their alerts are
stored together or not at all, so a crash never loses an alert and a failed batch changes
nothing. SQLAlchemy errors become `StoreError` in one place, `_database_errors`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, and_, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from pohang_watch.errors import StoreError
from pohang_watch.ledger import Alert, LedgerChange, LedgerEntry, OutboxAlert, diff_items, item_key
from pohang_watch.models import ExtractedArticle
from pohang_watch.sources.http import FetchedPage, Validators
from pohang_watch.store.archive import (
    ArchivedPage,
    StoredArticle,
    get_validators,
    known_ids,
    page_chunk,
    put_validators,
    unarchived_article_chunk,
    upsert_pages,
)
from pohang_watch.store.corpus import chunks, store_articles
from pohang_watch.store.delivery_rows import (
    CLAIM_LEASE,
    Claim,
    claim,
    record_attempt,
    register_targets,
    release,
    start_points,
)
from pohang_watch.store.engine import create_store_engine, writer
from pohang_watch.store.ledger_rows import (
    apply_changes,
    count_mentions,
    enqueue_alerts,
    entry_from_row,
    load_entries,
)
from pohang_watch.store.migrations import migrate
from pohang_watch.store.reparse_rows import rewrite_articles
from pohang_watch.store.schema import articles, deliveries, ledger_entries, outbox

_MAX_ERROR_CHARS = 1000


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What one batch did to the corpus, the ledger and the outbox."""

    stored: int
    duplicates: dict[str, int]  # DuplicateReason value → count
    changes: tuple[LedgerChange, ...]
    alerts_enqueued: int
    updated: int = 0  # stored articles rewritten in place (reparse)


def _shown_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


@contextmanager
def _database_errors(action: str) -> Iterator[None]:
    """Turn any SQLAlchemy error into StoreError, without the SQL parameters (article text)."""
    try:
        yield
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        message = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
        raise StoreError(f"{action}: {type(cause).__name__}: {message}") from exc


class Store:
    """Corpus, ledger and outbox in one SQLite or PostgreSQL database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect and bring the schema to the newest version; errors name the database
        (without its password) so a wrong setting is easy to spot."""
        shown = _shown_url(url)
        with _database_errors(f"cannot open the database {shown}"):
            store = cls(create_store_engine(url))
        try:
            with store._write(f"cannot migrate the database {shown}") as conn:
                migrate(conn)
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self, action: str) -> Iterator[Connection]:
        with _database_errors(action), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with _database_errors(action), self._engine.connect() as conn:
            yield conn

    def record_articles(
        self,
        extracted: Sequence[ExtractedArticle],
        *,
        source_run: str,
        enqueue: bool = True,
    ) -> RecordOutcome:
        """Store a batch's new articles, diff their items against the ledger, queue alerts.

        With `enqueue=False` (a backfill) the ledger still changes but no alert is queued, so
        history does not flood anyone; the caller can summarise `changes` instead.
        """
        now = datetime.now(UTC)
        with self._write("cannot record the batch") as conn:
            corpus = store_articles(conn, extracted, source_run=source_run, now=now)
            changes, enqueued = _record_items(conn, corpus.new, corpus.pks, now, enqueue)
        return RecordOutcome(
            stored=len(corpus.new),
            duplicates=corpus.duplicates,
            changes=tuple(changes),
            alerts_enqueued=enqueued,
        )

    def reparse_articles(
        self,
        extracted: Sequence[ExtractedArticle],
        *,
        source_run: str,
        enqueue: bool = False,
    ) -> RecordOutcome:
        """Rewrite stored articles in place with a new parse or extraction, replacing their
        mentions; articles not stored yet (and about Pohang) are stored as by `record_articles`.

        Items already in the ledger come back RESTATED (no alert) unless the new reading
        changed their status, target or amount; with `enqueue=False` nothing is queued.
        """
        now = datetime.now(UTC)
        with self._write("cannot record the reparsed batch") as conn:
            rewrite = rewrite_articles(conn, extracted)
            corpus = store_articles(conn, rewrite.fresh, source_run=source_run, now=now)
            recorded = [*rewrite.about, *corpus.new]
            pks = rewrite.pks | corpus.pks
            changes, enqueued = _record_items(conn, recorded, pks, now, enqueue)
            count_mentions(conn, rewrite.stale_entries)
        return RecordOutcome(
            stored=len(corpus.new),
            duplicates=dict(rewrite.duplicates + Counter(corpus.duplicates)),
            changes=tuple(changes),
            alerts_enqueued=enqueued,
            updated=len(rewrite.pks),
        )

    def archive_pages(self, pages: Sequence[FetchedPage]) -> None:
        """Keep fetched article pages (compressed); a page fetched again replaces its row."""
        with self._write("cannot archive fetched pages") as conn:
            upsert_pages(conn, pages)

    def archived_pages(self, since: datetime | None = None) -> Iterator[ArchivedPage]:
        """Archived pages fetched at or after `since`, oldest first, read a chunk at a time."""
        after = 0
        while True:
            with self._read("cannot read the raw archive") as conn:
                chunk = page_chunk(conn, after, since)
            if not chunk:
                return
            yield from chunk
            after = chunk[-1].id

    def unarchived_articles(self, since: datetime | None = None) -> Iterator[StoredArticle]:
        """Stored articles with no archived page (from saved pages), first seen at or after
        `since`, a chunk at a time."""
        after = 0
        while True:
            with self._read("cannot read articles") as conn:
                chunk = unarchived_article_chunk(conn, after, since)
            if not chunk:
                return
            yield from chunk
            after = chunk[-1].pk

    def known_article_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored or already fetched (discovery's `is_known`)."""
        with self._read("cannot look up article ids") as conn:
            return known_ids(conn, ids)

    def listing_validators(self, url: str) -> Validators | None:
        with self._read("cannot read listing validators") as conn:
            return get_validators(conn, url)

    def save_listing_validators(self, url: str, validators: Validators) -> None:
        with self._write("cannot save listing validators") as conn:
            put_validators(conn, url, validators, datetime.now(UTC))

    def ledger_entries(self) -> list[LedgerEntry]:
        """Every entry, in the order first seen."""
        query = select(ledger_entries).order_by(ledger_entries.c.created_at, ledger_entries.c.id)
        with self._read("cannot read the ledger") as conn:
            return [entry_from_row(row) for row in conn.execute(query)]

    def article_count(self) -> int:
        with self._read("cannot count articles") as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())

    def register_targets(self, named: Mapping[str, str]) -> None:
        """Remember these targets (id → redacted name); one seen for the first time receives
        only alerts no target has been told about yet, and everything after."""
        with self._write("cannot register the targets") as conn:
            register_targets(conn, named, datetime.now(UTC))

    def pending_alerts(
        self, target_ids: Sequence[str], *, kinds: Sequence[str] | None = None
    ) -> list[OutboxAlert]:
        """Alerts some of these targets have not received yet (oldest first), optionally only
        of these kinds; each says which of the targets it is missing. A registered target
        never misses an alert from before its start point."""
        targets = sorted(set(target_ids))
        if not targets:
            return []
        delivered = (
            select(func.count())
            .select_from(deliveries)
            .where(
                deliveries.c.alert_pk == outbox.c.id,
                deliveries.c.sent_at.is_not(None),
                deliveries.c.target_id.in_(targets),
            )
            .scalar_subquery()
        )
        with self._read("cannot read the outbox") as conn:
            starts = start_points(conn, targets)
            query = (
                select(outbox)
                .where(delivered < len(targets), outbox.c.id > min(starts.values()))
                .order_by(outbox.c.id)
            )
            if kinds is not None:
                query = query.where(outbox.c.kind.in_(sorted(set(kinds))))
            rows = list(conn.execute(query))
            received = self._received(conn, [row.id for row in rows], targets)
        pending = (_outbox_alert(row, starts, received.get(row.id, set())) for row in rows)
        return [alert for alert in pending if alert.missing_targets]

    @staticmethod
    def _received(
        conn: Connection, alert_pks: Sequence[int], targets: Sequence[str]
    ) -> dict[int, set[str]]:
        received: dict[int, set[str]] = {}
        for chunk in chunks(alert_pks):
            query = select(deliveries.c.alert_pk, deliveries.c.target_id).where(
                and_(
                    deliveries.c.alert_pk.in_(chunk),
                    deliveries.c.target_id.in_(targets),
                    deliveries.c.sent_at.is_not(None),
                )
            )
            for alert_pk, target_id in conn.execute(query):
                received.setdefault(alert_pk, set()).add(target_id)
        return received

    def claim_alerts(
        self, alert_ids: Sequence[int], target_id: str, *, lease: timedelta = CLAIM_LEASE
    ) -> Claim:
        """Reserve these alerts for sending to the target; the claim holds only those no other
        sender holds, so two deliveries running at once never send the same alert twice."""
        with self._write("cannot claim alerts") as conn:
            return claim(conn, alert_ids, target_id, datetime.now(UTC), lease)

    def release_claim(self, held: Claim, alert_ids: Sequence[int] | None = None) -> None:
        """Give back claimed alerts that were not sent (all of the claim by default)."""
        with self._write("cannot release claimed alerts") as conn:
            release(conn, held, held.alert_ids if alert_ids is None else alert_ids)

    def record_delivery(self, alert_ids: Sequence[int], target_id: str) -> None:
        """Mark the alerts as received by the target; they are no longer pending for it."""
        now = datetime.now(UTC)
        with self._write("cannot record a delivery") as conn:
            record_attempt(conn, alert_ids, target_id, now, {"sent_at": now, "last_error": None})

    def record_delivery_failure(self, alert_ids: Sequence[int], target_id: str, error: str) -> None:
        """Note a failed send; the alerts stay pending for this target and are retried."""
        outcome = {"sent_at": None, "last_error": error[:_MAX_ERROR_CHARS]}
        with self._write("cannot record a delivery") as conn:
            record_attempt(conn, alert_ids, target_id, datetime.now(UTC), outcome)


class StoredValidatorCache:
    """Listing validators kept in the database: `sources.discovery.ValidatorCache`."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, url: str) -> Validators | None:
        return self._store.listing_validators(url)

    def put(self, url: str, validators: Validators) -> None:
        self._store.save_listing_validators(url, validators)


def _record_items(
    conn: Connection,
    recorded: Sequence[ExtractedArticle],
    article_pks: Mapping[str, int],
    now: datetime,
    enqueue: bool,
) -> tuple[list[LedgerChange], int]:
    """Diff the articles' items against the ledger, apply the changes, queue their alerts."""
    mentioned = [(e, item) for e in recorded for item in e.items]
    known = load_entries(conn, (item_key(item) for _, item in mentioned))
    changes = diff_items(mentioned, known, seen_at=now)
    entry_pks = apply_changes(conn, changes, article_pks, now)
    enqueued = enqueue_alerts(conn, changes, entry_pks, now) if enqueue else 0
    return changes, enqueued


def _outbox_alert(row: Any, starts: Mapping[str, int], received: set[str]) -> OutboxAlert:
    try:
        alert = Alert.from_payload(row.payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"outbox row {row.id} has a malformed payload: {exc!r}") from exc
    return OutboxAlert(
        id=row.id,
        alert_key=row.alert_key,
        alert=alert,
        created_at=row.created_at,
        missing_targets=tuple(
            target for target, start in starts.items() if row.id > start and target not in received
        ),
    )
