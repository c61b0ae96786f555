"""Send queued alerts to their targets and record what each target got.

The outbox records deliveries per (alert, target): a failed send stays pending for that target
only, and is retried on the next run. Routing (`routing.py`) decides which alerts a target
takes; a route's minimum interval holds them in the outbox until it has passed. A target that
keeps failing is reported on the `ops` route once, and again when it recovers (`health.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pohang_watch.errors import NotifyError
from pohang_watch.ledger import OutboxAlert
from pohang_watch.notify.health import report_health
from pohang_watch.notify.render import Message, pack_messages
from pohang_watch.notify.routing import Routing
from pohang_watch.notify.targets import (
    CONSOLE_TARGET_ID,
    SUMMARY_TAGS,
    AppriseTarget,
    ConsoleTarget,
    Notifier,
    Target,
    redacted_name,
    routes,
    split_tags,
    target_id_for,
)
from pohang_watch.store import Claim, Store

__all__ = [
    "CONSOLE_TARGET_ID",
    "AppriseTarget",
    "ConsoleTarget",
    "DeliveryReport",
    "Notifier",
    "Target",
    "TargetReport",
    "deliver_pending",
    "redacted_name",
    "send_summary",
    "split_tags",
    "target_id_for",
]

logger = logging.getLogger(__name__)


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
    waiting: int = 0  # held in the outbox by the route's minimum interval


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


def _claimed_alerts(
    store: Store, target: Target, routing: Routing
) -> tuple[list[OutboxAlert], Claim, int]:
    """The target's pending alerts that this run holds a claim on, and how many it does not
    (another delivery is sending those right now). Pending alerts its routes do not take
    (another sector) are recorded as not for it, so they are never read for it again."""
    pending = store.pending_alerts([target.target_id], kinds=routing.kinds(target.tags))
    skipped = [a.id for a in pending if not routing.takes(target.tags, a.alert)]
    if skipped:
        store.record_not_routed(skipped, target.target_id)
    pending = [a for a in pending if routing.takes(target.tags, a.alert)]
    held = store.claim_alerts([alert.id for alert in pending], target.target_id)
    mine = set(held.alert_ids)
    return [alert for alert in pending if alert.id in mine], held, len(pending) - len(mine)


def _waiting(store: Store, target: Target, routing: Routing, now: datetime) -> bool:
    """Whether the target's minimum interval since its last send has not passed yet."""
    interval = routing.interval(target.tags)
    if not interval:
        return False
    health = store.target_health([target.target_id]).get(target.target_id)
    last = health.last_sent_at if health else None
    return last is not None and now - last < interval


def _send_claimed(
    store: Store, target: Target, pending: Sequence[OutboxAlert], max_items: int
) -> tuple[int, str | None]:
    """Send the claimed alerts in groups; stop at the first failure (the rest wait for the
    next run rather than hammer a target that is down). Return (sent, error)."""
    sent = 0
    for message, count in pack_messages([alert.alert for alert in pending], max_items):
        alert_ids = [alert.id for alert in pending[sent : sent + count]]
        try:
            target.send(message)
        except NotifyError as exc:
            logger.warning("sending alerts failed: %s", exc)
            store.record_delivery_failure(alert_ids, target.target_id, str(exc))
            return sent, str(exc)
        store.record_delivery(alert_ids, target.target_id)
        sent += count
    return sent, None


def _deliver_to(store: Store, target: Target, plan: _Plan) -> TargetReport:
    """Deliver the target's pending alerts; whatever was not sent is released, so the next
    run retries it without waiting for the lease to run out."""
    if not plan.routing.takes_alerts(target.tags):
        return TargetReport(target.target_id, target.name)
    if _waiting(store, target, plan.routing, plan.now):
        waiting = len(
            store.pending_alerts([target.target_id], kinds=plan.routing.kinds(target.tags))
        )
        return TargetReport(target.target_id, target.name, waiting=waiting)
    pending, held, busy = _claimed_alerts(store, target, plan.routing)
    sent, error = 0, None
    try:
        sent, error = _send_claimed(store, target, pending, plan.max_items)
    finally:
        if unsent := [alert.id for alert in pending[sent:]]:
            store.release_claim(held, unsent)
    return TargetReport(target.target_id, target.name, sent, len(pending) - sent, error, busy)


@dataclass(frozen=True, slots=True)
class _Plan:
    max_items: int
    routing: Routing
    ops_after_failures: int
    now: datetime


def deliver_pending(
    store: Store,
    notifier: Notifier,
    max_items_per_message: int,
    *,
    routing: Routing | None = None,
    ops_after_failures: int = 3,
    now: datetime | None = None,
) -> DeliveryReport:
    """Send every pending alert to every target that routes it; one failing target never stops
    the others, and its alerts stay pending for it alone. After each target, its health is
    checked: crossing `ops_after_failures` failed sends in a row, or recovering, tells ops.

    All targets are registered before anything is sent, so targets configured together start
    together; a target added after others were told about alerts does not get that history.
    """
    if max_items_per_message < 1:
        raise ValueError("max_items_per_message must be at least 1")
    moment = now or datetime.now(UTC)
    plan = _Plan(max_items_per_message, routing or Routing(), ops_after_failures, moment)
    store.register_targets({target.target_id: target.name for target in notifier.targets})
    reports = []
    for target in notifier.targets:
        reports.append(_deliver_to(store, target, plan))
        report_health(store, notifier.targets, target, ops_after_failures)
    return DeliveryReport(tuple(reports))


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
