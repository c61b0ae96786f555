"""Turn queued alerts into one plain-text message: a short title and a bounded body.

Pure. Article text is untrusted, so it is made inert before it reaches a target: angle
brackets cannot form Slack controls (`<!channel>`, `<@U…>`, `<http…|…>`) or HTML, and
`@everyone`-style pings are broken. Apprise escapes plain text again for HTML targets.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pohang_watch.ledger import Alert, ChangeType, LedgerChange, alert_for
from pohang_watch.models import ItemKind

MAX_TITLE_CHARS = 150
MAX_BODY_CHARS = 3000
MAX_EVIDENCE_CHARS = 600
ELLIPSIS = "…"

_PINGS = re.compile(r"@(?=(?:channel|here|everyone|all)\b)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Message:
    title: str
    body: str


def defuse(text: str) -> str:
    """Text that no target reads as markup or a mass mention."""
    text = text.replace("<", "‹").replace(">", "›")
    return _PINGS.sub("@\u200b", text)


def one_line(text: str) -> str:
    """Collapse newlines, tabs and other control characters into single spaces."""
    cleaned = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return _SPACES.sub(" ", cleaned).strip()


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def _clean(text: str, limit: int | None = None) -> str:
    cleaned = defuse(one_line(text))
    return shorten(cleaned, limit) if limit else cleaned


def _subject(alert: Alert) -> str:
    """Who and what, in a few words: the actor's pledge, or the partners and the kind."""
    if alert.kind is ItemKind.COMMITMENT:
        return f"{alert.actor}: {alert.what}" if alert.actor else alert.what
    kind = f" ({alert.partnership_kind})" if alert.partnership_kind else ""
    return " + ".join(alert.parties) + kind


def _headline(alert: Alert) -> str:
    label = "New" if alert.change is ChangeType.NEW else "Updated"
    return f"{label} {alert.kind.value}: {_subject(alert)}"


def _facts(alert: Alert) -> str:
    if alert.change is ChangeType.UPDATED and alert.what_changed:
        return "; ".join(alert.what_changed)
    facts = [f"status {alert.status}"]
    if alert.target_year is not None:
        facts.append(f"target {alert.target_year}")
    if alert.amount_text:
        facts.append(f"amount {alert.amount_text}")
    if alert.sector:
        facts.append(f"sector {alert.sector}")
    return ", ".join(facts)


def _where(alert: Alert) -> str:
    if alert.article_url:
        return alert.article_url
    return f"{alert.article_title} ({alert.source})" if alert.article_title else alert.source


def render_alert(alert: Alert) -> str:
    """One alert as a short block: headline, facts or what changed, evidence, link."""
    lines = [
        "• " + _clean(_headline(alert), 300),
        "  " + _clean(_facts(alert), 300),
        "  “" + _clean(alert.evidence, MAX_EVIDENCE_CHARS) + "”",
        "  " + _clean(_where(alert), 300),
    ]
    return "\n".join(lines)


def _title(alerts: Sequence[Alert]) -> str:
    if len(alerts) == 1:
        return _clean(_headline(alerts[0]), MAX_TITLE_CHARS)
    counts = Counter(("new" if a.change is ChangeType.NEW else "updated") for a in alerts)
    parts = [f"{counts[label]} {label}" for label in ("new", "updated") if counts[label]]
    return shorten(f"Pohang: {', '.join(parts)} commitments and partnerships", MAX_TITLE_CHARS)


def render_alerts(alerts: Sequence[Alert]) -> Message:
    """One message for a group of alerts that `pack_messages` sized to fit."""
    if not alerts:
        raise ValueError("render_alerts needs at least one alert")
    body = "\n\n".join(render_alert(a) for a in alerts)
    return Message(title=_title(alerts), body=body)


def pack_messages(alerts: Sequence[Alert], max_items: int) -> list[tuple[Message, int]]:
    """Every alert in exactly one message, in order: (message, how many alerts it carries).

    A message holds at most `max_items` alerts and `MAX_BODY_CHARS` characters (Slack's block
    limit); a block is bounded well under that, so each message carries at least one alert.
    """
    groups: list[list[Alert]] = []
    used = 0
    for alert in alerts:
        size = len(render_alert(alert)) + 2
        if not groups or len(groups[-1]) >= max_items or used + size > MAX_BODY_CHARS:
            groups.append([])
            used = 0
        groups[-1].append(alert)
        used += size
    return [(render_alerts(group), len(group)) for group in groups]


def render_summary(title: str, counts: Sequence[str], changes: Sequence[LedgerChange]) -> Message:
    """One message for a run that must not send an alert per item (a backfill, a reparse):
    the counts, then as many of the NEW and UPDATED items as fit, and how many more there are."""
    alerted = [c for c in changes if c.change is not ChangeType.RESTATED]
    blocks = [_clean(line, 300) for line in counts]
    used = sum(len(block) + 1 for block in blocks)
    shown = 0
    for change in alerted:
        block = render_alert(alert_for(change))
        if used + len(block) + 80 > MAX_BODY_CHARS:
            break
        blocks.append(block)
        used += len(block) + 2
        shown += 1
    if shown < len(alerted):
        blocks.append(f"… and {len(alerted) - shown} more (see `pohang-watch ledger`)")
    return Message(title=shorten(_clean(title), MAX_TITLE_CHARS), body="\n\n".join(blocks))
