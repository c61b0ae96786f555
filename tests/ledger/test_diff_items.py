"""diff_items: NEW once, UPDATED when status/target/amount move, RESTATED otherwise."""

from __future__ import annotations

import json

from ledger.builders import commitment, extracted, partnership
from pohang_watch.ledger import (
    Alert,
    ChangeType,
    LedgerEntry,
    alert_for,
    diff_items,
    item_key,
)
from pohang_watch.models import Amount, Item


def _known(*changes_of: tuple[int, Item]) -> dict[str, LedgerEntry]:
    """The ledger after these (article number, item) mentions."""
    changes = diff_items([(extracted(n, item), item) for n, item in changes_of], {})
    return {change.key: change.current for change in changes}


def test_unknown_key_is_new_with_first_seen_article() -> None:
    item = commitment()
    article = extracted(1, item)
    [change] = diff_items([(article, item)], {})
    assert change.change is ChangeType.NEW
    assert change.previous is None
    assert change.current.first_seen == article.article.article_id
    assert change.current.first_url == article.article.url
    assert change.current.mentions == 1


def test_first_seen_falls_back_to_source_without_article_id() -> None:
    item = commitment()
    article = extracted(1, item, article_id=None, url=None)
    [change] = diff_items([(article, item)], {})
    assert change.current.first_seen == "seeds/001.txt"


def test_same_state_is_restated() -> None:
    known = _known((1, commitment()))
    [change] = diff_items([(extracted(2), commitment())], known)
    assert change.change is ChangeType.RESTATED
    assert change.what_changed == ()
    assert change.current.mentions == 2


def test_status_and_target_changes_are_updates_naming_what_changed() -> None:
    known = _known((1, commitment(status="planned", target_year=2030)))
    moved = commitment(status="underway", target_year=2028)
    [change] = diff_items([(extracted(2), moved)], known)
    assert change.change is ChangeType.UPDATED
    assert change.what_changed == ("status: planned → underway", "target_year: 2030 → 2028")
    assert (change.current.status, change.current.target_year) == ("underway", 2028)


def test_status_moving_backwards_is_an_update_too() -> None:
    known = _known((1, partnership(status="signed")))
    [change] = diff_items([(extracted(2), partnership(status="proposed"))], known)
    assert change.what_changed == ("status: signed → proposed",)


def test_amount_change_is_an_update() -> None:
    known = _known((1, commitment(amount=Amount(1e11, "KRW", "100 billion won"))))
    bigger = commitment(amount=Amount(2e11, "KRW", "200 billion won"))
    [change] = diff_items([(extracted(2), bigger)], known)
    assert change.what_changed == ("amount: 100 billion won → 200 billion won",)


def test_unstated_target_or_amount_is_not_a_change() -> None:
    known = _known((1, commitment(target_year=2030, amount=Amount(1e11, "KRW", "100 bn"))))
    [change] = diff_items([(extracted(2), commitment(target_year=None))], known)
    assert change.change is ChangeType.RESTATED
    assert change.current.target_year == 2030
    assert change.current.amount == Amount(1e11, "KRW", "100 bn")


def test_second_mention_in_batch_is_compared_with_the_first() -> None:
    first, second = commitment(status="planned"), commitment(status="underway")
    changes = diff_items([(extracted(1), first), (extracted(2), second)], {})
    assert [c.change for c in changes] == [ChangeType.NEW, ChangeType.UPDATED]
    assert changes[1].previous == changes[0].current


def test_repeat_within_one_article_counts_once() -> None:
    article = extracted(1)
    item, repeat = commitment(), commitment(evidence="Repeated in a caption.")
    changes = diff_items([(article, item), (article, repeat)], {})
    assert [c.change for c in changes] == [ChangeType.NEW]


def test_alert_payload_survives_json() -> None:
    item = commitment(amount=Amount(1e12, "KRW", "1 trillion won"))
    [change] = diff_items([(extracted(1), item)], {})
    alert = alert_for(change)
    payload = json.loads(json.dumps(alert.to_payload()))
    assert Alert.from_payload(payload) == alert
    assert alert.key == item_key(item)
    assert alert.amount_text == "1 trillion won"
