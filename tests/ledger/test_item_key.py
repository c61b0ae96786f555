"""An item's key is who and what: rewording, punctuation and status never split an entry."""

from __future__ import annotations

from ledger.builders import commitment, partnership
from pohang_watch.ledger import item_key
from pohang_watch.models import Amount


def test_status_target_and_amount_are_not_part_of_the_key() -> None:
    base = commitment(status="planned", target_year=2030)
    moved = commitment(
        status="underway", target_year=2028, amount=Amount(1e12, "KRW", "1 trillion won")
    )
    assert item_key(base) == item_key(moved)


def test_small_rewording_keeps_the_key() -> None:
    plain = commitment("create a battery mega cluster", actor="Pohang City")
    reworded = commitment("Create the battery “mega-cluster”.", actor="pohang city")
    assert item_key(plain) == item_key(reworded)


def test_different_pledges_have_different_keys() -> None:
    assert item_key(commitment("build a hydrogen hub")) != item_key(commitment("build a bio hub"))
    assert item_key(commitment(actor="POSTECH")) != item_key(commitment(actor="Pohang City"))


def test_partnership_key_ignores_party_order_but_not_kind() -> None:
    one = partnership("Pohang City", "UCL", kind="mou")
    other = partnership("UCL", "Pohang City", kind="mou", status="signed")
    research = partnership("Pohang City", "UCL", kind="joint_research")
    assert item_key(one) == item_key(other)
    assert item_key(one) != item_key(research)


def test_key_names_kind_and_parts() -> None:
    assert item_key(commitment("build the hub", actor="Pohang City")) == (
        "commitment|pohang city|build hub"
    )
    assert item_key(partnership("UCL", "Pohang City")) == "partnership|pohang city,ucl|mou"
