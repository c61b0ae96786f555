"""The outbox: pending per target, delivered per target, failures retried for that target only."""

from __future__ import annotations

import pytest
from ledger.builders import commitment, extracted, partnership

from pohang_watch.store import Store


@pytest.fixture
def queued(store: Store) -> Store:
    """A store with two queued alerts: one commitment, one partnership."""
    store.record_articles([extracted(1, commitment(), partnership())], source_run="run-1")
    return store


def test_pending_alerts_name_the_targets_missing(queued: Store) -> None:
    alerts = queued.pending_alerts(["a", "b"])
    assert [alert.missing_targets for alert in alerts] == [("a", "b"), ("a", "b")]
    queued.record_delivery([alerts[0].id], "a")
    after = queued.pending_alerts(["a", "b"])
    assert [alert.missing_targets for alert in after] == [("b",), ("a", "b")]
    assert [alert.id for alert in queued.pending_alerts(["a"])] == [alerts[1].id]


def test_delivered_alerts_are_not_pending(queued: Store) -> None:
    ids = [alert.id for alert in queued.pending_alerts(["a"])]
    queued.record_delivery(ids, "a")
    assert queued.pending_alerts(["a"]) == []
    assert len(queued.pending_alerts(["b"])) == 2


def test_failure_keeps_the_alert_pending_and_never_undoes_a_success(queued: Store) -> None:
    first, second = queued.pending_alerts(["a"])
    queued.record_delivery_failure([first.id, second.id], "a", "webhook answered 500")
    queued.record_delivery_failure([first.id, second.id], "a", "webhook answered 500")
    assert [alert.id for alert in queued.pending_alerts(["a"])] == [first.id, second.id]
    queued.record_delivery([first.id], "a")
    queued.record_delivery_failure([first.id], "a", "late failure report")
    assert [alert.id for alert in queued.pending_alerts(["a"])] == [second.id]


def test_pending_alerts_filter_by_kind(queued: Store) -> None:
    [alert] = queued.pending_alerts(["a"], kinds=["partnership"])
    assert alert.alert.kind == "partnership"
    assert queued.pending_alerts(["a"], kinds=[]) == []


def test_no_targets_means_nothing_pending(queued: Store) -> None:
    assert queued.pending_alerts([]) == []


def test_alert_carries_evidence_and_link(queued: Store) -> None:
    alert = queued.pending_alerts(["a"])[0]
    assert alert.alert.evidence == "Pohang City plans to create a battery mega cluster by 2030."
    assert alert.alert.article_url == "https://www.asiae.co.kr/en/article/2025060413203200001"
    assert alert.created_at.utcoffset() is not None
    assert len(alert.alert_key) == 64
