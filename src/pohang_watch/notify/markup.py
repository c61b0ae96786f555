"""Alerts as Slack mrkdwn and as HTML email, with untrusted article text made inert.

Pure. Article text reaches people through three renderings: plain text (`render.py`, for
webhooks and the console), Slack mrkdwn and HTML. Each escapes for its own reader:

- Slack: `&`, `<`, `>` become entities, so `<!channel>`, `<@U123>` or `<http://evil|label>`
  in an article are shown, never parsed as a ping or a spoofed link; the only links are ours,
  built from http(s) article URLs.
- HTML: everything goes through `html.escape`; a link is made only from an http(s) URL, so a
  `javascript:` URL is shown as text, never clickable.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import urlsplit

from pohang_watch.alerts import Alert, ChangeType
from pohang_watch.notify.text import (
    MAX_EVIDENCE_CHARS,
    change_lines,
    facts,
    headline,
    one_line,
    shorten,
    where,
)


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link (no credentials, no control characters)."""
    if not url or one_line(url) != url or " " in url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc:
        return None
    return url


def slack_escape(text: str) -> str:
    """Slack's three control characters as entities (its documented escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_text(text: str, limit: int = 300) -> str:
    return slack_escape(shorten(one_line(text), limit))


def _slack_link(url: str | None, label: str) -> str:
    safe = safe_url(url)
    if safe is None:
        return _slack_text(url or label)
    target = slack_escape(safe).replace("|", "%7C")
    return f"<{target}|{slack_escape(label)}>"


def slack_alert(alert: Alert) -> str:
    """One alert in Slack mrkdwn: bold headline, what changed, quoted evidence, link(s)."""
    lines = [f"*{_slack_text(headline(alert))}*"]
    lines += [f"{_slack_text(line)}" for line in change_lines(alert) or [facts(alert)]]
    if alert.change is ChangeType.UPDATED and alert.previous_evidence:
        before = _slack_text(alert.previous_evidence, MAX_EVIDENCE_CHARS)
        lines.append(f"before: “{before}” {_slack_link(alert.previous_url, 'earlier article')}")
    lines.append(f"“{_slack_text(alert.evidence, MAX_EVIDENCE_CHARS)}”")
    lines.append(_slack_link(alert.article_url, shorten(one_line(where(alert)), 120)))
    return "\n".join(lines)


def slack_message(alerts: Sequence[Alert]) -> str:
    return "\n\n".join(slack_alert(alert) for alert in alerts)


def _html_text(text: str, limit: int = 300) -> str:
    return html.escape(shorten(one_line(text), limit), quote=True)


def _html_link(url: str | None, label: str) -> str:
    safe = safe_url(url)
    if safe is None:
        return _html_text(url or label)
    return f'<a href="{html.escape(safe, quote=True)}">{_html_text(label, 120)}</a>'


def html_alert(alert: Alert) -> str:
    """One alert as an HTML fragment, every piece of article text escaped."""
    parts = [f"<h3>{_html_text(headline(alert))}</h3>"]
    parts += [f"<p>{_html_text(line)}</p>" for line in change_lines(alert) or [facts(alert)]]
    if alert.change is ChangeType.UPDATED and alert.previous_evidence:
        before = _html_text(alert.previous_evidence, MAX_EVIDENCE_CHARS)
        link = _html_link(alert.previous_url, "earlier article")
        parts.append(f"<p>Before: <q>{before}</q> ({link})</p>")
    parts.append(f"<blockquote>{_html_text(alert.evidence, MAX_EVIDENCE_CHARS)}</blockquote>")
    parts.append(f"<p>{_html_link(alert.article_url, where(alert))}</p>")
    return "\n".join(parts)


def html_document(title: str, fragments: Sequence[str]) -> str:
    """A whole HTML email body around already-escaped fragments."""
    return (
        "<html><body>"
        f"<h2>{_html_text(title, 150)}</h2>\n" + "\n<hr>\n".join(fragments) + "</body></html>"
    )


def html_from_text(title: str, body: str) -> str:
    """HTML for a plain-text message (summaries, ops notices): escaped, line breaks kept."""
    lines = "<br>\n".join(html.escape(line, quote=True) for line in body.splitlines())
    return html_document(title, [f"<p>{lines}</p>"])
