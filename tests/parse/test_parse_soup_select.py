"""The fragment's selectors and soup are bs4's, only cheaper: same elements, same tree."""

from __future__ import annotations

import random
import re
import threading
from pathlib import Path

import lxml.html
import pytest
from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from pohang_watch.config import HtmlSelectors
from pohang_watch.dedup import QUOTES
from pohang_watch.parse.cleanup import _match_prefix, normalise_space, strip_headline_prefix
from pohang_watch.parse.html_locate import locate_article
from pohang_watch.parse.html_select import select
from pohang_watch.parse.soup_select import FragmentSelector, fragment_soup

PAGES = Path(__file__).parent / "fixtures" / "pages"
SELECTORS = [
    "figcaption, .caption, .photo-caption, .img_caption",
    *(".byline", ".reporter", "[rel=author]", ".subtitle", "h2.sub", "time[datetime]"),
    *("p", "div p", "div > p", "p + p", "h1 ~ div", "figure figcaption", "FIGCAPTION"),
    *(".Byline", "[class]", "[CLASS~=byline]", "img[alt]", "*", "div *", "span.byline.x"),
    *("p:first-child", "h2:not(.x)", " .byline ", "a[href^=http]", "h1, h2, h3", "[data-x]"),
]


def fragments() -> list[str]:
    found = []
    for path in sorted(PAGES.glob("*.html")):
        text = path.read_bytes().decode("utf-8", "replace")
        found.append(locate_article(text, HtmlSelectors()).fragment)
    found.append(
        '<div class="a Byline"><h1 id=t>T</h1><template><p class="byline">x</p></template>'
        '<p CLASS="byline x">B</p><time datetime="2025-01-01">d</time></div>'
    )
    found.append(  # prefixed names: the builder's shortcut must not change them
        '<div><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<use xlink:href="#i"/></svg><p xml:lang="ko" data-x="{a}">x</p><o:p>y</o:p></div>'
    )
    return found


@pytest.mark.parametrize("fragment", fragments())
def test_selector_finds_what_select_finds_also_after_removals(fragment: str) -> None:
    rng = random.Random(len(fragment))
    for removals in range(4):
        soup = BeautifulSoup(fragment, "lxml")
        finder = FragmentSelector(soup)
        tags = [el for el in soup.descendants if isinstance(el, Tag)]
        for _ in range(removals):
            if tags:
                rng.choice(tags).extract()
        for selector in SELECTORS:
            assert finder.select(selector) == list(soup.select(selector)), selector


def test_bad_css_still_raises() -> None:
    soup = BeautifulSoup("<p>x</p>", "lxml")
    with pytest.raises(SelectorSyntaxError):
        FragmentSelector(soup).select("p[")


@pytest.mark.parametrize("fragment", fragments())
def test_fragment_soup_is_the_lxml_soup(fragment: str) -> None:
    assert fragment_soup(fragment).decode() == BeautifulSoup(fragment, "lxml").decode()
    assert fragment_soup(fragment).decode() == BeautifulSoup(fragment, "lxml").decode()


def test_fragment_soup_keeps_one_builder_per_thread() -> None:
    html = "<div><p>one</p><p>two</p></div>"
    results: list[str] = []

    def parse() -> None:
        results.extend(fragment_soup(html).decode() for _ in range(20))

    threads = [threading.Thread(target=parse) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == {BeautifulSoup(html, "lxml").decode()}


def test_drop_selection_is_the_same_set_in_any_order() -> None:
    page = lxml.html.document_fromstring(
        '<nav class="share">n</nav><div class="ad x"><script>s</script><p>t</p></div>'
        '<footer><aside class="related">r</aside></footer><nav>m</nav>'
    )
    selectors = ("script", "nav", "footer", "aside", ".share", ".ad", ".related")
    ordered = select(page, selectors)
    assert set(select(page, selectors, ordered=False)) == set(ordered)
    assert [el.tag for el in select(page, ("nav", "script"))] == ["nav", "script", "nav"]


SPACE = re.compile(r"\s+")


def test_normalise_space_is_the_regular_expression() -> None:
    rng = random.Random(4)
    pieces = ["a", "b c", " ", "\u00a0", "\n\t", "\u200b", "\ufeff", "\u3000", "\x1c", "é", "▲"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(8)))
        invisible = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
        assert normalise_space(text) == SPACE.sub(" ", text.translate(invisible)).strip()


def reference_match_prefix(line: str, prefix: str) -> int | None:
    """The character-by-character comparison `_match_prefix` shortcuts."""

    def fold(char: str) -> str:
        return char.translate(QUOTES).casefold()

    i = 0
    for char in prefix:
        if char.isspace():
            continue
        while i < len(line) and line[i].isspace():
            i += 1
        if i >= len(line) or fold(line[i]) != fold(char):
            return None
        i += 1
    at_word_boundary = i >= len(line) or not (line[i].isalnum() and line[i - 1].isalnum())
    return i if prefix.strip() and at_word_boundary else None


def test_headline_prefix_is_matched_as_before() -> None:
    headline = "Pohang’s “Battery” Plan Moves Ahead"
    lines = [
        "Pohang’s “Battery” Plan Moves Ahead Officials at the site.",
        'POHANG\'S "BATTERY"  PLAN moves ahead - Officials',
        "Pohang’s “Battery” Plan Moves Aheadx",
        "Pohang City plans",
        "",
    ]
    expected = ["Officials at the site.", "Officials", None, None, None]
    assert [strip_headline_prefix(line, headline) for line in lines] == expected
    rng = random.Random(8)
    pieces = ["Po", "hang", " ", "  ", "’", "'", "“", '"', "A", "a", "ß", "SS", "x", "\n", ".", "1"]
    for _ in range(20_000):
        prefix = "".join(rng.choice(pieces) for _ in range(rng.randrange(5)))
        line = "".join(rng.choice(pieces) for _ in range(rng.randrange(7)))
        line = prefix + line if rng.random() < 0.5 else line
        assert _match_prefix(line, prefix) == reference_match_prefix(line, prefix), (line, prefix)
