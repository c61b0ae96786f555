"""Near-duplicate stories: which stored article a new one republishes, by LSH bands.

Functions over a Connection, called inside the Store's one transaction per batch. Candidates
come from one indexed IN query on the band hashes per chunk of the batch's bands — never a
scan of the corpus — and are confirmed by their exact shingle Jaccard (`neardup.closest`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from pohang_watch.models import ExtractedArticle
from pohang_watch.neardup import NearDuplicateRules, band_hashes, closest, shingles
from pohang_watch.store.corpus import chunks
from pohang_watch.store.schema import article_bands, articles


@dataclass(frozen=True, slots=True)
class _Body:
    """A new article's body."""

    pk: int
    shingles: frozenset[str]
    bands: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class _Known:
    """A stored article, or one met earlier in the batch: what a new body is compared with."""

    story: int  # the story's first article (itself for an original)
    shingles: frozenset[str]


def _candidates(
    conn: Connection, bands: Sequence[tuple[int, int]]
) -> tuple[dict[int, _Known], dict[tuple[int, int], set[int]]]:
    """Stored articles sharing a band with any of these (their bodies and stories), and which
    stored articles hold each of these bands."""
    wanted = set(bands)
    holders: dict[tuple[int, int], set[int]] = {}
    for chunk in chunks(sorted({value for _, value in wanted})):
        query = select(
            article_bands.c.band, article_bands.c.band_hash, article_bands.c.article_pk
        ).where(article_bands.c.band_hash.in_(chunk))
        for band, value, pk in conn.execute(query):
            if (band, value) in wanted:  # the same 64-bit hash in another band is chance
                holders.setdefault((band, value), set()).add(pk)
    found: dict[int, _Known] = {}
    for pk_chunk in chunks(sorted({pk for pks in holders.values() for pk in pks})):
        query = select(articles.c.id, articles.c.paragraphs, articles.c.story_pk).where(
            articles.c.id.in_(pk_chunk)
        )
        for row in conn.execute(query):
            found[row.id] = _Known(row.story_pk or row.id, shingles(row.paragraphs))
    return found, holders


def link_stories(
    conn: Connection,
    new: Sequence[ExtractedArticle],
    pks: Mapping[str, int],
    rules: NearDuplicateRules,
) -> dict[str, int]:
    """Record the new articles' bands and, for each that repeats a stored story (or one met
    earlier in the batch), its story; return the story pk by content hash of the revisions."""
    bodies = []
    for extracted in new:
        body = shingles(extracted.article.paragraphs)
        pk = pks[extracted.article.content_hash]
        bodies.append(_Body(pk, body, tuple(band_hashes(body))))
    stored, holders = _candidates(conn, [band for body in bodies for band in body.bands])
    stories = _assign_stories(bodies, stored, holders, rules)
    for pk, story in stories.items():
        conn.execute(update(articles).where(articles.c.id == pk).values(story_pk=story))
    rows: list[dict[str, Any]] = [
        {"article_pk": body.pk, "band": band, "band_hash": value}
        for body in bodies
        for band, value in body.bands
    ]
    if rows:
        conn.execute(insert(article_bands), rows)
    by_pk = {pks[e.article.content_hash]: e.article.content_hash for e in new}
    return {by_pk[pk]: story for pk, story in stories.items()}


def _assign_stories(
    bodies: Sequence[_Body],
    stored: Mapping[int, _Known],
    holders: dict[tuple[int, int], set[int]],
    rules: NearDuplicateRules,
) -> dict[int, int]:
    """Story pk by article pk, for the bodies that repeat a stored or earlier body: each body
    is compared only with the articles sharing one of its bands."""
    known: dict[int, _Known] = dict(stored)
    stories: dict[int, int] = {}
    for body in bodies:
        pool = set().union(*(holders[band] for band in body.bands if band in holders))
        pool.discard(body.pk)
        candidates = [(pk, known[pk].shingles) for pk in sorted(pool)]
        match = closest(body.shingles, candidates, rules.threshold)
        story = known[match].story if match is not None else body.pk
        if match is not None:
            stories[body.pk] = story
        known[body.pk] = _Known(story, body.shingles)
        for band in body.bands:
            holders.setdefault(band, set()).add(body.pk)
    return stories
