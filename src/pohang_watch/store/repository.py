"""The Store: the one door to the database for the corpus, the ledger and the outbox.

Every write is one transaction: a batch of articles, its ledger changes and their alerts are
stored together or not at all, so a crash never loses an alert and a failed batch changes
nothing. SQLAlchemy errors become `StoreError` in one place, `_database_errors`.

Several runs may record at once (a backfill beside the scheduled ingest, several workers):
articles are claimed by their unique keys (`corpus`), the ledger diff runs under one lock
(`ledger_rows`), and a batch PostgreSQL aborts to break a deadlock is run again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Self, TypeVar

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from pohang_watch.alerts import MuteList
from pohang_watch.errors import StoreError
from pohang_watch.ledger import LedgerChange, LedgerEntry, OutboxAlert
from pohang_watch.matching import MatchRules
from pohang_watch.models import ExtractedArticle
from pohang_watch.neardup import NearDuplicateRules
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
from pohang_watch.store.corpus import store_articles
from pohang_watch.store.delivery_rows import (
    CLAIM_LEASE,
    Claim,
    claim,
    record_attempt,
    register_targets,
    release,
)
from pohang_watch.store.engine import (
    LEDGER_LOCK,
    create_store_engine,
    retryable,
    serialise,
    writer,
)
from pohang_watch.store.health_rows import TargetHealth, mark_reported, note_send, read_health
from pohang_watch.store.judged_rows import add_fingerprints, known_fingerprints
from pohang_watch.store.ledger_rows import count_mentions, entry_from_row, record_items
from pohang_watch.store.migrations import migrate
from pohang_watch.store.outbox_rows import between, pending
from pohang_watch.store.reparse_rows import rewrite_articles
from pohang_watch.store.schema import articles, ledger_entries
from pohang_watch.store.story_rows import link_stories

_MAX_ERROR_CHARS = 1000
_BATCH_ATTEMPTS = 3
T = TypeVar("T")
_NOT_ROUTED = "not routed to this target"


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What one batch did to the corpus, the ledger and the outbox."""

    stored: int
    duplicates: dict[str, int]  # DuplicateReason value → count
    changes: tuple[LedgerChange, ...]
    alerts_enqueued: int
    updated: int = 0  # stored articles rewritten in place (reparse)
    revisions: int = 0  # new articles that republish or lightly edit a stored story


@dataclass(frozen=True, slots=True)
class RecordRules:
    """How recording decides: fuzzy ledger matching, near-duplicate stories, muted items."""

    matching: MatchRules = field(default_factory=MatchRules)
    near_duplicates: NearDuplicateRules = field(default_factory=NearDuplicateRules)
    mutes: MuteList = field(default_factory=MuteList)


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


_DEFAULT_RULES = RecordRules()


class Store:
    """Corpus, ledger and outbox in one SQLite or PostgreSQL database."""

    def __init__(self, engine: Engine, rules: RecordRules = _DEFAULT_RULES) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self.rules = rules

    @classmethod
    def open(cls, url: str, rules: RecordRules = _DEFAULT_RULES) -> Store:
        """Connect and bring the schema to the newest version; errors name the database
        (without its password) so a wrong setting is easy to spot."""
        shown = _shown_url(url)
        with _database_errors(f"cannot open the database {shown}"):
            store = cls(create_store_engine(url), rules)
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

    def _write_batch(self, action: str, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction, again from the start (a bounded number of
        times) if PostgreSQL rolled it back to break a deadlock with another run: the
        batch's rows are inserted in a fixed order so runs storing the same articles queue
        up, but articles that clash on different keys can still meet in opposite orders."""
        for attempt in range(1, _BATCH_ATTEMPTS + 1):
            try:
                with self._write(action) as conn:
                    return work(conn)
            except StoreError as exc:
                if attempt == _BATCH_ATTEMPTS or not retryable(exc.__cause__ or exc):
                    raise
        raise AssertionError("unreachable")

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

        def record(conn: Connection) -> RecordOutcome:
            corpus = store_articles(conn, extracted, source_run=source_run, now=now)
            serialise(conn, LEDGER_LOCK)
            revisions = link_stories(conn, corpus.new, corpus.pks, self.rules.near_duplicates)
            changes, enqueued = record_items(
                conn, corpus.new, corpus.pks, now, self.rules.matching, self.rules.mutes, enqueue
            )
            return RecordOutcome(
                stored=len(corpus.new),
                duplicates=corpus.duplicates,
                changes=tuple(changes),
                alerts_enqueued=enqueued,
                revisions=len(revisions),
            )

        return self._write_batch("cannot record the batch", record)

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

        def reparse(conn: Connection) -> RecordOutcome:
            rewrite = rewrite_articles(conn, extracted)
            corpus = store_articles(conn, rewrite.fresh, source_run=source_run, now=now)
            serialise(conn, LEDGER_LOCK)
            revisions = link_stories(conn, corpus.new, corpus.pks, self.rules.near_duplicates)
            recorded = [*rewrite.about, *corpus.new]
            pks = rewrite.pks | corpus.pks
            changes, enqueued = record_items(
                conn, recorded, pks, now, self.rules.matching, self.rules.mutes, enqueue
            )
            count_mentions(conn, rewrite.stale_entries)
            return RecordOutcome(
                stored=len(corpus.new),
                duplicates=dict(rewrite.duplicates + Counter(corpus.duplicates)),
                changes=tuple(changes),
                alerts_enqueued=enqueued,
                updated=len(rewrite.pks),
                revisions=len(revisions),
            )

        return self._write_batch("cannot record the reparsed batch", reparse)

    def archive_pages(self, pages: Sequence[FetchedPage]) -> None:
        """Keep fetched article pages (compressed); a page fetched again replaces its row."""
        with self._write("cannot archive fetched pages") as conn:
            upsert_pages(conn, pages)

    def archived_pages(self, since: datetime | None = None) -> Iterator[ArchivedPage]:
        """Archived pages fetched at or after `since`, oldest first, read a chunk at a time."""
        return self._read_in_chunks(
            "cannot read the raw archive",
            lambda conn, after: page_chunk(conn, after, since),
            key=lambda page: page.id,
        )

    def unarchived_articles(self, since: datetime | None = None) -> Iterator[StoredArticle]:
        """Stored articles with no archived page (from saved pages), first seen at or after
        `since`, a chunk at a time."""
        return self._read_in_chunks(
            "cannot read articles",
            lambda conn, after: unarchived_article_chunk(conn, after, since),
            key=lambda stored: stored.pk,
        )

    def _read_in_chunks(
        self,
        failure: str,
        read_chunk: Callable[[Connection, int], Sequence[T]],
        *,
        key: Callable[[T], int],
    ) -> Iterator[T]:
        """Rows a chunk at a time, each in its own short read, resuming after the last key:
        a long reparse never holds one read transaction open or all rows in memory."""
        after = 0
        while True:
            with self._read(failure) as conn:
                chunk = read_chunk(conn, after)
            if not chunk:
                return
            yield from chunk
            after = key(chunk[-1])

    def known_article_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored or already fetched (discovery's `is_known`)."""
        with self._read("cannot look up article ids") as conn:
            return known_ids(conn, ids)

    def judged_pages(self, fingerprints: Iterable[str]) -> set[str]:
        """Which of these saved-page fingerprints an earlier run judged (pipeline/unchanged)."""
        with self._read("cannot look up saved pages read before") as conn:
            return known_fingerprints(conn, fingerprints)

    def remember_judged_pages(self, rows: Sequence[tuple[str, str]]) -> None:
        """Record saved pages as judged: (fingerprint, source) pairs."""
        with self._write("cannot record saved pages read") as conn:
            add_fingerprints(conn, rows, datetime.now(UTC))

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
        with self._read("cannot read the outbox") as conn:
            return pending(conn, targets, kinds)

    def alerts_between(
        self, since: datetime, until: datetime, target_id: str | None = None
    ) -> list[OutboxAlert]:
        """Alerts queued in [since, until), oldest first; with a target, only those it has
        not received (a digest that failed or was never sent for the period)."""
        with self._read("cannot read the outbox") as conn:
            return between(conn, since, until, target_id)

    def target_health(self, target_ids: Sequence[str]) -> dict[str, TargetHealth]:
        """The registered targets' consecutive failures and what ops was told about them."""
        with self._read("cannot read target health") as conn:
            return read_health(conn, target_ids)

    def mark_reported(self, target_id: str, at: datetime | None) -> None:
        """Ops was told the target is down (at that time), or that it is back (None)."""
        with self._write("cannot record target health") as conn:
            mark_reported(conn, target_id, at)

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
            note_send(conn, target_id, now, None)

    def record_not_routed(self, alert_ids: Sequence[int], target_id: str) -> None:
        """Mark alerts the target's routes do not take (another sector) as settled for it,
        without counting as a send: they are never read for it again."""
        now = datetime.now(UTC)
        with self._write("cannot record a delivery") as conn:
            record_attempt(
                conn, alert_ids, target_id, now, {"sent_at": now, "last_error": _NOT_ROUTED}
            )

    def record_delivery_failure(self, alert_ids: Sequence[int], target_id: str, error: str) -> None:
        """Note a failed send; the alerts stay pending for this target and are retried."""
        outcome = {"sent_at": None, "last_error": error[:_MAX_ERROR_CHARS]}
        now = datetime.now(UTC)
        with self._write("cannot record a delivery") as conn:
            record_attempt(conn, alert_ids, target_id, now, outcome)
            note_send(conn, target_id, now, error[:_MAX_ERROR_CHARS])
