"""Routing by kind and sector, per-route minimum intervals, mutes, and ops on failing targets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from http_recorder import Recorder
from ledger.builders import commitment, extracted, partnership
from store.backends import sqlite_urls

from pohang_watch.alerts import MuteList
from pohang_watch.config import NotifySettings
from pohang_watch.models import Item
from pohang_watch.notify import Notifier, deliver_pending
from pohang_watch.notify.routing import Route, Routing
from pohang_watch.store import RecordRules, Store

Start = Callable[[int], Recorder]


def _notifier(*urls: str) -> Notifier:
    return Notifier.from_settings(NotifySettings(urls=urls))


def _in(sector: str, item: Item) -> Item:
    return dataclasses.replace(item, sector=sector)


ENERGY = Routing.of(
    [Route("energy", kinds=frozenset({"partnership"}), sectors=frozenset({"battery", "hydrogen"}))]
)


def test_routes_select_by_kind_and_sector(store: Store, http_server: Start) -> None:
    energy, everything = http_server(200), http_server(200)
    store.record_articles(
        [
            extracted(1, _in("battery", partnership("Pohang City", "EcoPro"))),
            extracted(2, _in("hydrogen", partnership("Pohang City", "Doosan Fuel Cell"))),
            extracted(3, _in("bio", partnership("Pohang City", "Verdant Biologics"))),
            extracted(4, _in("battery", commitment())),
        ],
        source_run="r1",
    )
    notifier = _notifier(f"energy={energy.url()}", everything.url())
    report = deliver_pending(store, notifier, 20, routing=ENERGY)
    assert [t.sent for t in report.targets] == [2, 4]
    [message] = energy.messages
    assert "EcoPro" in message
    assert "Doosan" in message
    assert "Verdant" not in message
    assert "mega cluster" not in message
    again = deliver_pending(store, notifier, 20, routing=ENERGY)
    assert [t.sent for t in again.targets] == [0, 0]
    assert store.pending_alerts([notifier.targets[0].target_id], kinds=["partnership"]) == []


def test_a_minimum_interval_holds_alerts_in_the_outbox(store: Store, http_server: Start) -> None:
    weekly = http_server(200)
    routing = Routing.of([Route("weekly", min_interval=timedelta(days=7))])
    notifier = _notifier(f"weekly={weekly.url()}")
    start = datetime.now(UTC)
    store.record_articles([extracted(1, commitment())], source_run="r1")
    assert deliver_pending(store, notifier, 20, routing=routing, now=start).sent == 1
    store.record_articles([extracted(2, commitment("open a bio hub"))], source_run="r2")
    store.record_articles([extracted(3, commitment("open a hydrogen hub"))], source_run="r3")
    held = deliver_pending(store, notifier, 20, routing=routing, now=start + timedelta(days=1))
    assert (held.sent, held.targets[0].waiting) == (0, 2)
    later = deliver_pending(store, notifier, 20, routing=routing, now=start + timedelta(days=8))
    assert later.sent == 2
    assert len(weekly.requests) == 2, "the two waiting alerts went out together"


def test_muted_items_are_recorded_but_never_alerted(tmp_path: Path) -> None:
    rules = RecordRules(mutes=MuteList(phrases=("mega cluster",), parties=("EcoPro",)))
    new_url = next(sqlite_urls(tmp_path))
    with Store.open(new_url(), rules) as store:
        outcome = store.record_articles(
            [
                extracted(1, commitment(), partnership("Pohang City", "EcoPro")),
                extracted(2, commitment("open a bio hub")),
            ],
            source_run="r1",
        )
        assert outcome.alerts_enqueued == 1
        assert len(store.ledger_entries()) == 3
        [pending] = store.pending_alerts(["t"])
        assert pending.alert.what == "open a bio hub"


def test_a_failing_target_is_reported_to_ops_once_and_again_on_recovery(
    store: Store, http_server: Start
) -> None:
    slack, ops = http_server(500), http_server(200)
    notifier = _notifier(slack.url("/hooks/secret"), f"ops={ops.url()}")
    store.record_articles([extracted(1, commitment())], source_run="r1")
    for _ in range(4):
        deliver_pending(store, notifier, 20, ops_after_failures=2)
    assert len(ops.titles) == 1
    assert ops.titles[0].endswith("is failing")
    assert "secret" not in ops.messages[0]
    assert "2 sends in a row" in ops.messages[0]

    slack.status = 200
    recovered = deliver_pending(store, notifier, 20, ops_after_failures=2)
    assert recovered.targets[0].sent == 1
    deliver_pending(store, notifier, 20, ops_after_failures=2)
    assert len(slack.requests) == 1, "the pending alert went out once"
    assert [t.rsplit(" ", 1)[-1] for t in ops.titles] == ["failing", "recovered"]
    assert ops.requests[0][0] == "/alerts"
