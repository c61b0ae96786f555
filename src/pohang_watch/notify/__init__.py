"""Notification: render queued alerts (`render.py`, pure) and send them (`send.py`)."""

from pohang_watch.notify.render import Message, render_alerts, render_summary
from pohang_watch.notify.send import (
    DeliveryReport,
    Notifier,
    TargetReport,
    deliver_pending,
    send_summary,
)

__all__ = [
    "DeliveryReport",
    "Message",
    "Notifier",
    "TargetReport",
    "deliver_pending",
    "render_alerts",
    "render_summary",
    "send_summary",
]
