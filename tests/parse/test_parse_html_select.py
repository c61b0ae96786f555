"""Configured CSS selectors on the lxml tree: the translated subset matches like CSS does,
and a selector outside it is skipped with a warning instead of failing every page."""

from __future__ import annotations

import logging

import lxml.html
import pytest

from pohang_watch.config import ParseSettings
from pohang_watch.models import SourceDocument
from pohang_watch.parse import parse_document
from pohang_watch.parse.html_select import element_test, select

PAGE = lxml.html.document_fromstring(
    '<div id="main" class="wrap  article-view"><h2 class="sub x">S</h2>'
    '<p itemprop="articleBody" lang="en-GB">A</p><p data-k="pre-mid-post">B</p>'
    '<section><p rel="author tag">C</p></section></div><p class="wrapper">D</p>'
)


def texts(*selectors: str) -> list[str]:
    return [element.text_content() for element in select(PAGE, selectors)]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("h2.sub", ["S"]),
        (".wrap > p", ["A", "B"]),
        (".wrap p", ["A", "B", "C"]),
        ("#main section p", ["C"]),
        ("[itemprop=articleBody]", ["A"]),
        ("[rel~=author]", ["C"]),
        ("[lang|=en]", ["A"]),
        ("[data-k^=pre], [data-k$='post'], [data-k*=\"mid\"]", ["B"]),
        ("p + p", ["B"]),
        ("h2 ~ p", ["A", "B"]),
        (".wrap", ["SABC"]),  # a class is a whole word: "wrapper" does not match
    ],
)
def test_translated_selectors_match_like_css(selector: str, expected: list[str]) -> None:
    assert texts(selector) == expected


def test_matches_of_several_selectors_come_in_document_order_once() -> None:
    assert texts("p + p", "[itemprop]", "p") == ["A", "B", "C", "D"]


def test_unsupported_selector_is_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert texts("p:first-child", "h2") == ["S"]
    assert "p:first-child" in caplog.text


def test_xml_declaration_with_encoding_does_not_stop_the_parse() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?><html><head><title>Pohang Opens a Port</title>'
        "</head><body><h1>Pohang Opens a Port</h1><p>Pohang City opened a port on the 3rd.</p>"
        "</body></html>"
    )
    doc = SourceDocument("page.html", html.encode(), "text/html")
    article = parse_document(doc, ParseSettings())
    assert article.title == "Pohang Opens a Port"
    assert article.paragraphs == ("Pohang City opened a port on the 3rd.",)


def test_element_test_agrees_with_select_for_types_and_classes() -> None:
    page = lxml.html.document_fromstring(
        '<nav class="x">a</nav><div class="ad\tx">b</div><div class="ad\u00a0x">c</div>'
        '<p class="sharex share">d</p><p class="AD">e</p><footer>f</footer>'
    )
    for selectors in [("nav", ".ad"), (".share", "footer"), (".AD",), ("p",), ()]:
        test = element_test(selectors)
        assert test is not None
        assert {el for el in page.iter() if test(el)} == set(select(page, selectors))
    assert element_test(("div > p",)) is None
    assert element_test((".a.b",)) is None
