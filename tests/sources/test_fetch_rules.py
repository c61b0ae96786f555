"""Fetcher rules pinned with httpx.MockTransport: hosts, robots.txt, errors, retries, headers."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from pohang_watch.config import FetchSettings
from pohang_watch.errors import PermanentFetchError, TransientFetchError
from pohang_watch.sources.fetch import Fetcher, NotModified, Validators, parse_retry_after
from pohang_watch.sources.robots import host_is_allowed
from sources.fixture_site import FakeTime

ARTICLE = "https://www.asiae.co.kr/en/article/2025061109300100001"
HTML = {"content-type": "text/html; charset=utf-8"}

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers robots.txt and pages, and keeps every request."""

    def __init__(self, page: Handler | None = None, robots: Handler | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self._page = page or (lambda request: httpx.Response(200, headers=HTML, text="<p>ok</p>"))
        self._robots = robots or (lambda request: httpx.Response(404))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/robots.txt":
            return self._robots(request)
        return self._page(request)

    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]


def fetcher(recorder: Recorder, fake_time: FakeTime | None = None, **settings: object) -> Fetcher:
    clock = fake_time or FakeTime()
    return Fetcher(
        FetchSettings.model_validate({"delay_seconds": 0.0} | settings),
        transport=httpx.MockTransport(recorder),
        sleep=clock.sleep,
        clock=clock.clock,
    )


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("asiae.co.kr", True),
        ("www.asiae.co.kr", True),
        ("CM.ASIAE.CO.KR.", True),
        ("evilasiae.co.kr", False),
        ("asiae.co.kr.example.org", False),
        ("example.org", False),
        ("", False),
    ],
)
def test_allowed_hosts_are_the_domain_and_its_subdomains(host: str, allowed: bool) -> None:
    assert host_is_allowed(host, ("asiae.co.kr",)) is allowed


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/en/article/2025061109300100001",
        "https://www.asiae.co.kr@example.org/en/",
        "ftp://www.asiae.co.kr/en/",
        "https://[::1/en/",
    ],
)
def test_urls_outside_the_allow_list_send_nothing(url: str) -> None:
    recorder = Recorder()
    with fetcher(recorder) as client, pytest.raises(PermanentFetchError) as error:
        client.fetch(url)
    assert str(error.value).startswith(url)
    assert recorder.requests == []


def test_robots_rules_follow_googles_handling_of_errors() -> None:
    missing = Recorder(robots=lambda request: httpx.Response(404))
    with fetcher(missing) as client:
        client.fetch(ARTICLE)
    assert missing.paths() == ["/robots.txt", "/en/article/2025061109300100001"]

    failing = Recorder(robots=lambda request: httpx.Response(503))
    with fetcher(failing) as client:
        for _ in range(2):
            with pytest.raises(TransientFetchError, match=r"robots\.txt HTTP 503"):
                client.fetch(ARTICLE)
    assert failing.paths() == ["/robots.txt"]


def test_robots_timeout_disallows_the_host_for_the_run() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    recorder = Recorder(robots=timeout)
    with fetcher(recorder) as client, pytest.raises(TransientFetchError, match="treated as"):
        client.fetch(ARTICLE)
    assert recorder.paths() == ["/robots.txt"]


def test_robots_is_matched_on_our_user_agent_and_its_crawl_delay_is_obeyed() -> None:
    robots = "User-agent: pohang-watch\nDisallow: /en/print.htm\nCrawl-delay: 5\n"
    recorder = Recorder(robots=lambda request: httpx.Response(200, text=robots))
    clock = FakeTime()
    with fetcher(recorder, clock, delay_seconds=1.0) as client:
        client.fetch(ARTICLE)
        client.fetch(ARTICLE)
        with pytest.raises(PermanentFetchError, match="disallowed by"):
            client.fetch("https://www.asiae.co.kr/en/print.htm?idxno=2025061109300100001")
    assert clock.sleeps == [5.0, 5.0]  # the Crawl-delay, not the 1 s configured, from the start


@pytest.mark.parametrize(
    ("error", "expected", "requests"),
    [
        (httpx.ConnectError("refused"), TransientFetchError, 3),
        (httpx.RemoteProtocolError("reset"), TransientFetchError, 3),
        (httpx.ConnectTimeout("slow"), TransientFetchError, 3),
        (httpx.DecodingError("bad gzip"), PermanentFetchError, 1),
        (httpx.UnsupportedProtocol("gopher"), PermanentFetchError, 1),
    ],
)
def test_httpx_errors_become_fetch_errors_naming_the_url(
    error: Exception, expected: type[Exception], requests: int
) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    recorder = Recorder(page=fail)
    with fetcher(recorder, max_retries=2) as client, pytest.raises(expected) as raised:
        client.fetch(ARTICLE)
    assert type(raised.value) is expected
    assert str(raised.value).startswith(ARTICLE)
    assert recorder.paths().count("/en/article/2025061109300100001") == requests


def test_retry_after_beyond_the_cap_fails_fast_and_spares_the_host() -> None:
    recorder = Recorder(page=lambda request: httpx.Response(429, headers={"retry-after": "3600"}))
    clock = FakeTime()
    with fetcher(recorder, clock, max_wait_seconds=60.0) as client:
        with pytest.raises(TransientFetchError, match="asked to wait 3600s"):
            client.fetch(ARTICLE)
        with pytest.raises(TransientFetchError, match="left alone"):
            client.fetch(ARTICLE.replace("00001", "00002"))
    assert recorder.paths().count("/en/article/2025061109300100001") == 1
    assert clock.sleeps == []


def test_conditional_headers_are_sent_and_304_is_not_modified() -> None:
    validators = Validators(etag='"v1"', last_modified="Wed, 11 Jun 2025 01:00:00 GMT")
    recorder = Recorder(page=lambda request: httpx.Response(304))
    with fetcher(recorder) as client:
        result = client.fetch(ARTICLE, validators=validators)
    assert result == NotModified(ARTICLE, ARTICLE, validators, result.fetched_at)
    sent = recorder.requests[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == validators.last_modified


def test_accept_header_follows_the_kind_of_page() -> None:
    feed = {"content-type": "application/atom+xml"}
    recorder = Recorder(page=lambda request: httpx.Response(200, headers=feed, text="<feed/>"))
    with fetcher(recorder) as client:
        client.fetch("https://www.asiae.co.kr/rss/en.xml", kind="feed")
    assert "application/rss+xml" in recorder.requests[-1].headers["accept"]
    assert "text/html" not in recorder.requests[-1].headers["accept"]


@pytest.mark.parametrize(
    ("value", "date", "expected"),
    [
        ("120", None, 120.0),
        (" 0 ", None, 0.0),
        ("Wed, 11 Jun 2025 01:00:30 GMT", "Wed, 11 Jun 2025 01:00:00 GMT", 30.0),
        ("Wed, 11 Jun 2025 00:59:00 GMT", "Wed, 11 Jun 2025 01:00:00 GMT", 0.0),
        ("soon", None, None),
        ("-5", None, None),
        (None, None, None),
    ],
)
def test_retry_after_is_seconds_or_an_http_date(
    value: str | None, date: str | None, expected: float | None
) -> None:
    assert parse_retry_after(value, date) == expected


def test_robots_redirected_to_a_foreign_host_disallows_without_contacting_it() -> None:
    away = {"location": "https://example.org/robots.txt"}
    recorder = Recorder(robots=lambda request: httpx.Response(301, headers=away))
    with fetcher(recorder) as client, pytest.raises(TransientFetchError, match="treated as"):
        client.fetch(ARTICLE)
    assert [request.url.host for request in recorder.requests] == ["www.asiae.co.kr"]


def test_robots_beyond_500_kib_is_cut_like_google_does() -> None:
    robots = "User-agent: *\n" + "# padding\n" * 60_000 + "Disallow: /\n"
    recorder = Recorder(robots=lambda request: httpx.Response(200, text=robots))
    with fetcher(recorder) as client:
        client.fetch(ARTICLE)
    assert recorder.paths()[-1] == "/en/article/2025061109300100001"
