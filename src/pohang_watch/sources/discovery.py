"""Discovery: which articles the configured listings and feeds name that we have not stored.

Links are recognised by the article-id pattern (DESIGN §3), never by a guessed CSS class, so
a redesign of the listing pages does not blind the watcher; every host and path form of one
article reduces to one id and one canonical URL.

Paging stops as soon as a page brings nothing new (every link already known, or older than
``since``), at ``max_pages``, or when a page cannot be fetched or read — that page becomes a
recorded error and the other listings go on.

Validators (ETag / Last-Modified) of a page that named new articles are not saved here but
returned in ``DiscoveryResult.pending_validators``: saving them before those articles are
stored would let a failed run hide them behind a 304 forever. The caller commits them with
``DiscoveryResult.commit_validators`` once the articles are safely stored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
from bs4 import BeautifulSoup, Tag

from pohang_watch.config import ListingSettings
from pohang_watch.errors import FetchError, ParseError
from pohang_watch.models import PageError
from pohang_watch.parse.article_ids import (
    article_id_from_url,
    canonical_article_url,
    published_at_from_id,
)
from pohang_watch.sources.fetch import Fetcher
from pohang_watch.sources.http import FetchedPage, NotModified, Validators

logger = logging.getLogger(__name__)

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """An article named by a listing, reduced to its id and canonical URL."""

    article_id: str
    url: str  # canonical_article_url(article_id)
    published_at: datetime | None  # from the id (KST), None if the id holds no valid time


class ValidatorCache(Protocol):
    """Where listing pages' validators live between runs (in memory here, a table later)."""

    def get(self, url: str) -> Validators | None: ...

    def put(self, url: str, validators: Validators) -> None: ...


class InMemoryValidatorCache:
    """A ValidatorCache for one process: tests, and runs that need no memory between them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        with self._lock:
            return self._entries.get(url)

    def put(self, url: str, validators: Validators) -> None:
        with self._lock:
            self._entries[url] = validators


@dataclass(slots=True)
class DiscoveryResult:
    """What one discovery pass found, and how it went."""

    links: list[ArticleLink] = field(default_factory=list)  # new ones, newest first
    pages_fetched: int = 0
    pages_not_modified: int = 0
    errors: list[PageError] = field(default_factory=list)  # stage "discover", source = URL
    pending_validators: dict[str, Validators] = field(default_factory=dict)

    def commit_validators(self, cache: ValidatorCache) -> None:
        """Save the validators of pages whose new articles the caller has now stored."""
        for url, validators in self.pending_validators.items():
            cache.put(url, validators)
        self.pending_validators.clear()


def find_article_links(page: FetchedPage) -> list[ArticleLink]:
    """Every article linked from a listing page or feed, once, in page order.

    Raises ParseError when an HTML page cannot be decoded.
    """
    hrefs = _html_hrefs(page) if page.media_type in _HTML_TYPES else _feed_hrefs(page)
    links: dict[str, ArticleLink] = {}
    for href in hrefs:
        article_id = article_id_from_url(href)
        if article_id is not None and article_id not in links:
            url = canonical_article_url(article_id)
            links[article_id] = ArticleLink(article_id, url, published_at_from_id(article_id))
    return list(links.values())


def next_page_url(page: FetchedPage, listing: ListingSettings) -> str | None:
    """The page after this one: a rel=next link, else the listing's page parameter plus one."""
    link = _html_next(page) if page.media_type in _HTML_TYPES else _feed_next(page)
    if link is not None and link != page.final_url:
        return link
    if listing.page_parameter is not None:
        return _increment_parameter(page.final_url, listing.page_parameter)
    return None


def discover(
    fetcher: Fetcher,
    listings: Iterable[ListingSettings],
    *,
    is_known: Callable[[Sequence[str]], set[str]],
    since: datetime | None,
    validator_cache: ValidatorCache,
) -> DiscoveryResult:
    """Page through each listing and collect the articles that are neither known nor too old.

    ``is_known`` gets a page's ids and returns those already stored; ``since`` (aware) drops
    and stops at older articles. ``links`` come back newest first (by the time in the id).
    """
    walk = _Walk(fetcher, is_known, since, validator_cache)
    for listing in listings:
        walk.listing(listing)
    walk.result.links.sort(key=_newest_first)
    return walk.result


@dataclass(slots=True)
class _Walk:
    """One discovery pass: what it needs, and what it found so far across listings."""

    fetcher: Fetcher
    is_known: Callable[[Sequence[str]], set[str]]
    since: datetime | None
    cache: ValidatorCache
    result: DiscoveryResult = field(default_factory=DiscoveryResult)
    seen: set[str] = field(default_factory=set)  # ids already in result.links

    def listing(self, listing: ListingSettings) -> None:
        url: str | None = listing.url
        visited: set[str] = set()
        for _ in range(listing.max_pages):
            if url is None or url in visited:
                return
            visited.add(url)
            url = self._page(url, listing)

    def _page(self, url: str, listing: ListingSettings) -> str | None:
        """Read one listing page; the next page's URL, or None when paging should stop."""
        try:
            page = self.fetcher.fetch(url, validators=self.cache.get(url), kind=listing.kind)
            if isinstance(page, NotModified):
                # Unchanged since its links were handled; listings run newest first, so the
                # pages behind it hold nothing newer either.
                self.result.pages_not_modified += 1
                return None
            self.result.pages_fetched += 1
            wanted = _wanted_links(find_article_links(page), self.is_known, self.since)
            following = next_page_url(page, listing)
        except (FetchError, ParseError) as exc:
            logger.warning("listing page failed: %s: %s", url, exc)
            self.result.errors.append(PageError(source=url, stage="discover", message=str(exc)))
            return None
        _remember_validators(page, wanted, self.result, self.cache)
        # Links another listing already gave still count as new here, so paging goes on.
        self.result.links.extend(link for link in wanted if link.article_id not in self.seen)
        self.seen.update(link.article_id for link in wanted)
        return following if wanted else None


def _wanted_links(
    links: list[ArticleLink],
    is_known: Callable[[Sequence[str]], set[str]],
    since: datetime | None,
) -> list[ArticleLink]:
    """Links neither stored already nor older than ``since``."""
    candidates = [
        link
        for link in links
        if since is None or link.published_at is None or link.published_at >= since
    ]
    if not candidates:
        return []
    known = is_known([link.article_id for link in candidates])
    return [link for link in candidates if link.article_id not in known]


def _remember_validators(
    page: FetchedPage, wanted: list[ArticleLink], result: DiscoveryResult, cache: ValidatorCache
) -> None:
    validators = page.validators
    if validators == Validators():
        return
    if wanted:
        result.pending_validators[page.url] = validators
    else:
        cache.put(page.url, validators)


def _newest_first(link: ArticleLink) -> float:
    return -link.published_at.timestamp() if link.published_at else float("inf")


def _html_soup(page: FetchedPage) -> BeautifulSoup:
    return BeautifulSoup(page.text(), "lxml")


def _html_base(soup: BeautifulSoup, page: FetchedPage) -> str:
    base = soup.find("base", href=True)
    href = base.get("href") if isinstance(base, Tag) else None
    return urljoin(page.final_url, href.strip()) if isinstance(href, str) else page.final_url


def _html_hrefs(page: FetchedPage) -> list[str]:
    soup = _html_soup(page)
    base = _html_base(soup, page)
    hrefs = (anchor.get("href") for anchor in soup.find_all("a", href=True))
    return [urljoin(base, href.strip()) for href in hrefs if isinstance(href, str)]


def _html_next(page: FetchedPage) -> str | None:
    soup = _html_soup(page)
    for tag in soup.find_all(["link", "a"], href=True, rel=True):
        rel = tag.get("rel")
        rels = rel if isinstance(rel, list) else str(rel).split()
        href = tag.get("href")
        if "next" in (value.lower() for value in rels) and isinstance(href, str):
            return urljoin(_html_base(soup, page), href.strip())
    return None


def _parsed_feed(page: FetchedPage) -> Any:
    headers = {"content-location": page.final_url}
    if page.content_type:
        headers["content-type"] = page.content_type
    return feedparser.parse(page.content, response_headers=headers)


def _feed_hrefs(page: FetchedPage) -> list[str]:
    hrefs: list[str] = []
    for entry in _parsed_feed(page).entries:
        candidates = [entry.get("link"), entry.get("id")]
        candidates += [link.get("href") for link in entry.get("links", [])]
        hrefs += [urljoin(page.final_url, c) for c in candidates if isinstance(c, str) and c]
    return hrefs


def _feed_next(page: FetchedPage) -> str | None:
    for link in _parsed_feed(page).feed.get("links", []):
        if link.get("rel") == "next" and link.get("href"):
            return urljoin(page.final_url, str(link["href"]))
    return None


def _increment_parameter(url: str, name: str) -> str:
    """``url`` with query parameter ``name`` one higher (absent counts as page 1)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    current = next((value for key, value in query if key == name), "1")
    number = int(current) + 1 if current.isdigit() else 2
    if any(key == name for key, _ in query):
        query = [(key, str(number) if key == name else value) for key, value in query]
    else:
        query.append((name, str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))
