"""Near-duplicate stories: a republished or lightly edited article is a revision of its story,
found by LSH bands through an index, and never repeats an alert."""

from __future__ import annotations

import random

import pytest
from ledger.builders import commitment, extracted, partnership
from sqlalchemy import create_engine, delete, select, text

from benchmarks.texts import near_duplicate, pohang_article
from pohang_watch.dedup import content_hash
from pohang_watch.ledger import ChangeType
from pohang_watch.neardup import NearDuplicateRules, band_hashes, closest, jaccard, shingles
from pohang_watch.store import RecordRules, Store
from pohang_watch.store.schema import article_signatures, articles, schema_migrations

STORY = [
    "Pohang City announced on the 18th that it had signed a memorandum of understanding with "
    "University College London to cooperate on urban innovation, education and research.",
    "Under the agreement the two sides will hold regular joint workshops and academic "
    "symposiums, attract international academic events to Pohang, and exchange researchers.",
    "Mayor Lee Kang-deok said the partnership would help Pohang turn from a steel city into a "
    "sustainable future city and expand its network with research institutions in London.",
]
EDITED = [*STORY[:2], STORY[2].replace("would help", "will help"), "The city will report back."]
OTHER = [
    "Busan Port Authority said it would invest in automated berths and hinterland logistics "
    "complexes to raise the port's annual throughput over the next five years.",
    "The authority plans to retrain about three hundred workers as remote crane operators and "
    "maintenance technicians, and no employee would be laid off because of automation.",
]


def test_shingle_similarity_separates_edits_from_other_stories() -> None:
    story, edited, other = (shingles(p) for p in (STORY, EDITED, OTHER))
    assert jaccard(story, edited) >= 0.8
    assert jaccard(story, other) < 0.1
    shared = set(band_hashes(story)) & set(band_hashes(edited))
    assert shared, "an edited copy shares at least one LSH band"
    assert not set(band_hashes(story)) & set(band_hashes(other))


def _article(number: int, body: list[str], *items: object) -> object:
    return extracted(number, *items, body=" ".join(body))  # type: ignore[arg-type]


def test_a_republished_story_is_a_revision_and_its_unchanged_items_say_nothing(
    store: Store,
) -> None:
    mou = partnership(status="signed")
    first = store.record_articles([_article(1, STORY, mou, commitment())], source_run="r1")
    assert first.alerts_enqueued == 2
    again = store.record_articles([_article(2, EDITED, mou, commitment())], source_run="r2")
    assert (again.stored, again.revisions, again.alerts_enqueued) == (1, 1, 0)
    assert {c.change for c in again.changes} == {ChangeType.RESTATED}
    assert {e.mentions for e in store.ledger_entries()} == {1}, "one story, one mention"


def test_a_revision_that_changes_an_item_is_an_update_alerted_once(store: Store) -> None:
    store.record_articles([_article(1, STORY, partnership(status="proposed"))], source_run="r1")
    changed = _article(2, EDITED, partnership(status="signed"))
    outcome = store.record_articles([changed], source_run="r2")
    assert [c.change for c in outcome.changes] == [ChangeType.UPDATED]
    assert outcome.alerts_enqueued == 1
    third = _article(3, [*EDITED[:3], "Officials added a line."], partnership(status="signed"))
    for again in (changed, third):
        assert store.record_articles([again], source_run="r3").alerts_enqueued == 0


def test_near_duplicates_within_one_batch_are_one_story(store: Store) -> None:
    outcome = store.record_articles(
        [_article(1, STORY, commitment()), _article(2, EDITED, commitment())], source_run="r1"
    )
    assert (outcome.stored, outcome.revisions, outcome.alerts_enqueued) == (2, 1, 1)


def test_another_story_is_not_a_revision(store: Store) -> None:
    store.record_articles([_article(1, STORY, commitment())], source_run="r1")
    outcome = store.record_articles([_article(2, OTHER)], source_run="r2")
    assert outcome.revisions == 0


def test_the_threshold_comes_from_the_rules(store_url: str) -> None:
    strict = RecordRules(near_duplicates=NearDuplicateRules(threshold=0.99))
    with Store.open(store_url, strict) as store:
        store.record_articles([_article(1, STORY)], source_run="r1")
        assert store.record_articles([_article(2, EDITED)], source_run="r2").revisions == 0


def test_candidates_come_from_the_band_index_not_a_scan(store_url: str, store: Store) -> None:
    if not store_url.startswith("sqlite"):
        pytest.skip("the query plan is read from SQLite")
    store.record_articles([_article(1, STORY)], source_run="r1")
    engine = create_engine(store_url)
    with engine.connect() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT band, band_hash, article_pk FROM article_bands "
                    "WHERE band_hash IN (1, 2, 3)"
                )
            )
        )
        story = conn.execute(select(articles.c.story_pk)).scalar_one()
    engine.dispose()
    assert "ix_article_bands_hash" in plan, plan
    assert story is None


def test_of_several_stored_candidates_the_most_alike_is_the_story(store_url: str) -> None:
    """Both stored stories pass the threshold; the new copy joins the one it repeats best,
    not the first stored."""
    extended = [*STORY, "The two sides plan to open a joint office in Pohang next spring."]
    again = [*STORY, "The two sides plan to open a joint office in Pohang next autumn."]
    first, second, new = (shingles(p) for p in (STORY, extended, again))
    assert 0.75 <= jaccard(new, first) < jaccard(new, second)
    assert jaccard(first, second) < 0.9
    with Store.open(
        store_url, RecordRules(near_duplicates=NearDuplicateRules(threshold=0.9))
    ) as strict:
        for number, body in ((1, STORY), (2, extended)):
            assert strict.record_articles([_article(number, body)], source_run="r1").revisions == 0
    with Store.open(
        store_url, RecordRules(near_duplicates=NearDuplicateRules(threshold=0.75))
    ) as store:
        assert store.record_articles([_article(3, again)], source_run="r2").revisions == 1
    engine = create_engine(store_url)
    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.article_id, articles.c.id, articles.c.story_pk))
        by_id = {row.article_id: (row.id, row.story_pk) for row in rows}
    engine.dispose()
    (first_pk, first_story), (second_pk, second_story), (_, story) = sorted(by_id.values())
    assert (first_story, second_story) == (None, None)
    assert story == second_pk != first_pk


def test_stories_are_those_a_check_of_every_band_sharing_article_finds(store_url: str) -> None:
    """Dropping candidates by their signature changes no decision: over templated bodies, which
    share bands by chance, each article joins the story (or none) that comparing it with every
    earlier article sharing a band gives."""
    rng = random.Random(41)
    bodies: dict[str, tuple[str, ...]] = {}
    while len(bodies) < 240:
        text = pohang_article(rng)
        for body in (text, *(near_duplicate(rng, text) for _ in range(rng.randrange(0, 3)))):
            bodies.setdefault(content_hash(body.paragraphs), body.paragraphs)
    ordered = list(bodies.values())
    sets = [shingles(body) for body in ordered]
    bands = [set(band_hashes(body)) for body in sets]
    expected: list[int | None] = []
    weak_pairs = 0
    for index, body in enumerate(sets):
        earlier = [j for j in range(index) if bands[j] & bands[index]]
        weak_pairs += sum(jaccard(body, sets[j]) < 0.5 for j in earlier)
        match = closest(body, [(j + 1, sets[j]) for j in earlier], 0.8)
        expected.append(None if match is None else expected[match - 1] or match)
    assert weak_pairs > 200, "the corpus must give candidates to drop"
    assert sum(story is not None for story in expected) > 30
    with Store.open(store_url) as store:
        for start in range(0, len(ordered), 40):
            batch = [
                _article(start + k + 1, list(body))
                for k, body in enumerate(ordered[start : start + 40])
            ]
            store.record_articles(batch, source_run="r1")
    engine = create_engine(store_url)
    with engine.connect() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.article_id, articles.c.story_pk))
        number = {row.id: (int(row.article_id[-5:]), row.story_pk) for row in rows}
    engine.dispose()
    story_of = dict(number.values())  # article number → story pk
    stories = [story_of[index + 1] for index in range(len(ordered))]
    assert [None if pk is None else number[pk][0] for pk in stories] == expected


def test_articles_stored_before_signatures_get_them_from_the_migration(store_url: str) -> None:
    with Store.open(store_url) as store:
        store.record_articles([_article(1, STORY)], source_run="r1")
    engine = create_engine(store_url)
    with engine.begin() as conn:
        recorded = conn.execute(select(article_signatures.c.minhash)).scalar_one()
        conn.execute(text("DROP TABLE article_signatures"))
        conn.execute(delete(schema_migrations).where(schema_migrations.c.version == 6))
    with Store.open(store_url) as store:
        with engine.connect() as conn:
            assert conn.execute(select(article_signatures.c.minhash)).scalar_one() == recorded
        assert store.record_articles([_article(2, EDITED)], source_run="r2").revisions == 1
    engine.dispose()


def test_a_reparsed_article_is_found_by_its_new_text(store: Store) -> None:
    """A reparse that rewrites an article's paragraphs rewrites its bands and signature too, so
    a later copy of the new text is a revision of it."""
    store.record_articles([_article(1, STORY)], source_run="r1")
    store.reparse_articles([_article(1, OTHER)], source_run="reparse")
    again = [*OTHER, "The authority will publish the plan next month."]
    assert jaccard(shingles(OTHER), shingles(again)) >= 0.8
    assert store.record_articles([_article(2, again)], source_run="r2").revisions == 1
