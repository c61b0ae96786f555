"""Plain-text pieces of an alert, shared by every rendering: headline, facts, what changed.

Pure. Article text is untrusted, so plain text is made inert before it reaches a target:
angle brackets cannot form Slack controls (`<!channel>`, `<@U…>`, `<http…|…>`) or HTML, and
`@everyone`-style pings are broken; newlines and control characters never reach a title.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from pohang_watch.alerts import Alert, ChangeType
from pohang_watch.models import ItemKind

MAX_TITLE_CHARS = 150  # Slack's header block limit
MAX_BODY_CHARS = 3000  # Slack's section block limit
MAX_EVIDENCE_CHARS = 600
ELLIPSIS = "…"

_PINGS = re.compile(r"@(?=(?:channel|here|everyone|all)\b)", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_CHANGE = re.compile(r"^(?P<field>[\w ]+): (?P<before>.*) → (?P<after>.*)$")


def defuse(text: str) -> str:
    """Text that no target reads as markup or a mass mention."""
    text = text.replace("<", "‹").replace(">", "›")
    return _PINGS.sub("@\u200b", text)


def one_line(text: str) -> str:
    """Collapse newlines, tabs and other control characters (and the Unicode line and
    paragraph separators) into single spaces."""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return _SPACES.sub(" ", cleaned).strip()


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


def clean(text: str, limit: int | None = None) -> str:
    """One defused line, shortened to `limit`."""
    cleaned = defuse(one_line(text))
    return shorten(cleaned, limit) if limit else cleaned


def subject(alert: Alert) -> str:
    """Who and what, in a few words: the actor's pledge, or the partners and the kind."""
    if alert.kind is ItemKind.COMMITMENT:
        return f"{alert.actor}: {alert.what}" if alert.actor else alert.what
    kind = f" ({alert.partnership_kind})" if alert.partnership_kind else ""
    return " + ".join(alert.parties) + kind


def headline(alert: Alert) -> str:
    label = "New" if alert.change is ChangeType.NEW else "Updated"
    return f"{label} {alert.kind.value}: {subject(alert)}"


def facts(alert: Alert) -> str:
    """A NEW item's state: status, target, amount, sector."""
    parts = [f"status {alert.status}"]
    if alert.target_year is not None:
        parts.append(f"target {alert.target_year}")
    if alert.amount_text:
        parts.append(f"amount {alert.amount_text}")
    if alert.sector:
        parts.append(f"sector {alert.sector}")
    return ", ".join(parts)


def _day(moment: datetime | None) -> str:
    return f" ({moment.date().isoformat()})" if moment else ""


def change_lines(alert: Alert) -> list[str]:
    """What an UPDATED alert changed, each side dated by the article that said it:
    "status: discussed (2025-04-02) → signed (2025-07-30)"."""
    if alert.change is not ChangeType.UPDATED:
        return []
    lines = []
    for line in alert.what_changed:
        match = _CHANGE.match(line)
        if not match:
            lines.append(line)
            continue
        before = f"{match['before']}{_day(alert.previous_at)}"
        after = f"{match['after']}{_day(alert.published_at)}"
        lines.append(f"{match['field']}: {before} → {after}")
    return lines


def where(alert: Alert) -> str:
    if alert.article_url:
        return alert.article_url
    return f"{alert.article_title} ({alert.source})" if alert.article_title else alert.source
