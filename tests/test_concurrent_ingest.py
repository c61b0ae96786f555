"""Two ingest runs at the same moment over the same saved pages, with a real webhook target.

The scheduled ingest and a backfill (or two workers) may read the same pages at once. They
race on a fresh database (both migrate it), on every article row, ledger entry and alert, and
on delivery. Whatever the interleaving: no run fails, the database ends as one run alone would
leave it, and the webhook receives each alert exactly once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from http_recorder import Recorder
from sqlalchemy import create_engine, func, select
from store.backends import BACKENDS, NewUrl, new_database_urls
from store.concurrency import run_at_once

from pohang_watch.config import ENV_APPRISE_URLS, ENV_DB_URL, Settings, load_settings
from pohang_watch.pipeline import run_ingest
from pohang_watch.store import Store
from pohang_watch.store.schema import deliveries, outbox

RUNS = 2
ROUNDS = 2
SMALL_BATCHES = 4  # several batches per run, so the runs meet batch after batch


@pytest.fixture(params=BACKENDS)
def new_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[NewUrl]:
    """Make fresh, empty database URLs on the parametrised backend."""
    yield from new_database_urls(request.param, tmp_path)


def _settings(
    repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, hook: str
) -> Settings:
    """The shipped configuration with small batches, on this database, alerting the hook."""
    shipped = (repo_root / "config" / "pohang-watch.toml").read_text(encoding="utf-8")
    text = shipped.replace("batch_size = 200", f"batch_size = {SMALL_BATCHES}")
    assert text != shipped
    config = tmp_path / "pohang-watch.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv(ENV_DB_URL, url)
    monkeypatch.setenv(ENV_APPRISE_URLS, hook)
    return load_settings(config)


def _alerts_received(recorder: Recorder) -> Counter[str]:
    """Every alert the webhook received: one bullet block of a message each."""
    return Counter(
        block
        for message in recorder.messages
        for block in message.split("\n\n")
        if block.startswith("• ")
    )


def _ledger(url: str) -> list[tuple[str, str, int]]:
    with Store.open(url) as store:
        return sorted((e.key, e.status, e.mentions) for e in store.ledger_entries())


def _outbox_and_sends(url: str) -> tuple[int, Counter[int]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            queued = conn.execute(select(func.count()).select_from(outbox)).scalar_one()
            sent = Counter(
                conn.execute(
                    select(deliveries.c.alert_pk).where(deliveries.c.sent_at.is_not(None))
                ).scalars()
            )
    finally:
        engine.dispose()
    return int(queued), sent


def test_two_runs_at_once_alert_each_change_exactly_once(
    repo_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    samples_dir: Path,
    new_url: NewUrl,
    http_server: Callable[[int], Recorder],
) -> None:
    alone = http_server(200)
    reference = _settings(repo_root, tmp_path, monkeypatch, new_url(), alone.url())
    single = run_ingest([str(samples_dir)], reference, run_id="alone")
    expected_ledger = _ledger(reference.database.url)
    expected_alerts = _alerts_received(alone)
    assert single.stored > 0
    assert sum(expected_alerts.values()) == single.alerts_enqueued > 0

    for number in range(ROUNDS):
        hook = http_server(200)
        settings = _settings(repo_root, tmp_path, monkeypatch, new_url(), hook.url())
        paths = [str(samples_dir)]
        ids = [f"round-{number}-run-{run}" for run in range(RUNS)]
        reports = run_at_once([partial(run_ingest, paths, settings, run_id=i) for i in ids])

        assert sum(report.stored for report in reports) == single.stored, "each article once"
        assert sum(r.alerts_enqueued for r in reports) == single.alerts_enqueued
        assert all(not r.delivery or not any(t.failed for t in r.delivery.targets) for r in reports)
        assert _ledger(settings.database.url) == expected_ledger
        received = _alerts_received(hook)
        assert received == expected_alerts, "each alert delivered exactly once"
        queued, sent = _outbox_and_sends(settings.database.url)
        assert queued == single.alerts_enqueued
        assert len(sent) == queued, "every alert sent"
        assert set(sent.values()) == {1}
