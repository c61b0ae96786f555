"""Pipeline health on the `ops` route: a target that keeps failing is reported once, and
once more when it recovers — not on every run, which would train people to ignore it.

The count of failed sends in a row and whether ops was told live in the `targets` table, so
the rule holds across runs and processes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from pohang_watch.errors import NotifyError
from pohang_watch.notify.render import Message
from pohang_watch.notify.targets import Target
from pohang_watch.store import Store, TargetHealth

logger = logging.getLogger(__name__)

OPS_TAG = "ops"


def _tell_ops(targets: Sequence[Target], about: Target, message: Message) -> bool:
    """Send to every ops target but the one concerned; True if one accepted it (or there is
    none: then the log is the only channel, and it has been written)."""
    ops = [t for t in targets if OPS_TAG in t.tags and t.target_id != about.target_id]
    logger.warning("%s: %s", message.title, message.body)
    if not ops:
        return True
    accepted = False
    for target in ops:
        try:
            target.send(message)
            accepted = True
        except NotifyError as exc:
            logger.warning("telling ops failed: %s", exc)
    return accepted


def _down(health: TargetHealth) -> Message:
    return Message(
        title=f"pohang-watch: {health.name} is failing",
        body=f"{health.failures} sends in a row to {health.name} failed; last error: "
        f"{health.last_error or 'unknown'}. Its alerts wait in the outbox and are retried on "
        "every run; you will be told once when it recovers.",
    )


def _recovered(health: TargetHealth) -> Message:
    return Message(
        title=f"pohang-watch: {health.name} recovered",
        body=f"{health.name} accepts messages again; the alerts it missed have been sent.",
    )


def report_health(store: Store, targets: Sequence[Target], target: Target, threshold: int) -> None:
    """After a delivery to `target`: tell ops if it just crossed the failure threshold, or if
    it was reported down and has now succeeded."""
    health = store.target_health([target.target_id]).get(target.target_id)
    if health is None:
        return
    down = health.failures >= threshold and health.down_reported_at is None
    back = health.failures == 0 and health.down_reported_at is not None
    if down and _tell_ops(targets, target, _down(health)):
        store.mark_reported(target.target_id, datetime.now(UTC))
    elif back and _tell_ops(targets, target, _recovered(health)):
        store.mark_reported(target.target_id, None)
