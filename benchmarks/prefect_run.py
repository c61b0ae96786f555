"""The `pohang-ingest` flow over the corpus through Prefect, then again with nothing new.

Prefect's environment must be set before it is first imported (../shared/PREFECT.md): a fresh
PREFECT_HOME (no cached results from earlier runs), analytics off, quiet server logs. Heartbeats
are switched off, since each flow call would otherwise wait about a second on them. Start-up
(the temporary server) is timed on its own with an empty flow, so the ingest figures hold only
what a scheduled or backfill run pays each time.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from benchmarks.timing import Figure, batch
from pohang_watch.config import ENV_DB_URL, Settings
from pohang_watch.report import RunReport

_PREFECT_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
}


def prepare_prefect_environment() -> None:
    """Call before anything imports prefect (flows.ingest does)."""
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="pohang-bench-prefect-")
    for name, value in _PREFECT_ENV.items():
        os.environ.setdefault(name, value)


class ApiRetries(logging.Filter):
    """Counts the Prefect client's retried API calls in this process and the seconds it waited
    before them: what a busy Prefect server (its SQLite answering 503) adds to a run. (Workers
    in other processes have their own clients, not counted here.)"""

    _WAIT = re.compile(r"Another attempt will be made in ([0-9.]+)s")

    def __init__(self, shown_from: int) -> None:
        super().__init__()
        self.shown_from = shown_from  # the client's level before counting: what still shows
        self.count = 0
        self.seconds = 0.0

    def filter(self, record: logging.LogRecord) -> bool:
        wait = self._WAIT.search(record.getMessage())
        if wait:
            self.count += 1
            self.seconds += float(wait.group(1))
        return record.levelno >= self.shown_from

    @property
    def note(self) -> str:
        return f"{self.count} API calls retried ({self.seconds:.1f} s waited)"

    @classmethod
    @contextmanager
    def counting(cls) -> Iterator[ApiRetries]:
        """The client logs its retries at DEBUG: hear them, and show only what showed before."""
        client = logging.getLogger("prefect.client")
        level = client.level
        retries = cls(client.getEffectiveLevel())
        client.setLevel(logging.DEBUG)
        client.addFilter(retries)
        try:
            yield retries
        finally:
            client.removeFilter(retries)
            client.setLevel(level)


def prefect_figures(corpus: Path, pages: int, config: Path | None) -> list[Figure]:
    """Start-up, a full ingest of the corpus into a fresh database, and a no-op second run."""
    from prefect import flow  # only after prepare_prefect_environment
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.ingest import ingest_flow

    @flow(name="pohang-bench-empty")
    def empty() -> None:
        """Nothing: its first call pays Prefect's start-up."""

    with (
        tempfile.TemporaryDirectory(prefix="pohang-bench-") as folder,
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        os.environ[ENV_DB_URL] = f"sqlite:///{Path(folder) / 'flow.db'}"
        try:
            start = batch("Prefect start-up + empty flow", "prefect", 1, empty)[0]
            full = _ingest("pohang-ingest flow, fresh database", corpus, pages, config, ingest_flow)
            again = _ingest("pohang-ingest flow, nothing new", corpus, pages, config, ingest_flow)
        finally:
            del os.environ[ENV_DB_URL]
    start = replace(start, method="once", note="per process; not in the flow figures (ms total)")
    return [start, full, again]


def live_no_op_flow(listing_url: str, settings: Settings) -> Figure:
    """The `pohang-ingest` flow over a live listing that has nothing new, start-up excluded
    (paid by prefect_figures earlier in the process). Its config file names the database and
    the benchmark's fetch settings, as an operator's would. Flow heartbeats are off, as for
    the other flow lines: with them on, Prefect ends every flow run up to 1 s later (its
    heartbeat thread sleeps in steps of 1 s)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.ingest import ingest_flow

    with tempfile.TemporaryDirectory(prefix="pohang-bench-") as folder:
        config = Path(folder) / "live.toml"
        config.write_text(
            f"[database]\nurl = {json.dumps(settings.database.url)}\n\n"
            f"[fetch]\ndelay_seconds = {settings.fetch.delay_seconds}\n",
            encoding="utf-8",
        )

        def run() -> RunReport:
            return ingest_flow(listings=[listing_url], send_alerts=False, config=str(config))

        with (
            temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
            ApiRetries.counting() as retries,
        ):
            figure, report = batch("pohang-ingest flow, live, nothing new", "prefect", 1, run)
    return replace(figure, method="once", note=f"{report.stored} stored; {retries.note}")


def _ingest(
    name: str, corpus: Path, pages: int, config: Path | None, ingest_flow: Callable[..., RunReport]
) -> Figure:
    def run() -> RunReport:
        config_path = str(config) if config else None
        return ingest_flow(paths=[str(corpus)], send_alerts=False, config=config_path)

    with ApiRetries.counting() as retries:
        figure, report = batch(name, "prefect", pages, run)
    duplicates = sum(report.duplicates.values())
    return replace(figure, note=f"{report.stored} stored, {duplicates} dup.; {retries.note}")
