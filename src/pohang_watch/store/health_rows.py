"""Target health: consecutive failures, whether the `ops` route was told, the last send.

Functions over a Connection on the `targets` table, each inside one short Store transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from pohang_watch.store.schema import targets


@dataclass(frozen=True, slots=True)
class TargetHealth:
    """One target's record: how many sends in a row failed, and what ops was told."""

    target_id: str
    name: str
    failures: int
    last_error: str | None
    down_reported_at: datetime | None
    last_sent_at: datetime | None


def read_health(conn: Connection, target_ids: Sequence[str]) -> dict[str, TargetHealth]:
    query = select(
        targets.c.target_id,
        targets.c.name,
        targets.c.failures,
        targets.c.last_error,
        targets.c.down_reported_at,
        targets.c.last_sent_at,
    ).where(targets.c.target_id.in_(sorted(set(target_ids))))
    return {row.target_id: TargetHealth(*row) for row in conn.execute(query)}


def note_send(conn: Connection, target_id: str, now: datetime, error: str | None) -> None:
    """A send to the target succeeded (no error: failures reset) or failed (one more)."""
    mine = targets.c.target_id == target_id
    if error is None:
        conn.execute(
            update(targets).where(mine).values(failures=0, last_error=None, last_sent_at=now)
        )
    else:
        conn.execute(
            update(targets).where(mine).values(failures=targets.c.failures + 1, last_error=error)
        )


def mark_reported(conn: Connection, target_id: str, at: datetime | None) -> None:
    """Remember that ops was told the target is down (at), or that it recovered (None)."""
    conn.execute(
        update(targets).where(targets.c.target_id == target_id).values(down_reported_at=at)
    )
