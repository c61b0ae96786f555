"""Slack (the real apprise plugin), email (a real SMTP server) and json:// payloads, each with
untrusted article text neutralised: no pings, no spoofed links, no script, no header breaks."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable

import apprise.plugins.slack
import pytest
from http_recorder import Recorder
from ledger.builders import commitment, extracted

from notify.conftest import Mailbox
from pohang_watch.config import NotifySettings
from pohang_watch.ledger import Alert, alert_for, diff_items
from pohang_watch.notify import Notifier, deliver_pending
from pohang_watch.notify.render import pack_messages, render_alerts
from pohang_watch.store import Store

Start = Callable[[int], Recorder]
SLACK_URL = "slack://T1234ABCD/B1234ABCD/abcdefghijklmnopqrstuvwx/#alerts?blocks=yes"
HOSTILE_TITLE = "Pohang <!channel>\r\nBcc: victim@example.com\x00 signs <@U123>"
HOSTILE_EVIDENCE = (
    "Pohang City <!channel> <@U123> <!here|here> will <script>alert(1)</script> build a hub, "
    "see <http://evil.example|www.asiae.co.kr> & [click](javascript:alert(1)) @channel."
)


def _hostile_alert() -> Alert:
    item = commitment("build a hub <@U123> <script>x</script>", evidence=HOSTILE_EVIDENCE)
    [change] = diff_items([(extracted(1, item), item)], {})
    alert = alert_for(change)
    return dataclasses.replace(
        alert, article_title=HOSTILE_TITLE, article_url="javascript:alert(document.cookie)"
    )


@pytest.fixture
def slack(http_server: Start, monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """A local server standing in for hooks.slack.com, answering like it: 200 "ok"."""
    server = http_server(200)
    server.reply = b"ok"
    monkeypatch.setattr(
        apprise.plugins.slack.NotifySlack, "webhook_url", server.http_url("/services")
    )
    return server


def _send(message_alerts: list[Alert], *urls: str) -> None:
    notifier = Notifier.from_settings(NotifySettings(urls=urls))
    message = render_alerts(message_alerts)
    for target in notifier.targets:
        target.send(message)


def _slack_texts(payload: dict[str, object]) -> tuple[str, str]:
    blocks = payload["attachments"][0]["blocks"]  # type: ignore[index]
    header = next(b for b in blocks if b["type"] == "header")
    section = next(b for b in blocks if b["type"] == "section")
    return header["text"]["text"], section["text"]["text"]


def test_slack_gets_blocks_within_its_limits_through_the_real_plugin(slack: Recorder) -> None:
    items = [commitment(f"build hub {n} " + "x" * 400) for n in range(30)]
    alerts = [
        alert_for(c) for c in diff_items([(extracted(n), i) for n, i in enumerate(items)], {})
    ]
    [target] = Notifier.from_settings(NotifySettings(urls=(SLACK_URL,))).targets
    for message, _count in pack_messages(alerts, 20):
        target.send(message)
    assert len(slack.requests) > 1
    for path, payload in slack.requests:
        assert path == "/services/T1234ABCD/B1234ABCD/abcdefghijklmnopqrstuvwx"
        title, body = _slack_texts(payload)
        assert len(title) <= 150
        assert len(body) <= 3000
        assert payload["channel"] == "#alerts"


def test_slack_payload_neutralises_the_injection_corpus(slack: Recorder) -> None:
    _send([_hostile_alert()], SLACK_URL)
    [(_, payload)] = slack.requests
    title, body = _slack_texts(payload)
    for text in (title, body):
        assert "<!" not in text
        assert "<@" not in text
        assert "<script" not in text
        assert "\n" not in title
        assert "\r" not in title
    assert "&lt;!channel&gt;" in body
    assert "&lt;@U123&gt;" in body
    assert "<http://evil" not in body
    links = re.findall(r"<([^>|]+)\|", body)
    assert all(link.startswith("https://www.asiae.co.kr/") for link in links), links
    assert "<javascript" not in body


def test_json_payload_neutralises_the_injection_corpus(webhook: Recorder) -> None:
    _send([_hostile_alert()], webhook.url())
    [(_, payload)] = webhook.requests
    for text in (payload["title"], payload["message"]):
        assert "<" not in text
        assert ">" not in text
        assert "@channel" not in text
    assert "\n" not in payload["title"]
    assert "\r" not in payload["title"]


def test_email_is_escaped_html_with_a_text_part_and_a_sane_subject(
    smtp_server: tuple[Mailbox, int],
) -> None:
    mailbox, port = smtp_server
    url = f"mailto://127.0.0.1:{port}/?from=alerts@pohang-watch.test&to=ops@example.test"
    hostile = _hostile_alert()
    _send([dataclasses.replace(hostile, change=hostile.change)], url)
    [message] = mailbox.messages
    subject = message["Subject"]
    assert "\n" not in subject
    assert "\r" not in subject
    assert "\x00" not in subject
    assert "Bcc" not in message
    html_part = message.get_body(preferencelist=("html",))
    text_part = message.get_body(preferencelist=("plain",))
    assert html_part is not None, "an HTML part"
    assert text_part is not None, "a text part"
    html = html_part.get_content()
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<!channel>" not in html
    assert "build a hub" in text_part.get_content()


def test_deliveries_use_each_targets_form(
    store: Store, slack: Recorder, webhook: Recorder, smtp_server: tuple[Mailbox, int]
) -> None:
    mailbox, port = smtp_server
    mail = f"mailto://127.0.0.1:{port}/?from=alerts@pohang-watch.test&to=ops@example.test"
    store.record_articles([extracted(1, commitment())], source_run="r1")
    notifier = Notifier.from_settings(NotifySettings(urls=(SLACK_URL, webhook.url(), mail)))
    report = deliver_pending(store, notifier, 20)
    assert [t.sent for t in report.targets] == [1, 1, 1]
    assert "*New commitment" in _slack_texts(slack.requests[0][1])[1]
    assert webhook.messages[0].startswith("• New commitment")
    assert mailbox.messages[0].get_body(preferencelist=("html",)).get_content().count("<h3>") == 1
    assert json.dumps(webhook.requests[0][1])
