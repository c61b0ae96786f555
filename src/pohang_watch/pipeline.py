"""The ingest pipeline as plain functions: read → parse → relevance → extract → record → deliver.

flows/ wraps these same functions as Prefect tasks, one task per batch of pages;
`run_ingest` chains them without Prefect for scripts and tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from pohang_watch.config import Settings
from pohang_watch.errors import ParseError, SourceError
from pohang_watch.extract import extract_items
from pohang_watch.models import ExtractedArticle, PageError, SourceDocument
from pohang_watch.notify import DeliveryReport, Notifier, deliver_pending
from pohang_watch.parse import parse_document
from pohang_watch.parse.cleanup import scrub
from pohang_watch.relevance import score_relevance
from pohang_watch.report import RunReport, summarise_run
from pohang_watch.sources.saved_pages import list_saved_pages, read_saved_page
from pohang_watch.store import RecordOutcome, Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ProcessedBatch:
    """What one batch of pages yields before it touches the database."""

    about_pohang: tuple[ExtractedArticle, ...]
    not_about_pohang: tuple[ExtractedArticle, ...]
    errors: tuple[PageError, ...]


def chunked(items: Sequence[str], size: int) -> Iterator[list[str]]:
    """Batches of at most `size` items, in order."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def analyse_document(
    doc: SourceDocument, settings: Settings, *, extract_all: bool = False
) -> ExtractedArticle:
    """Parse one page, score it, and extract items when it is about Pohang (or `extract_all`)."""
    article = parse_document(doc, settings.parse)
    relevance = score_relevance(article, settings.relevance)
    wanted = relevance.about_pohang or extract_all
    items = extract_items(article, settings.extract) if wanted else ()
    return ExtractedArticle(scrub(doc.source), article, relevance, items)


def analyse_source(
    source: str, settings: Settings, *, extract_all: bool = False
) -> ExtractedArticle:
    """Read and analyse one saved page; raises SourceError or ParseError naming the problem."""
    doc = read_saved_page(source, settings.parse.max_page_bytes)
    return analyse_document(doc, settings, extract_all=extract_all)


def page_error(source: str, exc: Exception) -> PageError:
    """An error as data, named by its page; unexpected exceptions keep their type in the text."""
    if isinstance(exc, SourceError):
        stage, message = "read", str(exc)
    elif isinstance(exc, ParseError):
        stage, message = "parse", str(exc)
    else:
        stage, message = "unexpected", f"{type(exc).__name__}: {exc}"
    return PageError(scrub(source), stage, message.removeprefix(f"{source}: "))


def process_sources(sources: Sequence[str], settings: Settings) -> ProcessedBatch:
    """Analyse a batch of saved pages; a bad page becomes a PageError and the batch goes on."""
    about: list[ExtractedArticle] = []
    passing: list[ExtractedArticle] = []
    errors: list[PageError] = []
    for source in sources:
        try:
            result = analyse_source(source, settings)
        except (SourceError, ParseError) as exc:
            errors.append(page_error(source, exc))
            continue
        except Exception as exc:  # a parser or extractor bug on one odd page must not stop the run
            logger.exception("unexpected failure on %s", source)
            errors.append(page_error(source, exc))
            continue
        (about if result.relevance.about_pohang else passing).append(result)
    for error in errors:
        logger.warning("%s: %s error: %s", error.source, error.stage, error.message)
    return ProcessedBatch(tuple(about), tuple(passing), tuple(errors))


def record_batch(store: Store, batch: ProcessedBatch, run_id: str) -> RecordOutcome:
    """Store a batch's Pohang articles, update the ledger and enqueue alerts, in one transaction."""
    return store.record_articles(batch.about_pohang, source_run=run_id)


def deliver_alerts(store: Store, settings: Settings) -> DeliveryReport:
    """Send every pending alert to every target that has not received it yet."""
    notifier = Notifier.from_settings(settings.notify)
    return deliver_pending(store, notifier, settings.notify.max_items_per_message)


@dataclass(frozen=True, slots=True)
class IngestStages:
    """The stage functions `run_ingest` calls; flows/ passes Prefect tasks of the same shape."""

    process: Callable[[list[str], Settings], ProcessedBatch] = process_sources
    record: Callable[[Store, ProcessedBatch, str], RecordOutcome] = record_batch
    deliver: Callable[[Store, Settings], DeliveryReport] = deliver_alerts


def run_ingest(
    inputs: Sequence[str],
    settings: Settings,
    *,
    run_id: str,
    send_alerts: bool = True,
    stages: IngestStages = IngestStages(),
) -> RunReport:
    """The whole ingest: list pages, then per batch analyse and record, then deliver alerts."""
    sources, listing_errors = list_saved_pages(inputs)
    batches: list[ProcessedBatch] = []
    outcomes: list[RecordOutcome] = []
    with Store.open(settings.database.url) as store:
        for chunk in chunked(sources, settings.pipeline.batch_size):
            batch = stages.process(chunk, settings)
            batches.append(batch)
            outcomes.append(stages.record(store, batch, run_id))
        delivery = stages.deliver(store, settings) if send_alerts else None
    return summarise_run(
        pages_seen=len(sources) + len(listing_errors),
        listing_errors=listing_errors,
        batches=batches,
        outcomes=outcomes,
        delivery=delivery,
    )
