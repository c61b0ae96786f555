"""The live-site stages: find new article links, fetch and archive the pages, analyse them.

Discovery asks the store which ids it already has (stored, or fetched into the raw archive),
so an ingest fetches each article page once, ever; reparse later reads it from the archive.
A fetch that fails is a PageError for that URL (stage "fetch") and the batch goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from pohang_watch.analysis import ProcessedBatch, analyse_document, analyse_each, page_error
from pohang_watch.config import ListingSettings, Settings
from pohang_watch.errors import ConfigError, FetchError, TransientFetchError
from pohang_watch.models import PageError
from pohang_watch.sources.discovery import (
    ArticleLink,
    DiscoveryResult,
    InMemoryValidatorCache,
    discover,
)
from pohang_watch.sources.fetch import FetchedPage, Fetcher
from pohang_watch.store import Store, StoredValidatorCache

# A backfill pages back until it passes its start date; this only bounds a listing that never
# ends (the most ListingSettings allows).
BACKFILL_MAX_PAGES = 1_000
_FEED_ENDINGS = (".xml", ".rss", ".atom", "/rss", "/feed", "/atom")


@dataclass(slots=True)
class Discovered:
    """Links to fetch, the listing pages' counts, and links left out (by reason)."""

    result: DiscoveryResult
    skipped: Counter[str] = field(default_factory=Counter)


def listings_from_urls(settings: Settings, urls: Sequence[str]) -> Settings:
    """Settings whose allow-list also holds these listing pages' hosts, for this run only."""
    hosts = []
    for url in urls:
        host = urlsplit(url).hostname
        if urlsplit(url).scheme not in {"http", "https"} or not host:
            raise ConfigError(f"--listing {url}: not an http(s) URL with a host")
        hosts.append(host)
    allowed = tuple(dict.fromkeys((*settings.fetch.allowed_hosts, *hosts)))
    fetch = settings.fetch.model_copy(update={"allowed_hosts": allowed})
    return settings.model_copy(update={"fetch": fetch})


def listing_for(url: str) -> ListingSettings:
    """A listing given on the command line: a feed when its path looks like one."""
    path = urlsplit(url).path.lower().rstrip("/")
    return ListingSettings(url=url, kind="feed" if path.endswith(_FEED_ENDINGS) else "html")


def discover_links(
    fetcher: Fetcher,
    store: Store,
    listings: Sequence[ListingSettings],
    since: datetime | None,
    until: datetime | None,
) -> Discovered:
    """New article links: incremental (`since` None) or a backfill from `since` to `until`.

    An incremental run stops paging at known ids and sends conditional requests. A backfill
    must walk past articles it already has to reach older ones, so it pages until it passes
    `since`, without validators, and drops the known (and too recent) links only afterwards.
    """
    if since is None:
        cache = StoredValidatorCache(store)
        found = discover(
            fetcher, listings, is_known=store.known_article_ids, since=None, validator_cache=cache
        )
        return Discovered(found)
    deep = [listing.model_copy(update={"max_pages": BACKFILL_MAX_PAGES}) for listing in listings]
    found = discover(
        fetcher, deep, is_known=_none_known, since=since, validator_cache=InMemoryValidatorCache()
    )
    return _left_to_fetch(found, store, until)


def _none_known(ids: Sequence[str]) -> set[str]:
    """A backfill treats every id as new while paging, so it walks past what it has."""
    return set()


def _left_to_fetch(found: DiscoveryResult, store: Store, until: datetime | None) -> Discovered:
    """Keep links published before `until` and not stored or fetched already."""
    skipped: Counter[str] = Counter()
    in_range: list[ArticleLink] = []
    for link in found.links:
        if until is not None and link.published_at is not None and link.published_at >= until:
            skipped["published after the range"] += 1
        else:
            in_range.append(link)
    known = store.known_article_ids([link.article_id for link in in_range])
    skipped["already stored or fetched"] += sum(link.article_id in known for link in in_range)
    found.links = [link for link in in_range if link.article_id not in known]
    return Discovered(found, +skipped)


def fetch_articles(
    fetcher: Fetcher, store: Store, links: Sequence[ArticleLink], settings: Settings
) -> ProcessedBatch:
    """Fetch a batch of article pages, archive every page fetched, then analyse them."""
    pages: list[FetchedPage] = []
    errors: list[PageError] = []
    retry_later: list[str] = []
    for link in links:
        try:
            page = fetcher.fetch(link.url, kind="html")
        except FetchError as exc:
            errors.append(page_error(link.url, exc))
            if isinstance(exc, TransientFetchError):
                retry_later.append(link.url)
            continue
        if isinstance(page, FetchedPage):  # no validators are sent, so never a 304
            pages.append(page)
    store.archive_pages(pages)
    return analyse_each(
        pages,
        lambda page: page.url,
        lambda page: analyse_document(page.to_source_document(), settings),
        earlier_errors=errors,
        retry_later=retry_later,
    )
