"""What people are told: the `Alert` an outbox row carries, and how it survives upgrades.

Pure. An alert is a snapshot taken when the ledger changed (`alert_for`), so the notifier needs
no joins and a later edit of the entry never rewrites an alert already queued.
`pohang_watch.ledger` re-exports these names.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pohang_watch.dedup import normalise_text
from pohang_watch.models import Amount, ItemKind

if TYPE_CHECKING:
    from pohang_watch.ledger import LedgerChange


class ChangeType(StrEnum):
    NEW = "NEW"
    UPDATED = "UPDATED"
    RESTATED = "RESTATED"


@dataclass(frozen=True, slots=True)
class Alert:
    """What people are told about one NEW or UPDATED change.

    For an UPDATED change the `previous_*` fields describe the state it replaces — its status,
    the sentence that said so, where and when — so the alert can show both sides:
    "MOU with X: discussed (2025-04-02) → signed (2025-07-30)".
    """

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
    previous_status: str | None = None
    previous_evidence: str | None = None
    previous_url: str | None = None
    previous_at: datetime | None = None

    def to_payload(self) -> dict[str, Any]:
        """A JSON-ready dict, stored in the outbox row: every field by name, times as ISO
        strings. Read field by field (not `dataclasses.asdict`, whose deep copy of these
        immutable values cost more than the rest of queueing an alert)."""
        payload = {name: getattr(self, name) for name in _FIELDS}
        for name in _DATETIMES:
            value = payload[name]
            payload[name] = value.isoformat() if value else None
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
        fields.update(
            change=ChangeType(fields["change"]),
            kind=ItemKind(fields["kind"]),
            parties=tuple(fields["parties"] or ()),
            what_changed=tuple(fields["what_changed"] or ()),
        )
        for name in _DATETIMES:
            fields[name] = datetime.fromisoformat(fields[name]) if fields[name] else None
        return cls(**fields)


_FIELDS = tuple(field.name for field in dataclasses.fields(Alert))
_DATETIMES = ("published_at", "previous_at")
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
    "previous_status": None,
    "previous_evidence": None,
    "previous_url": None,
    "previous_at": None,
}


def amount_words(amount: Amount | None) -> str:
    if amount is None:
        return "none"
    return amount.text or f"{amount.currency} {amount.value:g}"


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
        amount_text=amount_words(entry.amount) if entry.amount else None,
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


def alert_key(change: LedgerChange) -> str:
    """Deterministic identity of an alert, so a re-run can never queue it twice.

    A key is NEW once, ever. An update is identified by what changed and the article that
    said so: the same article cannot update the same entry twice in the same way.
    """
    if change.change is ChangeType.NEW:
        parts = [change.change.value, change.key]
    else:
        parts = [change.change.value, change.key, change.content_hash, *change.what_changed]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class OutboxAlert:
    """A queued alert, with the targets (of those asked about) that have not received it."""

    id: int
    alert_key: str
    alert: Alert
    created_at: datetime
    missing_targets: tuple[str, ...]


def _words(text: str) -> str:
    return " ".join(normalise_text(text).split())


@dataclass(frozen=True, slots=True)
class MuteList:
    """Items recorded in the ledger but never alerted (`[notify.mute]` in the config).

    A phrase mutes an item whose what, evidence or article title contains it; a party or an
    actor mutes every item naming that organisation. Comparisons ignore case and punctuation.
    """

    phrases: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()

    def mutes(self, alert: Alert) -> bool:
        if self.actors and alert.actor and _words(alert.actor) in _word_set(self.actors):
            return True
        if self.parties and _word_set(self.parties) & {_words(p) for p in alert.parties}:
            return True
        if not self.phrases:
            return False
        text = f" {_words(' '.join((alert.what, alert.evidence, alert.article_title)))} "
        return any(f" {phrase} " in text for phrase in _word_set(self.phrases) if phrase)


@lru_cache(maxsize=64)
def _word_set(names: tuple[str, ...]) -> frozenset[str]:
    """The configured mute names, normalised once rather than for every alert."""
    return frozenset(_words(name) for name in names)
