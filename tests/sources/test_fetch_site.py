"""The Fetcher against the fixture site over real sockets: politeness seen from the server."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import UTC

import pytest

from pohang_watch.config import FetchSettings
from pohang_watch.errors import PermanentFetchError, TransientFetchError
from pohang_watch.sources.fetch import FetchedPage, Fetcher, NotModified, Validators
from sources.fixture_site import KOREAN_SENTENCE, LAST_MODIFIED, FakeTime, FixtureSite

Settings = Callable[..., FetchSettings]


def page(result: FetchedPage | NotModified) -> FetchedPage:
    assert isinstance(result, FetchedPage), result
    return result


def test_page_carries_what_the_archive_needs(site: FixtureSite, site_settings: Settings) -> None:
    with Fetcher(site_settings()) as fetcher:
        fetched = page(fetcher.fetch(site.url("/page-a")))
    assert fetched.url == fetched.final_url == site.url("/page-a")
    assert fetched.status == 200
    assert fetched.media_type == "text/html"
    assert fetched.charset == "utf-8"
    assert fetched.fetched_at.tzinfo == UTC
    assert len(fetched.sha256) == 64
    assert "Page A" in fetched.text()
    assert set(fetched.headers) >= {"content-type", "date"}
    document = fetched.to_source_document()
    assert (document.url, document.charset, document.content) == (
        fetched.final_url,
        "utf-8",
        fetched.content,
    )


def test_user_agent_names_the_project_and_robots_is_read_once(
    site: FixtureSite, site_settings: Settings
) -> None:
    with Fetcher(site_settings()) as fetcher:
        for path in ("/page-a", "/page-b", "/page-c"):
            fetcher.fetch(site.url(path))
    assert site.paths() == ["/robots.txt", "/page-a", "/page-b", "/page-c"]
    assert all(hit.headers["user-agent"].startswith("pohang-watch/") for hit in site.hits)


def test_robots_disallowed_path_is_never_requested(
    site: FixtureSite, site_settings: Settings
) -> None:
    with Fetcher(site_settings()) as fetcher, pytest.raises(PermanentFetchError) as error:
        fetcher.fetch(site.url("/private/list"))
    assert site.url("/private/list") in str(error.value)
    assert "robots.txt" in str(error.value)
    assert site.paths() == ["/robots.txt"]


def test_retry_after_seconds_is_waited_for(
    site: FixtureSite, site_settings: Settings, fake_time: FakeTime
) -> None:
    with Fetcher(site_settings(), sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        fetched = page(fetcher.fetch(site.url("/busy")))
    assert "Busy" in fetched.text()
    assert fake_time.sleeps == [7.0]
    assert site.paths().count("/busy") == 2


def test_retry_after_http_date_is_waited_for(
    site: FixtureSite, site_settings: Settings, fake_time: FakeTime
) -> None:
    with Fetcher(site_settings(), sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        page(fetcher.fetch(site.url("/busy-date")))
    [wait] = fake_time.sleeps
    assert 28.5 <= wait <= 31.0  # HTTP dates have whole seconds


def test_server_error_recovers_on_retry_with_growing_backoff(
    site: FixtureSite, site_settings: Settings, fake_time: FakeTime
) -> None:
    settings = site_settings(max_retries=2, backoff_seconds=1.0)
    with Fetcher(settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher:
        fetched = page(fetcher.fetch(site.url("/flaky")))
    assert "Recovered" in fetched.text()
    assert site.paths().count("/flaky") == 3
    first, second = fake_time.sleeps
    assert 0.5 <= first <= 1.0
    assert 1.0 <= second <= 2.0


def test_persistent_server_error_gives_a_transient_error_after_the_retries(
    site: FixtureSite, site_settings: Settings, fake_time: FakeTime
) -> None:
    with (
        Fetcher(site_settings(max_retries=2), sleep=fake_time.sleep, clock=fake_time.clock) as f,
        pytest.raises(TransientFetchError, match=r"/down: HTTP 503.*3 attempts"),
    ):
        f.fetch(site.url("/down"))
    assert site.paths().count("/down") == 3


def test_slow_page_times_out_as_a_transient_error(
    site: FixtureSite, site_settings: Settings, fake_time: FakeTime
) -> None:
    settings = site_settings(timeout_seconds=0.2, max_retries=1)
    with (
        Fetcher(settings, sleep=fake_time.sleep, clock=fake_time.clock) as fetcher,
        pytest.raises(TransientFetchError, match=r"/slow: timed out"),
    ):
        fetcher.fetch(site.url("/slow"))
    assert len(fake_time.sleeps) == 1  # one back-off between the two attempts


def test_redirect_to_a_foreign_host_is_not_followed(
    site: FixtureSite, site_settings: Settings
) -> None:
    with Fetcher(site_settings()) as fetcher:
        for path in ("/away", "/away-by-name"):
            with pytest.raises(PermanentFetchError, match=r"outside fetch\.allowed_hosts"):
                fetcher.fetch(site.url(path))
    assert site.foreign_hits() == []


def test_foreign_host_is_never_contacted_even_for_robots(
    site: FixtureSite, site_settings: Settings
) -> None:
    with (
        Fetcher(site_settings()) as fetcher,
        pytest.raises(PermanentFetchError, match=r"127\.0\.0\.2"),
    ):
        fetcher.fetch(site.foreign_base + "/en/list")
    assert site.hits == []


def test_redirects_within_the_host_are_followed(site: FixtureSite, site_settings: Settings) -> None:
    with Fetcher(site_settings()) as fetcher:
        fetched = page(fetcher.fetch(site.url("/hop1")))
        with pytest.raises(PermanentFetchError, match="more than 5 redirects"):
            fetcher.fetch(site.url("/loop"))
    assert fetched.url == site.url("/hop1")
    assert fetched.final_url == site.url("/page-a")
    assert site.paths().count("/loop") == 6


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/image.png", "content type 'image/png'"),
        ("/untyped", "no Content-Type"),
        ("/huge", "exceeds 100000 bytes"),
        ("/huge-unsized", "exceeds 100000 bytes; abandoned"),
        ("/gone", "HTTP 404"),
    ],
)
def test_bad_responses_are_permanent_errors_naming_the_url(
    site: FixtureSite, site_settings: Settings, path: str, message: str
) -> None:
    with Fetcher(site_settings()) as fetcher, pytest.raises(PermanentFetchError) as error:
        fetcher.fetch(site.url(path))
    assert str(error.value).startswith(site.url(path))
    assert message in str(error.value)
    assert site.paths().count(path) == 1  # never retried


def test_feed_kind_accepts_rss_and_refuses_html(site: FixtureSite, site_settings: Settings) -> None:
    with Fetcher(site_settings()) as fetcher:
        feed = page(fetcher.fetch(site.url("/rss/en.xml"), kind="feed"))
        with pytest.raises(PermanentFetchError, match="text/html"):
            fetcher.fetch(site.url("/page-a"), kind="feed")
    assert feed.media_type == "application/rss+xml"


@pytest.mark.parametrize("path", ["/euc-kr", "/euc-kr-meta"])
def test_euc_kr_page_decodes(site: FixtureSite, site_settings: Settings, path: str) -> None:
    with Fetcher(site_settings()) as fetcher:
        fetched = page(fetcher.fetch(site.url(path)))
    assert KOREAN_SENTENCE in fetched.text()


def test_conditional_requests_get_not_modified(site: FixtureSite, site_settings: Settings) -> None:
    with Fetcher(site_settings()) as fetcher:
        first = page(fetcher.fetch(site.url("/conditional")))
        second = fetcher.fetch(site.url("/conditional"), validators=first.validators)
    assert first.validators == Validators(None, LAST_MODIFIED)
    assert isinstance(second, NotModified)
    assert second.validators == first.validators
    assert site.hits[-1].headers["if-modified-since"] == LAST_MODIFIED


def test_threads_take_turns_with_a_real_delay_between_starts(
    site: FixtureSite, site_settings: Settings
) -> None:
    delay = 0.15
    site.work_seconds = 0.01  # long enough that overlapping requests would show
    errors: list[BaseException] = []
    with Fetcher(site_settings(delay_seconds=delay)) as fetcher:

        def fetch_all() -> None:
            try:
                for path in ("/page-a", "/page-b", "/page-c"):
                    fetcher.fetch(site.url(path))
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=fetch_all) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    assert errors == []
    hits = sorted(site.hits, key=lambda hit: hit.start)
    assert len(hits) == 13  # robots.txt once, then 4 threads x 3 pages
    for earlier, later in itertools.pairwise(hits):
        assert later.start >= earlier.end, "two requests to the host at once"
        # The server notes a start some ms after the client's, more on a loaded machine:
        # allow half the delay for that jitter (an unpaced client would show ~0).
        assert later.start - earlier.start >= delay / 2
