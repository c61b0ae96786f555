"""Targets start where they join; claims give each (alert, target) to one sender at a time."""

from __future__ import annotations

import threading
from datetime import timedelta

from ledger.builders import commitment, extracted, partnership
from sqlalchemy import create_engine, select

from pohang_watch.store import Claim, Store
from pohang_watch.store.schema import targets


def _queue(store: Store, number: int) -> list[int]:
    """Record article `number` with its own commitment; the ids of the alerts it queued."""
    before = {alert.id for alert in store.pending_alerts(["probe"])}
    store.record_articles([extracted(number, commitment(f"project {number}"))], source_run="r")
    return [alert.id for alert in store.pending_alerts(["probe"]) if alert.id not in before]


def _pending(store: Store, target_id: str) -> list[int]:
    return [alert.id for alert in store.pending_alerts([target_id])]


def test_first_target_of_a_fresh_install_gets_everything_pending(store: Store) -> None:
    queued = _queue(store, 1) + _queue(store, 2)
    store.register_targets({"console": "console"})
    assert _pending(store, "console") == queued


def test_target_added_after_a_demo_gets_no_history(store: Store) -> None:
    demo = _queue(store, 1)
    store.register_targets({"console": "console"})
    store.record_delivery(demo, "console")
    store.register_targets({"slack": "slack://… [abcd]"})
    assert _pending(store, "slack") == []
    later = _queue(store, 2)
    assert _pending(store, "slack") == later
    assert _pending(store, "console") == later


def test_alerts_of_a_run_killed_before_sending_still_reach_a_new_target(store: Store) -> None:
    demo = _queue(store, 1)
    store.register_targets({"console": "console"})
    store.record_delivery(demo, "console")
    crashed = _queue(store, 2)  # enqueued, then the process died before delivery
    store.register_targets({"slack": "slack://… [abcd]"})
    assert _pending(store, "slack") == crashed


def test_registration_keeps_the_first_start(store: Store) -> None:
    first = _queue(store, 1)
    store.register_targets({"slack": "slack://… [abcd]"})
    store.record_delivery(first, "console")
    store.register_targets({"slack": "renamed"})  # a second process, or a later run
    assert _pending(store, "slack") == first


def test_registered_targets_keep_only_a_redacted_name(store: Store, store_url: str) -> None:
    store.register_targets({"t1": "json://127.0.0.1 [t1]"})
    engine = create_engine(store_url)
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(select(targets.c.target_id, targets.c.name))]
    engine.dispose()
    assert rows == [("t1", "json://127.0.0.1 [t1]")]


def test_two_stores_claiming_the_same_alerts_get_disjoint_sets(store_url: str) -> None:
    with Store.open(store_url) as first, Store.open(store_url) as second:
        first.record_articles([extracted(1, commitment(), partnership())], source_run="r")
        ids = _pending(first, "slack")
        one = first.claim_alerts(ids, "slack")
        other = second.claim_alerts(ids, "slack")
        assert (one.alert_ids, other.alert_ids) == (tuple(ids), ())
        assert second.claim_alerts(ids, "email").alert_ids == tuple(ids)  # per target


def test_concurrent_claims_never_overlap(store_url: str) -> None:
    with Store.open(store_url) as seed:
        seed.record_articles(
            [extracted(n, commitment(f"project {n}")) for n in range(1, 21)], source_run="r"
        )
        ids = _pending(seed, "slack")
    stores = [Store.open(store_url) for _ in range(4)]
    claims: list[Claim] = []
    start = threading.Barrier(len(stores))

    def take(store: Store) -> None:
        start.wait()
        claims.append(store.claim_alerts(ids, "slack"))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    won = [pk for held in claims for pk in held.alert_ids]
    assert sorted(won) == ids


def test_released_and_expired_claims_can_be_taken_again(store: Store) -> None:
    store.record_articles([extracted(1, commitment(), partnership())], source_run="r")
    first, second = _pending(store, "slack")
    held = store.claim_alerts([first, second], "slack")
    store.release_claim(held, [second])
    assert store.claim_alerts([first, second], "slack").alert_ids == (second,)
    lapsed = store.claim_alerts([first], "email", lease=timedelta(0))
    assert lapsed.alert_ids == (first,)
    assert store.claim_alerts([first], "email").alert_ids == (first,)


def test_stale_release_does_not_free_a_newer_claim(store: Store) -> None:
    store.record_articles([extracted(1, commitment())], source_run="r")
    ids = _pending(store, "slack")
    stale = store.claim_alerts(ids, "slack", lease=timedelta(0))
    store.claim_alerts(ids, "slack")  # someone else, after the lease ran out
    store.release_claim(stale)
    assert store.claim_alerts(ids, "slack").alert_ids == ()


def test_delivered_alerts_cannot_be_claimed_and_claims_do_not_count_as_sent(
    store: Store,
) -> None:
    store.record_articles([extracted(1, commitment(), partnership())], source_run="r")
    first, second = _pending(store, "slack")
    store.claim_alerts([first, second], "slack", lease=timedelta(0))
    assert _pending(store, "slack") == [first, second]
    store.record_delivery([first], "slack")
    assert store.claim_alerts([first, second], "slack").alert_ids == (second,)


def test_a_failed_and_released_send_is_pending_and_claimable(store: Store) -> None:
    store.record_articles([extracted(1, commitment())], source_run="r")
    ids = _pending(store, "slack")
    held = store.claim_alerts(ids, "slack")
    store.record_delivery_failure(list(held.alert_ids), "slack", "webhook answered 500")
    store.release_claim(held)
    assert _pending(store, "slack") == ids
    assert store.claim_alerts(ids, "slack").alert_ids == tuple(ids)
