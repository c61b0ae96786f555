"""The live path against a site on 127.0.0.1: a first run that fetches, then a run that finds
nothing new (the scheduled run's usual case).

The site serves listing pages of the corpus's article ids (newest first, with an ETag, 304 to a
matching If-None-Match), robots.txt, and each article page at its id. Article links name the
paper's hosts, as the real listings do; the first run's fetcher sends those to the site over a
real socket, as if DNS pointed there. The run that finds nothing new needs no such help: its
only requests are robots.txt and one conditional request per listing page, all to 127.0.0.1.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from benchmarks.timing import Figure, batch
from pohang_watch.config import FetchSettings, Settings
from pohang_watch.parse.article_ids import article_id_from_url
from pohang_watch.pipeline import RunPlan, execute, plan_sources
from pohang_watch.report import RunReport
from pohang_watch.sources.fetch import Fetcher

LINKS_PER_LISTING_PAGE = 20
LISTING_PATH = "/en/list"
_CANONICAL = re.compile(rb'<link rel="canonical" href="([^"]+)"')


@dataclass
class LoopbackSite:
    """Article pages by id and the listing pages naming them; counts every request by kind."""

    pages: dict[str, bytes]  # article id → page, newest id first
    hits: Counter[str] = field(default_factory=Counter)
    server: ThreadingHTTPServer = field(init=False)

    def __post_init__(self) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.answer(self)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the benchmark prints figures, not requests."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)

    @property
    def listing_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{LISTING_PATH}"

    @property
    def listing_pages(self) -> int:
        return -(-len(self.pages) // LINKS_PER_LISTING_PAGE)

    def answer(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        if parts.path == "/robots.txt":
            self.hits["robots.txt"] += 1
            self._send(request, 200, b"User-agent: *\nAllow: /\n", "text/plain")
        elif parts.path == LISTING_PATH:
            page = int(parse_qs(parts.query).get("page", ["1"])[0])
            etag = f'"listing-{page}-{len(self.pages)}"'
            if request.headers.get("If-None-Match") == etag:
                self.hits["listing 304"] += 1
                self._send(request, 304, b"", None, etag)
            else:
                self.hits["listing 200"] += 1
                self._send(request, 200, self._listing(page), "text/html", etag)
        elif (found := self.pages.get(parts.path.rsplit("/", 1)[-1])) is not None:
            self.hits["article"] += 1
            self._send(request, 200, found, "text/html")
        else:
            self.hits["not found"] += 1
            self._send(request, 404, b"not here", "text/plain")

    def _listing(self, page: int) -> bytes:
        ids = list(self.pages)[(page - 1) * LINKS_PER_LISTING_PAGE : page * LINKS_PER_LISTING_PAGE]
        links = "".join(
            f'<li><a href="https://www.asiae.co.kr/en/article/{ident}">story</a></li>'
            for ident in ids
        )
        rel_next = (
            f'<link rel="next" href="{LISTING_PATH}?page={page + 1}">'
            if page < self.listing_pages
            else ""
        )
        html = f"<!doctype html><html><head>{rel_next}</head><body><ul>{links}</ul></body></html>"
        return html.encode("utf-8")

    @staticmethod
    def _send(
        request: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        content_type: str | None,
        etag: str | None = None,
    ) -> None:
        request.send_response(status)
        if content_type:
            request.send_header("Content-Type", f"{content_type}; charset=utf-8")
        if etag:
            request.send_header("ETag", etag)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)


class PaperHostsToSite(httpx.BaseTransport):
    """Requests for the paper's hosts go to the loopback site over a real socket."""

    def __init__(self, site: LoopbackSite) -> None:
        self._port = site.server.server_address[1]
        self._inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host.endswith("asiae.co.kr"):
            request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._port)
            request.headers["Host"] = f"127.0.0.1:{self._port}"
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def pages_by_id(files: Sequence[Path], limit: int) -> dict[str, bytes]:
    """Up to `limit` distinct articles of the corpus by the id of their canonical link, newest
    first (listings are ordered so)."""
    found: dict[str, bytes] = {}
    for path in files:
        content = path.read_bytes()
        match = _CANONICAL.search(content)
        ident = article_id_from_url(match.group(1).decode()) if match else None
        if ident and ident not in found:
            found[ident] = content
        if len(found) == limit:
            break
    return dict(sorted(found.items(), reverse=True))


@contextmanager
def serving(site: LoopbackSite) -> Iterator[LoopbackSite]:
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()
        thread.join(timeout=5)


def quick_fetch(settings: Settings, site: LoopbackSite) -> Settings:
    """No politeness delay: the site is ours, and the figure is the pipeline's own cost. With the
    shipped 2 s delay a run over k listing pages also waits about 2·k s on purpose."""
    fetch = settings.fetch.model_copy(update={"delay_seconds": 0.0})
    allowed, _, _ = plan_sources(
        settings.model_copy(update={"fetch": fetch}), [], [site.listing_url]
    )
    return allowed


FlowNoOp = Callable[[str, Settings], Figure]


def live_figures(
    files: Sequence[Path], settings: Settings, articles: int, flow_no_op: FlowNoOp | None = None
) -> list[Figure]:
    """A first live run over `articles` distinct pages into `settings`' database, then the same
    run again with nothing new (and, given `flow_no_op`, once more through the Prefect flow,
    called with the listing URL and the run's settings while the site still serves)."""
    site = LoopbackSite(pages_by_id(files, articles))
    with serving(site):
        settings = quick_fetch(settings, site)
        listing = plan_sources(settings, [], [site.listing_url])[2]
        listing = tuple(
            item.model_copy(update={"max_pages": site.listing_pages}) for item in listing
        )
        plan = RunPlan(listings=listing, send_alerts=False)

        def run_with(transport: httpx.BaseTransport | None) -> Callable[[], RunReport]:
            def fetcher(fetch: FetchSettings) -> Fetcher:
                return Fetcher(fetch, transport=transport)

            return lambda: execute(plan, settings, run_id="bench-live", fetcher_factory=fetcher)

        first, report = batch(
            "live run, first (fetch)", "live", len(site.pages), run_with(PaperHostsToSite(site))
        )
        first_hits = dict(site.hits)
        site.hits.clear()
        start = time.perf_counter()
        again = run_with(None)()
        seconds = time.perf_counter() - start
        no_op_hits = Counter(site.hits)
        site.hits.clear()
        flow = [flow_no_op(site.listing_url, settings)] if flow_no_op else []
        flow = [replace(f, note=f"{f.note}; requests: {_counts(site.hits)}") for f in flow]
    no_op = Figure(
        "live run, nothing new",
        "live",
        "once",
        len(site.pages),
        seconds * 1000,
        seconds,
        note=f"{again.stored} stored; requests: {_counts(no_op_hits)}",
    )
    note = f"{report.stored} stored; requests: {_counts(first_hits)}"
    return [replace(first, note=note), no_op, *flow]


def _counts(hits: Counter[str] | dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in sorted(hits.items())) or "none"
