"""Assembling an Article from what a parser found, the same way for every kind of page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import PurePath

from pohang_watch.dedup import content_hash
from pohang_watch.errors import ParseError
from pohang_watch.models import Article
from pohang_watch.parse.article_ids import (
    article_id_from_name,
    article_id_from_url,
    canonical_article_url,
    published_at_from_id,
)
from pohang_watch.parse.cleanup import scrub

# The English edition started long after this; a date outside the window is a page's error.
EARLIEST_PUBLICATION = datetime(1990, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Found:
    """The parts of an article a parser found, before the shared rules turn them into one."""

    title: str
    subtitles: Sequence[str]
    paragraphs: Sequence[str]
    captions: Sequence[str]
    source: str
    self_urls: Sequence[str] = ()  # URLs the page names for itself, in the order found
    published_at: datetime | None = None
    byline: str | None = None
    extra_urls: Sequence[str] = ()  # URLs that identify it but are not canonical


def assemble_article(found: Found) -> Article:
    """The Article for what was found; ParseError if there is no headline or no body."""
    if not found.title:
        raise ParseError("no headline found")
    if not found.paragraphs:
        raise ParseError("no body paragraphs found")
    urls = tuple(scrub(url) for url in _unique(found.self_urls))
    article_id = _article_id(urls, found.extra_urls, found.source)
    published_at = _plausible(found.published_at)
    if published_at is None and article_id:
        published_at = _plausible(published_at_from_id(article_id))
    paragraphs = _scrubbed(found.paragraphs)
    return Article(
        article_id=article_id,
        url=canonical_article_url(article_id) if article_id else (urls[0] if urls else None),
        title=scrub(found.title),
        subtitles=_scrubbed(found.subtitles),
        published_at=published_at,
        byline=scrub(found.byline) if found.byline else None,
        paragraphs=paragraphs,
        captions=_scrubbed(found.captions),
        content_hash=content_hash(paragraphs),
        urls=urls,
    )


def _scrubbed(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(scrub(text) for text in texts)


def _plausible(published_at: datetime | None) -> datetime | None:
    """The time, unless it is before the paper's English edition or more than a day ahead."""
    if published_at is None:
        return None
    latest = datetime.now(UTC) + timedelta(days=1)
    return published_at if EARLIEST_PUBLICATION <= published_at <= latest else None


def _article_id(urls: Iterable[str], extra_urls: Iterable[str], source: str) -> str | None:
    """The id from the page's own URLs first, then from the file name it was saved under."""
    for url in (*urls, *extra_urls):
        if article_id := article_id_from_url(url):
            return article_id
    return article_id_from_name(PurePath(source).name)


def _unique(urls: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(url for url in urls if url))
