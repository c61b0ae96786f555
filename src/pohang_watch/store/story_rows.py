"""Near-duplicate stories: which stored article a new one republishes, by LSH bands.

Functions over a Connection, called inside the Store's one transaction per batch. Candidates
come from one indexed IN query on the band hashes per chunk of the batch's bands — never a
scan of the corpus. Their stored signatures drop those that only share a band by chance
(`neardup.may_reach`); only the rest have their text read, and are confirmed by their exact
shingle Jaccard (`neardup.closest`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, delete, insert, select, update

from pohang_watch.models import ExtractedArticle
from pohang_watch.neardup import (
    MIN_SHINGLES,
    NearDuplicateRules,
    closest,
    may_reach,
    shingles,
    signature,
    signature_bands,
    signature_bytes,
    signature_from_bytes,
)
from pohang_watch.store.corpus import chunks
from pohang_watch.store.engine import execute_many
from pohang_watch.store.schema import article_bands, article_signatures, articles

Band = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Body:
    """A new article's body."""

    pk: int
    shingles: frozenset[str]
    minima: npt.NDArray[np.uint32] | None  # its signature; None for a body too short to compare
    bands: tuple[Band, ...]


@dataclass(frozen=True, slots=True)
class _Known:
    """A stored article, or one met earlier in the batch: what a new body is compared with."""

    story: int  # the story's first article (itself for an original)
    shingles: frozenset[str]


def _holders(conn: Connection, bands: Iterable[Band]) -> dict[Band, set[int]]:
    """Which stored articles hold each of these bands."""
    wanted = set(bands)
    holders: dict[Band, set[int]] = {}
    for chunk in chunks(sorted({value for _, value in wanted})):
        query = select(
            article_bands.c.band, article_bands.c.band_hash, article_bands.c.article_pk
        ).where(article_bands.c.band_hash.in_(chunk))
        for band, value, pk in conn.execute(query):
            if (band, value) in wanted:  # the same 64-bit hash in another band is chance
                holders.setdefault((band, value), set()).add(pk)
    return holders


def _signatures(conn: Connection, pks: Iterable[int]) -> dict[int, npt.NDArray[np.uint32]]:
    found = {}
    for chunk in chunks(sorted(pks)):
        query = select(article_signatures.c.article_pk, article_signatures.c.minhash).where(
            article_signatures.c.article_pk.in_(chunk)
        )
        for pk, stored in conn.execute(query):
            found[pk] = signature_from_bytes(stored)
    return found


def _read(conn: Connection, pks: Iterable[int]) -> dict[int, _Known]:
    """Stored articles' bodies and stories."""
    found = {}
    for chunk in chunks(sorted(pks)):
        query = select(articles.c.id, articles.c.paragraphs, articles.c.story_pk).where(
            articles.c.id.in_(chunk)
        )
        for row in conn.execute(query):
            found[row.id] = _Known(row.story_pk or row.id, shingles(row.paragraphs))
    return found


def _alike(
    body: _Body,
    pool: set[int],
    signatures: Mapping[int, npt.NDArray[np.uint32]],
    threshold: float,
) -> list[int]:
    """The articles of the pool the body may be `threshold` alike, by signature (an article
    without a stored signature is kept: only its text can tell)."""
    if body.minima is None:
        return []
    signed = [pk for pk in pool if pk in signatures]
    reach = may_reach(body.minima, [signatures[pk] for pk in signed], threshold)
    unsigned = pool.difference(signatures)
    return sorted(unsigned.union(pk for pk, kept in zip(signed, reach, strict=True) if kept))


def _pool(body: _Body, holders: Mapping[Band, set[int]]) -> set[int]:
    pool: set[int] = set().union(*(holders[band] for band in body.bands if band in holders))
    pool.discard(body.pk)
    return pool


def link_stories(
    conn: Connection,
    new: Sequence[ExtractedArticle],
    pks: Mapping[str, int],
    rules: NearDuplicateRules,
) -> dict[str, int]:
    """Record the new articles' bands and signatures and, for each that repeats a stored story
    (or one met earlier in the batch), its story; return the story pk by content hash of the
    revisions."""
    bodies = [_body(pks[e.article.content_hash], e.article.paragraphs) for e in new]
    holders = _holders(conn, (band for body in bodies for band in body.bands))
    signatures = _signatures(conn, set().union(*holders.values()))
    stored_alike = {
        body.pk: _alike(body, _pool(body, holders), signatures, rules.threshold) for body in bodies
    }
    wanted = {pk for alike in stored_alike.values() for pk in alike}
    stories = _assign_stories(bodies, stored_alike, _read(conn, wanted), rules)
    for pk, story in stories.items():
        conn.execute(update(articles).where(articles.c.id == pk).values(story_pk=story))
    _insert_bands(conn, bodies)
    by_pk = {pks[e.article.content_hash]: e.article.content_hash for e in new}
    return {by_pk[pk]: story for pk, story in stories.items()}


def rebanded(conn: Connection, rewritten: Sequence[tuple[int, Sequence[str]]]) -> None:
    """Bands and signatures of stored articles whose paragraphs a reparse rewrote, from the new
    text: a signature of the old text could drop a candidate the new text matches."""
    pks = [pk for pk, _ in rewritten]
    for chunk in chunks(sorted(pks)):
        conn.execute(delete(article_bands).where(article_bands.c.article_pk.in_(chunk)))
        conn.execute(delete(article_signatures).where(article_signatures.c.article_pk.in_(chunk)))
    _insert_bands(conn, [_body(pk, paragraphs) for pk, paragraphs in rewritten])


def _insert_bands(conn: Connection, bodies: Sequence[_Body]) -> None:
    band_rows: list[dict[str, Any]] = [
        {"article_pk": body.pk, "band": band, "band_hash": value}
        for body in bodies
        for band, value in body.bands
    ]
    execute_many(conn, insert(article_bands), band_rows)
    signature_rows = [
        {"article_pk": body.pk, "minhash": signature_bytes(body.minima)}
        for body in bodies
        if body.minima is not None
    ]
    execute_many(conn, insert(article_signatures), signature_rows)


def _body(pk: int, paragraphs: Sequence[str]) -> _Body:
    body = shingles(paragraphs)
    if len(body) < MIN_SHINGLES:
        return _Body(pk, body, None, ())
    minima = signature(body)
    return _Body(pk, body, minima, tuple(signature_bands(minima)))


def _assign_stories(
    bodies: Sequence[_Body],
    stored_alike: Mapping[int, list[int]],
    stored: Mapping[int, _Known],
    rules: NearDuplicateRules,
) -> dict[int, int]:
    """Story pk by article pk, for the bodies that repeat a stored or earlier body: each body
    is compared only with the articles sharing one of its bands that its signature may reach
    (`stored_alike` holds those stored before the batch, `stored` their bodies)."""
    known: dict[int, _Known] = dict(stored)
    holders: dict[Band, set[int]] = {}  # of the batch's bodies met so far
    signatures: dict[int, npt.NDArray[np.uint32]] = {}
    stories: dict[int, int] = {}
    for body in bodies:
        earlier = _alike(body, _pool(body, holders), signatures, rules.threshold)
        alike = (*stored_alike[body.pk], *earlier)
        match = closest(body.shingles, [(pk, known[pk].shingles) for pk in alike], rules.threshold)
        story = known[match].story if match is not None else body.pk
        if match is not None:
            stories[body.pk] = story
        known[body.pk] = _Known(story, body.shingles)
        if body.minima is not None:
            signatures[body.pk] = body.minima
        for band in body.bands:
            holders.setdefault(band, set()).add(body.pk)
    return stories
