"""Politeness across runs: one Prefect rate limit per site, shared by every process.

The Fetcher keeps one request at a time per host inside one process; a backfill started from
the UI beside the scheduled ingest is another process. Each request therefore also takes a slot
of a Prefect global concurrency limit (limit 1, slots decaying at 1 / delay_seconds), with
``strict=True``: with the default ``strict=False`` a missing limit throttles nothing and only
logs a warning. The limit is created on first use if `deploy/bootstrap.py` has not made it, so
a laptop run with no server set up is paced too rather than failing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency.sync import rate_limit
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from pohang_watch.config import FetchSettings
from pohang_watch.sources.fetch import Fetcher
from pohang_watch.sources.robots import host_is_allowed

LIMIT_PREFIX = "pohang-watch-fetch-"
_SLOWEST_DECAY = 100.0  # slots per second when delay_seconds is 0: effectively no wait
_ensured: set[str] = set()
_ensured_lock = threading.Lock()


def limit_name(host: str, allowed_hosts: tuple[str, ...]) -> str:
    """The limit for a host: one per configured domain, since www., cm. and view. asiae.co.kr
    are one site's servers; a host outside them (never fetched) gets its own."""
    for domain in allowed_hosts:
        if host_is_allowed(host, (domain,)):
            return LIMIT_PREFIX + domain.lower()
    return LIMIT_PREFIX + host.lower()


def decay_per_second(delay_seconds: float) -> float:
    """Slots freed per second so that one slot comes back every `delay_seconds`."""
    return _SLOWEST_DECAY if delay_seconds <= 0 else 1.0 / delay_seconds


def ensure_limit(name: str, delay_seconds: float) -> bool:
    """Create the rate limit if it is missing; True if this call created it. Safe when two
    processes race (the loser sees it exists). An existing limit is left as the operator set
    it."""
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
            return False
        except ObjectNotFound:
            pass
        try:
            client.create_global_concurrency_limit(
                GlobalConcurrencyLimitCreate(
                    name=name, limit=1, slot_decay_per_second=decay_per_second(delay_seconds)
                )
            )
        except ObjectAlreadyExists:
            return False
    return True


def site_turn(settings: FetchSettings) -> Callable[[str], None]:
    """The Fetcher's `before_request` hook: wait for the site's shared slot (strictly)."""

    def wait_for_turn(host: str) -> None:
        name = limit_name(host, settings.allowed_hosts)
        with _ensured_lock:
            if name not in _ensured:
                ensure_limit(name, settings.delay_seconds)
                _ensured.add(name)
        rate_limit(name, occupy=1, strict=True)

    return wait_for_turn


def polite_fetcher(settings: FetchSettings, **options: Any) -> Fetcher:
    """A Fetcher that also takes turns with every other run: the flows' fetcher factory
    (`options` go to the Fetcher, e.g. a test's transport)."""
    return Fetcher(settings, before_request=site_turn(settings), **options)
