"""Targets, claims and delivery rows: who gets which alert, and exactly one sender per alert.

Functions over a Connection, each called inside one short Store transaction. Both backends run
the same plain SQL: a conditional UPDATE takes a claim (on PostgreSQL a second writer waits for
the first's row lock, then re-checks the WHERE and finds the lease taken; on SQLite the
IMMEDIATE transaction serialises writers), and the claimer reads back what carries its token.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from pohang_watch.store.corpus import chunks
from pohang_watch.store.engine import dialect_insert
from pohang_watch.store.schema import deliveries, targets

# Long enough for a slow send of one run's alerts, short enough that a sender that died
# mid-send delays its alerts by minutes, not forever.
CLAIM_LEASE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Claim:
    """Alerts one sender may send to one target until the lease runs out."""

    target_id: str
    token: str
    alert_ids: tuple[int, ...]
    claimed_until: datetime


def register_targets(conn: Connection, named: Mapping[str, str], now: datetime) -> None:
    """Remember targets not seen before, each starting after the newest alert any target has
    already received (0 on a fresh install, so nothing waiting is lost); known targets keep
    their start. Insert-or-ignore, so two processes registering at once agree."""
    if not named:
        return
    start = conn.execute(
        select(func.coalesce(func.max(deliveries.c.alert_pk), 0)).where(
            deliveries.c.sent_at.is_not(None)
        )
    ).scalar_one()
    rows = [
        {"target_id": target_id, "name": name, "registered_at": now, "start_after_alert_pk": start}
        for target_id, name in sorted(named.items())
    ]
    conn.execute(dialect_insert(conn, targets).on_conflict_do_nothing(), rows)


def start_points(conn: Connection, target_ids: Sequence[str]) -> dict[str, int]:
    """Each target's first eligible alert is the one after this id; 0 for unregistered ones."""
    query = select(targets.c.target_id, targets.c.start_after_alert_pk).where(
        targets.c.target_id.in_(sorted(set(target_ids)))
    )
    known = {row.target_id: int(row.start_after_alert_pk) for row in conn.execute(query)}
    return {target_id: known.get(target_id, 0) for target_id in target_ids}


def claim(
    conn: Connection, alert_ids: Sequence[int], target_id: str, now: datetime, lease: timedelta
) -> Claim:
    """Take the unsent, unclaimed (or lease-expired) rows among these alerts for this target."""
    ids = sorted(set(alert_ids))
    token, until = uuid.uuid4().hex, now + lease
    if ids:
        placeholders = [{"alert_pk": pk, "target_id": target_id, "attempts": 0} for pk in ids]
        conn.execute(dialect_insert(conn, deliveries).on_conflict_do_nothing(), placeholders)
    won: list[int] = []
    for chunk in chunks(ids):
        mine = (deliveries.c.target_id == target_id) & deliveries.c.alert_pk.in_(chunk)
        conn.execute(
            update(deliveries)
            .where(
                mine,
                deliveries.c.sent_at.is_(None),
                or_(deliveries.c.claimed_until.is_(None), deliveries.c.claimed_until <= now),
            )
            .values(claim_token=token, claimed_until=until)
        )
        query = select(deliveries.c.alert_pk).where(mine, deliveries.c.claim_token == token)
        won.extend(conn.execute(query).scalars())
    return Claim(target_id, token, tuple(sorted(won)), until)


def release(conn: Connection, held: Claim, alert_ids: Sequence[int]) -> None:
    """Give back claimed rows not sent, so the next run retries them at once; only rows still
    carrying this claim's token, never a claim someone took after this lease ran out."""
    for chunk in chunks(sorted(set(alert_ids))):
        conn.execute(
            update(deliveries)
            .where(
                deliveries.c.target_id == held.target_id,
                deliveries.c.alert_pk.in_(chunk),
                deliveries.c.claim_token == held.token,
            )
            .values(claim_token=None, claimed_until=None)
        )


def record_attempt(
    conn: Connection,
    alert_ids: Sequence[int],
    target_id: str,
    now: datetime,
    outcome: Mapping[str, Any],
) -> None:
    """Upsert one deliveries row per alert; a failure never un-marks an earlier success, and a
    success ends any claim on the row (nothing is left to send)."""
    rows = [
        {"alert_pk": pk, "target_id": target_id, "attempts": 1, "last_attempt_at": now, **outcome}
        for pk in sorted(set(alert_ids))
    ]
    if not rows:
        return
    statement = dialect_insert(conn, deliveries)
    changes: dict[str, Any] = {
        "attempts": deliveries.c.attempts + 1,
        "last_attempt_at": statement.excluded.last_attempt_at,
        "last_error": statement.excluded.last_error,
    }
    if outcome["sent_at"] is not None:
        changes.update(sent_at=statement.excluded.sent_at, claim_token=None, claimed_until=None)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[deliveries.c.alert_pk, deliveries.c.target_id], set_=changes
        ),
        rows,
    )
