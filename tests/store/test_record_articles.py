"""record_articles: one transaction per batch, duplicates dropped, ledger diffed, alerts queued."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from ledger.builders import commitment, extracted, partnership
from sqlalchemy import create_engine, select

from pohang_watch.errors import StoreError
from pohang_watch.ledger import ChangeType
from pohang_watch.store import Store
from pohang_watch.store.schema import article_urls, metadata

TARGET = "target-a"


def _snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that nothing changed."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                table.name: sorted(
                    (tuple(map(repr, row)) for row in conn.execute(select(table))), key=repr
                )
                for table in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_new_items_become_entries_and_alerts(store: Store) -> None:
    outcome = store.record_articles([extracted(1, commitment(), partnership())], source_run="run-1")
    assert (outcome.stored, outcome.duplicates, outcome.alerts_enqueued) == (1, {}, 2)
    assert [c.change for c in outcome.changes] == [ChangeType.NEW, ChangeType.NEW]
    entries = store.ledger_entries()
    assert [(e.kind, e.mentions, e.first_seen) for e in entries] == [
        ("commitment", 1, "2025060413203200001"),
        ("partnership", 1, "2025060413203200001"),
    ]
    assert store.article_count() == 1
    assert len(store.pending_alerts([TARGET])) == 2


def test_rerun_enqueues_nothing_new(store: Store) -> None:
    batch = [extracted(1, commitment()), extracted(2, partnership(status="signed"))]
    store.record_articles(batch, source_run="run-1")
    before = store.pending_alerts([TARGET])
    again = store.record_articles(batch, source_run="run-2")
    assert (again.stored, again.changes, again.alerts_enqueued) == (0, (), 0)
    assert again.duplicates == {"same_id": 2}
    assert store.pending_alerts([TARGET]) == before
    assert store.article_count() == 2


@pytest.mark.parametrize("same_batch", [True, False], ids=["one-batch", "two-batches"])
def test_same_commitment_in_two_articles_is_one_entry(store: Store, same_batch: bool) -> None:
    first = extracted(1, commitment("create a battery mega cluster"))
    second = extracted(2, commitment("create the battery mega-cluster"))
    if same_batch:
        store.record_articles([first, second], source_run="run-1")
    else:
        store.record_articles([first], source_run="run-1")
        restated = store.record_articles([second], source_run="run-2")
        assert [c.change for c in restated.changes] == [ChangeType.RESTATED]
        assert restated.alerts_enqueued == 0
    [entry] = store.ledger_entries()
    assert entry.mentions == 2
    assert entry.first_seen == first.article.article_id
    [alert] = store.pending_alerts([TARGET])
    assert alert.alert.change is ChangeType.NEW


def test_status_change_enqueues_an_update_naming_it(store: Store) -> None:
    store.record_articles([extracted(1, partnership(status="proposed"))], source_run="run-1")
    outcome = store.record_articles(
        [extracted(2, partnership(status="signed"))], source_run="run-2"
    )
    assert [c.change for c in outcome.changes] == [ChangeType.UPDATED]
    assert outcome.alerts_enqueued == 1
    [entry] = store.ledger_entries()
    assert (entry.status, entry.mentions) == ("signed", 2)
    new, updated = store.pending_alerts([TARGET])
    assert (new.alert.change, updated.alert.change) == (ChangeType.NEW, ChangeType.UPDATED)
    assert updated.alert.what_changed == ("status: proposed → signed",)
    assert updated.alert.article_url == "https://www.asiae.co.kr/en/article/2025060413203200002"


def test_target_change_updates_the_current_state(store: Store) -> None:
    store.record_articles([extracted(1, commitment(target_year=2030))], source_run="run-1")
    store.record_articles([extracted(2, commitment(target_year=2028))], source_run="run-2")
    store.record_articles([extracted(3, commitment(target_year=None))], source_run="run-3")
    [entry] = store.ledger_entries()
    assert (entry.target_year, entry.mentions) == (2028, 3)
    assert entry.created_at is not None
    assert entry.updated_at is not None
    assert entry.updated_at >= entry.created_at
    assert entry.updated_at.utcoffset() is not None


def test_repeat_within_one_article_is_one_mention(store: Store) -> None:
    repeat = commitment(evidence="The photo caption repeats the pledge.")
    store.record_articles([extracted(1, commitment(), repeat)], source_run="run-1")
    [entry] = store.ledger_entries()
    assert entry.mentions == 1


def test_failed_batch_leaves_the_database_unchanged(store: Store, store_url: str) -> None:
    store.record_articles([extracted(1, commitment(), partnership())], source_run="run-1")
    before = _snapshot(store_url)
    good = extracted(2, commitment(status="underway"), partnership("Pohang City", "POSCO"))
    bad = extracted(3, commitment("build a hydrogen hub"), relevance=1.5)  # breaks a CHECK
    with pytest.raises(StoreError, match="cannot record the batch"):
        store.record_articles([good, bad], source_run="run-2")
    assert _snapshot(store_url) == before


def test_duplicates_add_their_urls_to_the_known_article(store: Store, store_url: str) -> None:
    original = extracted(1, commitment())
    store.record_articles([original], source_run="run-1")
    other_host = extracted(
        1,
        commitment(),
        url="https://cm.asiae.co.kr/en/article/2025060413203200001",
        urls=("https://www.asiae.co.kr/en/print.htm?idxno=2025060413203200001",),
    )
    same_url_other_id = extracted(
        7, url="https://cm.asiae.co.kr/en/article/2025060413203200001", article_id=None
    )
    same_body = extracted(8, body="Body of Pohang article number 1.")
    seen_elsewhere = store.record_articles([other_host], source_run="run-2")
    assert (seen_elsewhere.stored, seen_elsewhere.duplicates) == (0, {"same_id": 1})
    # The URLs learnt from the duplicate now catch an article under that URL, id or not.
    outcome = store.record_articles([same_url_other_id, same_body], source_run="run-3")
    assert outcome.stored == 0
    assert outcome.duplicates == {"same_url": 1, "same_body": 1}
    engine = create_engine(store_url)
    with engine.connect() as conn:
        rows = conn.execute(select(article_urls.c.url, article_urls.c.article_pk)).all()
    engine.dispose()
    assert sorted(pk for _, pk in rows) == [1, 1, 1, 1]


def test_backfill_without_enqueue_changes_the_ledger_only(store: Store) -> None:
    outcome = store.record_articles(
        [extracted(1, commitment())], source_run="backfill", enqueue=False
    )
    assert [c.change for c in outcome.changes] == [ChangeType.NEW]
    assert outcome.alerts_enqueued == 0
    assert store.pending_alerts([TARGET]) == []
    assert len(store.ledger_entries()) == 1


def test_large_batches_are_looked_up_in_chunks(store: Store) -> None:
    batch = [extracted(n, commitment(f"project number {n}")) for n in range(1, 1_201)]
    first = store.record_articles(batch, source_run="run-1")
    assert (first.stored, first.alerts_enqueued) == (1_200, 1_200)
    again = store.record_articles(batch, source_run="run-2")
    assert (again.stored, again.duplicates) == (0, {"same_id": 1_200})


def test_older_article_after_a_newer_one_changes_nothing(store: Store) -> None:
    store.record_articles([extracted(5, partnership(status="signed"))], source_run="run-1")
    outcome = store.record_articles(
        [extracted(3, partnership(status="proposed"))], source_run="run-2"
    )
    assert [c.change for c in outcome.changes] == [ChangeType.RESTATED]
    assert outcome.alerts_enqueued == 0
    [entry] = store.ledger_entries()
    assert (entry.status, entry.mentions) == ("signed", 2)
    assert entry.state_at == extracted(5).article.published_at
    assert [a.alert.change for a in store.pending_alerts([TARGET])] == [ChangeType.NEW]


def test_newer_article_after_an_older_one_is_an_update(store: Store) -> None:
    store.record_articles([extracted(3, partnership(status="proposed"))], source_run="run-1")
    outcome = store.record_articles(
        [extracted(5, partnership(status="signed"))], source_run="run-2"
    )
    assert [c.change for c in outcome.changes] == [ChangeType.UPDATED]
    [entry] = store.ledger_entries()
    assert (entry.status, entry.state_at) == ("signed", extracted(5).article.published_at)


def test_a_confirmation_is_remembered_against_late_older_news(store: Store) -> None:
    """Signed (day 5), confirmed (day 9), each its own run; a day-7 "proposed" is history."""
    for number in (5, 9):
        store.record_articles([extracted(number, partnership(status="signed"))], source_run="r")
    outcome = store.record_articles(
        [extracted(7, partnership(status="proposed"))], source_run="late"
    )
    assert [c.change for c in outcome.changes] == [ChangeType.RESTATED]
    [entry] = store.ledger_entries()
    assert (entry.status, entry.mentions) == ("signed", 3)


def test_undated_article_is_dated_by_when_it_was_first_seen(store: Store) -> None:
    article = extracted(1, commitment())
    undated = replace(article, article=replace(article.article, published_at=None))
    before = datetime.now(UTC)
    store.record_articles([undated], source_run="run-1")
    [entry] = store.ledger_entries()
    assert entry.state_at is not None
    assert before <= entry.state_at <= datetime.now(UTC)
