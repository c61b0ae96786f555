"""Send queued alerts to apprise targets (or the console) and record what each target got.

Each configured URL is its own target with its own apprise object, so one broken webhook
neither blocks nor duplicates the others: the outbox records deliveries per target, and a
failed send stays pending for that target only. Apprise does not raise when a send fails (it
returns False/None and logs), so `AppriseTarget.send` checks and raises `NotifyError`.

Target URLs carry secrets (webhook tokens, SMTP passwords): they are never logged or stored.
A target is known by `target_id`, a short sha256 of its URL, and shown by a redacted name.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO
from urllib.parse import urlsplit

import apprise

from pohang_watch.config import NotifySettings
from pohang_watch.errors import ConfigError, NotifyError
from pohang_watch.ledger import OutboxAlert
from pohang_watch.models import ItemKind
from pohang_watch.notify.render import Message, pack_messages
from pohang_watch.store import Claim, Store

logger = logging.getLogger(__name__)

CONSOLE_TARGET_ID = "console"
# Summaries go to targets taking any kind of item, or tagged for digests.
SUMMARY_TAGS = ("digest", *(kind.value for kind in ItemKind))
# "commitment,ops=slack://…": tags before the first "=", as long as a URL scheme follows it.
_TAGGED_URL = re.compile(r"^\s*([\w-]+(?:\s*,\s*[\w-]+)*)\s*=\s*(?=[A-Za-z][\w+.-]*://)")


class Target(Protocol):
    """Somewhere messages go; tags route alerts (no tags: everything)."""

    @property
    def target_id(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def tags(self) -> frozenset[str]: ...

    def send(self, message: Message) -> None: ...


def routes(target: Target, tag: str) -> bool:
    """Whether messages tagged `tag` go to the target: untagged targets take everything."""
    return not target.tags or tag in target.tags


def target_id_for(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


def redacted_name(url: str, target_id: str) -> str:
    """Scheme and host, and only a host that looks like one: for many services (slack://,
    discord://) the "host" slot holds a token."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    shown = host if "." in host or host == "localhost" else "…"
    return f"{parts.scheme}://{shown} [{target_id[:8]}]"


def split_tags(entry: str) -> tuple[frozenset[str], str]:
    """("tag1,tag2=url" → ({tag1, tag2}, url)); a plain URL has no tags."""
    match = _TAGGED_URL.match(entry)
    if not match:
        return frozenset(), entry.strip()
    tags = frozenset(tag.strip().lower() for tag in match.group(1).split(","))
    return tags, entry[match.end() :].strip()


@dataclass(frozen=True, slots=True)
class AppriseTarget:
    """One apprise URL (or one service of an apprise config file)."""

    target_id: str
    name: str
    tags: frozenset[str]
    apprise: Any = field(repr=False)

    def send(self, message: Message) -> None:
        try:
            accepted = self.apprise.notify(
                body=message.body, title=message.title, body_format=apprise.NotifyFormat.TEXT
            )
        except Exception as exc:  # apprise plugins may raise anything; one target, one error
            raise NotifyError(f"{self.name}: {type(exc).__name__} while sending") from exc
        if not accepted:
            raise NotifyError(f"{self.name}: the target did not accept the message")


@dataclass(frozen=True, slots=True)
class ConsoleTarget:
    """Standard output, used when no target is configured: alerts never go silently nowhere."""

    stream: TextIO | None = None
    target_id: str = CONSOLE_TARGET_ID
    name: str = "console"
    tags: frozenset[str] = frozenset()

    def send(self, message: Message) -> None:
        stream = self.stream or sys.stdout  # looked up late, so redirection still applies
        print(message.title, message.body, sep="\n", end="\n\n", file=stream, flush=True)


def _url_target(entry: str) -> AppriseTarget:
    tags, url = split_tags(entry)
    target_id = target_id_for(url)
    name = redacted_name(url, target_id)
    instance = apprise.Apprise()
    with _apprise_silenced():  # apprise logs an unparseable URL whole, secrets included
        added = instance.add(url, tag=sorted(tags) or None)
    if not added:
        raise ConfigError(f"notify.urls: {name} is not a usable apprise URL")
    return AppriseTarget(target_id, name, tags, instance)


def _config_file_targets(path: str) -> list[AppriseTarget]:
    """One target per service of an apprise config file, keeping the tags it gives them."""
    config = apprise.AppriseConfig()
    if not config.add(path):
        raise ConfigError(f"{path}: not a usable apprise config file")
    targets = []
    servers: list[Any] = config.servers()  # apprise's url() is untyped
    for server in servers:
        url = server.url(privacy=False)
        target_id = target_id_for(url)
        instance = apprise.Apprise()
        instance.add(server)
        tags = frozenset(str(tag).lower() for tag in server.tags)
        targets.append(AppriseTarget(target_id, redacted_name(url, target_id), tags, instance))
    if not targets:
        raise ConfigError(f"{path}: the apprise config file names no usable target")
    return targets


@contextmanager
def _apprise_silenced() -> Iterator[None]:
    """Apprise's own messages off while it reads URLs; our ConfigError names the target."""
    apprise_logger = logging.getLogger("apprise")
    previous = apprise_logger.level
    apprise_logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        apprise_logger.setLevel(previous)


def _keep_apprise_quiet() -> None:
    """Apprise logs full URLs (with their secrets) at DEBUG level and below."""
    apprise_logger = logging.getLogger("apprise")
    if apprise_logger.getEffectiveLevel() < logging.INFO:
        apprise_logger.setLevel(logging.INFO)


class Notifier:
    """The configured targets, each sent to and recorded separately."""

    def __init__(self, targets: Sequence[Target]) -> None:
        self.targets: tuple[Target, ...] = tuple(targets)

    @classmethod
    def from_settings(cls, settings: NotifySettings, *, stream: TextIO | None = None) -> Notifier:
        """Targets from the URLs and the config file; the console when there are none."""
        _keep_apprise_quiet()
        targets: list[Target] = [_url_target(entry) for entry in settings.urls]
        if settings.config_file:
            targets.extend(_config_file_targets(settings.config_file))
        return cls(targets or [ConsoleTarget(stream)])


@dataclass(frozen=True, slots=True)
class TargetReport:
    """What one target got this run; `failed` counts the alerts it still lacks, `busy` those
    another delivery running at the same time had claimed (it sends them)."""

    target_id: str
    name: str
    sent: int = 0
    failed: int = 0
    error: str | None = None  # why the first failing send failed (redacted)
    busy: int = 0


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    targets: tuple[TargetReport, ...]

    @property
    def sent(self) -> int:
        return sum(report.sent for report in self.targets)

    @property
    def failed(self) -> int:
        return sum(report.failed for report in self.targets)

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(report.error for report in self.targets if report.error)


def _claimed_alerts(store: Store, target: Target) -> tuple[list[OutboxAlert], Claim, int]:
    """The target's pending alerts that this run holds a claim on, and how many it does not
    (another delivery is sending those right now)."""
    kinds = [kind.value for kind in ItemKind if routes(target, kind.value)]
    pending = store.pending_alerts([target.target_id], kinds=kinds)
    held = store.claim_alerts([alert.id for alert in pending], target.target_id)
    mine = set(held.alert_ids)
    return [alert for alert in pending if alert.id in mine], held, len(pending) - len(mine)


def _deliver_to(store: Store, target: Target, max_items: int) -> TargetReport:
    """Send the target's claimed alerts in groups; stop at its first failure (the rest wait
    for the next run rather than hammer a target that is down). Whatever was not sent is
    released, so the next run retries it without waiting for the lease to run out."""
    if not any(routes(target, kind.value) for kind in ItemKind):
        return TargetReport(target.target_id, target.name)
    pending, held, busy = _claimed_alerts(store, target)
    sent = 0
    try:
        for message, count in pack_messages([alert.alert for alert in pending], max_items):
            alert_ids = [alert.id for alert in pending[sent : sent + count]]
            try:
                target.send(message)
            except NotifyError as exc:
                logger.warning("sending alerts failed: %s", exc)
                store.record_delivery_failure(alert_ids, target.target_id, str(exc))
                failed = len(pending) - sent
                return TargetReport(target.target_id, target.name, sent, failed, str(exc), busy)
            store.record_delivery(alert_ids, target.target_id)
            sent += count
    finally:
        if unsent := [alert.id for alert in pending[sent:]]:
            store.release_claim(held, unsent)
    return TargetReport(target.target_id, target.name, sent, busy=busy)


def deliver_pending(store: Store, notifier: Notifier, max_items_per_message: int) -> DeliveryReport:
    """Send every pending alert to every target that routes it; one failing target never stops
    the others, and its alerts stay pending for it alone.

    All targets are registered before anything is sent, so targets configured together start
    together; a target added after others were told about alerts does not get that history.
    """
    if max_items_per_message < 1:
        raise ValueError("max_items_per_message must be at least 1")
    store.register_targets({target.target_id: target.name for target in notifier.targets})
    return DeliveryReport(
        tuple(_deliver_to(store, target, max_items_per_message) for target in notifier.targets)
    )


def send_summary(notifier: Notifier, message: Message) -> DeliveryReport:
    """Send one summary message to every target that takes items or digests, each checked
    the way alerts are (a target that fails is reported; the others still get it).

    Summaries are not outbox rows: they describe a run, not a ledger change, so a failed one
    is reported in the run and not retried.
    """
    reports = []
    for target in notifier.targets:
        if not any(routes(target, tag) for tag in SUMMARY_TAGS):
            continue
        try:
            target.send(message)
        except NotifyError as exc:
            logger.warning("sending the summary failed: %s", exc)
            reports.append(TargetReport(target.target_id, target.name, failed=1, error=str(exc)))
            continue
        reports.append(TargetReport(target.target_id, target.name, sent=1))
    return DeliveryReport(tuple(reports))
