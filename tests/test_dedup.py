from __future__ import annotations

from dataclasses import replace

from pohang_watch.dedup import (
    DuplicateReason,
    KnownArticles,
    article_keys,
    content_hash,
    find_duplicates,
)
from pohang_watch.models import Article

BODY = (
    "The city said on the 3rd that it will open a hydrogen testing centre in 2027.",
    "Officials expect the centre to serve 40 companies.",
)


def make_article(article_id: str | None, body: tuple[str, ...] = BODY) -> Article:
    url = f"https://www.asiae.co.kr/en/article/{article_id}" if article_id else None
    return Article(
        article_id=article_id,
        url=url,
        title="Pohang to open a hydrogen testing centre",
        subtitles=(),
        published_at=None,
        byline=None,
        paragraphs=body,
        captions=(),
        content_hash=content_hash(body),
    )


def test_body_hash_ignores_typography_and_spacing() -> None:
    retyped = (
        "The  city said on the 3rd that it will open a hydrogen testing centre in 2027",
        "Officials expect the centre to serve 40 companies .",
    )
    curly = tuple(p.replace("'", "’") for p in BODY)
    assert content_hash(retyped) == content_hash(BODY) == content_hash(curly)


def test_body_hash_changes_when_words_change() -> None:
    assert content_hash((*BODY[:1], "Officials expect it to serve 41 companies.")) != content_hash(
        BODY
    )


def test_same_id_same_url_same_body_are_duplicates_of_known_articles() -> None:
    known = article_keys([make_article("2025031109452318842")])
    same_id = make_article("2025031109452318842", ("Another text entirely.",))
    same_url = replace(make_article(None, ("Other words.",)), url=same_id.url)
    republished = make_article("2025031210000000001")
    fresh = make_article("2025031210000000002", ("A different story.",))
    assert find_duplicates([same_id, same_url, republished, fresh], known) == [
        DuplicateReason.SAME_ID,
        DuplicateReason.SAME_URL,
        DuplicateReason.SAME_BODY,
        None,
    ]


def test_duplicates_within_one_batch_are_found() -> None:
    first = make_article("2025031109452318842")
    again = make_article("2025031109452318842")
    assert find_duplicates([first, again], KnownArticles()) == [None, DuplicateReason.SAME_ID]
