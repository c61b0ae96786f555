"""Ledger and outbox rows: loading entries for a diff, applying its changes, queueing alerts.

Functions over a Connection, called inside the Store's one transaction per batch, so a ledger
change and its alert are written together or not at all.

The diff reads the ledger, decides and writes, and two runs at once must not both decide NEW
for the same item. A unique key cannot settle that alone: matching is fuzzy within a match
group, so an item restated in other words (another key) belongs to the first wording's entry,
and a run that lost an insert would have to redo its whole diff. So the Store holds one fixed
PostgreSQL advisory lock (`engine.LEDGER_LOCK`, transaction-scoped) from story linking to
commit. Not a lock per key, which the fuzzy match makes meaningless, nor one per match group:
story linking (which decides how mentions are counted) reads the band index across groups, and
a batch's many group locks would need a careful order to avoid deadlocks, while one lock taken
at one point never deadlocks. The section is short (a few indexed queries per batch, after
parsing and extraction), so runs lose little by waiting for it; on SQLite the IMMEDIATE write
transactions serialise whole batches anyway. The unique keys (entry key hash, mention, alert
key) with INSERT … ON CONFLICT DO NOTHING still make a repeated write a no-op, never a failed
batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, select, update

from pohang_watch.alerts import MuteList
from pohang_watch.ledger import (
    ChangeType,
    LedgerChange,
    LedgerEntry,
    alert_for,
    diff_items,
    entry_group,
    item_group,
)
from pohang_watch.matching import MatchRules, group_hash
from pohang_watch.models import Amount, Commitment, ExtractedArticle, ItemKind
from pohang_watch.store.corpus import chunks, fetch_pairs
from pohang_watch.store.engine import dialect_insert
from pohang_watch.store.schema import articles, ledger_entries, mentions, outbox

ALERTING = (ChangeType.NEW, ChangeType.UPDATED)
_NO_MUTES = MuteList()


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def alert_key(change: LedgerChange) -> str:
    """Deterministic identity of an alert, so a re-run can never queue it twice.

    A key is NEW once, ever. An update is identified by what changed and the article that
    said so: the same article cannot update the same entry twice in the same way.
    """
    if change.change is ChangeType.NEW:
        parts = [change.change.value, change.key]
    else:
        parts = [change.change.value, change.key, change.content_hash, *change.what_changed]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def entry_from_row(row: Row[Any]) -> LedgerEntry:
    amount = None
    if row.amount_value is not None:
        amount = Amount(row.amount_value, row.amount_currency or "", row.amount_text or "")
    return LedgerEntry(
        id=row.id,
        key=row.key,
        kind=ItemKind(row.kind),
        actor=row.actor,
        what=row.what,
        parties=tuple(row.parties),
        partnership_kind=row.partnership_kind,
        status=row.status,
        target_year=row.target_year,
        amount=amount,
        sector=row.sector,
        first_seen=row.first_seen,
        first_evidence=row.first_evidence,
        first_url=row.first_url,
        mentions=row.mentions,
        created_at=row.created_at,
        updated_at=row.updated_at,
        state_at=row.state_at,
        state_evidence=row.state_evidence,
        state_url=row.state_url,
    )


def load_groups(conn: Connection, groups: Iterable[str]) -> dict[str, LedgerEntry]:
    """The current entries of these match groups, by key: an indexed IN query on the group
    hash, so a mention is compared with its own group and never with the whole ledger."""
    entries: dict[str, LedgerEntry] = {}
    for chunk in chunks(sorted({group_hash(group) for group in groups})):
        query = select(ledger_entries).where(ledger_entries.c.group_hash.in_(chunk))
        entries.update((row.key, entry_from_row(row)) for row in conn.execute(query))
    return entries


def _amount_columns(amount: Amount | None) -> dict[str, Any]:
    return {
        "amount_value": amount.value if amount else None,
        "amount_currency": amount.currency if amount else None,
        "amount_text": amount.text if amount else None,
    }


def _entry_row(change: LedgerChange, article_pk: int, now: datetime) -> dict[str, Any]:
    entry = change.current
    return {
        "key_hash": key_hash(entry.key),
        "key": entry.key,
        "kind": entry.kind.value,
        "actor": entry.actor,
        "what": entry.what,
        "parties": list(entry.parties),
        "partnership_kind": entry.partnership_kind,
        "status": entry.status,
        "target_year": entry.target_year,
        **_amount_columns(entry.amount),
        "sector": entry.sector,
        "first_seen": entry.first_seen,
        "first_article_pk": article_pk,
        "first_evidence": entry.first_evidence,
        "first_url": entry.first_url,
        "mentions": 0,  # counted from the mentions table once they are in
        "created_at": now,
        "updated_at": now,
        "state_at": entry.state_at or now,
        "group_hash": group_hash(entry_group(entry)),
        "state_evidence": entry.state_evidence,
        "state_url": entry.state_url,
    }


def _state(entry: LedgerEntry) -> tuple[Any, ...]:
    return (entry.status, entry.target_year, entry.amount, entry.state_at, entry.state_evidence)


def _update_current_state(
    conn: Connection, changes: Sequence[LedgerChange], entry_pks: Mapping[str, int], now: datetime
) -> None:
    """Write each entry's latest state (the last change per key that moved it wins).

    A RESTATED mention newer than the state moves only `state_at`, which still matters: an
    article older than the confirmation must not undo it later.
    """
    latest = {
        c.key: c.current
        for c in changes
        if c.previous is not None and _state(c.current) != _state(c.previous)
    }
    if not latest:
        return
    statement = (
        update(ledger_entries)
        .where(ledger_entries.c.id == bindparam("b_id"))
        .values(
            status=bindparam("b_status"),
            target_year=bindparam("b_target_year"),
            amount_value=bindparam("b_amount_value"),
            amount_currency=bindparam("b_amount_currency"),
            amount_text=bindparam("b_amount_text"),
            state_at=bindparam("b_state_at"),
            state_evidence=bindparam("b_state_evidence"),
            state_url=bindparam("b_state_url"),
            updated_at=bindparam("b_updated_at"),
        )
    )
    rows = [
        {
            "b_id": entry_pks[key],
            "b_status": entry.status,
            "b_target_year": entry.target_year,
            **{f"b_{name}": value for name, value in _amount_columns(entry.amount).items()},
            "b_state_at": entry.state_at or now,
            "b_state_evidence": entry.state_evidence,
            "b_state_url": entry.state_url,
            "b_updated_at": now,
        }
        for key, entry in latest.items()
    ]
    conn.execute(statement, rows)


def _mention_row(
    change: LedgerChange, entry_pk: int, article_pk: int, now: datetime
) -> dict[str, Any]:
    item = change.item
    amount = item.amount if isinstance(item, Commitment) else None
    return {
        "entry_pk": entry_pk,
        "article_pk": article_pk,
        "change": change.change.value,
        "status": item.status,
        "target_year": item.target_year,
        "amount_text": amount.text if amount else None,
        "evidence": item.evidence,
        "created_at": now,
    }


def count_mentions(conn: Connection, entry_pks: Iterable[int]) -> None:
    """Set `mentions` to the number of distinct stories that stated each entry: a
    republished or lightly edited copy (a revision, `articles.story_pk`) is the same story."""
    story = func.coalesce(articles.c.story_pk, articles.c.id)
    count = (
        select(func.count(func.distinct(story)))
        .select_from(mentions.join(articles, mentions.c.article_pk == articles.c.id))
        .where(mentions.c.entry_pk == ledger_entries.c.id)
        .scalar_subquery()
    )
    for chunk in chunks(sorted(set(entry_pks))):
        conn.execute(
            update(ledger_entries).where(ledger_entries.c.id.in_(chunk)).values(mentions=count)
        )


def apply_changes(
    conn: Connection, changes: Sequence[LedgerChange], article_pks: Mapping[str, int], now: datetime
) -> dict[str, int]:
    """Insert new entries, update changed ones, record every mention; return entry pks by key."""
    new_rows = [
        _entry_row(c, article_pks[c.content_hash], now)
        for c in changes
        if c.change is ChangeType.NEW
    ]
    if new_rows:
        conn.execute(dialect_insert(conn, ledger_entries).on_conflict_do_nothing(), new_rows)
    by_hash = fetch_pairs(
        conn,
        select(ledger_entries.c.key_hash, ledger_entries.c.id),
        ledger_entries.c.key_hash,
        (key_hash(c.key) for c in changes),
    )
    entry_pks = {c.key: by_hash[key_hash(c.key)] for c in changes}
    _update_current_state(conn, changes, entry_pks, now)
    mention_rows = [
        _mention_row(c, entry_pks[c.key], article_pks[c.content_hash], now) for c in changes
    ]
    if mention_rows:
        # One article states an entry once, whatever it repeats.
        conn.execute(dialect_insert(conn, mentions).on_conflict_do_nothing(), mention_rows)
    count_mentions(conn, entry_pks.values())
    return entry_pks


def enqueue_alerts(
    conn: Connection,
    changes: Sequence[LedgerChange],
    entry_pks: Mapping[str, int],
    now: datetime,
    mutes: MuteList = _NO_MUTES,
) -> int:
    """Queue one outbox row per NEW/UPDATED change not queued before (and not muted: a muted
    item is recorded in the ledger, never alerted); return how many."""
    rows: dict[str, dict[str, Any]] = {}
    for change in changes:
        if change.change not in ALERTING:
            continue
        alert = alert_for(change)
        if mutes.mutes(alert):
            continue
        key = alert_key(change)
        rows[key] = {
            "alert_key": key,
            "change": change.change.value,
            "kind": change.current.kind.value,
            "entry_pk": entry_pks[change.key],
            "payload": alert.to_payload(),
            "created_at": now,
        }
    if not rows:
        return 0
    # The unique alert key decides, not a lookup first: an alert queued before (a re-run) or
    # by another writer is skipped, and only the rows really inserted are counted.
    statement = dialect_insert(conn, outbox).on_conflict_do_nothing().returning(outbox.c.id)
    return sum(len(conn.execute(statement, chunk).all()) for chunk in chunks(rows.values()))


def record_items(
    conn: Connection,
    recorded: Sequence[ExtractedArticle],
    article_pks: Mapping[str, int],
    now: datetime,
    matching: MatchRules,
    mutes: MuteList,
    enqueue: bool,
) -> tuple[list[LedgerChange], int]:
    """Diff the articles' items against the entries of their match groups, apply the changes,
    and queue their alerts unless `enqueue` is off. Call it holding the ledger lock."""
    mentioned = [(e, item) for e in recorded for item in e.items]
    known = load_groups(conn, (item_group(item) for _, item in mentioned))
    changes = diff_items(mentioned, known, seen_at=now, rules=matching)
    entry_pks = apply_changes(conn, changes, article_pks, now)
    enqueued = enqueue_alerts(conn, changes, entry_pks, now, mutes) if enqueue else 0
    return changes, enqueued
