"""Fuzzy matching: reworded restatements join their entry; different pledges stay apart."""

from __future__ import annotations

import pytest

from ledger.builders import commitment, extracted, partnership
from pohang_watch.ledger import ChangeType, LedgerEntry, diff_items, find_entry
from pohang_watch.matching import MatchRules
from pohang_watch.models import Item


def _known(*items: Item) -> dict[str, LedgerEntry]:
    changes = diff_items([(extracted(n), item) for n, item in enumerate(items, 1)], {})
    return {c.key: c.current for c in changes}


def _matches(first: Item, second: Item) -> bool:
    known = _known(first)
    return find_entry(second, list(known.values()), MatchRules()) is not None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("create a battery mega cluster", "build the battery mega-cluster"),
        ("attract 10 trillion won in investment", "attract investment of 10 trillion won"),
        ("complete POEX", "complete the construction of POEX"),
        (
            "hold the International Secondary Battery Expo",
            "host the International Secondary Battery Exposition",
        ),
        (
            "open a research-oriented medical school at POSTECH",
            "establish a research-oriented medical school",
        ),
        (
            "grow a bio-health industry that can feed Pohang for the next fifty years",
            "grow the bio-health industry to feed Pohang for fifty years",
        ),
    ],
)
def test_reworded_commitments_match(first: str, second: str) -> None:
    assert _matches(commitment(first, target_year=None), commitment(second, target_year=None))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("build a hydrogen hub", "build a bio hub"),
        ("hire about 500 new employees", "hire about 300 new employees"),
        ("open an AI convergence support center", "open a bio-health support foundation"),
    ],
)
def test_different_commitments_do_not_match(first: str, second: str) -> None:
    assert not _matches(commitment(first, target_year=None), commitment(second, target_year=None))


def test_different_wording_and_year_is_another_commitment() -> None:
    design = commitment("complete the design of the secondary battery centre", target_year=2025)
    centre = commitment("complete the secondary battery centre", target_year=2027)
    assert not _matches(design, centre)


def test_another_actor_is_never_compared() -> None:
    known = _known(commitment(actor="Pohang City"))
    [change] = diff_items([(extracted(5), commitment(actor="POSTECH"))], known)
    assert change.change is ChangeType.NEW


def _mou(what: str, status: str = "proposed") -> Item:
    item = partnership("Pohang City", "Fraunhofer IKTS", kind="joint_research", status=status)
    return type(item)(
        parties=item.parties,
        partnership_kind=item.partnership_kind,
        status=status,
        what=what,
        sector="battery",
        evidence=f"Pohang City and Fraunhofer IKTS {status}: {what}.",
    )


def test_a_reworded_partnership_is_the_same_and_its_status_an_update() -> None:
    proposed = _mou("research cooperation on battery recycling and next-generation materials")
    signed = _mou(
        "a memorandum of understanding at the POSTECH campus to establish a joint battery "
        "recycling research center",
        status="signed",
    )
    changes = diff_items([(extracted(1), proposed), (extracted(2), signed)], {})
    assert [c.change for c in changes] == [ChangeType.NEW, ChangeType.UPDATED]
    assert changes[1].what_changed == ("status: proposed → signed",)


def test_two_different_mous_between_the_same_parties_stay_two_entries() -> None:
    fuel_cells = _mou("an MOU on a hydrogen fuel cell power plant")
    recycling = _mou("an MOU on a battery recycling centre")
    changes = diff_items([(extracted(1), fuel_cells), (extracted(2), recycling)], {})
    assert [c.change for c in changes] == [ChangeType.NEW, ChangeType.NEW]
    assert changes[0].key != changes[1].key


def test_an_mou_naming_no_object_joins_its_group() -> None:
    known = _known(_mou("an MOU on a battery recycling centre"))
    [change] = diff_items([(extracted(5), _mou("an MOU", status="signed"))], known)
    assert change.change is ChangeType.UPDATED


def test_a_large_group_scores_only_the_candidates_the_index_finds(
    scored_objects: list[str],
) -> None:
    """Thousands of entries by one actor: a reworded mention is scored against the few the
    index finds, not against all of them."""
    many = [commitment(f"build facility number {n} for industry {n * 7}") for n in range(3000)]
    known = {e.key: e for item in many for e in _known(item).values()}
    found = find_entry(
        commitment("construct a new facility number 1234 for industry 8638"),
        list(known.values()),
        MatchRules(),
    )
    assert found is not None
    assert found.what == "build facility number 1234 for industry 8638"
    assert 1 <= len(scored_objects) < 30
