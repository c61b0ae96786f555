"""The ledger diff: is a mention NEW, an UPDATE of what is known, or merely RESTATED?

Pure functions over frozen records. The store loads the entries of a batch's match groups,
calls `diff_items`, and applies what comes back in the same transaction, so the decision itself
is testable without a database. A mention is matched to an entry by its exact key first, then
fuzzily within its group (`matching.py`), so a reworded restatement is not NEW. The alerts a
change produces are `alerts.Alert` snapshots (re-exported here).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pohang_watch.alerts import Alert, ChangeType, OutboxAlert
from pohang_watch.matching import (
    MatchRules,
    commitment_score,
    group_key,
    normalise_words,
    object_text,
    partnership_score,
    shortlist,
)
from pohang_watch.models import Amount, Commitment, ExtractedArticle, Item, ItemKind

__all__ = [
    "Alert",
    "ChangeType",
    "LedgerChange",
    "LedgerEntry",
    "MatchRules",
    "OutboxAlert",
    "alert_for",
    "diff_items",
    "entry_group",
    "item_group",
    "item_key",
]


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One commitment or partnership as currently known, with where it was first seen."""

    id: int | None  # None until the store has inserted it
    key: str
    kind: ItemKind
    actor: str | None
    what: str
    parties: tuple[str, ...]
    partnership_kind: str | None
    status: str
    target_year: int | None
    amount: Amount | None
    sector: str
    first_seen: str  # article id, or the source when the article has none
    first_evidence: str
    first_url: str | None
    mentions: int
    created_at: datetime | None
    updated_at: datetime | None
    # When the mention the current state came from was published (its first-seen time when
    # undated): a mention older than this describes the past and must not move the ledger back.
    state_at: datetime | None = None
    # The sentence and link the current state came from (an UPDATED alert quotes both sides).
    state_evidence: str | None = None
    state_url: str | None = None


@dataclass(frozen=True, slots=True)
class LedgerChange:
    """What one mention does to the ledger; `current` is the entry after applying it."""

    change: ChangeType
    key: str
    item: Item
    previous: LedgerEntry | None
    current: LedgerEntry
    what_changed: tuple[str, ...]  # e.g. ("status: proposed → signed",)
    article_id: str | None
    article_url: str | None
    article_title: str
    content_hash: str  # identifies the article within a batch, even without an id
    source: str
    published_at: datetime | None


def item_key(item: Item) -> str:
    """The identity of a new entry: who and what, never its status or target. A partnership's
    key names its object too, so two different MOUs between the same parties stay two."""
    if isinstance(item, Commitment):
        return f"commitment|{normalise_words(item.actor)}|{normalise_words(item.what)}"
    parties = ",".join(sorted(normalise_words(party) for party in item.parties))
    key = f"partnership|{parties}|{normalise_words(item.partnership_kind)}"
    thing = _object(item)
    return f"{key}|{thing}" if thing else key


def item_group(item: Item) -> str:
    """The match group of a mention: only entries of the same group are compared."""
    if isinstance(item, Commitment):
        return group_key(item.kind.value, item.actor, (), None)
    return group_key(item.kind.value, None, item.parties, item.partnership_kind)


def entry_group(entry: LedgerEntry) -> str:
    return group_key(entry.kind.value, entry.actor, entry.parties, entry.partnership_kind)


def _object(item: Item | LedgerEntry) -> str:
    if item.kind is ItemKind.COMMITMENT:
        return object_text(item.what)
    return object_text(item.what, parties=item.parties, kind=item.partnership_kind or "")


def _score(item: Item, object_words: str, entry: LedgerEntry, rules: MatchRules) -> float:
    """How alike the mention and the entry are, on the scale of the kind's threshold."""
    if isinstance(item, Commitment):
        return commitment_score(object_words, item.target_year, _object(entry), entry.target_year)
    other = _object(entry)
    if not object_words or not other:  # "an MOU with X" names no object: it joins the group
        return rules.partnership_overlap
    return partnership_score(object_words, other)


def find_entry(item: Item, entries: Sequence[LedgerEntry], rules: MatchRules) -> LedgerEntry | None:
    """The entry of the item's group it restates or updates, or None (it is NEW): the most
    alike above the kind's threshold; among equals, the one stated most recently."""
    exact = item_key(item)
    if same := [entry for entry in entries if entry.key == exact]:
        return same[0]
    words = _object(item)
    threshold = (
        rules.commitment_similarity if isinstance(item, Commitment) else rules.partnership_overlap
    )
    best: tuple[float, float, LedgerEntry] | None = None
    for index in shortlist(words, [_object(e) for e in entries]):
        entry = entries[index]
        score = _score(item, words, entry, rules)
        recency = entry.state_at.timestamp() if entry.state_at else 0.0
        if score >= threshold and (best is None or (score, recency) > best[:2]):
            best = (score, recency, entry)
    return best[2] if best else None


def _item_amount(item: Item) -> Amount | None:
    return item.amount if isinstance(item, Commitment) else None


def _amount_words(amount: Amount | None) -> str:
    if amount is None:
        return "none"
    return amount.text or f"{amount.currency} {amount.value:g}"


def _same_amount(left: Amount | None, right: Amount | None) -> bool:
    if left is None or right is None:
        return left is right
    return (left.value, left.currency) == (right.value, right.currency)


def _differences(previous: LedgerEntry, item: Item) -> tuple[str, ...]:
    """What the mention changes. A field the mention leaves unstated (no year, no amount) is
    not a change: an article that omits the target has not withdrawn it."""
    changed = []
    if item.status and item.status != previous.status:
        changed.append(f"status: {previous.status} → {item.status}")
    if item.target_year is not None and item.target_year != previous.target_year:
        changed.append(f"target_year: {previous.target_year} → {item.target_year}")
    amount = _item_amount(item)
    if amount is not None and not _same_amount(amount, previous.amount):
        changed.append(f"amount: {_amount_words(previous.amount)} → {_amount_words(amount)}")
    return tuple(changed)


def _new_entry(
    key: str, extracted: ExtractedArticle, item: Item, said_at: datetime | None
) -> LedgerEntry:
    article = extracted.article
    return LedgerEntry(
        id=None,
        key=key,
        kind=item.kind,
        actor=item.actor if isinstance(item, Commitment) else None,
        what=item.what,
        parties=() if isinstance(item, Commitment) else item.parties,
        partnership_kind=None if isinstance(item, Commitment) else item.partnership_kind,
        status=item.status,
        target_year=item.target_year,
        amount=_item_amount(item),
        sector=item.sector,
        first_seen=article.article_id or extracted.source,
        first_evidence=item.evidence,
        first_url=article.url,
        mentions=1,
        created_at=None,
        updated_at=None,
        state_at=said_at,
        state_evidence=item.evidence,
        state_url=article.url,
    )


def _updated_entry(
    previous: LedgerEntry, item: Item, said_at: datetime | None, url: str | None
) -> LedgerEntry:
    """The entry after a mention no older than its state: the mention is now the latest word,
    whether it changed anything or confirmed what was known."""
    return dataclasses.replace(
        previous,
        status=item.status or previous.status,
        target_year=item.target_year if item.target_year is not None else previous.target_year,
        amount=_item_amount(item) or previous.amount,
        mentions=previous.mentions + 1,
        state_at=said_at or previous.state_at,
        state_evidence=item.evidence,
        state_url=url,
    )


def _is_older(said_at: datetime | None, previous: LedgerEntry) -> bool:
    """Whether the mention predates the entry's state; an unknown time on either side is not
    older (nothing to compare, so the mention is taken at its word)."""
    return said_at is not None and previous.state_at is not None and said_at < previous.state_at


def _classify(
    previous: LedgerEntry, item: Item, said_at: datetime | None, url: str | None
) -> tuple[ChangeType, LedgerEntry, tuple[str, ...]]:
    """An older article (fetched late, or by a backfill) is history: recorded as a mention,
    never a change, so the ledger cannot move from "signed" back to "proposed"."""
    if _is_older(said_at, previous):
        return (
            ChangeType.RESTATED,
            dataclasses.replace(previous, mentions=previous.mentions + 1),
            (),
        )
    what_changed = _differences(previous, item)
    kind = ChangeType.UPDATED if what_changed else ChangeType.RESTATED
    return kind, _updated_entry(previous, item, said_at, url), what_changed


def _change(
    extracted: ExtractedArticle,
    item: Item,
    key: str,
    previous: LedgerEntry | None,
    seen_at: datetime | None,
) -> LedgerChange:
    article = extracted.article
    said_at = article.published_at or seen_at
    what_changed: tuple[str, ...] = ()
    if previous is None:
        kind, current = ChangeType.NEW, _new_entry(key, extracted, item, said_at)
    else:
        kind, current, what_changed = _classify(previous, item, said_at, article.url)
    return LedgerChange(
        change=kind,
        key=key,
        item=item,
        previous=previous,
        current=current,
        what_changed=what_changed,
        article_id=article.article_id,
        article_url=article.url,
        article_title=article.title,
        content_hash=article.content_hash,
        source=extracted.source,
        published_at=article.published_at,
    )


_DEFAULT_RULES = MatchRules()


def diff_items(
    mentions: Sequence[tuple[ExtractedArticle, Item]],
    known: Mapping[str, LedgerEntry],
    *,
    seen_at: datetime | None = None,
    rules: MatchRules = _DEFAULT_RULES,
) -> list[LedgerChange]:
    """Classify each mention against the ledger, in order.

    A key first met earlier in the same batch counts as known from then on, so a second article
    in the batch restates or updates it instead of being NEW twice. The same key mentioned twice
    in one article counts once (its first mention): one article is one statement. A mention
    is dated by its article's published time, or `seen_at` (when the batch was first seen) for
    an undated article; one older than the entry's state is RESTATED, whatever it says.
    `known` needs only the entries of the mentions' groups (`item_group`).
    """
    state = dict(known)
    groups: dict[str, list[str]] = {}
    for entry in known.values():
        groups.setdefault(entry_group(entry), []).append(entry.key)
    seen_in_article: set[tuple[str, str]] = set()
    changes = []
    for extracted, item in mentions:
        members = groups.setdefault(item_group(item), [])
        previous = find_entry(item, [state[key] for key in members], rules)
        key = previous.key if previous else item_key(item)
        article_key = (extracted.article.content_hash, key)
        if article_key in seen_in_article:
            continue
        seen_in_article.add(article_key)
        change = _change(extracted, item, key, previous, seen_at)
        if previous is None:
            members.append(key)
        state[key] = change.current
        changes.append(change)
    return changes


def alert_for(change: LedgerChange) -> Alert:
    """The notice for a NEW or UPDATED change, evidence taken from the mention itself."""
    entry = change.current
    return Alert(
        change=change.change,
        kind=entry.kind,
        key=change.key,
        actor=entry.actor,
        what=entry.what,
        parties=entry.parties,
        partnership_kind=entry.partnership_kind,
        status=entry.status,
        target_year=entry.target_year,
        amount_text=_amount_words(entry.amount) if entry.amount else None,
        sector=entry.sector,
        what_changed=change.what_changed,
        evidence=change.item.evidence,
        article_id=change.article_id,
        article_url=change.article_url,
        article_title=change.article_title,
        source=change.source,
        published_at=change.published_at,
        **_previous_side(change),
    )


def _previous_side(change: LedgerChange) -> dict[str, Any]:
    """The state an UPDATED change replaces: status, sentence, link and when it was said."""
    previous = change.previous
    if change.change is not ChangeType.UPDATED or previous is None:
        return {}
    return {
        "previous_status": previous.status,
        "previous_evidence": previous.state_evidence or previous.first_evidence,
        "previous_url": previous.state_url if previous.state_evidence else previous.first_url,
        "previous_at": previous.state_at,
    }
