"""Golden pairs: every page in fixtures/pages parses to the Article in fixtures/expected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pohang_watch.config import ParseSettings
from pohang_watch.dedup import content_hash
from pohang_watch.models import Article
from pohang_watch.parse import parse_document
from pohang_watch.sources import read_saved_page

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = sorted((FIXTURES / "pages").iterdir())


def article_fields(article: Article) -> dict[str, Any]:
    """The Article as the JSON the golden files hold (content_hash is checked separately)."""
    return {
        "article_id": article.article_id,
        "url": article.url,
        "urls": list(article.urls),
        "title": article.title,
        "subtitles": list(article.subtitles),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "byline": article.byline,
        "paragraphs": list(article.paragraphs),
        "captions": list(article.captions),
    }


def parse_fixture(page: Path) -> Article:
    return parse_document(read_saved_page(str(page), 5_000_000), ParseSettings())


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_page_parses_to_its_golden_article(page: Path) -> None:
    expected = json.loads((FIXTURES / "expected" / f"{page.name}.json").read_text("utf-8"))
    assert article_fields(parse_fixture(page)) == expected


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_content_hash_covers_the_paragraphs(page: Path) -> None:
    article = parse_fixture(page)
    assert article.content_hash == content_hash(article.paragraphs)


def test_every_page_has_a_golden_file_and_the_set_is_varied() -> None:
    expected = {path.name for path in (FIXTURES / "expected").iterdir()}
    assert expected == {f"{page.name}.json" for page in PAGES}
    suffixes = [page.suffix for page in PAGES]
    assert suffixes.count(".html") >= 3
    assert suffixes.count(".txt") >= 3


def test_no_page_leaks_chrome_into_paragraphs() -> None:
    """Whatever the markup, metadata and chrome never leak into the body."""
    for page in PAGES:
        article = parse_fixture(page)
        body = " ".join(article.paragraphs)
        for chrome in ("Join us on social", "All rights reserved", "Text Size", "Facebook"):
            assert chrome not in body, (page.name, chrome)
        assert article.title not in article.paragraphs
        assert article.published_at is None or article.published_at.utcoffset() is not None
