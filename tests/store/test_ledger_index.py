"""The ledger's match buckets: a batch loads only the entries its mentions could match, decides
exactly as with whole groups, and keeps mention counts right without recounting."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from ledger.builders import commitment, extracted, partnership
from sqlalchemy import Engine, create_engine, func, insert, select

from pohang_watch.ledger import (
    ChangeType,
    LedgerChange,
    diff_items,
    entry_bucket,
    item_group,
    object_of,
)
from pohang_watch.matching import MatchRules
from pohang_watch.models import Item
from pohang_watch.store import RecordRules, Store
from pohang_watch.store.ledger_rows import (
    entry_from_row,
    key_hash,
    load_candidates,
    load_groups,
)
from pohang_watch.store.migrations import MIGRATIONS, migrate
from pohang_watch.store.schema import articles, ledger_entries, mentions
from store.backends import NewUrl

RULES = MatchRules()
TOPICS = ["battery", "hydrogen", "bio-health", "marine", "port", "smart city", "steel"]
PLACES = ["centre", "cluster", "campus", "hub", "park", "institute", "belt"]


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    made = create_engine(store_url)
    yield made
    made.dispose()


def _pledges(count: int, seed: int = 3) -> list[Item]:
    """Distinct pledges of one actor: one match group that grows with the corpus."""
    rng = random.Random(seed)
    return [
        commitment(
            f"create {rng.randint(10, 990)} jobs in a {rng.choice(TOPICS)} {rng.choice(PLACES)}"
            if n % 3
            else f"open a {rng.choice(TOPICS)} {rng.choice(PLACES)} in district {n}",
            target_year=rng.choice([None, 2028, 2030]),
        )
        for n in range(count)
    ]


def _rewordings(seed: int) -> list[Item]:
    """Restatements in other words, spelling variants, new pledges and MOUs, object-less too."""
    rng = random.Random(seed)
    items: list[Item] = []
    for n in range(120):
        topic, place = rng.choice(TOPICS), rng.choice(PLACES)
        what = rng.choice(
            [
                f"build the {topic} {place}",
                f"create a {topic}-{place}",
                f"establish {topic} {place}s",
                f"open a {topic} {place} in district {n * 3}",
                f"create {rng.randint(10, 990)} jobs in the {topic} {place}",
            ]
        )
        items.append(commitment(what, status=rng.choice(["planned", "underway"])))
        mou = partnership("Pohang City", "POSTECH", kind="mou", status="signed")
        items.append(dataclasses.replace(mou, what=rng.choice(["an MOU", f"an MOU on {what}"])))
    return items


def _decisions(changes: list[LedgerChange]) -> list[tuple[Any, ...]]:
    return [(c.change, c.key, c.what_changed, c.previous and c.previous.id) for c in changes]


def test_a_reworded_restatement_matches_among_thousands_and_little_is_loaded(
    store: Store, engine: Engine
) -> None:
    pledge = commitment("host the International Secondary Battery Exposition", target_year=2027)
    many = _pledges(3000)
    store.record_articles([extracted(1, *many[:1500], pledge, *many[1500:])], source_run="r1")
    assert len(store.ledger_entries()) > 2500
    reworded = commitment(
        "hold the international secondary battery expo", status="underway", target_year=None
    )
    with engine.connect() as conn:
        loaded = load_candidates(conn, [reworded], RULES)
    assert len(loaded) <= 5, "only the candidates of the mention's bucket are loaded"
    outcome = store.record_articles([extracted(2, reworded)], source_run="r2")
    [change] = outcome.changes
    assert change.change is ChangeType.UPDATED
    assert change.previous is not None
    assert change.previous.what == pledge.what
    assert change.what_changed == ("status: planned → underway",)


@pytest.mark.parametrize("seed", [1, 2])
def test_candidates_decide_exactly_as_whole_groups(store: Store, engine: Engine, seed: int) -> None:
    store.record_articles([extracted(1, *_pledges(600, seed))], source_run="r1")
    mou = partnership("Pohang City", "POSTECH", kind="mou")
    store.record_articles(
        [extracted(2, dataclasses.replace(mou, what=f"an MOU on {t} research")) for t in TOPICS],
        source_run="r2",
    )
    store.record_articles([extracted(3, *_rewordings(seed))], source_run="r3")
    batch = [(extracted(10 + n % 7), item) for n, item in enumerate(_rewordings(seed + 100))]
    items = [item for _, item in batch]
    now = datetime.now(UTC)
    with engine.connect() as conn:
        whole = load_groups(conn, (item_group(item) for item in items))
        candidates = load_candidates(conn, items, RULES)
    assert len(candidates) < len(whole) / 3
    by_groups = diff_items(batch, whole, seen_at=now, rules=RULES)
    by_candidates = diff_items(batch, candidates, seen_at=now, rules=RULES)
    assert _decisions(by_candidates) == _decisions(by_groups)
    assert {c.change for c in by_groups} == set(ChangeType), "the batch exercises every outcome"


def test_an_objectless_mou_joins_the_entry_stated_last(store: Store) -> None:
    """Among the latest (stated by the same article), the one stored first."""
    mou = partnership("Pohang City", "POSTECH", kind="mou")
    topics = ["battery recycling", "a hydrogen tram", "a marine park", "a bio campus"]
    on = [dataclasses.replace(mou, what=f"an MOU on {topic}") for topic in topics]
    store.record_articles([extracted(3, on[0]), extracted(1, on[3])], source_run="r1")
    store.record_articles([extracted(4, on[1], on[2])], source_run="r2")
    store.record_articles([extracted(2, *_pledges(50))], source_run="r3")
    signed = dataclasses.replace(mou, what="an MOU", status="signed")
    [change] = store.record_articles([extracted(9, signed)], source_run="r4").changes
    assert change.change is ChangeType.UPDATED
    assert change.previous is not None
    assert change.previous.what == "an MOU on a hydrogen tram"


def test_a_threshold_of_zero_reads_whole_groups(store_url: str) -> None:
    loose = RecordRules(matching=MatchRules(commitment_similarity=0.0, partnership_overlap=0.0))
    with Store.open(store_url, loose) as store:
        store.record_articles([extracted(1, commitment("build a hydrogen hub"))], source_run="r")
        outcome = store.record_articles(
            [extracted(2, commitment("open a marine park", status="underway"))], source_run="r"
        )
    assert [c.change for c in outcome.changes] == [ChangeType.UPDATED], "anything matches"


def _recounted(engine: Engine) -> dict[int, int]:
    story = func.coalesce(articles.c.story_pk, articles.c.id)
    query = (
        select(mentions.c.entry_pk, func.count(func.distinct(story)))
        .select_from(mentions.join(articles, mentions.c.article_pk == articles.c.id))
        .group_by(mentions.c.entry_pk)
    )
    with engine.connect() as conn:
        return dict(conn.execute(query).tuples().all())


STORY = [
    "Pohang City announced on the 18th that it had signed a memorandum of understanding with "
    "POSTECH to cooperate on battery recycling, education and research in the city.",
    "Under the agreement the two sides will hold regular joint workshops and academic "
    "symposiums, attract international academic events to Pohang, and exchange researchers.",
    "Mayor Lee Kang-deok said the partnership would help Pohang turn from a steel city into a "
    "sustainable future city and expand its network with research institutions.",
]


def test_mention_counts_kept_up_to_date_equal_a_recount(store: Store, engine: Engine) -> None:
    """Distinct stories per entry: a republished copy (a revision) is not one more mention."""
    pledges = _pledges(40)
    edited = [*STORY[:2], STORY[2].replace("would help", "will help")]
    batches = [
        [extracted(1, *pledges[:20], body=" ".join(STORY))],
        [extracted(2, *pledges[10:30], body=" ".join(edited)), extracted(3, *pledges[:5])],
        [extracted(4, *pledges[5:40]), extracted(5, *pledges[:40], body=" ".join(edited[:2]))],
        [extracted(6, *_rewordings(4)[:60])],
    ]
    revisions = 0
    for number, batch in enumerate(batches):
        outcome = store.record_articles(batch, source_run=f"r{number}")
        assert outcome.stored == len(batch)
        revisions += outcome.revisions
    assert revisions >= 1
    counts = {entry.id: entry.mentions for entry in store.ledger_entries()}
    assert counts == _recounted(engine)
    assert max(counts.values()) >= 3
    assert min(counts.values()) == 1


def test_migration_4_gives_existing_entries_their_buckets(new_db_url: NewUrl) -> None:
    """A ledger written before version 4 matches a reworded restatement like a new one."""
    url = new_db_url()
    engine = create_engine(url)
    pledge = commitment("host the International Secondary Battery Exposition", target_year=2027)
    others = _pledges(30)
    with engine.begin() as conn:
        migrate(conn, MIGRATIONS[:3])
        now = datetime.now(UTC)
        article_pk = conn.execute(
            insert(articles)
            .values(
                article_id="2025010100000000001",
                url="https://www.asiae.co.kr/en/article/2025010100000000001",
                content_hash="0" * 64,
                title="Pohang",
                subtitles=[],
                paragraphs=["Body."],
                captions=[],
                source="seed.txt",
                source_run="r0",
                relevance=0.9,
                about_pohang=True,
                first_seen_at=now,
            )
            .returning(articles.c.id)
        ).scalar_one()
        changes = diff_items([(extracted(1), item) for item in (*others, pledge)], {})
        for change in changes:
            entry = change.current
            conn.execute(
                insert(ledger_entries).values(
                    key_hash=key_hash(change.key),
                    key=change.key,
                    kind=entry.kind.value,
                    actor=entry.actor,
                    what=entry.what,
                    parties=list(entry.parties),
                    partnership_kind=entry.partnership_kind,
                    status=entry.status,
                    target_year=entry.target_year,
                    sector=entry.sector,
                    first_seen=entry.first_seen,
                    first_article_pk=article_pk,
                    first_evidence=entry.first_evidence,
                    mentions=1,
                    created_at=now,
                    updated_at=now,
                    state_at=entry.state_at or now,
                )
            )
    with Store.open(url) as store:
        with engine.connect() as conn:
            rows = conn.execute(select(ledger_entries)).all()
        assert len(rows) == 31
        for row in rows:
            entry = entry_from_row(row)
            assert (row.match_bucket, row.match_object) == (entry_bucket(entry), object_of(entry))
        reworded = commitment("hold the international secondary battery expo", target_year=2027)
        [change] = store.record_articles([extracted(2, reworded)], source_run="r1").changes
    engine.dispose()
    assert change.change is ChangeType.RESTATED
    assert change.previous is not None
    assert change.previous.what == pledge.what
