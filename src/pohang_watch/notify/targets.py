"""Alert targets: apprise URLs (or an apprise config file's services) and the console.

Each configured URL is its own target with its own apprise object, so one broken webhook
neither blocks nor duplicates the others. Apprise does not raise when a send fails (it returns
False/None and logs), so `AppriseTarget.send` checks and raises `NotifyError`. Each target
sends the form of a message it reads: Slack mrkdwn to Slack, HTML to email, plain text to the
rest (`render.Message`).

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
from typing import Any, Literal, Protocol, TextIO
from urllib.parse import urlsplit

import apprise

from pohang_watch.config import NotifySettings
from pohang_watch.errors import ConfigError, NotifyError
from pohang_watch.models import ItemKind
from pohang_watch.notify.render import Message

Form = Literal["text", "slack", "html"]


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


def form_of(server: Any) -> Form:
    """Which rendering a service reads: Slack's mrkdwn, HTML (email), or plain text."""
    if str(getattr(server, "secure_protocol", "")) == "slack" or type(server).__name__ == (
        "NotifySlack"
    ):
        return "slack"
    return "html" if server.notify_format == apprise.NotifyFormat.HTML else "text"


_FORMATS = {
    "text": apprise.NotifyFormat.TEXT,
    "slack": apprise.NotifyFormat.MARKDOWN,  # the plugin's own format: passed through as is
    "html": apprise.NotifyFormat.HTML,
}


@dataclass(frozen=True, slots=True)
class AppriseTarget:
    """One apprise URL (or one service of an apprise config file)."""

    target_id: str
    name: str
    tags: frozenset[str]
    apprise: Any = field(repr=False)
    form: Form = "text"

    def send(self, message: Message) -> None:
        body = {"text": message.body, "slack": message.slack, "html": message.html}[self.form]
        try:
            accepted = self.apprise.notify(
                body=body, title=message.title, body_format=_FORMATS[self.form]
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
    return AppriseTarget(target_id, name, tags, instance, form_of(instance[0]))


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
        name = redacted_name(url, target_id)
        targets.append(AppriseTarget(target_id, name, tags, instance, form_of(server)))
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
