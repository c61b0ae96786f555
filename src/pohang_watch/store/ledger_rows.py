"""Ledger and outbox rows: loading entries for a diff, applying its changes, queueing alerts.

Functions over a Connection, called inside the Store's one transaction per batch, so a ledger
change and its alert are written together or not at all.

A batch reads the entries with its mentions' exact keys and, for the other mentions, narrow
(id, object) rows of their buckets (`match_bucket`: the match group and, for commitments, the
object's numbers), of which `ledger.candidate_ids` picks the few worth loading. Whole groups
grow with the corpus and made a backfill quadratic. Mention counts are kept, not recounted.

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
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, select, update

from pohang_watch.alerts import MuteList, alert_key
from pohang_watch.ledger import (
    ChangeType,
    LedgerChange,
    LedgerEntry,
    alert_for,
    candidate_ids,
    diff_items,
    entry_bucket,
    entry_group,
    item_bucket,
    item_group,
    item_key,
    match_threshold,
    object_of,
)
from pohang_watch.matching import MatchRules, group_hash
from pohang_watch.models import Amount, Commitment, ExtractedArticle, Item, ItemKind
from pohang_watch.store.corpus import chunks, fetch_pairs
from pohang_watch.store.engine import dialect_insert, execute_many
from pohang_watch.store.schema import articles, ledger_entries, mentions, outbox

ALERTING = (ChangeType.NEW, ChangeType.UPDATED)
_NO_MUTES = MuteList()


@lru_cache(maxsize=1_024)
def key_hash(key: str) -> str:
    """sha256 of an entry key (its unique column); cached, a batch asks for each a few times."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


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


def _load_entries(conn: Connection, column: Any, values: Iterable[Any]) -> list[LedgerEntry]:
    found: list[LedgerEntry] = []
    for chunk in chunks(sorted(set(values))):
        query = select(ledger_entries).where(column.in_(chunk))
        found.extend(entry_from_row(row) for row in conn.execute(query))
    return found


def load_groups(conn: Connection, groups: Iterable[str]) -> dict[str, LedgerEntry]:
    """The current entries of these match groups, by key, in stored order: what a match
    threshold of 0, which lets anything match, needs."""
    found = _load_entries(conn, ledger_entries.c.group_hash, {group_hash(g) for g in groups})
    return {entry.key: entry for entry in sorted(found, key=lambda entry: entry.id or 0)}


def _bucket_rows(
    conn: Connection, buckets: Iterable[str]
) -> dict[str, list[tuple[int, str, datetime]]]:
    """(id, object, state_at) of every entry in these buckets, in stored order: three narrow
    columns, so reading a large bucket costs little next to loading its entries."""
    found: dict[str, list[tuple[int, str, datetime]]] = {}
    entry = ledger_entries.c
    query = select(entry.match_bucket, entry.id, entry.match_object, entry.state_at)
    for chunk in chunks(sorted(set(buckets))):
        rows = conn.execute(query.where(entry.match_bucket.in_(chunk)).order_by(entry.id))
        for bucket, entry_id, words, state_at in rows:
            found.setdefault(bucket, []).append((entry_id, words or "", state_at))
    return found


def load_candidates(
    conn: Connection, items: Sequence[Item], rules: MatchRules
) -> dict[str, LedgerEntry]:
    """The stored entries these items could restate or update, by key, in stored order: those
    with an item's exact key, and for the other items the candidates of their buckets
    (`ledger.candidate_ids`). `diff_items` decides the same with these as with whole groups,
    while a batch reads a bounded share of a group that grows with the corpus."""
    whole = [item for item in items if match_threshold(item, rules) <= 0]
    known = load_groups(conn, (item_group(item) for item in whole)) if whole else {}
    keyed = [(item, item_key(item)) for item in items if match_threshold(item, rules) > 0]
    exact = _load_entries(conn, ledger_entries.c.key_hash, {key_hash(key) for _, key in keyed})
    exact_keys = {entry.key for entry in exact}
    fuzzy = [item for item, key in keyed if key not in exact_keys]
    buckets = _bucket_rows(conn, {item_bucket(item) for item in fuzzy})
    wanted = candidate_ids(fuzzy, buckets, rules) - {entry.id for entry in exact}
    entries = [*known.values(), *exact, *_load_entries(conn, ledger_entries.c.id, wanted)]
    return {entry.key: entry for entry in sorted(entries, key=lambda entry: entry.id or 0)}


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
        "match_bucket": entry_bucket(entry),
        "match_object": object_of(entry),
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
    execute_many(conn, statement, rows)


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
    execute_many(conn, dialect_insert(conn, ledger_entries).on_conflict_do_nothing(), new_rows)
    # Stored entries carry their id; new ones (or one another writer inserted first) are read.
    found = {c.key: c.current.id for c in changes}
    new_keys = (key_hash(key) for key, pk in found.items() if pk is None)
    by_hash = fetch_pairs(
        conn,
        select(ledger_entries.c.key_hash, ledger_entries.c.id),
        ledger_entries.c.key_hash,
        new_keys,
    )
    entry_pks = {key: pk or by_hash[key_hash(key)] for key, pk in found.items()}
    _update_current_state(conn, changes, entry_pks, now)
    mention_rows = [
        _mention_row(c, entry_pks[c.key], article_pks[c.content_hash], now) for c in changes
    ]
    _record_mentions(conn, mention_rows)
    return entry_pks


def _record_mentions(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert the mentions and add to each entry's `mentions` the stories newly stating it:
    `count_mentions`' count kept up to date, since recounting reads every mention of every
    entry touched, more each batch. Only the mentions of the batch's stories are read, before
    the insert: a story counts for an entry unless an earlier mention of it came from it. A
    row already there (one article states an entry once) is not inserted and counts nothing;
    the ledger lock keeps any other writer from adding one in between."""
    if not rows:
        return
    story = func.coalesce(articles.c.story_pk, articles.c.id)
    story_of = fetch_pairs(
        conn, select(articles.c.id, story), articles.c.id, (row["article_pk"] for row in rows)
    )
    stories = set(story_of.values())
    for column in (articles.c.id, articles.c.story_pk):
        story_of.update(fetch_pairs(conn, select(articles.c.id, story), column, stories))
    earlier: set[tuple[int, int]] = set()
    query = select(mentions.c.entry_pk, mentions.c.article_pk)
    for chunk in chunks(sorted(story_of)):
        earlier.update(conn.execute(query.where(mentions.c.article_pk.in_(chunk))).tuples())
    fresh = [row for row in rows if (row["entry_pk"], row["article_pk"]) not in earlier]
    if not fresh:
        return
    execute_many(conn, dialect_insert(conn, mentions).on_conflict_do_nothing(), fresh)
    added: dict[int, set[int]] = {}
    for row in fresh:
        added.setdefault(row["entry_pk"], set()).add(story_of[row["article_pk"]])
    for entry_pk, article_pk in earlier:
        if entry_pk in added:
            added[entry_pk].discard(story_of[article_pk])
    counts = [{"b_id": pk, "b_added": len(new)} for pk, new in sorted(added.items()) if new]
    execute_many(
        conn,
        update(ledger_entries)
        .where(ledger_entries.c.id == bindparam("b_id"))
        .values(mentions=ledger_entries.c.mentions + bindparam("b_added")),
        counts,
    )


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
    # The unique alert key decides, not a lookup first: an alert queued before (a re-run) or
    # by another writer is skipped, and only the rows really inserted are counted.
    statement = dialect_insert(conn, outbox).on_conflict_do_nothing()
    return execute_many(conn, statement, list(rows.values()))


def record_items(
    conn: Connection,
    recorded: Sequence[ExtractedArticle],
    article_pks: Mapping[str, int],
    now: datetime,
    matching: MatchRules,
    mutes: MuteList,
    enqueue: bool,
) -> tuple[list[LedgerChange], int]:
    """Diff the articles' items against the entries they could match, apply the changes, and
    queue their alerts unless `enqueue` is off. Call it holding the ledger lock."""
    mentioned = [(e, item) for e in recorded for item in e.items]
    known = load_candidates(conn, [item for _, item in mentioned], matching)
    changes = diff_items(mentioned, known, seen_at=now, rules=matching)
    entry_pks = apply_changes(conn, changes, article_pks, now)
    enqueued = enqueue_alerts(conn, changes, entry_pks, now, mutes) if enqueue else 0
    return changes, enqueued
