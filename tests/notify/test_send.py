"""Delivery through real servers: a webhook, a failing webhook, an SMTP server, the console."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from http_recorder import Recorder
from ledger.builders import commitment, extracted, partnership

from notify.conftest import Mailbox
from pohang_watch.config import NotifySettings
from pohang_watch.errors import ConfigError
from pohang_watch.notify import Notifier, deliver_pending
from pohang_watch.notify.send import CONSOLE_TARGET_ID, redacted_name, split_tags
from pohang_watch.store import Store

Start = Callable[[int], Recorder]


def _notifier(*urls: str, config_file: str | None = None) -> Notifier:
    return Notifier.from_settings(NotifySettings(urls=urls, config_file=config_file))


@pytest.fixture
def queued(store: Store) -> Store:
    """Three pending alerts: two commitments and a partnership."""
    store.record_articles(
        [extracted(1, commitment(), partnership()), extracted(2, commitment("build a bio hub"))],
        source_run="run-1",
    )
    return store


def test_alerts_reach_a_webhook_in_groups_once(queued: Store, http_server: Start) -> None:
    webhook = http_server(200)
    notifier = _notifier(webhook.url())
    report = deliver_pending(queued, notifier, max_items_per_message=2)
    assert (report.sent, report.failed, report.errors) == (3, 0, ())
    assert len(webhook.requests) == 2
    assert webhook.requests[0][0] == "/alerts"
    assert "create a battery mega cluster" in webhook.requests[0][1]["message"]
    again = deliver_pending(queued, notifier, max_items_per_message=2)
    assert (again.sent, len(webhook.requests)) == (0, 2)


def test_failing_target_is_retried_alone(queued: Store, http_server: Start) -> None:
    good, bad = http_server(200), http_server(500)
    notifier = _notifier(good.url(), bad.url("/hooks/secret-token"))
    report = deliver_pending(queued, notifier, max_items_per_message=20)
    good_report, bad_report = report.targets
    assert (good_report.sent, good_report.failed) == (3, 0)
    assert (bad_report.sent, bad_report.failed) == (0, 3)
    assert "json://127.0.0.1" in str(bad_report.error)
    assert "secret-token" not in str(bad_report.error)
    assert len(queued.pending_alerts([bad_report.target_id])) == 3

    bad.status = 200
    retry = deliver_pending(queued, notifier, max_items_per_message=20)
    assert [(t.sent, t.failed) for t in retry.targets] == [(0, 0), (3, 0)]
    assert (len(good.requests), len(bad.requests)) == (1, 1)
    assert queued.pending_alerts([good_report.target_id, bad_report.target_id]) == []


def test_email_reaches_a_plain_smtp_server(queued: Store, smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    url = f"mailto://127.0.0.1:{port}?from=watch@example.com&to=desk@example.com"
    report = deliver_pending(queued, _notifier(url), max_items_per_message=20)
    assert report.sent == 3
    [message] = mailbox.messages
    assert message["To"].addresses[0].addr_spec == "desk@example.com"
    assert "3 new" in message["Subject"]
    # apprise sends plain text as escaped HTML to email targets
    html = message.get_body(preferencelist=("html", "plain")).get_content()
    assert "Pohang City plans to create a battery mega cluster" in html.replace("&nbsp;", " ")


def test_console_takes_alerts_when_nothing_is_configured(
    queued: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    report = deliver_pending(queued, _notifier(), max_items_per_message=20)
    [console] = report.targets
    assert (console.target_id, console.sent) == (CONSOLE_TARGET_ID, 3)
    assert "create a battery mega cluster" in capsys.readouterr().out
    assert queued.pending_alerts([CONSOLE_TARGET_ID]) == []


def test_tags_route_alerts_by_kind(queued: Store, http_server: Start) -> None:
    partners, digest = http_server(200), http_server(200)
    notifier = _notifier(f"partnership={partners.url()}", f"digest, ops={digest.url()}")
    report = deliver_pending(queued, notifier, max_items_per_message=20)
    assert [t.sent for t in report.targets] == [1, 0]
    assert partners.titles == ["New partnership: Pohang City + University College London (mou)"]
    assert digest.requests == []


def test_config_file_services_are_targets_with_their_tags(
    queued: Store, http_server: Start, tmp_path: Path
) -> None:
    webhook = http_server(200)
    config = tmp_path / "apprise.txt"
    config.write_text(f"commitment={webhook.url('/from-config')}\n", encoding="utf-8")
    notifier = _notifier(config_file=str(config))
    [target] = notifier.targets
    assert target.tags == frozenset({"commitment"})
    report = deliver_pending(queued, notifier, max_items_per_message=20)
    assert report.sent == 2
    assert [path for path, _ in webhook.requests] == ["/from-config"]


def test_unusable_targets_are_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"notify\.urls"):
        _notifier("nosuchservice://example.com/x")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"empty\.txt"):
        _notifier(config_file=str(empty))


def test_names_and_ids_never_carry_secrets() -> None:
    mail = "mailto://user:hunter2@mail.example.com?to=desk@example.com"
    assert redacted_name(mail, "0123456789abcdef") == "mailto://mail.example.com [01234567]"
    assert redacted_name("slack://T000/B000/XXXX", "0123456789abcdef").startswith("slack://…")
    [target] = _notifier(mail).targets
    assert "hunter2" not in f"{target.name} {target.target_id} {target!r}"


def test_tag_prefix_parsing_leaves_query_strings_alone() -> None:
    assert split_tags("commitment, ops=json://h/p?a=b") == (
        frozenset({"commitment", "ops"}),
        "json://h/p?a=b",
    )
    assert split_tags("json://h/p?a=b") == (frozenset(), "json://h/p?a=b")


def test_apprise_logs_no_debug_detail() -> None:
    logging.getLogger("apprise").setLevel(logging.DEBUG)
    _notifier()
    assert logging.getLogger("apprise").getEffectiveLevel() >= logging.INFO


def test_a_target_added_after_a_console_demo_gets_no_history(
    queued: Store, http_server: Start, capsys: pytest.CaptureFixture[str]
) -> None:
    assert deliver_pending(queued, _notifier(), max_items_per_message=20).sent == 3
    capsys.readouterr()
    webhook = http_server(200)
    notifier = _notifier(webhook.url())
    assert deliver_pending(queued, notifier, max_items_per_message=20).sent == 0
    assert webhook.requests == []
    queued.record_articles([extracted(3, commitment("open a hydrogen hub"))], source_run="run-2")
    assert deliver_pending(queued, notifier, max_items_per_message=20).sent == 1
    assert "open a hydrogen hub" in webhook.requests[0][1]["message"]


def test_first_target_gets_alerts_queued_by_runs_that_never_sent(
    queued: Store, http_server: Start
) -> None:
    """`ingest --no-send`, or a run killed after recording and before sending."""
    queued.record_articles([extracted(3, commitment("open a hydrogen hub"))], source_run="run-2")
    webhook = http_server(200)
    report = deliver_pending(queued, _notifier(webhook.url()), max_items_per_message=20)
    assert report.sent == 4


def test_alerts_another_delivery_is_sending_are_left_to_it(
    queued: Store, http_server: Start
) -> None:
    webhook = http_server(200)
    notifier = _notifier(webhook.url())
    [target] = notifier.targets
    queued.register_targets({target.target_id: target.name})
    first = queued.pending_alerts([target.target_id])[0]
    held = queued.claim_alerts([first.id], target.target_id)  # a concurrent run, mid-send
    report = deliver_pending(queued, notifier, max_items_per_message=20)
    [result] = report.targets
    assert (result.sent, result.busy, result.failed) == (2, 1, 0)
    assert first.alert.what not in str(webhook.requests)
    queued.release_claim(held)
    assert deliver_pending(queued, notifier, max_items_per_message=20).sent == 1


def test_a_failed_send_releases_its_claim_for_the_next_run(
    queued: Store, http_server: Start
) -> None:
    webhook = http_server(500)
    notifier = _notifier(webhook.url())
    assert deliver_pending(queued, notifier, max_items_per_message=1).failed == 3
    webhook.status = 200
    assert deliver_pending(queued, notifier, max_items_per_message=1).sent == 3


def test_a_misspelt_url_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    secret = "T000SECRET/B000SECRET/XXXXSECRETTOKEN"
    with caplog.at_level(logging.DEBUG), pytest.raises(ConfigError) as raised:
        Notifier.from_settings(NotifySettings(urls=(f"slak://{secret}",)))
    assert "SECRET" not in caplog.text
    assert "SECRET" not in str(raised.value)
