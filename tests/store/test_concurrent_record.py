"""Several runs recording overlapping batches at the same moment, on SQLite and PostgreSQL.

Each round releases every thread through one barrier into `record_articles` with the same new
articles (in a different order per thread, some threads seeing only part of the batch), so the
runs race on the same article rows, ledger keys, mentions and alerts. However they interleave,
the database must end as one sequential run would leave it, and no batch may fail.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from ledger.builders import commitment, extracted, partnership
from sqlalchemy import Connection, create_engine, func, select

from pohang_watch.errors import StoreError
from pohang_watch.ledger import ChangeType
from pohang_watch.models import ExtractedArticle, Item
from pohang_watch.store import RecordOutcome, Store
from pohang_watch.store.migrations import MIGRATIONS
from pohang_watch.store.schema import articles, ledger_entries, mentions, outbox, schema_migrations
from store.backends import NewUrl
from store.concurrency import run_at_once

RUNS = 4
ROUNDS = 6
ARTICLES_PER_ROUND = 6
FRESH_DATABASES = 20


def round_articles(number: int) -> tuple[list[ExtractedArticle], list[ExtractedArticle]]:
    """A round's new articles: the common ones each state their own commitment, every other
    one also the round's partnership; then one article per run that no other run sees, each
    restating the partnership and the round's pledge, so the runs race on those ledger keys
    without meeting on any article row first."""
    shared = partnership("Pohang City", f"Partner {number}")
    pledge = commitment(f"open hydrogen hub {number}")
    common = []
    for offset in range(ARTICLES_PER_ROUND):
        serial = number * 100 + offset
        items: list[Item] = [commitment(f"build plant {serial}")]
        if offset % 2 == 0:
            items.append(shared)
        common.append(extracted(serial, *items))
    own = [extracted(number * 100 + 50 + run, shared, pledge) for run in range(RUNS)]
    return common, own


def _batches(
    common: list[ExtractedArticle], own: list[ExtractedArticle], rng: random.Random
) -> list[list[ExtractedArticle]]:
    """One batch per run: all of the common articles for half the runs, a random overlapping
    part for the rest, plus the run's own article, shuffled so the runs meet the rows in
    different orders."""
    batches = []
    for run in range(RUNS):
        seen = list(common) if run % 2 == 0 else rng.sample(common, k=len(common) // 2 + 1)
        batch = [*seen, own[run]]
        rng.shuffle(batch)
        batches.append(batch)
    return batches


def _rows(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "article_ids": Counter(conn.execute(select(articles.c.article_id)).scalars()),
                "keys": Counter(conn.execute(select(ledger_entries.c.key)).scalars()),
                "mentions": dict(
                    conn.execute(
                        select(ledger_entries.c.key, func.count(mentions.c.id))
                        .join(mentions, mentions.c.entry_pk == ledger_entries.c.id)
                        .group_by(ledger_entries.c.key)
                    )
                    .tuples()
                    .all()
                ),
                "outbox": Counter(conn.execute(select(outbox.c.entry_pk, outbox.c.change)).all()),
                "entry_pks": dict(
                    conn.execute(select(ledger_entries.c.key, ledger_entries.c.id)).tuples().all()
                ),
            }
    finally:
        engine.dispose()


def test_concurrent_overlapping_batches_store_everything_once(new_db_url: NewUrl) -> None:
    url = new_db_url()
    Store.open(url).close()  # migrated once, before the runs race
    stores = [Store.open(url) for _ in range(RUNS)]
    rng = random.Random(20250604)
    outcomes: list[RecordOutcome] = []
    expected_mentions: Counter[str] = Counter()
    expected_articles: set[str] = set()
    try:
        for number in range(1, ROUNDS + 1):
            common, own = round_articles(number)
            calls = [
                (lambda s=store, b=batch, r=run: s.record_articles(b, source_run=f"run-{r}"))
                for run, (store, batch) in enumerate(
                    zip(stores, _batches(common, own, rng), strict=True)
                )
            ]
            outcomes.extend(run_at_once(calls))
            for article in [*common, *own]:
                expected_articles.add(article.article.article_id or "")
                expected_mentions.update(item.what for item in article.items)
        entries = stores[0].ledger_entries()
    finally:
        for store in stores:
            store.close()

    rows = _rows(url)
    assert set(rows["article_ids"]) == expected_articles
    assert set(rows["article_ids"].values()) == {1}, "one row per article"
    assert sum(outcome.stored for outcome in outcomes) == len(expected_articles), "stored once"

    # One entry per item: a commitment per common article, a partnership and a pledge a round.
    assert len(entries) == len(expected_mentions) == ROUNDS * (ARTICLES_PER_ROUND + 2)
    assert set(rows["keys"].values()) == {1}, "one ledger entry per key"
    by_what = {entry.what: entry for entry in entries}
    assert {what: by_what[what].mentions for what in expected_mentions} == dict(expected_mentions)
    assert {by_what[what].key: n for what, n in expected_mentions.items()} == rows["mentions"]

    new = [c for outcome in outcomes for c in outcome.changes if c.change is ChangeType.NEW]
    assert sorted(c.key for c in new) == sorted(entry.key for entry in entries), "NEW once"
    assert all(c.change is not ChangeType.UPDATED for o in outcomes for c in o.changes)
    assert rows["outbox"] == Counter(
        (pk, ChangeType.NEW.value) for pk in rows["entry_pks"].values()
    )
    assert sum(outcome.alerts_enqueued for outcome in outcomes) == len(entries)


def test_runs_opening_a_fresh_database_at_once_migrate_it_once(new_db_url: NewUrl) -> None:
    """All runs find no tables: on PostgreSQL the migration lock makes the others wait for the
    first one's tables instead of failing to create them again; on SQLite they wait for the
    first one to switch the new file to WAL. A few fresh databases, to make the race likely."""
    for _ in range(FRESH_DATABASES):
        url = new_db_url()
        for store in run_at_once([lambda u=url: Store.open(u) for _ in range(RUNS)]):
            store.close()
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                versions = conn.execute(select(schema_migrations.c.version)).scalars().all()
        finally:
            engine.dispose()
        assert sorted(versions) == [migration.version for migration in MIGRATIONS]


def test_a_batch_postgresql_aborts_to_break_a_deadlock_is_run_again(store_url: str) -> None:
    """PostgreSQL breaks a deadlock by rolling one transaction back (SQLSTATE 40P01); that batch
    runs again from the start, while any other error still fails it at once."""
    if not store_url.startswith("postgresql"):
        pytest.skip("deadlocks are PostgreSQL's: SQLite writers take the lock up front")
    attempts: list[int] = []

    def deadlocked_once(conn: Connection) -> int:
        attempts.append(len(attempts) + 1)
        if len(attempts) == 1:
            conn.exec_driver_sql("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01'; END $$")
        return len(attempts)

    def always_broken(conn: Connection) -> int:
        conn.exec_driver_sql("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '23514'; END $$")
        return 0

    with Store.open(store_url) as store:
        assert store._write_batch("cannot record the batch", deadlocked_once) == 2
        with pytest.raises(StoreError, match="cannot record the batch"):
            store._write_batch("cannot record the batch", always_broken)
    assert attempts == [1, 2]
