"""The stage functions every run is made of: analyse pages (pohang_watch.analysis), record
them, tell people.

Each takes a batch and returns plain values. flows/ wraps these same functions as Prefect tasks,
one task per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta

from pohang_watch.alerts import MuteList
from pohang_watch.analysis import ProcessedBatch, process_sources
from pohang_watch.config import Settings
from pohang_watch.ledger import LedgerChange
from pohang_watch.matching import MatchRules
from pohang_watch.neardup import NearDuplicateRules
from pohang_watch.notify import (
    DeliveryReport,
    Notifier,
    deliver_pending,
    render_summary,
    send_summary,
)
from pohang_watch.notify.routing import Route, Routing
from pohang_watch.store import RecordOutcome, RecordRules, Store


def record_rules(settings: Settings) -> RecordRules:
    """The configured fuzzy matching, near-duplicate threshold and mute list."""
    mute = settings.notify.mute
    return RecordRules(
        matching=MatchRules(
            commitment_similarity=settings.ledger.commitment_similarity,
            partnership_overlap=settings.ledger.partnership_overlap,
        ),
        near_duplicates=NearDuplicateRules(settings.dedup.near_duplicate_threshold),
        mutes=MuteList(mute.phrases, mute.parties, mute.actors),
    )


def open_store(settings: Settings) -> Store:
    """The configured database, recording by the configured rules."""
    return Store.open(settings.database.url, record_rules(settings))


BatchProcessor = Callable[[Iterable[list[str]], Settings], Iterator[ProcessedBatch]]


def process_in_order(process: Callable[[list[str], Settings], ProcessedBatch]) -> BatchProcessor:
    """Batches of saved pages analysed one after another, as they are asked for. flows/ puts a
    Prefect task in `process`, or submits batches ahead to a task runner (flows/scale.py)."""

    def run(chunks: Iterable[list[str]], settings: Settings) -> Iterator[ProcessedBatch]:
        return (process(chunk, settings) for chunk in chunks)

    return run


def process_batches(chunks: Iterable[list[str]], settings: Settings) -> Iterator[ProcessedBatch]:
    """The plain `process` stage of a run: each batch analysed here, when it is asked for."""
    return (process_sources(chunk, settings) for chunk in chunks)


def record_batch(
    store: Store, batch: ProcessedBatch, run_id: str, enqueue: bool = True
) -> RecordOutcome:
    """Store a batch's Pohang articles and update the ledger in one transaction; queue alerts
    unless `enqueue` is off (a backfill that sends one summary instead)."""
    return store.record_articles(batch.about_pohang, source_run=run_id, enqueue=enqueue)


def deliver_alerts(store: Store, settings: Settings) -> DeliveryReport:
    """Send every pending alert to every target that has not received it yet."""
    notifier = Notifier.from_settings(settings.notify)
    return deliver_pending(
        store,
        notifier,
        settings.notify.max_items_per_message,
        routing=routing_for(settings),
        ops_after_failures=settings.notify.ops_after_failures,
    )


def routing_for(settings: Settings) -> Routing:
    """The configured routes: tags by kind and sector, with their minimum intervals."""
    return Routing.of(
        [
            Route(
                tag=route.tag,
                kinds=frozenset(route.kinds),
                sectors=frozenset(sector.casefold() for sector in route.sectors),
                min_interval=timedelta(minutes=route.min_interval_minutes),
            )
            for route in settings.notify.routes
        ]
    )


def send_run_summary(
    settings: Settings,
    title: str,
    counts: Sequence[str],
    changes: Sequence[LedgerChange],
    left_out: int = 0,
) -> DeliveryReport:
    """One message describing a run's ledger changes, instead of an alert per item
    (`left_out`: changes the run counted without listing them)."""
    notifier = Notifier.from_settings(settings.notify)
    return send_summary(notifier, render_summary(title, counts, changes, left_out))
