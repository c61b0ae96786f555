"""The digest run: the period's NEW and UPDATED items, summarised for `digest` targets.

Periods are days in Korea (the paper's calendar), both ends included. Without `since`, the
digest looks back `DEFAULT_LOOKBACK_DAYS`: each digest target still gets each alert once (the
deliveries say what it had), so a daily digest sends one day's changes, and a day whose digest
failed is made up the next day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from pohang_watch.config import Settings
from pohang_watch.errors import ConfigError
from pohang_watch.notify import DeliveryReport, Notifier
from pohang_watch.notify.digest import preview_digest, send_digest
from pohang_watch.parse.article_ids import KST
from pohang_watch.pipeline.stages import open_store

DEFAULT_LOOKBACK_DAYS = 7


@dataclass(frozen=True, slots=True)
class DigestPeriod:
    start: datetime
    end: datetime
    label: str


def digest_period(
    since: date | None, until: date | None, now: datetime | None = None
) -> DigestPeriod:
    """[since 00:00, the day after until 00:00) in Korea; defaults: a week ago, up to now."""
    now = now or datetime.now(UTC)
    today = now.astimezone(KST).date()
    first = since or today - timedelta(days=DEFAULT_LOOKBACK_DAYS)
    last = until or today
    if last < first:
        raise ConfigError(f"the digest period ends ({last}) before it starts ({first})")
    end = datetime.combine(last, time(), KST) + timedelta(days=1)
    label = str(first) if first == last else f"{first} to {last}"
    return DigestPeriod(datetime.combine(first, time(), KST), min(end, now), label)


def run_digest(
    settings: Settings, since: date | None = None, until: date | None = None
) -> DeliveryReport:
    """Send the period's digest to every `digest` target (the console when none)."""
    period = digest_period(since, until)
    notifier = Notifier.from_settings(settings.notify)
    with open_store(settings) as store:
        return send_digest(
            store,
            notifier,
            period.start,
            period.end,
            period=period.label,
            max_items=settings.notify.max_items_per_message,
        )


def preview(settings: Settings, since: date | None = None, until: date | None = None) -> list[str]:
    """The period's digest as text, sending and recording nothing."""
    period = digest_period(since, until)
    with open_store(settings) as store:
        return preview_digest(
            store,
            period.start,
            period.end,
            period=period.label,
            max_items=settings.notify.max_items_per_message,
        )
