"""The article corpus: which articles are known, storing new ones, remembering every URL.

Functions over a Connection, called inside the Store's one transaction per batch. Lookups are
batched IN queries (a few per batch, never one per article); `dedup.find_duplicates` decides.
Several runs may store the same articles at the same moment: the unique keys of `articles` and
`article_urls` decide who stored a row (INSERT … ON CONFLICT DO NOTHING), never a lookup made
before the insert, so no run fails and no article is stored twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, select

from pohang_watch.batching import chunked
from pohang_watch.dedup import DuplicateReason, KnownArticles, article_keys, find_duplicates
from pohang_watch.errors import StoreError
from pohang_watch.models import Article, ExtractedArticle
from pohang_watch.store.engine import dialect_insert
from pohang_watch.store.schema import article_urls, articles

# Well under SQLite's bound-parameter limit and PostgreSQL's, and big enough that a batch of a
# few hundred articles needs one query per kind of key.
CHUNK = 500

T = TypeVar("T")


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Successive lists of at most `size` values (bounded IN lists)."""
    return chunked(values, size)


def fetch_pairs(
    conn: Connection, query: Select[Any], column: Any, keys: Iterable[Any]
) -> dict[Any, Any]:
    """Run `query` filtered by `column IN keys`, chunked; map first column → second."""
    found: dict[Any, Any] = {}
    for chunk in chunks(sorted(set(keys))):
        found.update((row[0], row[1]) for row in conn.execute(query.where(column.in_(chunk))))
    return found


@dataclass(slots=True)
class ArticleIndex:
    """Article primary keys by each kind of key: from the database, then the batch's new ones."""

    by_id: dict[str, int] = field(default_factory=dict)
    by_url: dict[str, int] = field(default_factory=dict)
    by_hash: dict[str, int] = field(default_factory=dict)

    def known(self) -> KnownArticles:
        return KnownArticles(frozenset(self.by_id), frozenset(self.by_url), frozenset(self.by_hash))

    def add(self, article: Article, pk: int) -> None:
        if article.article_id:
            self.by_id[article.article_id] = pk
        if article.url:
            self.by_url[article.url] = pk
        self.by_hash[article.content_hash] = pk

    def resolve(self, article: Article, reason: DuplicateReason) -> int:
        """The stored article a duplicate stands for."""
        if reason is DuplicateReason.SAME_ID and article.article_id:
            return self.by_id[article.article_id]
        if reason is DuplicateReason.SAME_URL and article.url:
            return self.by_url[article.url]
        return self.by_hash[article.content_hash]


@dataclass(frozen=True, slots=True)
class CorpusOutcome:
    """New articles with their primary keys, and what was dropped as duplicate."""

    new: tuple[ExtractedArticle, ...]
    pks: dict[str, int]  # content hash → articles.id, for the new articles
    duplicates: dict[str, int]  # DuplicateReason value → count


def lookup_articles(conn: Connection, batch: Sequence[Article]) -> ArticleIndex:
    """Which of the batch's ids, URLs and body hashes the database already holds."""
    keys = article_keys(batch)
    return ArticleIndex(
        by_id=fetch_pairs(
            conn, select(articles.c.article_id, articles.c.id), articles.c.article_id, keys.ids
        ),
        by_url=fetch_pairs(
            conn,
            select(article_urls.c.url, article_urls.c.article_pk),
            article_urls.c.url,
            keys.urls,
        ),
        by_hash=fetch_pairs(
            conn,
            select(articles.c.content_hash, articles.c.id),
            articles.c.content_hash,
            keys.hashes,
        ),
    )


def _article_row(extracted: ExtractedArticle, source_run: str, now: datetime) -> dict[str, Any]:
    article = extracted.article
    return {
        "article_id": article.article_id,
        "url": article.url,
        "content_hash": article.content_hash,
        "title": article.title,
        "subtitles": list(article.subtitles),
        "published_at": article.published_at,
        "byline": article.byline,
        "paragraphs": list(article.paragraphs),
        "captions": list(article.captions),
        "source": extracted.source,
        "source_run": source_run,
        "relevance": extracted.relevance.score,
        "about_pohang": extracted.relevance.about_pohang,
        "first_seen_at": now,
    }


def remember_urls(conn: Connection, urls: Sequence[tuple[Article, int]]) -> None:
    """Map each URL to its article; a URL already known keeps the article it first named.

    Canonical URLs go first, so an article's own URL wins over another page's passing mention.
    Rows go in URL order: two runs inserting the same URLs meet them in the same order, so one
    waits for the other instead of each holding a row the other needs (a deadlock).
    """
    owner: dict[str, int] = {}
    for article, pk in urls:
        if article.url:
            owner.setdefault(article.url, pk)
    for article, pk in urls:
        for url in article.urls:
            owner.setdefault(url, pk)
    rows = [{"url": url, "article_pk": owner[url]} for url in sorted(owner)]
    if rows:
        conn.execute(dialect_insert(conn, article_urls).on_conflict_do_nothing(), rows)


def _insert_articles(
    conn: Connection,
    batch: Sequence[ExtractedArticle],
    todo: Sequence[int],
    source_run: str,
    now: datetime,
) -> dict[int, int]:
    """Insert the articles at these positions of the batch; return the pk of each one inserted.

    ON CONFLICT DO NOTHING (on any of id, URL or body) instead of failing: on PostgreSQL an
    insert that meets a row another transaction has not committed yet waits for it, and then
    skips the article if that transaction committed. Rows go in body-hash order so that two
    runs storing the same articles wait for each other instead of deadlocking.
    """
    position = {batch[n].article.content_hash: n for n in todo}
    rows = [_article_row(batch[position[h]], source_run, now) for h in sorted(position)]
    statement = (
        dialect_insert(conn, articles)
        .on_conflict_do_nothing()
        .returning(articles.c.content_hash, articles.c.id)
    )
    inserted: dict[int, int] = {}
    for chunk in chunks(rows):
        inserted.update((position[h], pk) for h, pk in conn.execute(statement, chunk).tuples())
    return inserted


def _settle_new(
    conn: Connection, batch: Sequence[ExtractedArticle], source_run: str, now: datetime
) -> tuple[list[DuplicateReason | None], dict[int, int], ArticleIndex]:
    """Decide which articles are new and insert them; return the decisions (None: new), the
    pk of each new one by position, and the index of stored keys.

    Not check-then-insert: another run may store some of the same articles between our lookup
    and our insert. Those inserts are skipped (`_insert_articles`), and the batch is decided
    again against what is now committed (each statement sees the latest commits at READ
    COMMITTED), exactly as if that run had finished first; the articles we did insert stay
    ours. Every retry turns at least one lost article into a duplicate of a committed row for
    good, so there are at most as many rounds as articles.
    """
    found = [extracted.article for extracted in batch]
    index = lookup_articles(conn, found)
    decisions = find_duplicates(found, index.known())
    ours: dict[int, int] = {}
    for _ in range(len(batch) + 1):
        todo = [n for n, reason in enumerate(decisions) if reason is None and n not in ours]
        if not todo:
            break
        won = _insert_articles(conn, batch, todo, source_run, now)
        ours.update(won)
        if len(won) == len(todo):
            break
        index = lookup_articles(conn, found)
        redecided = find_duplicates(found, index.known())
        decisions = [None if n in ours else reason for n, reason in enumerate(redecided)]
    else:  # unreachable by the argument above; a loud error beats a silent wrong corpus
        raise StoreError("the batch's new articles kept changing while they were stored")
    for n, pk in ours.items():
        index.add(found[n], pk)
    return decisions, ours, index


def store_articles(
    conn: Connection, batch: Sequence[ExtractedArticle], *, source_run: str, now: datetime
) -> CorpusOutcome:
    """Insert the batch's new articles and register every URL the duplicates were seen under."""
    decisions, ours, index = _settle_new(conn, batch, source_run, now)
    new = tuple(batch[n] for n in sorted(ours))
    pks = {batch[n].article.content_hash: pk for n, pk in ours.items()}
    remember_urls(
        conn,
        [
            (e.article, index.resolve(e.article, reason) if reason else ours[n])
            for n, (e, reason) in enumerate(zip(batch, decisions, strict=True))
        ],
    )
    counts = Counter(reason.value for reason in decisions if reason)
    return CorpusOutcome(new=new, pks=pks, duplicates=dict(counts))
