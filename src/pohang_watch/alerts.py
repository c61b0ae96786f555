"""What people are told: the `Alert` an outbox row carries, and how it survives upgrades.

Pure. An alert is a snapshot taken when the ledger changed, so the notifier needs no joins and
a later edit of the entry never rewrites an alert already queued. `pohang_watch.ledger`
re-exports these names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from pohang_watch.dedup import normalise_text
from pohang_watch.models import ItemKind


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
        """A JSON-ready dict, stored in the outbox row."""
        payload = dataclasses.asdict(self)
        for name in _DATETIMES:
            value = getattr(self, name)
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
        if self.actors and alert.actor and _words(alert.actor) in {_words(a) for a in self.actors}:
            return True
        muted_parties = {_words(party) for party in self.parties}
        if muted_parties & {_words(party) for party in alert.parties}:
            return True
        text = f" {_words(' '.join((alert.what, alert.evidence, alert.article_title)))} "
        return any(f" {_words(phrase)} " in text for phrase in self.phrases if _words(phrase))
