"""Polite HTTP fetching of the live site: one shared client, every request checked first.

Every request — pages, redirect hops, robots.txt — goes through ``Fetcher._send``, which
refuses hosts outside ``fetch.allowed_hosts`` and takes the host's turn: one request at a time
per host and at least ``delay_seconds`` between the starts of two. Redirects are followed by
hand so each hop is checked the same way; robots.txt is read once per origin per Fetcher.

Errors (httpx exceptions are translated in one place, ``_httpx_errors_as_fetch_errors``)::

    FetchError                          (pohang_watch.errors)
    ├── TransientFetchError             a later run may succeed
    │   │                                 · robots.txt unreachable (5xx, 429, timeout): host
    │   │                                   treated as disallowed for this run
    │   │                                 · the host asked to wait longer than max_wait_seconds
    │   │                                 · retries exhausted (wraps the last RetryableFetchError)
    │   └── RetryableFetchError         retried here, with back-off and jitter or Retry-After
    │                                     · httpx.TimeoutException
    │                                     · httpx.NetworkError, RemoteProtocolError, ProxyError
    │                                     · HTTP 429 and 5xx
    └── PermanentFetchError             retrying will not help
                                          · host outside allowed_hosts (also via redirect),
                                            scheme not http(s), malformed URL
                                          · robots.txt disallows the URL
                                          · HTTP 4xx (but 429), too many redirects
                                          · Content-Type not accepted, body over the size cap
                                          · any other httpx.HTTPError, InvalidURL, StreamError

Every message starts with the URL it is about.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Self

import httpx

from pohang_watch.config import FetchSettings
from pohang_watch.errors import PermanentFetchError, TransientFetchError
from pohang_watch.sources.http import (
    FetchedPage,
    NotModified,
    PageKind,
    Validators,
    media_type,
    parse_retry_after,
)
from pohang_watch.sources.robots import ROBOTS_MAX_BYTES, RobotsRules, host_is_allowed

# The page records live in sources.http; named here too so callers need one import.
__all__ = [
    "FetchedPage",
    "Fetcher",
    "NotModified",
    "PageKind",
    "RetryableFetchError",
    "Validators",
    "parse_retry_after",
]

logger = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_KEPT_HEADERS = ("content-type", "etag", "last-modified", "date", "retry-after", "location")


class RetryableFetchError(TransientFetchError):
    """A failure the fetcher retries by itself; ``retry_after`` is the server's wish, if any."""

    def __init__(self, url: str, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url  # the URL that failed, which may be a redirect target
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class _Reply:
    url: str
    status: int
    headers: dict[str, str]  # only _KEPT_HEADERS
    content: bytes
    charset: str | None


class _HostGate:
    """One host's turn: a lock held for the whole exchange, and when the next may start."""

    def __init__(self, settings: FetchSettings, clock: Callable[[], float]) -> None:
        self._turn = threading.Lock()
        self._state = threading.Lock()  # guards the times below; never held while sleeping
        self._clock = clock
        self._max_wait = settings.max_wait_seconds
        self.delay = settings.delay_seconds
        self._last_start: float | None = None
        self._not_before = float("-inf")

    @contextmanager
    def turn(self, url: str, sleep: Callable[[float], None]) -> Iterator[None]:
        with self._turn:
            wait = self._wait_needed(url)
            if wait > 0:
                sleep(wait)
            with self._state:
                self._last_start = self._clock()
            yield

    def defer(self, seconds: float) -> None:
        """Keep every request to this host back for ``seconds`` (a Retry-After or back-off)."""
        with self._state:
            self._not_before = max(self._not_before, self._clock() + seconds)

    def slow_down(self, crawl_delay: float | None) -> None:
        if crawl_delay is not None:
            with self._state:
                self.delay = max(self.delay, min(crawl_delay, self._max_wait))

    def _wait_needed(self, url: str) -> float:
        with self._state:
            now = self._clock()
            if self._not_before - now > self._max_wait:
                raise TransientFetchError(
                    f"{url}: host asked to be left alone for {self._not_before - now:.0f}s, "
                    f"more than max_wait_seconds={self._max_wait:g}"
                )
            ready = self._not_before
            if self._last_start is not None:
                ready = max(ready, self._last_start + self.delay)
            return ready - now


class Fetcher:
    """The one HTTP client of a run; use as a context manager so the connections close."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        before_request: Callable[[str], None] | None = None,
    ) -> None:
        self._settings = settings
        self._before_request = before_request or (lambda host: None)
        self._sleep = sleep
        self._clock = clock
        self._random = rng or random.Random()
        self._client = httpx.Client(
            transport=transport,
            timeout=settings.timeout_seconds,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent},
        )
        self._lock = threading.Lock()  # guards the three dicts below
        self._gates: dict[str, _HostGate] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, threading.Lock] = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self, url: str, *, validators: Validators | None = None, kind: PageKind = "html"
    ) -> FetchedPage | NotModified:
        """GET ``url`` politely, retrying transient failures; raise a FetchError naming it."""
        for attempt in range(self._settings.max_retries):
            try:
                return self._fetch_once(url, validators, kind)
            except RetryableFetchError as exc:
                self._schedule_retry(exc, attempt)
        try:
            return self._fetch_once(url, validators, kind)
        except RetryableFetchError as exc:
            attempts = self._settings.max_retries + 1
            raise TransientFetchError(f"{exc} (gave up after {attempts} attempts)") from exc

    def _schedule_retry(self, exc: RetryableFetchError, attempt: int) -> None:
        """Hold the host back before the next attempt: as asked, else exponential with jitter."""
        if exc.retry_after is not None:
            wait = exc.retry_after
        else:
            wait = self._settings.backoff_seconds * 2**attempt * (0.5 + self._random.random() / 2)
        self._gate(httpx.URL(exc.url).host).defer(wait)
        if wait > self._settings.max_wait_seconds:
            raise TransientFetchError(
                f"{exc}; asked to wait {wait:.0f}s, more than "
                f"max_wait_seconds={self._settings.max_wait_seconds:g}"
            ) from exc
        logger.warning("%s; retrying in %.1fs", exc, wait)

    def _fetch_once(
        self, url: str, validators: Validators | None, kind: PageKind
    ) -> FetchedPage | NotModified:
        headers = {"Accept": ", ".join(self._content_types(kind))}
        headers |= validators.request_headers() if validators else {}
        current = url
        for _ in range(self._settings.max_redirects + 1):
            self._check_may_fetch(current)
            reply = self._send(current, headers, self._content_types(kind))
            if reply.status not in _REDIRECTS:
                return _outcome(url, reply, validators)
            current = _redirect_target(reply)
        raise PermanentFetchError(f"{url}: more than {self._settings.max_redirects} redirects")

    def _content_types(self, kind: PageKind) -> tuple[str, ...]:
        if kind == "feed":
            return self._settings.feed_content_types
        return self._settings.html_content_types

    def _send(
        self,
        url: str,
        headers: dict[str, str],
        content_types: tuple[str, ...] | None,
        *,
        truncate_at: int | None = None,
    ) -> _Reply:
        """The only place a request leaves: allowed host, host's turn, capped streaming body."""
        with _httpx_errors_as_fetch_errors(url):
            host = self._checked_host(url)
            with (
                self._gate(host).turn(url, self._sleep),
                self._shared_turn(host),
                self._client.stream("GET", url, headers=headers) as response,
            ):
                logger.info("GET %s -> %s", url, response.status_code)
                content = b""
                if 200 <= response.status_code < 300:
                    if content_types is not None:
                        _check_content_type(
                            url, response.headers.get("content-type"), content_types
                        )
                    content = self._read_body(url, response, truncate_at)
                kept = {
                    name: response.headers[name]
                    for name in _KEPT_HEADERS
                    if name in response.headers
                }
                return _Reply(url, response.status_code, kept, content, response.charset_encoding)

    @contextmanager
    def _shared_turn(self, host: str) -> Iterator[None]:
        """before_request(host): pacing shared with other runs (flows/: a Prefect rate limit)."""
        self._before_request(host)
        yield

    def _checked_host(self, url: str) -> str:
        parsed = httpx.URL(url)
        if parsed.scheme not in {"http", "https"}:
            raise PermanentFetchError(f"{url}: only http and https are fetched")
        if not host_is_allowed(parsed.host, self._settings.allowed_hosts):
            raise PermanentFetchError(
                f"{url}: host {parsed.host!r} is outside fetch.allowed_hosts "
                f"{list(self._settings.allowed_hosts)}"
            )
        return parsed.host

    def _read_body(self, url: str, response: httpx.Response, truncate_at: int | None) -> bytes:
        """Stream the body; abandon it past max_response_bytes, or keep its first bytes only."""
        cap = truncate_at if truncate_at is not None else self._settings.max_response_bytes
        declared = response.headers.get("content-length", "")
        if truncate_at is None and declared.isdigit() and int(declared) > cap:
            raise PermanentFetchError(f"{url}: body of {declared} bytes exceeds {cap} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                if truncate_at is not None:
                    break
                raise PermanentFetchError(f"{url}: body exceeds {cap} bytes; abandoned")
        return b"".join(chunks)[:cap]

    def _gate(self, host: str) -> _HostGate:
        with self._lock:
            gate = self._gates.get(host)
            if gate is None:
                gate = self._gates[host] = _HostGate(self._settings, self._clock)
            return gate

    def _check_may_fetch(self, url: str) -> None:
        """Allowed host first (so a foreign host's robots.txt is never asked), then robots.txt."""
        with _httpx_errors_as_fetch_errors(url):
            self._checked_host(url)
            parsed = httpx.URL(url)
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
        rules = self._robots_rules(origin, parsed.host)
        if rules.allows(url, self._settings.user_agent):
            return
        if rules.reachable:
            raise PermanentFetchError(f"{url}: disallowed by {origin}/robots.txt")
        raise TransientFetchError(f"{url}: {rules.reason}; {origin} treated as disallowed")

    def _robots_rules(self, origin: str, host: str) -> RobotsRules:
        """robots.txt of ``origin``, fetched once per Fetcher even with many threads asking."""
        with self._lock:
            origin_lock = self._robots_locks.setdefault(origin, threading.Lock())
        with origin_lock:
            rules = self._robots.get(origin)
            if rules is None:
                rules = self._load_robots(origin + "/robots.txt")
                self._gate(host).slow_down(rules.crawl_delay(self._settings.user_agent))
                with self._lock:
                    self._robots[origin] = rules
            return rules

    def _load_robots(self, url: str) -> RobotsRules:
        current = url
        try:
            for _ in range(self._settings.max_redirects + 1):
                reply = self._send(current, {}, None, truncate_at=ROBOTS_MAX_BYTES)
                if reply.status not in _REDIRECTS:
                    return RobotsRules.from_response(reply.status, reply.content)
                current = _redirect_target(reply)
        except (TransientFetchError, PermanentFetchError) as exc:
            logger.warning("robots.txt unavailable: %s", exc)
            return RobotsRules.unavailable(f"robots.txt unavailable ({exc})")
        # Like Google: a redirect chain too long to follow counts as "no robots.txt".
        return RobotsRules.from_response(404, b"")


@contextmanager
def _httpx_errors_as_fetch_errors(url: str) -> Iterator[None]:
    """The one place httpx exceptions become pohang-watch errors (tree in the module doc)."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise RetryableFetchError(url, f"timed out ({type(exc).__name__})") from exc
    except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as exc:
        raise RetryableFetchError(url, f"connection failed ({type(exc).__name__}: {exc})") from exc
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise PermanentFetchError(f"{url}: {type(exc).__name__}: {exc}") from exc


def _outcome(url: str, reply: _Reply, sent: Validators | None) -> FetchedPage | NotModified:
    """The final (non-redirect) reply as a page, a 304, or the error it stands for."""
    fetched_at = datetime.now(UTC)
    if reply.status == 304:
        validators = Validators(reply.headers.get("etag"), reply.headers.get("last-modified"))
        if validators == Validators() and sent is not None:
            validators = sent
        return NotModified(url, reply.url, validators, fetched_at)
    if reply.status == 429 or reply.status >= 500:
        retry_after = parse_retry_after(reply.headers.get("retry-after"), reply.headers.get("date"))
        raise RetryableFetchError(reply.url, f"HTTP {reply.status}", retry_after=retry_after)
    if not 200 <= reply.status < 300:
        raise PermanentFetchError(f"{reply.url}: HTTP {reply.status}")
    get = reply.headers.get
    return FetchedPage(
        url=url,
        final_url=reply.url,
        status=reply.status,
        content=reply.content,
        content_type=get("content-type"),
        charset=reply.charset,
        etag=get("etag"),
        last_modified=get("last-modified"),
        date=get("date"),
        retry_after=get("retry-after"),
        fetched_at=fetched_at,
    )


def _redirect_target(reply: _Reply) -> str:
    location = reply.headers.get("location")
    if not location:
        raise PermanentFetchError(f"{reply.url}: HTTP {reply.status} without a Location")
    with _httpx_errors_as_fetch_errors(reply.url):
        target = httpx.URL(reply.url).join(location.strip()).copy_with(fragment=None)
    logger.info("%s redirects to %s", reply.url, target)
    return str(target)


def _check_content_type(url: str, content_type: str | None, accepted: tuple[str, ...]) -> None:
    found = media_type(content_type)
    if found not in accepted:
        shown = found or "no Content-Type"
        raise PermanentFetchError(f"{url}: content type {shown!r} is not one of {list(accepted)}")
