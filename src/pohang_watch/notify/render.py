"""Turn queued alerts into messages: a short title and a bounded body in three forms.

Pure. Each message carries plain text (webhooks, the console), Slack mrkdwn and an HTML
document (email), all rendered from the same alerts with their own escaping
(`text.py`, `markup.py`); a target sends the form it reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as html_escape

from pohang_watch.ledger import Alert, ChangeType, LedgerChange, alert_for
from pohang_watch.notify.markup import html_alert, html_document, html_from_text, slack_alert
from pohang_watch.notify.markup import slack_escape as _slack_escape
from pohang_watch.notify.text import (
    MAX_BODY_CHARS,
    MAX_EVIDENCE_CHARS,
    MAX_TITLE_CHARS,
    change_lines,
    clean,
    defuse,
    facts,
    headline,
    one_line,
    shorten,
    where,
)

__all__ = [
    "MAX_BODY_CHARS",
    "MAX_TITLE_CHARS",
    "Message",
    "defuse",
    "one_line",
    "pack_messages",
    "render_alert",
    "render_alerts",
    "render_summary",
    "shorten",
]


@dataclass(frozen=True, slots=True)
class Message:
    """One message: a one-line title and the body as plain text, Slack mrkdwn and HTML.
    Without its own mrkdwn or HTML, those are the plain text escaped."""

    title: str
    body: str
    slack_body: str | None = None
    html_body: str | None = None

    @property
    def slack(self) -> str:
        return self.slack_body if self.slack_body is not None else _slack_escape(self.body)

    @property
    def html(self) -> str:
        return (
            self.html_body if self.html_body is not None else html_from_text(self.title, self.body)
        )


def render_alert(alert: Alert) -> str:
    """One alert as a short block: headline, facts or what changed (dated, with the earlier
    sentence and link), evidence, link."""
    lines = ["• " + clean(headline(alert), 300)]
    lines += ["  " + clean(line, 300) for line in change_lines(alert) or [facts(alert)]]
    if alert.change is ChangeType.UPDATED and alert.previous_evidence:
        before = clean(alert.previous_evidence, MAX_EVIDENCE_CHARS)
        lines.append(f"  before: “{before}” {clean(alert.previous_url or '', 300)}".rstrip())
    lines.append("  “" + clean(alert.evidence, MAX_EVIDENCE_CHARS) + "”")
    lines.append("  " + clean(where(alert), 300))
    return "\n".join(lines)


def _title(alerts: Sequence[Alert]) -> str:
    if len(alerts) == 1:
        return clean(headline(alerts[0]), MAX_TITLE_CHARS)
    counts = Counter(("new" if a.change is ChangeType.NEW else "updated") for a in alerts)
    parts = [f"{counts[label]} {label}" for label in ("new", "updated") if counts[label]]
    return shorten(f"Pohang: {', '.join(parts)} commitments and partnerships", MAX_TITLE_CHARS)


def render_alerts(alerts: Sequence[Alert]) -> Message:
    """One message for a group of alerts that `pack_messages` sized to fit."""
    if not alerts:
        raise ValueError("render_alerts needs at least one alert")
    title = _title(alerts)
    return Message(
        title=title,
        body="\n\n".join(render_alert(a) for a in alerts),
        slack_body="\n\n".join(slack_alert(a) for a in alerts),
        html_body=html_document(title, [html_alert(a) for a in alerts]),
    )


def pack_messages(alerts: Sequence[Alert], max_items: int) -> list[tuple[Message, int]]:
    """Every alert in exactly one message, in order: (message, how many alerts it carries).

    A message holds at most `max_items` alerts and `MAX_BODY_CHARS` characters (Slack's block
    limit); a block is bounded well under that, so each message carries at least one alert.
    """
    groups: list[list[Alert]] = []
    used = 0
    for alert in alerts:
        size = max(len(render_alert(alert)), len(slack_alert(alert))) + 2
        if not groups or len(groups[-1]) >= max_items or used + size > MAX_BODY_CHARS:
            groups.append([])
            used = 0
        groups[-1].append(alert)
        used += size
    return [(render_alerts(group), len(group)) for group in groups]


def render_summary(
    title: str, counts: Sequence[str], changes: Sequence[LedgerChange], left_out: int = 0
) -> Message:
    """One message for a run that must not send an alert per item (a backfill, a reparse):
    the counts, then as many of the NEW and UPDATED items as fit, and how many more there are
    (`left_out` of them never listed)."""
    alerted = [c for c in changes if c.change is not ChangeType.RESTATED]
    blocks = [clean(line, 300) for line in counts]
    used = sum(len(block) + 1 for block in blocks)
    shown = 0
    for change in alerted:
        block = render_alert(alert_for(change))
        if used + len(block) + 80 > MAX_BODY_CHARS:
            break
        blocks.append(block)
        used += len(block) + 2
        shown += 1
    if more := len(alerted) - shown + left_out:
        blocks.append(f"… and {more} more (see `pohang-watch ledger`)")
    return Message(title=clean(title, MAX_TITLE_CHARS), body="\n\n".join(blocks))


def render_digest(
    alerts: Sequence[Alert], period: str, max_items: int
) -> list[tuple[Message, int]]:
    """The period's NEW and UPDATED items as digest messages, every alert in exactly one; the
    title counts them (and numbers the parts when there are several)."""
    counts = Counter("new" if a.change is ChangeType.NEW else "updated" for a in alerts)
    summary = ", ".join(f"{counts[label]} {label}" for label in ("new", "updated") if counts[label])
    packed = pack_messages(alerts, max_items)
    parts = []
    for number, (message, count) in enumerate(packed, start=1):
        part = f" ({number}/{len(packed)})" if len(packed) > 1 else ""
        title = clean(f"Pohang digest {period}: {summary}{part}", MAX_TITLE_CHARS)
        html = message.html.replace(html_escape(message.title), html_escape(title), 1)
        parts.append((Message(title, message.body, message.slack, html), count))
    return parts
