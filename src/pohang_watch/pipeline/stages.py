"""The stage functions every run is made of: analyse pages, record them, tell people.

Each takes a batch and returns plain values; a bad page becomes a PageError and the batch goes
on. flows/ wraps these same functions as Prefect tasks, one task per batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from pohang_watch.alerts import MuteList
from pohang_watch.config import Settings
from pohang_watch.errors import FetchError, ParseError, SourceError
from pohang_watch.extract import extract_items
from pohang_watch.ledger import LedgerChange
from pohang_watch.matching import MatchRules
from pohang_watch.models import Article, ExtractedArticle, PageError, SourceDocument
from pohang_watch.neardup import NearDuplicateRules
from pohang_watch.notify import (
    DeliveryReport,
    Notifier,
    deliver_pending,
    render_summary,
    send_summary,
)
from pohang_watch.notify.routing import Route, Routing
from pohang_watch.parse import parse_document
from pohang_watch.parse.cleanup import scrub
from pohang_watch.relevance import score_relevance
from pohang_watch.sources.saved_pages import read_saved_page
from pohang_watch.store import RecordOutcome, RecordRules, Store

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProcessedBatch:
    """What one batch of pages yields before it touches the database."""

    about_pohang: tuple[ExtractedArticle, ...]
    not_about_pohang: tuple[ExtractedArticle, ...]
    errors: tuple[PageError, ...]
    retry_later: tuple[str, ...] = ()  # URLs whose fetch failed for now (timeouts, 5xx, 429)


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


def analyse_article(
    article: Article, source: str, settings: Settings, *, extract_all: bool = False
) -> ExtractedArticle:
    """Score an article and extract its items when it is about Pohang (or `extract_all`)."""
    relevance = score_relevance(article, settings.relevance)
    wanted = relevance.about_pohang or extract_all
    items = extract_items(article, settings.extract) if wanted else ()
    return ExtractedArticle(scrub(source), article, relevance, items)


def analyse_document(
    doc: SourceDocument, settings: Settings, *, extract_all: bool = False
) -> ExtractedArticle:
    """Parse one page, then score it and extract its items."""
    article = parse_document(doc, settings.parse)
    return analyse_article(article, doc.source, settings, extract_all=extract_all)


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
    elif isinstance(exc, FetchError):
        stage, message = "fetch", str(exc)
    elif isinstance(exc, ParseError):
        stage, message = "parse", str(exc)
    else:
        stage, message = "unexpected", f"{type(exc).__name__}: {exc}"
    return PageError(scrub(source), stage, message.removeprefix(f"{source}: "))


def analyse_each(
    items: Iterable[T],
    source_of: Callable[[T], str],
    analyse: Callable[[T], ExtractedArticle],
    *,
    earlier_errors: Sequence[PageError] = (),
    retry_later: Sequence[str] = (),
) -> ProcessedBatch:
    """Analyse every item; one that fails becomes a PageError and the others still run."""
    about: list[ExtractedArticle] = []
    passing: list[ExtractedArticle] = []
    errors = list(earlier_errors)
    for item in items:
        try:
            result = analyse(item)
        except (SourceError, ParseError) as exc:
            errors.append(page_error(source_of(item), exc))
            continue
        except Exception as exc:  # a parser or extractor bug on one odd page must not stop the run
            logger.exception("unexpected failure on %s", source_of(item))
            errors.append(page_error(source_of(item), exc))
            continue
        (about if result.relevance.about_pohang else passing).append(result)
    for error in errors:
        logger.warning("%s: %s error: %s", error.source, error.stage, error.message)
    return ProcessedBatch(tuple(about), tuple(passing), tuple(errors), tuple(retry_later))


def process_sources(sources: Sequence[str], settings: Settings) -> ProcessedBatch:
    """Analyse a batch of saved pages."""
    return analyse_each(sources, str, lambda source: analyse_source(source, settings))


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
