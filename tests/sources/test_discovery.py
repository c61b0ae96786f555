"""Discovery: article links in every URL form, paging, stopping rules, 304s and per-page errors."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import httpx
import pytest

from pohang_watch.config import FetchSettings, ListingSettings
from pohang_watch.errors import ParseError
from pohang_watch.parse.article_ids import KST
from pohang_watch.sources.discovery import (
    ArticleLink,
    DiscoveryResult,
    InMemoryValidatorCache,
    discover,
    find_article_links,
    next_page_url,
)
from pohang_watch.sources.fetch import FetchedPage, Fetcher
from sources.fixture_site import FEED, FEED_ONLY, LISTING_PAGES, MIDDLE, NEW, OLD, FixtureSite

Settings = Callable[..., FetchSettings]
ALL_IDS = [FEED_ONLY, *NEW, *MIDDLE, *OLD]  # newest first


def make_page(body: str | bytes, url: str, content_type: str = "text/html") -> FetchedPage:
    content = body.encode() if isinstance(body, str) else body
    return FetchedPage(
        url=url,
        final_url=url,
        status=200,
        content=content,
        content_type=content_type,
        charset=None,
        etag=None,
        last_modified=None,
        date=None,
        retry_after=None,
        fetched_at=datetime.now(UTC),
    )


def known(ids: Sequence[str]) -> Callable[[Sequence[str]], set[str]]:
    return lambda asked: set(asked) & set(ids)


def ids(links: list[ArticleLink]) -> list[str]:
    return [link.article_id for link in links]


def test_every_url_form_reduces_to_one_link_per_id_in_page_order() -> None:
    links = find_article_links(make_page(LISTING_PAGES[1], "http://127.0.0.1/en/list"))
    assert ids(links) == NEW
    assert links[0] == ArticleLink(
        NEW[0],
        f"https://www.asiae.co.kr/en/article/{NEW[0]}",
        datetime(2025, 6, 11, 9, 30, 1, tzinfo=KST),
    )


def test_relative_links_resolve_against_the_page_and_its_base() -> None:
    body = (
        f'<a href="/en/article/{NEW[0]}">a</a> <a href="article/science/{NEW[1]}">b</a>'
        '<a href="/en/article/123">too short</a><a href="mailto:desk@example.org">mail</a>'
    )
    on_site = find_article_links(make_page(body, "https://www.asiae.co.kr/en/list"))
    assert ids(on_site) == NEW[:2]
    # A page elsewhere names other sites' paths, unless its <base> points at the paper.
    assert find_article_links(make_page(body, "http://127.0.0.1/en/list")) == []
    based = '<head><base href="https://cm.asiae.co.kr/en/"></head>' + body
    assert ids(find_article_links(make_page(based, "http://127.0.0.1/x"))) == NEW[:2]


def test_feed_entries_give_their_links() -> None:
    rss = make_page(FEED, "http://127.0.0.1/rss/en.xml", "application/rss+xml")
    assert ids(find_article_links(rss)) == [FEED_ONLY, NEW[0]]
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        '<link rel="next" href="https://www.asiae.co.kr/rss/en.xml?page=2"/>'
        f'<entry><title>e</title><link href="https://view.asiae.co.kr/en/article/{OLD[0]}"/>'
        f"<id>urn:x:{OLD[0]}</id></entry></feed>"
    )
    page = make_page(atom, "https://www.asiae.co.kr/rss/en.xml", "application/atom+xml")
    assert ids(find_article_links(page)) == [OLD[0]]
    listing = ListingSettings(url=page.url, kind="feed")
    assert next_page_url(page, listing) == "https://www.asiae.co.kr/rss/en.xml?page=2"


def test_next_page_is_rel_next_else_the_page_parameter() -> None:
    linked = make_page(LISTING_PAGES[2], "http://127.0.0.1/en/list?page=2")
    plain = make_page(LISTING_PAGES[4], "http://127.0.0.1/en/list?cat=e&page=4")
    first = make_page(LISTING_PAGES[4], "http://127.0.0.1/en/list?cat=e")
    counting = ListingSettings(url="http://127.0.0.1/en/list", page_parameter="page")
    assert next_page_url(linked, counting) == "http://127.0.0.1/en/list?page=3"
    assert next_page_url(plain, counting) == "http://127.0.0.1/en/list?cat=e&page=5"
    assert next_page_url(first, counting) == "http://127.0.0.1/en/list?cat=e&page=2"
    assert next_page_url(plain, ListingSettings(url="http://127.0.0.1/en/list")) is None


def test_undecodable_listing_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        find_article_links(make_page(b"\x00\x01binary", "http://127.0.0.1/en/list"))


def run(
    site: FixtureSite,
    settings: FetchSettings,
    listings: list[ListingSettings],
    *,
    known_ids: Sequence[str] = (),
    since: datetime | None = None,
    cache: InMemoryValidatorCache | None = None,
) -> DiscoveryResult:
    with Fetcher(settings) as fetcher:
        return discover(
            fetcher,
            listings,
            is_known=known(known_ids),
            since=since,
            validator_cache=cache or InMemoryValidatorCache(),
        )


def latest(site: FixtureSite, **options: object) -> ListingSettings:
    return ListingSettings.model_validate({"url": site.url("/en/list"), "max_pages": 10} | options)


def feed(site: FixtureSite) -> ListingSettings:
    return ListingSettings(url=site.url("/rss/en.xml"), kind="feed")


def test_first_run_finds_every_article_once_politely_then_the_second_gets_304(
    site: FixtureSite, site_settings: Settings
) -> None:
    delay = 0.05  # really slept: the server's clock checks it
    settings = site_settings(delay_seconds=delay)
    cache = InMemoryValidatorCache()
    first = run(site, settings, [latest(site), feed(site)], cache=cache)
    assert ids(first.links) == ALL_IDS
    assert (first.pages_fetched, first.pages_not_modified, first.errors) == (5, 0, [])
    assert cache.get(site.url("/en/list")) is None  # held back until the articles are stored
    first.commit_validators(cache)
    for earlier, later in itertools.pairwise(site.hits):
        assert later.start >= earlier.end
        assert later.start - earlier.start >= delay - 0.02  # server-side timing jitter

    site.hits.clear()
    second = run(site, settings, [latest(site), feed(site)], known_ids=ALL_IDS, cache=cache)
    assert (second.links, second.pages_fetched, second.pages_not_modified) == ([], 1, 1)
    assert site.paths() == ["/robots.txt", "/en/list", "/rss/en.xml"]
    assert site.hits[1].headers["if-none-match"] == '"listing-v1"'


def test_incremental_run_stops_at_the_first_page_of_known_articles(
    site: FixtureSite, site_settings: Settings
) -> None:
    result = run(site, site_settings(), [latest(site), feed(site)], known_ids=NEW)
    assert ids(result.links) == [FEED_ONLY]
    assert result.pages_fetched == 2
    assert "/en/list?page=2" not in site.paths()


def test_run_stops_at_articles_older_than_since(site: FixtureSite, site_settings: Settings) -> None:
    since = datetime(2025, 6, 5, tzinfo=KST)
    result = run(site, site_settings(), [latest(site)], since=since)
    assert ids(result.links) == [*NEW, *MIDDLE]
    assert result.pages_fetched == 3  # page 3 holds only older articles: no page 4


def test_max_pages_bounds_the_walk(site: FixtureSite, site_settings: Settings) -> None:
    result = run(site, site_settings(), [latest(site, max_pages=2)])
    assert ids(result.links) == [*NEW, *MIDDLE]
    assert result.pages_fetched == 2


def test_page_parameter_pages_a_listing_without_rel_next(
    site: FixtureSite, site_settings: Settings
) -> None:
    listing = ListingSettings(url=site.url("/en/paged"), page_parameter="page", max_pages=9)
    result = run(site, site_settings(), [listing])
    assert ids(result.links) == [NEW[0], NEW[1], MIDDLE[0], OLD[0]]
    assert site.paths()[1:] == [f"/en/paged{q}" for q in ("", "?page=2", "?page=3", "?page=4")]


def test_failing_listings_are_recorded_and_the_others_go_on(
    site: FixtureSite, site_settings: Settings
) -> None:
    broken = [
        ListingSettings(url=site.url("/private/list")),
        ListingSettings(url=site.foreign_base + "/en/list"),
        ListingSettings(url=site.url("/gone")),
        ListingSettings(url=site.url("/image.png")),
    ]
    result = run(site, site_settings(), [*broken, feed(site)])
    assert ids(result.links) == [FEED_ONLY, NEW[0]]
    assert [error.source for error in result.errors] == [listing.url for listing in broken]
    assert all(error.stage == "discover" for error in result.errors)
    assert "robots.txt" in result.errors[0].message
    assert "HTTP 404" in result.errors[2].message
    assert site.foreign_hits() == []
    assert "/private/list" not in site.paths()


def test_links_from_an_earlier_listing_are_not_repeated_and_do_not_stop_paging(
    site: FixtureSite, site_settings: Settings
) -> None:
    only_new = ListingSettings(url=site.url("/en/list?page=2"), max_pages=1)
    result = run(site, site_settings(), [only_new, latest(site)])
    assert ids(result.links) == ALL_IDS[1:]  # no feed here
    assert result.pages_fetched == 5


def test_links_without_a_valid_time_come_last() -> None:
    undated = "2025139999999999999"  # month 13: no publication time to sort by
    body = (
        f'<a href="https://www.asiae.co.kr/en/article/{undated}">x</a>'
        f'<a href="https://www.asiae.co.kr/en/article/{OLD[0]}">y</a>'
    )

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, headers={"content-type": "text/html"}, text=body)

    settings = FetchSettings(delay_seconds=0.0)
    listing = ListingSettings(url="https://www.asiae.co.kr/en/list", max_pages=1)
    with Fetcher(settings, transport=httpx.MockTransport(answer)) as fetcher:
        result = discover(
            fetcher,
            [listing],
            is_known=known(()),
            since=datetime(2025, 1, 1, tzinfo=UTC),
            validator_cache=InMemoryValidatorCache(),
        )
    assert ids(result.links) == [OLD[0], undated]
