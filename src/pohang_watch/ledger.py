"""The ledger diff: is a mention NEW, an UPDATE of what is known, or merely RESTATED?

Pure functions over frozen records. The store loads the entries for a batch's keys, calls
`diff_items`, and applies what comes back in the same transaction, so the decision itself is
testable without a database. `Alert` is the self-contained notice an outbox row carries: a
snapshot taken when the change happened, so the notifier needs no joins and a later edit of the
entry never rewrites an alert already queued.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pohang_watch.dedup import normalise_text
from pohang_watch.models import Amount, Commitment, ExtractedArticle, Item, ItemKind

# Words whose presence or absence does not change what was promised ("build a hub" is
# "build the hub"); dropping them keeps one ledger entry through small rewording.
_STOP_WORDS = frozenset({"a", "an", "the", "its", "their", "of"})


class ChangeType(StrEnum):
    NEW = "NEW"
    UPDATED = "UPDATED"
    RESTATED = "RESTATED"


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


@dataclass(frozen=True, slots=True)
class Alert:
    """What people are told about one NEW or UPDATED change."""

    change: ChangeType
    kind: ItemKind
    key: str
    actor: str | None
    what: str
    parties: tuple[str, ...]
    partnership_kind: str | None
    status: str
    target_year: int | None
    amount_text: str | None
    sector: str
    what_changed: tuple[str, ...]
    evidence: str
    article_id: str | None
    article_url: str | None
    article_title: str
    source: str
    published_at: datetime | None

    def to_payload(self) -> dict[str, Any]:
        """A JSON-ready dict, stored in the outbox row."""
        payload = dataclasses.asdict(self)
        payload["published_at"] = self.published_at.isoformat() if self.published_at else None
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Alert:
        """Inverse of `to_payload`, tolerant of payloads queued by older or newer code.

        Outbox rows outlive the code that wrote them: a field added since defaults (None, an
        empty tuple or string) and a field since removed is ignored, so an upgrade never
        strands queued alerts. Raises KeyError/ValueError if a required field is missing or bad.
        """
        fields = {name: payload.get(name, default) for name, default in _PAYLOAD_DEFAULTS.items()}
        fields.update({name: payload[name] for name in _PAYLOAD_REQUIRED})
        published = fields["published_at"]
        fields.update(
            change=ChangeType(fields["change"]),
            kind=ItemKind(fields["kind"]),
            parties=tuple(fields["parties"] or ()),
            what_changed=tuple(fields["what_changed"] or ()),
            published_at=datetime.fromisoformat(published) if published else None,
        )
        return cls(**fields)


# Without these an alert means nothing; every other field has a default for old payloads.
_PAYLOAD_REQUIRED = ("change", "kind", "key", "what", "status")
_PAYLOAD_DEFAULTS: dict[str, Any] = {
    "actor": None,
    "parties": (),
    "partnership_kind": None,
    "target_year": None,
    "amount_text": None,
    "sector": "",
    "what_changed": (),
    "evidence": "",
    "article_id": None,
    "article_url": None,
    "article_title": "",
    "source": "",
    "published_at": None,
}


@dataclass(frozen=True, slots=True)
class OutboxAlert:
    """A queued alert, with the targets (of those asked about) that have not received it."""

    id: int
    alert_key: str
    alert: Alert
    created_at: datetime
    missing_targets: tuple[str, ...]


def _normalise_words(text: str) -> str:
    return " ".join(w for w in normalise_text(text).split() if w not in _STOP_WORDS)


def item_key(item: Item) -> str:
    """The identity of an item across articles: who and what, never its status or target."""
    if isinstance(item, Commitment):
        return f"commitment|{_normalise_words(item.actor)}|{_normalise_words(item.what)}"
    parties = ",".join(sorted(_normalise_words(party) for party in item.parties))
    return f"partnership|{parties}|{_normalise_words(item.partnership_kind)}"


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
    )


def _updated_entry(previous: LedgerEntry, item: Item, said_at: datetime | None) -> LedgerEntry:
    """The entry after a mention no older than its state: the mention is now the latest word,
    whether it changed anything or confirmed what was known."""
    return dataclasses.replace(
        previous,
        status=item.status or previous.status,
        target_year=item.target_year if item.target_year is not None else previous.target_year,
        amount=_item_amount(item) or previous.amount,
        mentions=previous.mentions + 1,
        state_at=said_at or previous.state_at,
    )


def _is_older(said_at: datetime | None, previous: LedgerEntry) -> bool:
    """Whether the mention predates the entry's state; an unknown time on either side is not
    older (nothing to compare, so the mention is taken at its word)."""
    return said_at is not None and previous.state_at is not None and said_at < previous.state_at


def _classify(
    previous: LedgerEntry, item: Item, said_at: datetime | None
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
    return kind, _updated_entry(previous, item, said_at), what_changed


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
        kind, current, what_changed = _classify(previous, item, said_at)
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


def diff_items(
    mentions: Sequence[tuple[ExtractedArticle, Item]],
    known: Mapping[str, LedgerEntry],
    *,
    seen_at: datetime | None = None,
) -> list[LedgerChange]:
    """Classify each mention against the ledger, in order.

    A key first met earlier in the same batch counts as known from then on, so a second article
    in the batch restates or updates it instead of being NEW twice. The same key mentioned twice
    in one article counts once (its first mention): one article is one statement. A mention
    is dated by its article's published time, or `seen_at` (when the batch was first seen) for
    an undated article; one older than the entry's state is RESTATED, whatever it says.
    """
    state = dict(known)
    seen_in_article: set[tuple[str, str]] = set()
    changes = []
    for extracted, item in mentions:
        key = item_key(item)
        article_key = (extracted.article.content_hash, key)
        if article_key in seen_in_article:
            continue
        seen_in_article.add(article_key)
        change = _change(extracted, item, key, state.get(key), seen_at)
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
    )
