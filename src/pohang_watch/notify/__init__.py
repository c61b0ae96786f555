"""Notification: render queued alerts (`render.py`, pure) and send them (`send.py`)."""

from pohang_watch.notify.render import Message, render_alerts
from pohang_watch.notify.send import (
    DeliveryReport,
    Notifier,
    TargetReport,
    deliver_pending,
)

__all__ = [
    "DeliveryReport",
    "Message",
    "Notifier",
    "TargetReport",
    "deliver_pending",
    "render_alerts",
]
