"""Rendering: one plain message per group, bounded, with untrusted text made inert."""

from __future__ import annotations

import dataclasses

from ledger.builders import commitment, extracted, partnership

from pohang_watch.ledger import Alert, ChangeType, alert_for, diff_items
from pohang_watch.models import Item
from pohang_watch.notify.render import (
    MAX_BODY_CHARS,
    MAX_TITLE_CHARS,
    pack_messages,
    render_alerts,
)


def _alert(item: Item, number: int = 1) -> Alert:
    [change] = diff_items([(extracted(number), item)], {})
    return alert_for(change)


def _updated(before: Item, after: Item) -> Alert:
    changes = diff_items([(extracted(1), before), (extracted(2), after)], {})
    return alert_for(changes[1])


def test_new_commitment_shows_facts_evidence_and_link() -> None:
    message = render_alerts([_alert(commitment())])
    assert message.title == "New commitment: Pohang City: create a battery mega cluster"
    assert "status planned, target 2030, sector battery" in message.body
    assert "“Pohang City plans to create a battery mega cluster by 2030.”" in message.body
    assert "https://www.asiae.co.kr/en/article/2025060413203200001" in message.body


def test_update_says_what_changed() -> None:
    alert = _updated(partnership(status="proposed"), partnership(status="signed"))
    assert alert.change is ChangeType.UPDATED
    message = render_alerts([alert])
    assert message.title.startswith("Updated partnership: Pohang City + University College")
    assert "status: proposed (2025-06-05) → signed (2025-06-06)" in message.body
    before, after = "University College London proposed an mou", "signed an mou"
    assert before in message.body, "the earlier evidence sentence"
    assert after in message.body, "the new evidence sentence"
    assert message.body.count("https://www.asiae.co.kr/en/article/") == 2, "both links"
    for form in (message.slack, message.html):
        assert "proposed (2025-06-05) → signed (2025-06-06)" in form
        assert "2025060413203200001" in form
        assert "2025060413203200002" in form


def test_source_stands_in_for_a_missing_url() -> None:
    alert = dataclasses.replace(_alert(commitment()), article_url=None)
    assert "Pohang article 1 (seeds/001.txt)" in render_alerts([alert]).body


def test_group_title_counts_changes() -> None:
    alerts = [
        _alert(commitment()),
        _alert(partnership()),
        _updated(commitment(status="planned"), commitment(status="underway")),
    ]
    assert render_alerts(alerts).title == "Pohang: 2 new, 1 updated commitments and partnerships"


def test_title_is_one_short_line() -> None:
    what = "build\na hub\r\nwith\tcontrol\x07 characters " + "and more words " * 30
    title = render_alerts([_alert(commitment(what))]).title
    assert not any(ch in title for ch in "\n\r\t\x07")
    assert len(title) <= MAX_TITLE_CHARS
    assert title.endswith("…")


def test_long_runs_are_split_into_messages_that_lose_no_alert() -> None:
    alerts = [_alert(commitment(f"project {n} " + "detail " * 60), n) for n in range(40)]
    packed = pack_messages(alerts, max_items=20)
    assert len(packed) > 2, "3000 characters cannot hold 20 long alerts"
    assert sum(count for _, count in packed) == 40
    for message, count in packed:
        assert len(message.body) <= MAX_BODY_CHARS
        assert message.body.count("• New commitment") == count
    bodies = "".join(message.body for message, _ in packed)
    assert all(f"project {n} " in bodies for n in range(40))


def test_messages_hold_at_most_max_items() -> None:
    alerts = [_alert(commitment(f"short {n}"), n) for n in range(7)]
    assert [count for _, count in pack_messages(alerts, max_items=3)] == [3, 3, 1]


def test_markup_and_mass_mentions_are_defused() -> None:
    evidence = "Ping <!channel> and <@U123> via <https://evil.example|click> @everyone <b>hi</b>"
    body = render_alerts([_alert(commitment(evidence=evidence))]).body
    assert not any(ch in body for ch in "<>")
    assert "@everyone" not in body
    assert "‹!channel›" in body
