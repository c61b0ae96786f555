"""Whole runs: ingest and backfill, over saved pages and the live site, in batches.

One `execute` serves both: a backfill is an ingest with a date range and another alert mode.
Every batch is analysed, then recorded in one transaction; alerts are delivered at the end (or
one summary message is sent, so history does not flood anyone).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal

from pohang_watch.analysis import ProcessedBatch
from pohang_watch.batching import chunked
from pohang_watch.config import FetchSettings, ListingSettings, Settings
from pohang_watch.errors import ConfigError
from pohang_watch.ledger import LedgerChange
from pohang_watch.models import ExtractedArticle
from pohang_watch.notify import DeliveryReport
from pohang_watch.parse.article_ids import KST
from pohang_watch.pipeline.live import (
    Discovered,
    discover_links,
    fetch_articles,
    listing_for,
    listings_from_urls,
)
from pohang_watch.pipeline.stages import (
    BatchProcessor,
    deliver_alerts,
    open_store,
    process_batches,
    record_batch,
    send_run_summary,
)
from pohang_watch.pipeline.unchanged import UnchangedPages
from pohang_watch.report import DiscoveryCounts, RunReport, RunTally, counts_line, ledger_counts
from pohang_watch.sources.discovery import ArticleLink
from pohang_watch.sources.fetch import Fetcher
from pohang_watch.sources.saved_pages import list_saved_pages
from pohang_watch.store import RecordOutcome, Store, StoredValidatorCache

AlertMode = Literal["summary", "none", "each"]


@dataclass(frozen=True, slots=True)
class DateWindow:
    """Publication days a backfill keeps, both ends included, as days in Korea (the paper's
    calendar); `until` None means up to now."""

    since: date
    until: date | None = None

    def __post_init__(self) -> None:
        if self.until is not None and self.until < self.since:
            raise ConfigError(f"the date range ends ({self.until}) before it starts ({self.since})")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time(), KST)

    @property
    def end(self) -> datetime | None:
        """The first moment after the range."""
        return None if self.until is None else datetime.combine(self.until, time(), KST) + _DAY

    def holds(self, published: datetime) -> bool:
        return published >= self.start and (self.end is None or published < self.end)

    def describe(self) -> str:
        return f"{self.since} to {self.until or 'today'}"


_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class RunPlan:
    """What one run reads and how it tells people."""

    paths: tuple[str, ...] = ()
    listings: tuple[ListingSettings, ...] = ()
    window: DateWindow | None = None  # None: an ingest, not a backfill
    alerts: AlertMode = "each"
    send_alerts: bool = True
    flow: str = "pohang-ingest"


@dataclass(frozen=True, slots=True)
class IngestStages:
    """The stage functions a run calls; flows/ passes Prefect tasks of the same shape."""

    process: BatchProcessor = process_batches
    record: Callable[[Store, ProcessedBatch, str, bool], RecordOutcome] = record_batch
    deliver: Callable[[Store, Settings], DeliveryReport] = deliver_alerts
    discover: Callable[
        [Fetcher, Store, Sequence[ListingSettings], datetime | None, datetime | None], Discovered
    ] = discover_links
    fetch: Callable[[Fetcher, Store, list[ArticleLink], Settings], ProcessedBatch] = fetch_articles
    summarise: Callable[[Settings, str, list[str], list[LedgerChange], int], DeliveryReport] = (
        send_run_summary
    )


def keep_in_window(
    batch: ProcessedBatch, window: DateWindow | None, tally: RunTally
) -> ProcessedBatch:
    """The batch without articles published outside the window; undated ones stay (counted)."""
    if window is None:
        return batch
    kept: tuple[list[ExtractedArticle], list[ExtractedArticle]] = ([], [])
    for slot, articles in enumerate((batch.about_pohang, batch.not_about_pohang)):
        for extracted in articles:
            published = extracted.article.published_at
            if published is None:
                tally.undated += 1
            elif not window.holds(published):
                tally.skipped["published outside the range"] += 1
                continue
            kept[slot].append(extracted)
    return replace(batch, about_pohang=tuple(kept[0]), not_about_pohang=tuple(kept[1]))


def plan_sources(
    settings: Settings, paths: Sequence[str], listing_urls: Sequence[str]
) -> tuple[Settings, tuple[str, ...], tuple[ListingSettings, ...]]:
    """What a run reads: the pages and listings given, else those configured.

    Listings given for the run have their hosts allowed for it. With nothing given and nothing
    configured, a ConfigError says what to set.
    """
    if paths or listing_urls:
        listings = tuple(listing_for(url) for url in listing_urls)
        return listings_from_urls(settings, listing_urls), tuple(paths), listings
    sources = settings.sources
    if not sources.listings and not sources.saved_pages:
        raise ConfigError(
            "nothing to read: add [[sources.listings]] pages (the live site) or "
            "sources.saved_pages to the config file, or pass --listing URL or --from PATH"
        )
    return settings, sources.saved_pages, sources.listings


def execute(
    plan: RunPlan,
    settings: Settings,
    *,
    run_id: str,
    stages: IngestStages = IngestStages(),
    fetcher_factory: Callable[[FetchSettings], Fetcher] = Fetcher,
) -> RunReport:
    """Run the plan: saved pages, then live listings, batch by batch; then tell people."""
    tally = RunTally()
    with open_store(settings) as store:
        if plan.paths:
            _read_saved_pages(plan, settings, store, run_id, stages, tally)
        if plan.listings:
            with fetcher_factory(settings.fetch) as fetcher:
                _read_live_site(plan, settings, store, fetcher, run_id, stages, tally)
        send_each = plan.alerts == "each" and plan.send_alerts
        delivery = stages.deliver(store, settings) if send_each else None
    return summarise_if_asked(
        plan, settings, stages, tally.report(flow=plan.flow, delivery=delivery)
    )


def summarise_if_asked(
    plan: RunPlan, settings: Settings, stages: IngestStages, report: RunReport
) -> RunReport:
    """In summary mode, one message for the run's NEW and UPDATED items (none if nothing
    changed); the report says where it went."""
    if plan.alerts != "summary" or not plan.send_alerts or not report.changes:
        return report
    window = f" {plan.window.describe()}" if plan.window else ""
    changed, left_out = list(report.changes), report.changes_left_out
    total = len(changed) + left_out
    title = f"{plan.flow}{window}: {total} new or updated commitments and partnerships"
    counts = [counts_line(report), ledger_counts(report)]
    return replace(report, summary=stages.summarise(settings, title, counts, changed, left_out))


def _read_saved_pages(
    plan: RunPlan,
    settings: Settings,
    store: Store,
    run_id: str,
    stages: IngestStages,
    tally: RunTally,
) -> None:
    sources, listing_errors = list_saved_pages(plan.paths)
    tally.pages_seen += len(sources) + len(listing_errors)
    tally.errors += listing_errors
    pages = UnchangedPages(store, settings)
    chunks = chunked(pages.unread(sources, tally.skipped), settings.pipeline.batch_size)
    for processed in stages.process(chunks, settings):
        batch = keep_in_window(processed, plan.window, tally)
        tally.add(batch, stages.record(store, batch, run_id, plan.alerts == "each"))
        pages.remember(processed, batch)


def _read_live_site(
    plan: RunPlan,
    settings: Settings,
    store: Store,
    fetcher: Fetcher,
    run_id: str,
    stages: IngestStages,
    tally: RunTally,
) -> None:
    """Discover, then fetch, archive, analyse and record batch by batch. The listings'
    validators are saved only once their articles are stored, and not at all when a fetch
    failed for now: a 304 next time would hide those articles."""
    window = plan.window
    since, until = (window.start, window.end) if window else (None, None)
    found = stages.discover(fetcher, store, plan.listings, since, until)
    tally.errors += found.result.errors
    tally.skipped.update(found.skipped)
    fetched = 0
    retry_later = False
    for chunk in chunked(found.result.links, settings.pipeline.batch_size):
        batch = keep_in_window(stages.fetch(fetcher, store, chunk, settings), window, tally)
        tally.add(batch, stages.record(store, batch, run_id, plan.alerts == "each"))
        fetched += len(chunk) - sum(e.stage == "fetch" for e in batch.errors)
        retry_later = retry_later or bool(batch.retry_later)
    tally.pages_seen += len(found.result.links)
    tally.discovery = DiscoveryCounts(
        listing_pages=found.result.pages_fetched,
        not_modified=found.result.pages_not_modified,
        articles_found=len(found.result.links),
        articles_fetched=fetched,
    )
    if window is None and not retry_later:
        found.result.commit_validators(StoredValidatorCache(store))


def run_ingest(
    inputs: Sequence[str],
    settings: Settings,
    *,
    run_id: str,
    send_alerts: bool = True,
    stages: IngestStages = IngestStages(),
) -> RunReport:
    """Ingest saved pages (files or folders): the original entry point, kept for scripts."""
    plan = RunPlan(paths=tuple(inputs), send_alerts=send_alerts)
    return execute(plan, settings, run_id=run_id, stages=stages)
