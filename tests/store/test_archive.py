"""The raw archive, listing validators and known ids, on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pohang_watch.sources.http import FetchedPage, Validators
from pohang_watch.store import Store, StoredValidatorCache
from pohang_watch.store.archive import ARCHIVE_CHUNK

ARTICLE_ID = "2025061109300100001"


def page(url: str, body: bytes, fetched_at: datetime) -> FetchedPage:
    return FetchedPage(
        url=url,
        final_url=url,
        status=200,
        content=body,
        content_type="text/html; charset=EUC-KR",
        charset="EUC-KR",
        etag='"v1"',
        last_modified=None,
        date=None,
        retry_after=None,
        fetched_at=fetched_at,
    )


def test_pages_are_kept_compressed_replaced_by_url_and_read_in_chunks(store: Store) -> None:
    start = datetime(2025, 6, 1, tzinfo=UTC)
    url = f"https://www.asiae.co.kr/en/article/{ARTICLE_ID}"
    store.archive_pages([page(url, b"<p>old</p>", start)])
    store.archive_pages([page(url, "<p>새</p>".encode("euc-kr"), start + timedelta(days=1))])
    others = [
        page(f"https://www.asiae.co.kr/en/article/x{n}", b"<p>%d</p>" % n, start)
        for n in range(ARCHIVE_CHUNK + 5)
    ]
    store.archive_pages(others)

    archived = list(store.archived_pages())
    assert len(archived) == ARCHIVE_CHUNK + 6, "every page once, across chunks"
    first = archived[0]
    assert (first.article_id, first.content) == (ARTICLE_ID, "<p>새</p>".encode("euc-kr"))
    assert first.headers == {"content-type": "text/html; charset=EUC-KR", "etag": '"v1"'}
    rebuilt = first.to_fetched_page()
    assert (rebuilt.charset, rebuilt.sha256) == ("EUC-KR", first.sha256)
    later = list(store.archived_pages(since=start + timedelta(hours=12)))
    assert [p.url for p in later] == [url]


def test_known_ids_include_pages_fetched_but_not_stored(store: Store) -> None:
    url = f"https://cm.asiae.co.kr/en/article/{ARTICLE_ID}"
    store.archive_pages([page(url, b"<p>x</p>", datetime.now(UTC))])
    assert store.known_article_ids([ARTICLE_ID, "2025061109300100002"]) == {ARTICLE_ID}
    assert store.known_article_ids([]) == set()


def test_listing_validators_persist_and_are_replaced(store: Store) -> None:
    cache = StoredValidatorCache(store)
    assert cache.get("http://x/list") is None
    cache.put("http://x/list", Validators('"a"', None))
    cache.put("http://x/list", Validators('"b"', "Wed, 11 Jun 2025 01:00:00 GMT"))
    assert cache.get("http://x/list") == Validators('"b"', "Wed, 11 Jun 2025 01:00:00 GMT")
