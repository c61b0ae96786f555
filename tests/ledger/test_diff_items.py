"""diff_items: NEW once, UPDATED when status/target/amount move, RESTATED otherwise."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest

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


def test_alert_payload_is_every_field_with_iso_times() -> None:
    """The outbox payload format is what `dataclasses.asdict` gave, times as ISO strings."""
    known = _known((1, partnership(status="proposed")))
    [change] = diff_items([(extracted(2), partnership(status="signed"))], known)
    alert = alert_for(change)
    assert alert.previous_at is not None
    assert alert.published_at is not None
    expected = dataclasses.asdict(alert) | {
        "published_at": alert.published_at.isoformat(),
        "previous_at": alert.previous_at.isoformat(),
    }
    payload = alert.to_payload()
    assert list(payload) == list(expected)
    assert payload == expected
    assert json.dumps(payload, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_older_article_cannot_move_the_status_back() -> None:
    known = _known((5, partnership(status="signed")))
    [change] = diff_items([(extracted(3), partnership(status="proposed"))], known)
    assert change.change is ChangeType.RESTATED
    assert change.what_changed == ()
    assert change.current.status == "signed"
    assert change.current.mentions == 2
    assert change.current.state_at == known[change.key].state_at


def test_older_article_first_then_newer_is_an_update() -> None:
    known = _known((3, partnership(status="proposed")))
    [change] = diff_items([(extracted(5), partnership(status="signed"))], known)
    assert change.what_changed == ("status: proposed → signed",)
    assert change.current.state_at == extracted(5).article.published_at


def test_order_within_a_batch_follows_publication_not_arrival() -> None:
    newer, older = partnership(status="signed"), partnership(status="proposed")
    changes = diff_items([(extracted(5), newer), (extracted(3), older)], {})
    assert [c.change for c in changes] == [ChangeType.NEW, ChangeType.RESTATED]
    assert changes[-1].current.status == "signed"


def test_newer_restatement_moves_the_state_time_forward() -> None:
    """Signed on day 5, confirmed on day 9: a day-7 article saying "proposed" is older news."""
    known = _known((5, partnership(status="signed")), (9, partnership(status="signed")))
    [entry] = known.values()
    assert entry.state_at == extracted(9).article.published_at
    [change] = diff_items([(extracted(7), partnership(status="proposed"))], known)
    assert change.change is ChangeType.RESTATED


def test_undated_article_is_dated_when_first_seen() -> None:
    item = commitment()
    article = extracted(1, item)
    undated = dataclasses.replace(
        article, article=dataclasses.replace(article.article, published_at=None)
    )
    seen = datetime(2025, 7, 1, tzinfo=UTC)
    [change] = diff_items([(undated, item)], {}, seen_at=seen)
    assert change.current.state_at == seen
    [older] = diff_items(
        [(extracted(2), commitment(status="underway"))], {change.key: change.current}
    )
    assert older.change is ChangeType.RESTATED


def _payload() -> dict[str, Any]:
    [change] = diff_items([(extracted(1), commitment())], {})
    return json.loads(json.dumps(alert_for(change).to_payload()))  # type: ignore[no-any-return]


def test_alert_payload_from_older_code_gets_defaults() -> None:
    payload = _payload()
    for name in ("what_changed", "published_at", "sector", "parties", "amount_text", "actor"):
        del payload[name]
    alert = Alert.from_payload(payload)
    assert (alert.what_changed, alert.parties, alert.published_at) == ((), (), None)
    assert (alert.sector, alert.amount_text, alert.actor) == ("", None, None)


def test_alert_payload_with_unknown_fields_is_read() -> None:
    payload = _payload() | {"severity": "high", "schema": 3}
    assert Alert.from_payload(payload) == Alert.from_payload(_payload())


def test_alert_payload_without_its_core_is_refused() -> None:
    payload = _payload()
    del payload["what"]
    with pytest.raises(KeyError):
        Alert.from_payload(payload)
