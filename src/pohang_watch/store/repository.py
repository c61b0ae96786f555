"""The Store: the one door to the database for the corpus, the ledger and the outbox.

Every write is one transaction: a batch of articles, its ledger changes and their alerts are
stored together or not at all, so a crash never loses an alert and a failed batch changes
nothing. SQLAlchemy errors become `StoreError` in one place, `_database_errors`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, and_, func, select
from sqlalchemy.exc import SQLAlchemyError

from pohang_watch.errors import StoreError
from pohang_watch.ledger import Alert, LedgerChange, LedgerEntry, OutboxAlert, diff_items, item_key
from pohang_watch.models import ExtractedArticle
from pohang_watch.store.corpus import chunks, store_articles
from pohang_watch.store.engine import create_store_engine, dialect_insert, writer
from pohang_watch.store.ledger_rows import (
    apply_changes,
    enqueue_alerts,
    entry_from_row,
    load_entries,
)
from pohang_watch.store.migrations import migrate
from pohang_watch.store.schema import articles, deliveries, ledger_entries, outbox

_MAX_ERROR_CHARS = 1000


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What one batch did to the corpus, the ledger and the outbox."""

    stored: int
    duplicates: dict[str, int]  # DuplicateReason value → count
    changes: tuple[LedgerChange, ...]
    alerts_enqueued: int


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
        """Connect and bring the schema to the newest version."""
        with _database_errors("cannot open the database"):
            store = cls(create_store_engine(url))
        try:
            with store._write("cannot migrate the database") as conn:
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
            mentioned = [(e, item) for e in corpus.new for item in e.items]
            known = load_entries(conn, (item_key(item) for _, item in mentioned))
            changes = diff_items(mentioned, known)
            entry_pks = apply_changes(conn, changes, corpus.pks, now)
            enqueued = enqueue_alerts(conn, changes, entry_pks, now) if enqueue else 0
        return RecordOutcome(
            stored=len(corpus.new),
            duplicates=corpus.duplicates,
            changes=tuple(changes),
            alerts_enqueued=enqueued,
        )

    def ledger_entries(self) -> list[LedgerEntry]:
        """Every entry, in the order first seen."""
        query = select(ledger_entries).order_by(ledger_entries.c.created_at, ledger_entries.c.id)
        with self._read("cannot read the ledger") as conn:
            return [entry_from_row(row) for row in conn.execute(query)]

    def article_count(self) -> int:
        with self._read("cannot count articles") as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())

    def pending_alerts(
        self, target_ids: Sequence[str], *, kinds: Sequence[str] | None = None
    ) -> list[OutboxAlert]:
        """Alerts some of these targets have not received yet (oldest first), optionally only
        of these kinds; each says which of the targets it is missing."""
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
        query = select(outbox).where(delivered < len(targets)).order_by(outbox.c.id)
        if kinds is not None:
            query = query.where(outbox.c.kind.in_(sorted(set(kinds))))
        with self._read("cannot read the outbox") as conn:
            rows = list(conn.execute(query))
            received = self._received(conn, [row.id for row in rows], targets)
        return [_outbox_alert(row, targets, received.get(row.id, set())) for row in rows]

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

    def record_delivery(self, alert_ids: Sequence[int], target_id: str) -> None:
        """Mark the alerts as received by the target; they are no longer pending for it."""
        now = datetime.now(UTC)
        self._record_attempt(
            alert_ids,
            target_id,
            now,
            {"sent_at": now, "last_error": None},
        )

    def record_delivery_failure(self, alert_ids: Sequence[int], target_id: str, error: str) -> None:
        """Note a failed send; the alerts stay pending for this target and are retried."""
        now = datetime.now(UTC)
        self._record_attempt(
            alert_ids,
            target_id,
            now,
            {"sent_at": None, "last_error": error[:_MAX_ERROR_CHARS]},
        )

    def _record_attempt(
        self, alert_ids: Sequence[int], target_id: str, now: datetime, outcome: dict[str, Any]
    ) -> None:
        """Upsert one deliveries row per alert; a failure never un-marks an earlier success."""
        rows = [
            {
                "alert_pk": pk,
                "target_id": target_id,
                "attempts": 1,
                "last_attempt_at": now,
                **outcome,
            }
            for pk in sorted(set(alert_ids))
        ]
        if not rows:
            return
        with self._write("cannot record a delivery") as conn:
            statement = dialect_insert(conn, deliveries)
            changes: dict[str, Any] = {
                "attempts": deliveries.c.attempts + 1,
                "last_attempt_at": statement.excluded.last_attempt_at,
                "last_error": statement.excluded.last_error,
            }
            if outcome["sent_at"] is not None:
                changes["sent_at"] = statement.excluded.sent_at
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=[deliveries.c.alert_pk, deliveries.c.target_id], set_=changes
                ),
                rows,
            )


def _outbox_alert(row: Any, targets: Sequence[str], received: set[str]) -> OutboxAlert:
    try:
        alert = Alert.from_payload(row.payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"outbox row {row.id} has a malformed payload: {exc!r}") from exc
    return OutboxAlert(
        id=row.id,
        alert_key=row.alert_key,
        alert=alert,
        created_at=row.created_at,
        missing_targets=tuple(t for t in targets if t not in received),
    )
