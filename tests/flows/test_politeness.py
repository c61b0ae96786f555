"""Politeness across runs: two Fetchers (two flow runs) at once still make one request at a
time to the site, through the Prefect rate limit the flows hand the Fetcher as a hook."""

from __future__ import annotations

import itertools
import threading
import time

import httpx
import pytest

from pohang_watch.config import FetchSettings
from pohang_watch.sources.fetch import Fetcher

PAGES = [f"https://www.polite.example/en/article/{n}" for n in range(3)]


def _transport(starts: list[float]) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        starts.append(time.monotonic())
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, html="<html><title>x</title></html>")

    return httpx.MockTransport(answer)


def _settings(delay: float) -> FetchSettings:
    return FetchSettings(allowed_hosts=("polite.example",), delay_seconds=delay, max_retries=0)


def test_the_hook_runs_before_every_request_with_its_host() -> None:
    hosts: list[str] = []
    starts: list[float] = []
    with Fetcher(_settings(0.0), transport=_transport(starts), before_request=hosts.append) as f:
        f.fetch(PAGES[0])
        f.fetch("https://cm.polite.example/en/article/9")
    # robots.txt of each origin, then the page: every request, none skipped
    assert hosts == ["www.polite.example"] * 2 + ["cm.polite.example"] * 2
    assert len(starts) == 4


def test_limit_names_follow_the_configured_domain() -> None:
    from flows.politeness import decay_per_second, limit_name

    allowed = ("asiae.co.kr",)
    assert limit_name("view.asiae.co.kr", allowed) == limit_name("www.asiae.co.kr", allowed)
    assert limit_name("www.asiae.co.kr", allowed) == "pohang-watch-fetch-asiae.co.kr"
    assert decay_per_second(2.0) == 0.5


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_two_runs_at_once_take_turns_on_the_site() -> None:
    from flows.politeness import polite_fetcher

    delay = 0.3
    settings = _settings(delay)
    starts: list[float] = []
    transport = _transport(starts)  # the site, without a network

    def one_run() -> None:
        with polite_fetcher(settings, transport=transport) as fetcher:
            for url in PAGES:
                fetcher.fetch(url)

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
    assert len(starts) == 2 * (1 + len(PAGES))
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    # each Fetcher alone would space only its own requests; the shared limit spaces them all
    assert min(gaps) >= delay * 0.8, gaps
