"""Notification: render queued alerts and send them to their routes.

text.py, markup.py, render.py  plain text, Slack mrkdwn and HTML email (pure, escaped)
routing.py                     which alerts a target takes: kind, sector, interval (pure)
targets.py                     apprise targets and the console; each sends the form it reads
send.py                        instant delivery, per (alert, target); health.py tells `ops`
digest.py                      the digest of a period for `digest` targets
check.py                       `notify --test`
"""

from pohang_watch.notify.digest import send_digest
from pohang_watch.notify.render import Message, render_alerts, render_summary
from pohang_watch.notify.routing import Route, Routing
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
    "Route",
    "Routing",
    "TargetReport",
    "deliver_pending",
    "render_alerts",
    "render_summary",
    "send_digest",
    "send_summary",
]
