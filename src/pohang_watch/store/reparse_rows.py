"""Rewriting stored articles in place after a parser or extractor change (`reparse`).

The corpus's de-duplication cannot be used as is: every reparsed article is, by id, URL or
body, a duplicate of itself. So each article is first matched to its own row (id, then URL,
then body), that row is rewritten, and its old mentions are removed so the new items can be
recorded in their place. Only a clash with a *different* stored article counts as a duplicate,
and then the row is left as it was. Articles no row stands for are new and are stored the
ordinary way, by the caller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, select, update

from pohang_watch.dedup import DuplicateReason
from pohang_watch.models import Article, ExtractedArticle
from pohang_watch.store.corpus import ArticleIndex, chunks, lookup_articles, remember_urls
from pohang_watch.store.schema import articles, mentions
from pohang_watch.store.story_rows import rebanded


@dataclass(slots=True)
class Rewrite:
    """What rewriting a batch did, and what the caller still has to record."""

    pks: dict[str, int] = field(default_factory=dict)  # content hash → pk, rewritten rows
    about: list[ExtractedArticle] = field(default_factory=list)  # rewritten, about Pohang
    fresh: list[ExtractedArticle] = field(default_factory=list)  # no row yet, about Pohang
    stale_entries: set[int] = field(default_factory=set)  # entries that lost a mention
    duplicates: Counter[str] = field(default_factory=Counter)


def _own_pk(article: Article, index: ArticleIndex) -> int | None:
    """The row this article already is: by id, else by URL, else (no id) by body."""
    if article.article_id and article.article_id in index.by_id:
        return index.by_id[article.article_id]
    if article.url and article.url in index.by_url:
        return index.by_url[article.url]
    if not article.article_id:
        return index.by_hash.get(article.content_hash)
    return None


def _clash(
    article: Article, pk: int, index: ArticleIndex, hashes: dict[str, int]
) -> DuplicateReason | None:
    """Whether the new id, URL or body belongs to another row (stored, or earlier in the batch)."""
    if index.by_id.get(article.article_id or "", pk) != pk:
        return DuplicateReason.SAME_ID
    if index.by_url.get(article.url or "", pk) != pk:
        return DuplicateReason.SAME_URL
    if index.by_hash.get(article.content_hash, pk) != pk:
        return DuplicateReason.SAME_BODY
    if hashes.get(article.content_hash, pk) != pk:
        return DuplicateReason.SAME_BODY
    return None


def _row(pk: int, extracted: ExtractedArticle) -> dict[str, Any]:
    article = extracted.article
    return {
        "b_id": pk,
        "b_article_id": article.article_id,
        "b_url": article.url,
        "b_content_hash": article.content_hash,
        "b_title": article.title,
        "b_subtitles": list(article.subtitles),
        "b_published_at": article.published_at,
        "b_byline": article.byline,
        "b_paragraphs": list(article.paragraphs),
        "b_captions": list(article.captions),
        "b_relevance": extracted.relevance.score,
        "b_about_pohang": extracted.relevance.about_pohang,
    }


def _update_rows(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Rewrite the rows; an id or URL the new parse lacks keeps the stored one."""
    statement = (
        update(articles)
        .where(articles.c.id == bindparam("b_id"))
        .values(
            article_id=func.coalesce(bindparam("b_article_id"), articles.c.article_id),
            url=func.coalesce(bindparam("b_url"), articles.c.url),
            content_hash=bindparam("b_content_hash"),
            title=bindparam("b_title"),
            subtitles=bindparam("b_subtitles", type_=articles.c.subtitles.type),
            published_at=bindparam("b_published_at", type_=articles.c.published_at.type),
            byline=bindparam("b_byline"),
            paragraphs=bindparam("b_paragraphs", type_=articles.c.paragraphs.type),
            captions=bindparam("b_captions", type_=articles.c.captions.type),
            relevance=bindparam("b_relevance"),
            about_pohang=bindparam("b_about_pohang"),
        )
    )
    conn.execute(statement, rows)


def _drop_mentions(conn: Connection, article_pks: Sequence[int]) -> set[int]:
    """Remove the articles' mentions; return the entries they were mentions of."""
    entries: set[int] = set()
    for chunk in chunks(sorted(article_pks)):
        query = select(mentions.c.entry_pk).where(mentions.c.article_pk.in_(chunk))
        entries.update(row[0] for row in conn.execute(query))
        conn.execute(delete(mentions).where(mentions.c.article_pk.in_(chunk)))
    return entries


def rewrite_articles(conn: Connection, batch: Sequence[ExtractedArticle]) -> Rewrite:
    """Rewrite the rows these articles already are and clear their mentions (see module doc)."""
    index = lookup_articles(conn, [extracted.article for extracted in batch])
    result = Rewrite()
    rows: list[dict[str, Any]] = []
    claimed: set[int] = set()
    for extracted in batch:
        article = extracted.article
        pk = _own_pk(article, index)
        if pk is None:
            if extracted.relevance.about_pohang:
                result.fresh.append(extracted)
            continue
        reason = DuplicateReason.SAME_ID if pk in claimed else None
        reason = reason or _clash(article, pk, index, result.pks)
        if reason is not None:
            result.duplicates[reason.value] += 1
            continue
        claimed.add(pk)
        result.pks[article.content_hash] = pk
        rows.append(_row(pk, extracted))
        if extracted.relevance.about_pohang:
            result.about.append(extracted)
    if rows:
        _update_rows(conn, rows)
        remember_urls(conn, [(e.article, result.pks[e.article.content_hash]) for e in result.about])
        result.stale_entries = _drop_mentions(conn, [row["b_id"] for row in rows])
        rebanded(conn, [(row["b_id"], row["b_paragraphs"]) for row in rows])
    return result
