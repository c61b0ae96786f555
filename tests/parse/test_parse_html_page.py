"""HTML rules that must hold on markup we have never seen: metadata first, generic fallbacks."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from pohang_watch.config import HtmlSelectors, ParseSettings
from pohang_watch.errors import ParseError
from pohang_watch.models import Article, SourceDocument
from pohang_watch.parse import parse_document
from pohang_watch.parse.article_ids import KST
from pohang_watch.parse.html_meta import parse_datetime, strip_site_name

HEADLINE = "Pohang Opens Hydrogen Hall"
BODY = "<p>The city opened the hall on the 3rd, officials said.</p><p>It cost 9 billion won.</p>"
PARAGRAPHS = ("The city opened the hall on the 3rd, officials said.", "It cost 9 billion won.")


def parse_html(html: str, settings: ParseSettings | None = None) -> Article:
    doc = SourceDocument(source="page.html", content=html.encode("utf-8"), media_type="text/html")
    return parse_document(doc, settings or ParseSettings())


def page(head: str = "", body: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    "title",
    [
        f"{HEADLINE} - The Asia Business Daily",
        f"{HEADLINE} | 아시아경제",
        f"{HEADLINE} :: Pohang Daily",
        f"아시아경제 | {HEADLINE}",
    ],
)
def test_site_name_is_removed_from_the_title(title: str) -> None:
    assert strip_site_name(title, ("Pohang Daily",)) == HEADLINE


def test_title_prefers_og_title_over_h1_and_title_tag() -> None:
    og_title = f'<meta property="og:title" content="{HEADLINE} - Asia Business Daily">'
    head = f"<title>Other</title>{og_title}"
    article = parse_html(page(head, f"<h1>Different words</h1>{BODY}"))
    assert article.title == HEADLINE
    assert article.paragraphs == PARAGRAPHS


def test_title_falls_back_to_the_article_h1_not_the_site_logo() -> None:
    body = f'<header><h1 class="logo">Asia Daily</h1></header><div><h1>{HEADLINE}</h1>{BODY}</div>'
    assert parse_html(page("<title>Ignored</title>", body)).title == HEADLINE


def test_title_falls_back_to_the_title_tag() -> None:
    article = parse_html(page(f"<title>{HEADLINE} - The Asia Business Daily</title>", BODY))
    assert article.title == HEADLINE


def test_json_ld_at_top_level_list_and_malformed_blocks_are_handled() -> None:
    broken = '<script type="application/ld+json">{"@type": "NewsArticle", </script>'
    good = json.dumps(
        [
            {"@type": "BreadcrumbList"},
            {
                "@type": "NewsArticle",
                "headline": HEADLINE,
                "datePublished": "2025-01-02T03:04:05Z",
                "author": "Kim Minji",
            },
        ]
    )
    head = f'{broken}<script type="application/ld+json">{good}</script>'
    article = parse_html(page(head, BODY))
    assert (article.title, article.byline) == (HEADLINE, "Kim Minji")
    assert article.published_at == datetime(2025, 1, 2, 12, 4, 5, tzinfo=KST)


def test_json_ld_article_body_is_used_when_the_html_has_no_body() -> None:
    body = "First line.\n\nSecond line."
    data = {"@type": "NewsArticle", "headline": HEADLINE, "articleBody": body}
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    article = parse_html(page(head, '<div id="app"></div>'))
    assert article.paragraphs == ("First line.", "Second line.")


def test_og_description_is_not_the_body() -> None:
    head = (
        f'<meta property="og:title" content="{HEADLINE}">'
        '<meta property="og:description" content="A teaser, long enough to be a paragraph.">'
    )
    with pytest.raises(ParseError, match="no body paragraphs found"):
        parse_html(page(head, "<div></div>"))


PUBLISHED = '<meta property="article:published_time" content="{}">'
CANONICAL = '<link rel="canonical" href="https://www.asiae.co.kr/en/article/{}">'


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (PUBLISHED.format("2025-06-04T13:20:32"), "", "2025-06-04T13:20:32+09:00"),
        (PUBLISHED.format("2025-06-04T04:20:32Z"), "", "2025-06-04T04:20:32+00:00"),
        ("", '<time datetime="2025.06.04 13:20">June 4</time>', "2025-06-04T13:20:00+09:00"),
        (CANONICAL.format("2025060413203284890"), "", "2025-06-04T13:20:32+09:00"),
    ],
)
def test_published_time_is_always_timezone_aware(head: str, body: str, expected: str) -> None:
    article = parse_html(page(f"<title>{HEADLINE}</title>{head}", f"<div>{body}{BODY}</div>"))
    assert article.published_at is not None
    assert article.published_at.isoformat() == expected


def test_dates_in_other_forms() -> None:
    expected = datetime(2025, 6, 4, 13, 20, 32, tzinfo=KST)
    assert parse_datetime("Wed, 04 Jun 2025 13:20:32 +0900") == expected
    assert parse_datetime("2025-06-04") == datetime(2025, 6, 4, tzinfo=KST)
    assert parse_datetime("yesterday") is None


def test_page_wrapped_in_a_form_is_not_thrown_away() -> None:
    body = f'<form id="aspnetForm"><div class="c"><h1>{HEADLINE}</h1>{BODY}</div></form>'
    assert parse_html(page("", body)).paragraphs == PARAGRAPHS


def test_article_header_survives_header_removal() -> None:
    body = (
        '<header class="site"><nav><a href="/">Home</a></nav></header>'
        f'<article><header><h1>{HEADLINE}</h1><p class="sub-title">Deck Line</p></header>'
        f"{BODY}</article>"
    )
    article = parse_html(page("", body))
    assert article.title == HEADLINE
    assert article.subtitles == ("Deck Line",)
    assert article.paragraphs == PARAGRAPHS


def test_small_teaser_matching_a_selector_loses_to_the_real_body() -> None:
    teaser = '<article class="card"><p>Short teaser.</p></article>'
    story = f'<div class="x-story">{BODY}<p>{"More text. " * 20}</p></div>'
    body = f"<h1>{HEADLINE}</h1>{teaser}{story}"
    article = parse_html(page("", body))
    assert article.paragraphs[:2] == PARAGRAPHS
    assert "Short teaser." not in article.paragraphs


def test_link_only_lines_and_configured_chrome_are_dropped() -> None:
    settings = ParseSettings(selectors=HtmlSelectors(drop=(*HtmlSelectors().drop, ".promo")))
    body = (
        f'<h1>{HEADLINE}</h1><div class="s">{BODY}'
        '<div><a href="/a">Facebook</a> <a href="/b">X</a></div>'
        '<p class="promo">Subscribe to our newsletter today.</p>'
        "<p>Join us on social!</p><p></p><p>ⓒ Yonhap News. All rights reserved.</p></div>"
    )
    assert parse_html(page("", body), settings).paragraphs == PARAGRAPHS


def test_captions_leave_the_body_without_the_repeated_headline() -> None:
    body = (
        f"<h1>{HEADLINE}</h1><div>"
        f"<figure><img alt=''><figcaption>{HEADLINE} The new hall. Pohang City</figcaption>"
        "</figure>"
        f"{BODY}<div class='caption'>Visitors at the door.</div></div>"
    )
    article = parse_html(page("", body))
    assert article.captions == ("The new hall. Pohang City", "Visitors at the door.")
    assert article.paragraphs == PARAGRAPHS


def test_byline_comes_from_configured_markup_when_metadata_has_none() -> None:
    body = f'<h1>{HEADLINE}</h1><div><p class="byline">Reporter Kim Minji</p>{BODY}</div>'
    article = parse_html(page("", body))
    assert (article.byline, article.paragraphs) == ("Reporter Kim Minji", PARAGRAPHS)


def test_self_urls_are_kept_in_order_and_the_canonical_url_is_chosen() -> None:
    head = (
        '<link rel="canonical" href="https://example.org/story/7">'
        '<meta property="og:url" content="https://example.org/story/7?ref=og">'
    )
    article = parse_html(page(f"<title>{HEADLINE}</title>{head}", BODY))
    assert article.urls == ("https://example.org/story/7", "https://example.org/story/7?ref=og")
    assert (article.article_id, article.url) == (None, "https://example.org/story/7")


def test_text_file_holding_a_saved_html_page_is_parsed_as_html() -> None:
    html = (
        "<!-- saved from url=(0055)https://www.asiae.co.kr/en/article/2025060413203284890 -->\n"
        + page(f"<title>{HEADLINE}</title>", BODY)
    )
    doc = SourceDocument(source="saved.txt", content=html.encode(), media_type="text/plain")
    article = parse_document(doc, ParseSettings())
    assert (article.title, article.paragraphs) == (HEADLINE, PARAGRAPHS)
    assert article.article_id == "2025060413203284890"
