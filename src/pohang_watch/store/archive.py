"""The raw archive, listing validators and "which articles do we have": rows for the live source.

Functions over a Connection, called by the Store. Bodies are zlib-compressed (article HTML
shrinks ~5x). Reading is keyset-paginated in chunks, so a reparse of years of pages never holds
more than one chunk in memory and never keeps a read open while the same run writes.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, or_, select

from pohang_watch.models import Article
from pohang_watch.parse.article_ids import article_id_from_url
from pohang_watch.sources.http import FetchedPage, Validators
from pohang_watch.store.corpus import chunks
from pohang_watch.store.engine import dialect_insert
from pohang_watch.store.schema import articles, listing_validators, raw_pages

# Pages per read: a page is ~100 KB uncompressed, so a chunk stays around 10 MB.
ARCHIVE_CHUNK = 100
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """One archived article page, decompressed."""

    id: int
    url: str
    final_url: str
    article_id: str | None
    status: int
    headers: dict[str, str]
    fetched_at: datetime
    sha256: str
    content: bytes

    def to_fetched_page(self) -> FetchedPage:
        """The page as the fetcher returned it, so reparse parses exactly what ingest parsed."""
        content_type = self.headers.get("content-type")
        charset = _CHARSET.search(content_type or "")
        return FetchedPage(
            url=self.url,
            final_url=self.final_url,
            status=self.status,
            content=self.content,
            content_type=content_type,
            charset=charset.group(1) if charset else None,
            etag=self.headers.get("etag"),
            last_modified=self.headers.get("last-modified"),
            date=self.headers.get("date"),
            retry_after=self.headers.get("retry-after"),
            fetched_at=self.fetched_at,
        )


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article row (of saved pages, which have no archived page), as the parser made it."""

    pk: int
    source: str
    article: Article


def _page_row(page: FetchedPage) -> dict[str, Any]:
    return {
        "url": page.url,
        "final_url": page.final_url,
        "article_id": article_id_from_url(page.url) or article_id_from_url(page.final_url),
        "status": page.status,
        "headers": page.headers,
        "fetched_at": page.fetched_at,
        "sha256": page.sha256,
        "content": zlib.compress(page.content, 6),
    }


def upsert_pages(conn: Connection, pages: Sequence[FetchedPage]) -> None:
    """Insert each page, or replace the row of the same URL with the newer fetch."""
    rows = list({page.url: _page_row(page) for page in pages}.values())
    if not rows:
        return
    statement = dialect_insert(conn, raw_pages)
    replaced = {name: statement.excluded[name] for name in rows[0] if name != "url"}
    conn.execute(statement.on_conflict_do_update(index_elements=["url"], set_=replaced), rows)


def page_chunk(conn: Connection, after_id: int, since: datetime | None) -> list[ArchivedPage]:
    """The next chunk of archived pages after `after_id`, oldest row first."""
    query = select(raw_pages).where(raw_pages.c.id > after_id)
    if since is not None:
        query = query.where(raw_pages.c.fetched_at >= since)
    rows = conn.execute(query.order_by(raw_pages.c.id).limit(ARCHIVE_CHUNK))
    return [
        ArchivedPage(
            id=row.id,
            url=row.url,
            final_url=row.final_url,
            article_id=row.article_id,
            status=row.status,
            headers=dict(row.headers),
            fetched_at=row.fetched_at,
            sha256=row.sha256,
            content=zlib.decompress(row.content),
        )
        for row in rows
    ]


def _stored_article(row: Any) -> StoredArticle:
    article = Article(
        article_id=row.article_id,
        url=row.url,
        title=row.title,
        subtitles=tuple(row.subtitles),
        published_at=row.published_at,
        byline=row.byline,
        paragraphs=tuple(row.paragraphs),
        captions=tuple(row.captions),
        content_hash=row.content_hash,
    )
    return StoredArticle(row.id, row.source, article)


def unarchived_article_chunk(
    conn: Connection, after_pk: int, since: datetime | None
) -> list[StoredArticle]:
    """The next chunk of stored articles no archived page stands for (they came from saved
    pages, so their stored text is all there is to re-extract)."""
    same_id = raw_pages.c.article_id == articles.c.article_id
    archived = exists().where(or_(same_id, raw_pages.c.final_url == articles.c.source))
    query = select(articles).where(articles.c.id > after_pk, ~archived)
    if since is not None:
        query = query.where(articles.c.first_seen_at >= since)
    rows = conn.execute(query.order_by(articles.c.id).limit(ARCHIVE_CHUNK))
    return [_stored_article(row) for row in rows]


def known_ids(conn: Connection, ids: Iterable[str]) -> set[str]:
    """Ids stored as articles or already fetched into the archive: neither is fetched again."""
    found: set[str] = set()
    for chunk in chunks(sorted(set(ids))):
        for column in (articles.c.article_id, raw_pages.c.article_id):
            found.update(row[0] for row in conn.execute(select(column).where(column.in_(chunk))))
    return found


def get_validators(conn: Connection, url: str) -> Validators | None:
    row = conn.execute(
        select(listing_validators).where(listing_validators.c.url == url)
    ).one_or_none()
    return None if row is None else Validators(row.etag, row.last_modified)


def put_validators(conn: Connection, url: str, validators: Validators, now: datetime) -> None:
    values = {"etag": validators.etag, "last_modified": validators.last_modified, "updated_at": now}
    statement = dialect_insert(conn, listing_validators).values(url=url, **values)
    conn.execute(statement.on_conflict_do_update(index_elements=["url"], set_=values))
