"""The core pipeline's stages as Prefect tasks (one task per batch of pages), and run artifacts.

Caching is off: inputs are large, and every stage is idempotent against the project database,
which is what keeps alerts send-once. Shared by every flow in this package.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows.ui import emit_change_events, publish_changes_table
from pohang_watch import pipeline
from pohang_watch.config import ListingSettings, Settings
from pohang_watch.ledger import LedgerChange
from pohang_watch.notify import DeliveryReport
from pohang_watch.report import RunReport, render_markdown
from pohang_watch.sources.discovery import ArticleLink
from pohang_watch.sources.fetch import Fetcher
from pohang_watch.store import ArchivedPage, RecordOutcome, Store, StoredArticle


@task(name="process-pages", cache_policy=NO_CACHE)
def process_pages(sources: list[str], settings: Settings) -> pipeline.ProcessedBatch:
    """Read, parse, score and extract one batch of saved pages (CPU work, no database)."""
    return pipeline.process_sources(sources, settings)


@task(name="discover-articles", cache_policy=NO_CACHE)
def discover_articles(
    fetcher: Fetcher,
    store: Store,
    listings: Sequence[ListingSettings],
    since: datetime | None,
    until: datetime | None,
) -> pipeline.Discovered:
    """Page through the listings for article links not stored yet."""
    return pipeline.discover_links(fetcher, store, listings, since, until)


@task(name="fetch-pages", cache_policy=NO_CACHE)
def fetch_pages(
    fetcher: Fetcher, store: Store, links: list[ArticleLink], settings: Settings
) -> pipeline.ProcessedBatch:
    """Fetch, archive, parse, score and extract one batch of article pages."""
    return pipeline.fetch_articles(fetcher, store, links, settings)


@task(name="record-articles", cache_policy=NO_CACHE)
def record_articles(
    store: Store, batch: pipeline.ProcessedBatch, run_id: str, enqueue: bool
) -> RecordOutcome:
    """Store one batch and update the ledger (and queue its alerts) in one transaction; when
    alerts are queued item by item, one Prefect event per change, as the ledger changes."""
    outcome = pipeline.record_batch(store, batch, run_id, enqueue)
    if enqueue:
        emit_change_events(outcome.changes)
    return outcome


@task(name="send-alerts", cache_policy=NO_CACHE)
def send_pending_alerts(store: Store, settings: Settings) -> DeliveryReport:
    """Send pending alerts; a failed target keeps its alerts pending for the next run."""
    return pipeline.deliver_alerts(store, settings)


@task(name="send-summary", cache_policy=NO_CACHE)
def send_summary_message(
    settings: Settings,
    title: str,
    counts: list[str],
    changes: list[LedgerChange],
    left_out: int = 0,
) -> DeliveryReport:
    """Send the one message a backfill or reparse sends instead of an alert per item."""
    return pipeline.send_run_summary(settings, title, counts, changes, left_out)


@task(name="reparse-pages", cache_policy=NO_CACHE)
def reparse_pages(
    store: Store,
    items: Sequence[ArchivedPage | StoredArticle],
    settings: Settings,
    run_id: str,
    enqueue: bool,
) -> tuple[pipeline.ProcessedBatch, RecordOutcome]:
    """Parse and extract one batch of stored pages again and rewrite what changed; its events
    as `record_articles`."""
    processed, outcome = pipeline.reparse_batch(store, items, settings, run_id, enqueue)
    if enqueue:
        emit_change_events(outcome.changes)
    return processed, outcome


def _as_is(value: Any) -> Any:
    """The value quoted: Prefect hands the task the value itself, unwalked."""
    return quote(value)


def record_unwalked(
    store: Store, batch: pipeline.ProcessedBatch, run_id: str, enqueue: bool
) -> RecordOutcome:
    """`record_articles` with the batch quoted: Prefect would otherwise walk every article and
    item of it twice per task run looking for futures, a fifth of a backfill's main process."""
    return record_articles(store, _as_is(batch), run_id, enqueue)


def reparse_unwalked(
    store: Store,
    items: Sequence[ArchivedPage | StoredArticle],
    settings: Settings,
    run_id: str,
    enqueue: bool,
) -> tuple[pipeline.ProcessedBatch, RecordOutcome]:
    """`reparse_pages` with its stored pages quoted, as `record_unwalked`."""
    return reparse_pages(store, _as_is(items), settings, run_id, enqueue)


INGEST_TASKS = pipeline.IngestStages(
    process=pipeline.process_in_order(process_pages),
    record=record_unwalked,
    deliver=send_pending_alerts,
    discover=discover_articles,
    fetch=fetch_pages,
    summarise=send_summary_message,
)
REPARSE_TASKS = pipeline.ReparseStages(reparse=reparse_unwalked, run=INGEST_TASKS)


def current_run_id() -> str:
    """The flow run's id (recorded with stored articles), or a fresh one outside Prefect."""
    return str(flow_run.get_id() or uuid.uuid4())


def publish_report(report: RunReport) -> None:
    """The run's report as a markdown artifact and its ledger changes as a table, keyed by flow
    so each flow has its history. (Change events go out batch by batch as they are recorded,
    and only when alerts are queued item by item: a backfill in summary mode must not set off
    every Automation built on them.)"""
    create_markdown_artifact(
        key=f"{report.flow}-report",
        markdown=render_markdown(report),
        description="Pages discovered, fetched and skipped, errors, new and updated items",
    )
    publish_changes_table(report)
