"""Analyse pages: parse → score relevance → extract, batch by batch (saved pages read first).

No database, no network, no alerts: a backfill runs this on other processes, and those import
only this module and what parsing needs (half the memory of the whole pipeline's imports). A bad
page becomes a PageError and the batch goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pohang_watch.config import Settings
from pohang_watch.errors import FetchError, ParseError, SourceError
from pohang_watch.extract import extract_items
from pohang_watch.models import Article, ExtractedArticle, PageError, SourceDocument
from pohang_watch.parse import parse_document
from pohang_watch.parse.cleanup import scrub
from pohang_watch.relevance import score_relevance
from pohang_watch.sources.saved_pages import read_saved_page

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ProcessedBatch:
    """What one batch of pages yields before it touches the database."""

    about_pohang: tuple[ExtractedArticle, ...]
    not_about_pohang: tuple[ExtractedArticle, ...]
    errors: tuple[PageError, ...]
    retry_later: tuple[str, ...] = ()  # URLs whose fetch failed for now (timeouts, 5xx, 429)


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
