"""The digest: one summary of a period's NEW and UPDATED items, for targets tagged `digest`.

A digest is delivered like alerts, per (alert, target) in the outbox's delivery records: each
digest target gets each alert of the period once, whatever how often the digest runs, and a
digest that failed is made up by the next one. With no target tagged `digest`, it goes to the
console (recorded under its own id, apart from the console's instant alerts).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from pohang_watch.errors import NotifyError
from pohang_watch.ledger import OutboxAlert
from pohang_watch.notify.render import render_digest
from pohang_watch.notify.send import DeliveryReport, TargetReport
from pohang_watch.notify.targets import ConsoleTarget, Notifier, Target
from pohang_watch.store import Store

logger = logging.getLogger(__name__)

DIGEST_TAG = "digest"
DIGEST_CONSOLE_ID = "console-digest"


def digest_targets(notifier: Notifier) -> list[Target]:
    tagged: list[Target] = [t for t in notifier.targets if DIGEST_TAG in t.tags]
    return tagged or [ConsoleTarget(target_id=DIGEST_CONSOLE_ID, name="console (digest)")]


def _send_parts(
    store: Store, target: Target, alerts: Sequence[OutboxAlert], period: str, max_items: int
) -> TargetReport:
    sent = 0
    for message, count in render_digest([a.alert for a in alerts], period, max_items):
        ids = [a.id for a in alerts[sent : sent + count]]
        try:
            target.send(message)
        except NotifyError as exc:
            logger.warning("sending the digest failed: %s", exc)
            store.record_delivery_failure(ids, target.target_id, str(exc))
            return TargetReport(target.target_id, target.name, sent, len(alerts) - sent, str(exc))
        store.record_delivery(ids, target.target_id)
        sent += count
    return TargetReport(target.target_id, target.name, sent)


def send_digest(
    store: Store,
    notifier: Notifier,
    since: datetime,
    until: datetime,
    *,
    period: str,
    max_items: int = 50,
) -> DeliveryReport:
    """Send each digest target the period's alerts it has not had, grouped in digest messages;
    a target with nothing new gets nothing (a rerun sends nothing)."""
    targets = digest_targets(notifier)
    store.register_targets({t.target_id: t.name for t in targets})
    reports = []
    for target in targets:
        alerts = store.alerts_between(since, until, target.target_id)
        held = store.claim_alerts([a.id for a in alerts], target.target_id)
        mine = [a for a in alerts if a.id in set(held.alert_ids)]
        report = TargetReport(target.target_id, target.name)
        try:
            if mine:
                report = _send_parts(store, target, mine, period, max_items)
        finally:
            store.release_claim(held, [a.id for a in mine[report.sent :]])
        reports.append(report)
    return DeliveryReport(tuple(reports))


def preview_digest(
    store: Store, since: datetime, until: datetime, *, period: str, max_items: int = 50
) -> list[str]:
    """The period's whole digest as text, recording and sending nothing (`--dry-run`)."""
    alerts = [a.alert for a in store.alerts_between(since, until)]
    return [f"{m.title}\n{m.body}" for m, _ in render_digest(alerts, period, max_items)]
