"""The ledger diff: is a mention NEW, an UPDATE of what is known, or merely RESTATED?

Pure functions over frozen records. The store loads the entries a batch's mentions could match
(`candidate_ids` picks them from their buckets), calls `diff_items`, and applies what comes back
in the same transaction, so the decision itself is testable without a database. A mention is
matched to an entry by its exact key first, then fuzzily within its group (`matching.py`), so a
reworded restatement is not NEW. The alerts a change produces are `alerts.Alert` snapshots
(re-exported here).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pohang_watch.alerts import Alert, ChangeType, OutboxAlert, alert_for, amount_words
from pohang_watch.matching import (
    MatchRules,
    ObjectIndex,
    bucket_hash,
    bucket_key,
    commitment_score,
    group_key,
    normalise_words,
    object_text,
    partnership_score,
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
    "candidate_ids",
    "diff_items",
    "entry_bucket",
    "entry_group",
    "item_bucket",
    "item_group",
    "item_key",
    "match_threshold",
    "object_of",
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
    thing = object_of(item)
    return f"{key}|{thing}" if thing else key


def item_group(item: Item) -> str:
    """The match group of a mention: only entries of the same group are compared."""
    if isinstance(item, Commitment):
        return group_key(item.kind, item.actor, (), None)
    return group_key(item.kind, None, item.parties, item.partnership_kind)


def entry_group(entry: LedgerEntry) -> str:
    return group_key(entry.kind, entry.actor, entry.parties, entry.partnership_kind)


def object_of(item: Item | LedgerEntry) -> str:
    """What the mention or entry promises or agrees, as fuzzy matching compares it."""
    if item.kind is ItemKind.COMMITMENT:
        return object_text(item.what)
    return object_text(item.what, parties=item.parties, kind=item.partnership_kind or "")


def item_bucket(item: Item) -> str:
    """The bucket of a mention (`matching.bucket_hash`): every entry it could match is in it."""
    return bucket_hash(item_group(item), bucket_key(item.kind, object_of(item)))


def entry_bucket(entry: LedgerEntry) -> str:
    return bucket_hash(entry_group(entry), bucket_key(entry.kind, object_of(entry)))


def _score(item: Item, object_words: str, entry: LedgerEntry, rules: MatchRules) -> float:
    """How alike the mention and the entry are, on the scale of the kind's threshold."""
    if isinstance(item, Commitment):
        return commitment_score(object_words, item.target_year, object_of(entry), entry.target_year)
    other = object_of(entry)
    if not object_words or not other:  # "an MOU with X" names no object: it joins the group
        return rules.partnership_overlap
    return partnership_score(object_words, other)


def match_threshold(item: Item, rules: MatchRules) -> float:
    """The score an entry needs to be the one this item restates or updates."""
    if isinstance(item, Commitment):
        return rules.commitment_similarity
    return rules.partnership_overlap


def _find(
    item: Item,
    exact: str,
    group: ObjectIndex[str],
    state: Mapping[str, LedgerEntry],
    rules: MatchRules,
) -> LedgerEntry | None:
    """The entry of the item's group it restates or updates, or None (it is NEW): the one with
    its key (`exact`), else the most alike above the kind's threshold; among equals, the one
    stated most recently, then the one stored first. Only `ObjectIndex` candidates are scored:
    the others cannot reach the threshold, so the result is that of scoring the whole group."""
    if exact in group:
        return state[exact]
    words = object_of(item)
    threshold = match_threshold(item, rules)
    best: tuple[float, float, LedgerEntry] | None = None
    for key in group.candidates(words, threshold):
        entry = state[key]
        score = _score(item, words, entry, rules)
        recency = entry.state_at.timestamp() if entry.state_at else 0.0
        if score >= threshold and (best is None or (score, recency) > best[:2]):
            best = (score, recency, entry)
    return best[2] if best else None


def find_entry(item: Item, entries: Sequence[LedgerEntry], rules: MatchRules) -> LedgerEntry | None:
    """`diff_items`' choice for one item among `entries` (its group, in stored order)."""
    group: ObjectIndex[str] = ObjectIndex(item.kind)
    state: dict[str, LedgerEntry] = {}
    for entry in entries:
        state.setdefault(entry.key, entry)
        group.add(entry.key, object_of(entry))
    return _find(item, item_key(item), group, state, rules)


def candidate_ids(
    items: Iterable[Item],
    buckets: Mapping[str, Sequence[tuple[int, str, datetime]]],
    rules: MatchRules,
) -> set[int]:
    """Which stored entries the items could match, from their buckets' (id, object, state_at)
    rows, so the store loads only those rather than whole groups.

    An item with an object gets its `ObjectIndex` candidates. One without (an MOU naming no
    object) scores the threshold against every entry of its group, so the most recently stated
    wins: only the entries stated last can (an entry's state only moves forward in time).
    """
    indexes: dict[str, ObjectIndex[int]] = {}
    found: set[int] = set()
    asked: set[tuple[str, str]] = set()  # the same object in the same bucket finds the same
    for item in items:
        bucket, words = item_bucket(item), object_of(item)
        rows = buckets.get(bucket, ())
        if not rows or (bucket, words) in asked:
            continue
        asked.add((bucket, words))
        if not words and not isinstance(item, Commitment):
            latest = max(state_at for _, _, state_at in rows)
            found.update(entry_id for entry_id, _, state_at in rows if state_at == latest)
            continue
        if (index := indexes.get(bucket)) is None:
            indexes[bucket] = index = ObjectIndex(item.kind)
            for entry_id, stored, _ in rows:
                index.add(entry_id, stored)
        found.update(index.candidates(words, match_threshold(item, rules)))
    return found


def _item_amount(item: Item) -> Amount | None:
    return item.amount if isinstance(item, Commitment) else None


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
        changed.append(f"amount: {amount_words(previous.amount)} → {amount_words(amount)}")
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


_ENTRY_FIELDS = tuple(field.name for field in dataclasses.fields(LedgerEntry))


def _replace(entry: LedgerEntry, **changes: Any) -> LedgerEntry:
    """`dataclasses.replace` without its per-call look at the fields, and positional: the diff
    makes one new entry state per mention."""
    return LedgerEntry(*[changes[n] if n in changes else getattr(entry, n) for n in _ENTRY_FIELDS])


def _updated_entry(
    previous: LedgerEntry, item: Item, said_at: datetime | None, url: str | None
) -> LedgerEntry:
    """The entry after a mention no older than its state: the mention is now the latest word,
    whether it changed anything or confirmed what was known."""
    return _replace(
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
            _replace(previous, mentions=previous.mentions + 1),
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
    `known` needs only the entries of the mentions' groups (`item_group`) they could match
    (`candidate_ids`), in stored order: it decides between equally alike, equally recent ones.
    """
    state = dict(known)
    groups: dict[str, ObjectIndex[str]] = {}

    def group_of(name: str, kind: ItemKind) -> ObjectIndex[str]:
        if (group := groups.get(name)) is None:
            groups[name] = group = ObjectIndex(kind)
        return group

    for entry in known.values():
        group_of(entry_group(entry), entry.kind).add(entry.key, object_of(entry))
    seen_in_article: set[tuple[str, str]] = set()
    changes = []
    for extracted, item in mentions:
        group = group_of(item_group(item), item.kind)
        own_key = item_key(item)
        previous = _find(item, own_key, group, state, rules)
        key = previous.key if previous else own_key
        article_key = (extracted.article.content_hash, key)
        if article_key in seen_in_article:
            continue
        seen_in_article.add(article_key)
        change = _change(extracted, item, key, previous, seen_at)
        if previous is None:
            group.add(key, object_of(item))
        state[key] = change.current
        changes.append(change)
    return changes
