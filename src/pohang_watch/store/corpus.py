"""The article corpus: which articles are known, storing new ones, remembering every URL.

Functions over a Connection, called inside the Store's one transaction per batch. Lookups are
batched IN queries (a few per batch, never one per article); `dedup.find_duplicates` decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, insert, select

from pohang_watch.dedup import DuplicateReason, KnownArticles, article_keys, find_duplicates
from pohang_watch.models import Article, ExtractedArticle
from pohang_watch.store.engine import dialect_insert
from pohang_watch.store.schema import article_urls, articles

# Well under SQLite's bound-parameter limit and PostgreSQL's, and big enough that a batch of a
# few hundred articles needs one query per kind of key.
CHUNK = 500

T = TypeVar("T")


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """Successive lists of at most `size` values."""
    chunk: list[T] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    """
    owner: dict[str, int] = {}
    for article, pk in urls:
        if article.url:
            owner.setdefault(article.url, pk)
    for article, pk in urls:
        for url in article.urls:
            owner.setdefault(url, pk)
    rows = [{"url": url, "article_pk": pk} for url, pk in owner.items()]
    if rows:
        conn.execute(dialect_insert(conn, article_urls).on_conflict_do_nothing(), rows)


def store_articles(
    conn: Connection, batch: Sequence[ExtractedArticle], *, source_run: str, now: datetime
) -> CorpusOutcome:
    """Insert the batch's new articles and register every URL the duplicates were seen under."""
    index = lookup_articles(conn, [extracted.article for extracted in batch])
    decisions = find_duplicates([extracted.article for extracted in batch], index.known())
    new = tuple(extracted for extracted, reason in zip(batch, decisions, strict=True) if not reason)
    if new:
        conn.execute(insert(articles), [_article_row(e, source_run, now) for e in new])
    pks = fetch_pairs(
        conn,
        select(articles.c.content_hash, articles.c.id),
        articles.c.content_hash,
        (extracted.article.content_hash for extracted in new),
    )
    for extracted in new:
        index.add(extracted.article, pks[extracted.article.content_hash])
    remember_urls(
        conn,
        [
            (e.article, index.resolve(e.article, reason) if reason else pks[e.article.content_hash])
            for e, reason in zip(batch, decisions, strict=True)
        ],
    )
    counts = Counter(reason.value for reason in decisions if reason)
    return CorpusOutcome(new=new, pks=pks, duplicates=dict(counts))
