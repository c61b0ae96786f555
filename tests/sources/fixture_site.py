"""A fixture site: real HTTP servers on 127.0.0.1 (the site) and 127.0.0.2 (a foreign host).

The site serves listing pages whose links use every URL form of DESIGN §3, a feed, robots.txt
with a disallowed folder, and the bad responses a live run meets (429, 500, slow, oversized,
binary, EUC-KR, redirects away). Every request is recorded with its start and end times so
tests can check politeness from the server's side. The foreign server must never be reached.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

# Article ids: publication time in KST, then five more digits (DESIGN §3).
NEW = ["2025061109300100001", "2025061108150200002", "2025061107000300003"]
MIDDLE = ["2025060916450400004", "2025060910200500005"]
OLD = ["2025060209100600006", "2025060108000700007"]
FEED_ONLY = "2025061110050800008"

ETAG = '"listing-v1"'
LAST_MODIFIED = "Wed, 11 Jun 2025 01:00:00 GMT"


def _listing(title: str, anchors: list[str], next_href: str | None = None) -> str:
    links = "\n".join(f'<li><a href="{href}">item</a></li>' for href in anchors)
    rel_next = f'<link rel="next" href="{next_href}">' if next_href else ""
    return (
        f"<!doctype html><html><head><title>{title}</title>{rel_next}</head><body>"
        f'<nav><a href="/en/">Home</a><a href="https://www.asiae.co.kr/en/list/economy">'
        f"Economy</a></nav><ul>{links}</ul></body></html>"
    )


LISTING_PAGES = {
    1: _listing(
        "Latest, page 1",
        [
            f"https://www.asiae.co.kr/en/article/{NEW[0]}",
            f"https://cm.asiae.co.kr/en/article/{NEW[0]}",
            f"//view.asiae.co.kr/en/article/economy/{NEW[1]}",
            f"https://www.asiae.co.kr/en/print.htm?idxno={NEW[2]}",
            f"https://www.asiae.co.kr/en/article/stock-etc/{NEW[1]}#comments",
        ],
        "/en/list?page=2",
    ),
    2: _listing(
        "Latest, page 2",
        [
            f"https://view.asiae.co.kr/en/article/{MIDDLE[0]}",
            f"https://www.asiae.co.kr/en/article/enterprise-CEO/{MIDDLE[1]}",
            f"https://www.asiae.co.kr/en/article/{NEW[2]}",
        ],
        "/en/list?page=3",
    ),
    3: _listing(
        "Latest, page 3",
        [
            f"https://www.asiae.co.kr/en/article/social-general/{OLD[0]}",
            f"https://cm.asiae.co.kr/en/print.htm?type=a&idxno={OLD[1]}",
        ],
        "/en/list?page=4",
    ),
    4: _listing("Latest, page 4", []),
}

FEED = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Fixture feed</title><link>https://www.asiae.co.kr/en/</link>
<description>Short test feed</description>
<item><title>Feed only</title><link>https://www.asiae.co.kr/en/article/{FEED_ONLY}</link></item>
<item><title>Also listed</title><link>https://cm.asiae.co.kr/en/article/{NEW[0]}</link>
<guid>https://www.asiae.co.kr/en/article/{NEW[0]}</guid></item>
<item><title>Elsewhere</title><link>https://www.asiae.co.kr/en/list/economy</link></item>
</channel></rss>"""

ROBOTS = "User-agent: *\nDisallow: /private/\nAllow: /\n"
KOREAN_SENTENCE = "포항시는 새 배터리 연구소의 문을 열었다."
ARTICLE = "<html><head><title>{0}</title></head><body><h1>{0}</h1><p>Body of {0}.</p></body></html>"


# The live pipeline: every listed article served under its canonical path, about Pohang and
# naming one commitment and one partnership of its own, so each article adds ledger items.
ALL_ARTICLES = [FEED_ONLY, *NEW, *MIDDLE, *OLD]
FACILITIES = [
    "battery recycling centre",
    "hydrogen testing centre",
    "bio health campus",
    "secondary battery academy",
    "carbon capture pilot plant",
    "marine robotics institute",
    "smart port logistics hub",
    "steel heritage museum",
]
# Article pages that misbehave, each in its own way, named by a listing of their own.
TROUBLED = {
    "2025061005000000011": "server errors on every try",
    "2025061005000000012": "oversized",
    "2025061005000000013": "binary",
    "2025061005000000014": "redirects to a foreign host",
    "2025061005000000015": "wrong charset",
    "2025061005000000016": "too slow",
    "2025061005000000017": "gone",
}


def article_page(article_id: str) -> str:
    """A plain article page with the standard metadata, as the paper would serve it."""
    n = ALL_ARTICLES.index(article_id)
    facility, year = FACILITIES[n], 2027 + n % 4
    published = article_id[:4] + "-" + article_id[4:6] + "-" + article_id[6:8]
    published += f"T{article_id[8:10]}:{article_id[10:12]}:{article_id[12:14]}+09:00"
    return (
        f"<!doctype html><html><head><title>Pohang {facility}</title>"
        f'<link rel="canonical" href="https://www.asiae.co.kr/en/article/{article_id}">'
        f'<meta property="article:published_time" content="{published}"></head><body><article>'
        f"<h1>Pohang to build a {facility}</h1>"
        f"<p>Pohang City announced that it plans to build a {facility} in the Yeongil Bay "
        f"industrial complex by {year}.</p>"
        f"<p>Pohang City also signed a memorandum of understanding with Fixture Partner {n} Co. "
        f"to cooperate on the {facility}.</p></article></body></html>"
    )


class PaperHostsToSite(httpx.BaseTransport):
    """Sends requests for the paper's hosts (any *.asiae.co.kr) to the fixture site over a real
    socket, as if DNS pointed there; every other request goes where it says."""

    def __init__(self, site: FixtureSite) -> None:
        self._site = site
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == "asiae.co.kr" or request.url.host.endswith(".asiae.co.kr"):
            port = self._site.site.server_address[1]
            request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
            request.headers["Host"] = f"127.0.0.1:{port}"
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it."""

    server: str  # the address it arrived at: "127.0.0.1" or "127.0.0.2"
    host_header: str
    path: str
    headers: dict[str, str]
    start: float  # time.monotonic(), as the Fetcher's default clock
    end: float


class FixtureSite:
    """Both servers, the record of requests, and knobs tests turn."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.counts: Counter[str] = Counter()
        self.work_seconds = 0.0  # how long every handler takes before answering
        self.lock = threading.Lock()
        handler = _handler_class(self)
        self.site = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.foreign = ThreadingHTTPServer(("127.0.0.2", 0), handler)
        self.routes = _routes(self)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.site.server_address[1]}"

    @property
    def foreign_base(self) -> str:
        return f"http://127.0.0.2:{self.foreign.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def foreign_hits(self) -> list[Hit]:
        return [
            hit
            for hit in self.hits
            if hit.server != "127.0.0.1" or not hit.host_header.startswith("127.0.0.1")
        ]


@dataclass
class FakeTime:
    """A clock that moves only when slept on, so waits are recorded, not spent."""

    now: float = 1_000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Response = tuple[int, dict[str, str], bytes]


def _routes(site: FixtureSite) -> dict[str, Callable[[BaseHTTPRequestHandler, str], Response]]:
    html = {"Content-Type": "text/html; charset=utf-8"}

    def listing(handler: BaseHTTPRequestHandler, query: str) -> Response:
        page = int(parse_qs(query).get("page", ["1"])[0])
        validators = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        if handler.headers.get("If-None-Match") == ETAG:
            return 304, validators, b""
        body = LISTING_PAGES.get(page, LISTING_PAGES[4]).encode()
        return 200, html | validators, body

    def paged(handler: BaseHTTPRequestHandler, query: str) -> Response:
        page = int(parse_qs(query).get("page", ["1"])[0])
        anchors = {1: [NEW[0], NEW[1]], 2: [MIDDLE[0]], 3: [OLD[0]]}.get(page, [])
        body = _listing(f"Paged {page}", [f"/en/article/{aid}" for aid in anchors])
        body = body.replace("<head>", '<head><base href="https://www.asiae.co.kr/">')
        return 200, html, body.encode()

    def busy(handler: BaseHTTPRequestHandler, query: str) -> Response:
        if site.counts["/busy"] == 1:
            return 429, {"Retry-After": "7"}, b""
        return 200, html, ARTICLE.format("Busy").encode()

    def busy_date(handler: BaseHTTPRequestHandler, query: str) -> Response:
        if site.counts["/busy-date"] == 1:
            later = datetime.now(UTC) + timedelta(seconds=30)
            return 503, {"Retry-After": format_datetime(later, usegmt=True)}, b""
        return 200, html, ARTICLE.format("Busy by date").encode()

    def flaky(handler: BaseHTTPRequestHandler, query: str) -> Response:
        if site.counts["/flaky"] <= 2:
            return 500, html, b"<p>oops</p>"
        return 200, html, ARTICLE.format("Recovered").encode()

    def slow(handler: BaseHTTPRequestHandler, query: str) -> Response:
        time.sleep(1.0)
        return 200, html, ARTICLE.format("Slow").encode()

    def conditional(handler: BaseHTTPRequestHandler, query: str) -> Response:
        if handler.headers.get("If-Modified-Since") == LAST_MODIFIED:
            return 304, {}, b""
        return 200, html | {"Last-Modified": LAST_MODIFIED}, ARTICLE.format("Dated").encode()

    def article(title: str) -> Callable[[BaseHTTPRequestHandler, str], Response]:
        return lambda handler, query: (200, html, ARTICLE.format(title).encode())

    def fixed(status: int, headers: dict[str, str], body: bytes = b"") -> Any:
        return lambda handler, query: (status, headers, body)

    euc_kr = ARTICLE.format(KOREAN_SENTENCE).encode("euc-kr")
    return _article_routes(site, fixed, slow) | {
        "/robots.txt": fixed(200, {"Content-Type": "text/plain"}, ROBOTS.encode()),
        "/en/list": listing,
        "/en/paged": paged,
        "/rss/en.xml": fixed(200, {"Content-Type": "application/rss+xml"}, FEED.encode()),
        "/private/list": listing,
        "/busy": busy,
        "/busy-date": busy_date,
        "/flaky": flaky,
        "/down": fixed(503, html, b"<p>down</p>"),
        "/slow": slow,
        "/conditional": conditional,
        "/page-a": article("Page A"),
        "/page-b": article("Page B"),
        "/page-c": article("Page C"),
        "/hop1": fixed(301, {"Location": "/hop2"}),
        "/hop2": fixed(302, {"Location": "page-a"}),
        "/loop": fixed(302, {"Location": "/loop"}),
        "/away": fixed(302, {"Location": f"{site.foreign_base}/en/list"}),
        "/away-by-name": fixed(
            302, {"Location": f"http://localhost:{site.site.server_address[1]}/page-a"}
        ),
        "/image.png": fixed(200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        "/untyped": fixed(200, {}, b"<p>no type</p>"),
        "/huge": fixed(200, html, b"<p>" + b"x" * 300_000 + b"</p>"),
        "/huge-unsized": fixed(200, html | {"X-Unsized": "1"}, b"<p>" + b"y" * 300_000),
        "/euc-kr": fixed(200, {"Content-Type": "text/html; charset=EUC-KR"}, euc_kr),
        "/euc-kr-meta": fixed(
            200,
            {"Content-Type": "text/html"},
            euc_kr.replace(b"<head>", b'<head><meta charset="euc-kr">'),
        ),
        "/gone": fixed(404, html, b"<p>gone</p>"),
        "/en/troubled": fixed(
            200,
            html,
            _listing(
                "Troubled", [f"https://www.asiae.co.kr/en/article/{aid}" for aid in TROUBLED]
            ).encode(),
        ),
    }


def _article_routes(site: FixtureSite, fixed: Any, slow: Any) -> dict[str, Any]:
    """Canonical article paths: the good articles, and the troubled ones in TROUBLED order."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes = {
        f"/en/article/{aid}": fixed(200, html, article_page(aid).encode()) for aid in ALL_ARTICLES
    }
    garbage = bytes(0x80 + (i * 37) % 120 for i in range(3000))
    bad = [
        fixed(503, html, b"<p>down</p>"),
        fixed(200, html, b"<p>" + b"x" * 300_000 + b"</p>"),
        fixed(200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        fixed(302, {"Location": f"{site.foreign_base}/en/article/{NEW[0]}"}),
        fixed(200, html, b"<html><body><p>" + garbage + b"</p></body></html>"),
        slow,
        fixed(404, html, b"<p>gone</p>"),
    ]
    routes |= {f"/en/article/{aid}": route for aid, route in zip(TROUBLED, bad, strict=True)}
    return routes


def _handler_class(site: FixtureSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            start = time.monotonic()
            parts = urlsplit(self.path)
            with site.lock:
                site.counts[parts.path] += 1
            route = site.routes.get(parts.path)
            status, headers, body = route(self, parts.query) if route else (404, {}, b"")
            time.sleep(site.work_seconds)
            # Recorded before answering: the client cannot start its next request earlier.
            self._record(start, time.monotonic())
            # A client that gave up (the timeout test) has closed the connection.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(status, headers, body)

        def _record(self, start: float, end: float) -> None:
            hit = Hit(
                server=str(self.connection.getsockname()[0]),
                host_header=self.headers.get("Host", ""),
                path=self.path,
                headers={name.lower(): value for name, value in self.headers.items()},
                start=start,
                end=end,
            )
            with site.lock:
                site.hits.append(hit)

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "X-Unsized" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
