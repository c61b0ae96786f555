"""Fixtures for the live-source tests: the fixture site, a fake clock, settings for the site."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pohang_watch.config import FetchSettings
from sources.fixture_site import FakeTime, FixtureSite


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    """The fixture site and the foreign host, each serving in a thread, stopped afterwards."""
    fixture = FixtureSite()
    threads = [
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        for server in (fixture.site, fixture.foreign)
    ]
    for thread in threads:
        thread.start()
    yield fixture
    for server in (fixture.site, fixture.foreign):
        server.shutdown()
        server.server_close()
    for thread in threads:
        thread.join(timeout=5)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def site_settings() -> Callable[..., FetchSettings]:
    """FetchSettings for the fixture site: only 127.0.0.1 allowed, no delay, small limits."""

    def make(**overrides: Any) -> FetchSettings:
        values: dict[str, Any] = {
            "allowed_hosts": ("127.0.0.1",),
            "delay_seconds": 0.0,
            "timeout_seconds": 2.0,
            "max_retries": 2,
            "backoff_seconds": 0.5,
            "max_response_bytes": 100_000,
        }
        return FetchSettings(**(values | overrides))

    return make
