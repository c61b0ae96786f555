"""Reading the outbox: alerts some targets still lack, and the alerts of a period (digests).

Functions over a Connection. Every query is bounded by the targets' start points or by the
period asked for, so their cost follows what is pending, not the size of the outbox.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, select

from pohang_watch.errors import StoreError
from pohang_watch.ledger import Alert, OutboxAlert
from pohang_watch.store.corpus import chunks
from pohang_watch.store.delivery_rows import start_points
from pohang_watch.store.schema import deliveries, outbox


def _received(
    conn: Connection, alert_pks: Sequence[int], targets: Sequence[str]
) -> dict[int, set[str]]:
    received: dict[int, set[str]] = {}
    for chunk in chunks(alert_pks):
        query = select(deliveries.c.alert_pk, deliveries.c.target_id).where(
            and_(
                deliveries.c.alert_pk.in_(chunk),
                deliveries.c.target_id.in_(targets),
                deliveries.c.sent_at.is_not(None),
            )
        )
        for alert_pk, target_id in conn.execute(query):
            received.setdefault(alert_pk, set()).add(target_id)
    return received


def _outbox_alert(row: Any, starts: Mapping[str, int], received: set[str]) -> OutboxAlert:
    try:
        alert = Alert.from_payload(row.payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"outbox row {row.id} has a malformed payload: {exc!r}") from exc
    return OutboxAlert(
        id=row.id,
        alert_key=row.alert_key,
        alert=alert,
        created_at=row.created_at,
        missing_targets=tuple(
            target for target, start in starts.items() if row.id > start and target not in received
        ),
    )


def pending(
    conn: Connection, targets: Sequence[str], kinds: Sequence[str] | None
) -> list[OutboxAlert]:
    """Alerts some of these targets have not received, after each target's start point."""
    delivered = (
        select(func.count())
        .select_from(deliveries)
        .where(
            deliveries.c.alert_pk == outbox.c.id,
            deliveries.c.sent_at.is_not(None),
            deliveries.c.target_id.in_(targets),
        )
        .scalar_subquery()
    )
    starts = start_points(conn, targets)
    query = (
        select(outbox)
        .where(delivered < len(targets), outbox.c.id > min(starts.values()))
        .order_by(outbox.c.id)
    )
    if kinds is not None:
        query = query.where(outbox.c.kind.in_(sorted(set(kinds))))
    rows = list(conn.execute(query))
    received = _received(conn, [row.id for row in rows], targets)
    alerts = (_outbox_alert(row, starts, received.get(row.id, set())) for row in rows)
    return [alert for alert in alerts if alert.missing_targets]


def between(
    conn: Connection, since: datetime, until: datetime, target_id: str | None
) -> list[OutboxAlert]:
    """Alerts queued in [since, until), oldest first; with a target, only those it lacks
    (whatever its start point: a digest covers the period it is asked for)."""
    query = (
        select(outbox)
        .where(outbox.c.created_at >= since, outbox.c.created_at < until)
        .order_by(outbox.c.id)
    )
    rows = list(conn.execute(query))
    targets = [target_id] if target_id else []
    received = _received(conn, [row.id for row in rows], targets) if targets else {}
    starts = dict.fromkeys(targets, 0)
    alerts = [_outbox_alert(row, starts, received.get(row.id, set())) for row in rows]
    return [alert for alert in alerts if alert.missing_targets or not target_id]
