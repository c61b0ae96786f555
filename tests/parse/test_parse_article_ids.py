"""Article URLs of every form reduce to one id, one canonical URL and one publication time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from pohang_watch.parse.article_ids import (
    ARTICLE_URL_PATTERN,
    KST,
    article_id_from_name,
    article_id_from_url,
    canonical_article_url,
    published_at_from_id,
)

ID = "2025060413203284890"


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.asiae.co.kr/en/article/{ID}",
        f"https://www.asiae.co.kr/en/article/science/{ID}",
        f"https://www.asiae.co.kr/en/article/stock-etc/{ID}",
        f"https://www.asiae.co.kr/en/article/social-general/{ID}",
        f"https://www.asiae.co.kr/en/article/enterprise-CEO/{ID}",
        f"https://cm.asiae.co.kr/en/article/{ID}",
        f"https://view.asiae.co.kr/en/article/{ID}",
        f"https://www.asiae.co.kr/en/print.htm?idxno={ID}",
        f"https://www.asiae.co.kr/en/print.htm?page=1&idxno={ID}",
        f"http://www.asiae.co.kr/en/article/{ID}?utm_source=x#top",
        f"//cm.asiae.co.kr/en/article/{ID}",
    ],
)
def test_every_url_form_names_the_same_article(url: str) -> None:
    assert article_id_from_url(url) == ID


@pytest.mark.parametrize(
    "url",
    [
        f"https://view.asiae.co.kr/article/{ID}",  # Korean edition
        f"https://www.example.com/en/article/{ID}",
        "https://www.asiae.co.kr/en/article/123456",  # too short for an id
        f"https://www.asiae.co.kr/en/article/{ID}12",  # 21 digits
        "https://www.asiae.co.kr/en/",
    ],
)
def test_other_urls_name_no_article(url: str) -> None:
    assert article_id_from_url(url) is None


def test_pattern_finds_article_links_in_listing_markup() -> None:
    html = (
        f'<a href="https://www.asiae.co.kr/en/article/science/{ID}">a</a>'
        '<a href="https://www.asiae.co.kr/en/">home</a>'
        '<a href="//view.asiae.co.kr/en/article/2024010203040512345">b</a>'
    )
    found = [m.group("id") for m in ARTICLE_URL_PATTERN.finditer(html)]
    assert found == [ID, "2024010203040512345"]


def test_canonical_url_is_the_www_article_form() -> None:
    assert canonical_article_url(ID) == f"https://www.asiae.co.kr/en/article/{ID}"


def test_id_gives_the_publication_time_in_kst() -> None:
    published = published_at_from_id(ID)
    assert published == datetime(2025, 6, 4, 13, 20, 32, tzinfo=KST)
    assert published is not None
    assert published.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize(
    "article_id",
    ["2025133113203284890", "2025060425203284890", "2025022913203284890", "20250604", "abc"],
)
def test_invalid_time_in_id_gives_no_publication_time(article_id: str) -> None:
    assert published_at_from_id(article_id) is None


def test_file_names_yield_ids_only_when_they_start_with_a_real_time() -> None:
    assert article_id_from_name(f"{ID}_pohang.txt") == ID
    assert article_id_from_name(f"saved-{ID}.html") == ID
    assert article_id_from_name("99999999999999999999_x.txt") is None
    assert article_id_from_name("12345678901234567.txt") is None
    assert article_id_from_name("000_8bb15090ff6ef8e0.txt") is None
