"""ObjectIndex: a mention is scored only against candidates, with the result of scoring its
whole group — so large groups stay fast and no match is lost."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta

import pytest

from ledger.builders import commitment, extracted, partnership
from pohang_watch.ledger import (
    LedgerEntry,
    diff_items,
    find_entry,
    item_key,
    match_threshold,
    object_of,
)
from pohang_watch.ledger import _score as score
from pohang_watch.matching import MatchRules, ObjectIndex
from pohang_watch.models import Item, Partnership

RULES = MatchRules()
# Words with spelling variants (`_same_word` pairs them), merged compounds and numbers, so the
# random objects exercise every way a score can reach a threshold.
WORDS = [
    "battery", "batteries", "cluster", "batterycluster", "hydrogen", "hydrogne", "tram",
    "expo", "exposition", "centre", "center", "research", "vaccine", "campus", "bio", "health",
    "healthcare", "marine", "tourism", "belt", "park", "waterfront", "recycling", "recyclng",
    "cathode", "material", "job", "jobs", "port", "smart", "hub", "fuel", "cell", "power",
]  # fmt: skip
NUMBERS = ["", "", "", "500", "300", "2030", "10 trillion"]


def _entry(item: Item, number: int) -> LedgerEntry:
    [change] = diff_items([(extracted(number), item)], {})
    stated = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=number % 7)  # ties on purpose
    return dataclasses.replace(change.current, id=number, state_at=stated)


def _random_what(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(0, 4))
    number = rng.choice(NUMBERS)
    return " ".join(rng.sample([*words, number], len(words) + 1)).strip() or "an event"


def _random_item(rng: random.Random, partnerships: bool) -> Item:
    what = _random_what(rng)
    if not partnerships:
        year = rng.choice([None, 2027, 2030])
        return commitment(f"build {what}", target_year=year)
    base = partnership("Pohang City", "POSTECH", kind="mou")
    return Partnership(
        parties=base.parties,
        partnership_kind=base.partnership_kind,
        status="signed",
        what=rng.choice([f"an MOU on {what}", "an MOU", f"cooperation on {what}"]),
        sector="research",
        evidence="Pohang City and POSTECH signed an MOU.",
    )


def _plain_scan(item: Item, entries: list[LedgerEntry]) -> LedgerEntry | None:
    """The definition: every entry of the group scored, best (score, recency), first on ties."""
    exact = item_key(item)
    if same := [entry for entry in entries if entry.key == exact]:
        return same[0]
    words, threshold = object_of(item), match_threshold(item, RULES)
    best: tuple[float, float, LedgerEntry] | None = None
    for entry in entries:
        value = score(item, words, entry, RULES)
        recency = entry.state_at.timestamp() if entry.state_at else 0.0
        if value >= threshold and (best is None or (value, recency) > best[:2]):
            best = (value, recency, entry)
    return best[2] if best else None


@pytest.mark.parametrize("partnerships", [False, True], ids=["commitments", "partnerships"])
def test_candidates_include_every_entry_that_reaches_the_threshold(partnerships: bool) -> None:
    rng = random.Random(20250604)
    entries: dict[str, LedgerEntry] = {}
    for number in range(1, 400):
        entry = _entry(_random_item(rng, partnerships), number)
        entries.setdefault(entry.key, entry)
    group = list(entries.values())
    index: ObjectIndex[int] = ObjectIndex("partnership" if partnerships else "commitment")
    for position, entry in enumerate(group):
        index.add(position, object_of(entry))
    checked = 0
    for _ in range(400):
        item = _random_item(rng, partnerships)
        words, threshold = object_of(item), match_threshold(item, RULES)
        candidates = set(index.candidates(words, threshold))
        matching = {p for p, e in enumerate(group) if score(item, words, e, RULES) >= threshold}
        assert matching <= candidates, (item.what, [group[p].what for p in matching - candidates])
        assert find_entry(item, group, RULES) == _plain_scan(item, group)
        checked += bool(matching)
    assert checked > 50, "the random objects should match often enough to test something"


def _thousands(count: int) -> list[LedgerEntry]:
    """A group the size of Pohang City's after a long backfill: distinct pledges of one actor."""
    rng = random.Random(7)
    topics = ["battery", "hydrogen", "bio", "marine", "port", "smart city", "steel", "tourism"]
    kinds = ["centre", "cluster", "campus", "hub", "park", "institute", "fund", "belt"]
    entries = []
    for number in range(count):
        what = (
            f"create {rng.randint(10, 990)} jobs in a {rng.choice(topics)} {rng.choice(kinds)}"
            if number % 3
            else f"open a {rng.choice(topics)} {rng.choice(kinds)} in district {number}"
        )
        entries.append(_entry(commitment(what, target_year=2030), number + 1))
    return entries


def test_a_reworded_restatement_is_found_scoring_few_of_a_group_of_thousands(
    scored_objects: list[str],
) -> None:
    group = _thousands(4000)
    pledge = _entry(commitment("build the international secondary battery exposition hall"), 9999)
    group.insert(1234, pledge)
    found = find_entry(
        commitment("build an international secondary battery expo hall"), group, RULES
    )
    assert found == pledge
    assert 1 <= len(scored_objects) < 100


def test_a_spelling_variant_still_matches() -> None:
    """Paired only through the misspelt word: the sorted-token ratio is far below 0.9."""
    group = _thousands(2000)
    pledge = _entry(commitment("build a hydrogen fuel cell plant"), 9999)
    group.append(pledge)
    item = commitment("build a hydrogne fuel cell plant on the waterfront")
    assert find_entry(item, group, RULES) == pledge


def test_a_match_sharing_no_word_is_still_found() -> None:
    """Scored by the sorted-token ratio alone: no word in common, so a word index alone would
    miss it."""
    pledge = _entry(commitment("expand the batterycluster"), 1)
    item = commitment("expand the battery cluster")
    assert score(item, object_of(item), pledge, RULES) >= RULES.commitment_similarity
    assert find_entry(item, [*_thousands(500), pledge], RULES) == pledge


def test_equally_alike_and_recent_entries_resolve_to_the_first_stored() -> None:
    first = _entry(commitment("open a smart port hub in Yeongil Bay", target_year=None), 3)
    second = _entry(commitment("open a smart port lab in Yeongil Bay", target_year=None), 10)
    assert first.state_at == second.state_at
    item = commitment("open a smart port in Yeongil Bay", target_year=None)
    assert find_entry(item, [first, second], RULES) == first
    assert find_entry(item, [second, first], RULES) == second


def test_an_objectless_partnership_joins_the_most_recent_entry() -> None:
    mou = partnership("Pohang City", "POSTECH", kind="mou")
    older = _entry(dataclasses.replace(mou, what="an MOU on battery recycling"), 1)
    newer = _entry(dataclasses.replace(mou, what="an MOU on a hydrogen tram"), 5)
    item = dataclasses.replace(mou, what="an MOU", status="signed")
    assert find_entry(item, [older, newer], RULES) == newer
    assert find_entry(item, [newer, older], RULES) == newer


def test_a_threshold_of_zero_makes_every_entry_a_candidate() -> None:
    index: ObjectIndex[str] = ObjectIndex("commitment")
    for words in ("battery cluster", "500 job", "", "hydrogen tram"):
        index.add(words or "none", words)
    assert index.candidates("bio campus", 0.0) == [
        "battery cluster",
        "500 job",
        "none",
        "hydrogen tram",
    ]
    assert index.candidates("bio campus", 0.75) == []


def test_a_commitment_never_matches_one_with_other_numbers() -> None:
    index: ObjectIndex[int] = ObjectIndex("commitment")
    index.add(1, "create 500 job battery cluster")
    index.add(2, "create 300 job battery cluster")
    assert index.candidates("create 500 job battery cluster", 0.75) == [1]
