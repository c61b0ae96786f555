"""The digest: a period's NEW and UPDATED items to `digest` targets, each item once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from http_recorder import Recorder
from ledger.builders import commitment, extracted, partnership

from pohang_watch.config import NotifySettings
from pohang_watch.notify import Notifier, deliver_pending
from pohang_watch.notify.digest import DIGEST_CONSOLE_ID, send_digest
from pohang_watch.pipeline import digest_period
from pohang_watch.store import Store

Start = Callable[[int], Recorder]
WEEK = timedelta(days=7)


def _notifier(*urls: str) -> Notifier:
    return Notifier.from_settings(NotifySettings(urls=urls))


def _digest(store: Store, notifier: Notifier) -> list[int]:
    now = datetime.now(UTC)
    report = send_digest(store, notifier, now - WEEK, now + WEEK, period="this week")
    return [t.sent for t in report.targets]


@pytest.fixture
def changed(store: Store) -> Store:
    store.record_articles(
        [extracted(1, commitment(), partnership(status="proposed"))], source_run="r1"
    )
    store.record_articles([extracted(2, partnership(status="signed"))], source_run="r2")
    return store


def test_digest_targets_get_the_period_once(changed: Store, http_server: Start) -> None:
    digest, instant = http_server(200), http_server(200)
    notifier = _notifier(f"digest={digest.url()}", instant.url())
    assert deliver_pending(changed, notifier, 20).targets[0].sent == 0, "no instant alerts"
    assert _digest(changed, notifier) == [3]
    [title] = digest.titles
    assert title == "Pohang digest this week: 2 new, 1 updated"
    assert "status: proposed" in digest.messages[0]
    assert _digest(changed, notifier) == [0], "a rerun sends nothing"
    changed.record_articles([extracted(3, commitment("open a bio hub"))], source_run="r3")
    assert _digest(changed, notifier) == [1]
    assert len(digest.requests) == 2


def test_a_failed_digest_is_made_up_next_time(changed: Store, http_server: Start) -> None:
    digest = http_server(500)
    notifier = _notifier(f"digest={digest.url()}")
    now = datetime.now(UTC)
    report = send_digest(changed, notifier, now - WEEK, now + WEEK, period="p")
    assert report.targets[0].error
    digest.status = 200
    assert _digest(changed, notifier) == [3]


def test_without_digest_targets_the_digest_goes_to_the_console(
    changed: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    notifier = _notifier()
    deliver_pending(changed, notifier, 20)  # instant alerts to the console first
    capsys.readouterr()
    [sent] = _digest(changed, notifier)
    assert sent == 3
    assert "Pohang digest this week" in capsys.readouterr().out
    assert (
        changed.alerts_between(datetime.now(UTC) - WEEK, datetime.now(UTC), DIGEST_CONSOLE_ID) == []
    )


def test_digest_periods_are_days_in_korea() -> None:
    now = datetime(2025, 7, 30, 23, 0, tzinfo=UTC)  # 31 July, 08:00 in Korea
    period = digest_period(date(2025, 7, 1), date(2025, 7, 7), now)
    assert period.start.isoformat() == "2025-07-01T00:00:00+09:00"
    assert period.end.isoformat() == "2025-07-08T00:00:00+09:00"
    default = digest_period(None, None, now)
    assert default.start.date() == date(2025, 7, 24)
    assert default.end == now
