"""Finding an article's body in HTML whose markup we have never seen, and reading its lines.

The body is found on the lxml tree of the whole page (see html_locate); its lines are read from
the BeautifulSoup tree of the article fragment cut from that page.

Configured selectors are tried first, but a selector that matches something small (a teaser
card that is also an ``<article>``) loses to the generic candidate: the element whose direct
paragraphs carry the most text, which is where the story is on nearly every news page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import repeat
from typing import cast

from bs4 import NavigableString, PageElement, Tag
from lxml.etree import _Element

from pohang_watch.parse.cleanup import normalise_space
from pohang_watch.parse.html_select import select

Eligible = Callable[[_Element], bool]

_BLOCKS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "caption", "center", "dd"),
        *("details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer"),
        *("form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol"),
        *("p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead"),
        *("tr", "ul"),
    }
)
# A line whose text is nearly all link text is navigation or a share widget, not prose.
_MAX_LINK_SHARE = 0.8
# A configured selector must hold at least this share of the generic candidate's text.
_MIN_SELECTOR_SHARE = 0.5
# ...and is narrowed to the generic candidate inside it holding this share of its <p> text.
_NARROW_SHARE = 0.8


def find_body(root: _Element, selectors: Sequence[str], eligible: Eligible) -> _Element | None:
    """The element holding the article body, or None if no eligible element holds text."""
    generic, generic_score = _densest_text_parent(root, eligible)
    for selector in selectors:
        best, best_length = None, -1  # the first of the longest eligible matches
        for element in select(root, (selector,)):
            if eligible(element) and (length := _text_length(element)) > best_length:
                best, best_length = element, length
        if best is not None and best_length >= max(1, generic_score * _MIN_SELECTOR_SHARE):
            return _narrowed(best, generic, generic_score)
    return generic


def _narrowed(match: _Element, generic: _Element | None, generic_score: int) -> _Element:
    """The generic candidate instead of a broad match (an ``<article>`` with its date line and
    tag list) when it lies inside the match and carries nearly all of its paragraph text."""
    if generic is None or not any(parent is match for parent in generic.iterancestors()):
        return match
    paragraph_text = sum(_text_length(p) for p in match.iterdescendants("p"))
    return generic if generic_score >= _NARROW_SHARE * paragraph_text else match


def _densest_text_parent(root: _Element, eligible: Eligible) -> tuple[_Element | None, int]:
    """The element whose direct <p> children (or <br>-separated text) carry the most text."""
    scores: dict[_Element, int] = {}

    def add(element: _Element | None, amount: int) -> None:
        if element is not None and amount:
            scores[element] = scores.get(element, 0) + amount

    for paragraph in root.iter("p"):
        add(paragraph.getparent(), _text_length(paragraph))
    for parent in {br.getparent(): None for br in root.iter("br")}:
        add(parent, _own_text_length(parent) if parent is not None else 0)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best = next((element for element in ranked if eligible(element)), None)
    return (None, 0) if best is None else (best, scores[best])


def _text_length(element: _Element) -> int:
    """Characters of text below the element, each text node stripped (bs4's strip=True)."""
    texts = cast("Iterator[str]", element.itertext())  # str in an HTML tree
    return sum(map(len, map(str.strip, texts)))


def _own_text_length(element: _Element) -> int:
    """Characters of the element's own text nodes, not those of its children."""
    own = [element.text or "", *(child.tail or "" for child in element)]
    return sum(len(text.strip()) for text in own)


def ancestors_and_self(element: _Element | None) -> tuple[_Element, ...]:
    """The element and every ancestor up to <html>."""
    if element is None:
        return ()
    return (element, *element.iterancestors())


def common_ancestor(first: _Element | None, second: _Element | None) -> _Element | None:
    """The innermost element containing both (either may be None)."""
    if first is None or second is None:  # not `first or second`: a leaf element is falsy
        return second if first is None else first
    first_line = set(ancestors_and_self(first))
    return next((el for el in ancestors_and_self(second) if el in first_line), None)


def text_lines(root: Tag) -> list[str]:
    """The element's text as lines: one per block element or <br>, link-only lines left out."""
    lines: list[str] = []
    parts: list[str] = []
    link_parts: list[str] = []

    def flush() -> None:
        if not parts:  # two block boundaries in a row
            return
        line = normalise_space("".join(parts))
        link_text = normalise_space("".join(link_parts)) if link_parts else ""
        if line and len(link_text) < _MAX_LINK_SHARE * len(line):
            lines.append(line)
        parts.clear()
        link_parts.clear()

    # Iterative walk with end-of-block markers (None): deep markup cannot exhaust the stack.
    stack: list[tuple[PageElement | None, bool]] = list(zip(reversed(root.contents), repeat(False)))
    while stack:
        node, in_link = stack.pop()
        if type(node) is NavigableString:  # comments, doctype, CDATA are not text
            parts.append(node)
            if in_link:
                link_parts.append(node)
        elif node is None:
            flush()
        elif isinstance(node, Tag):
            name = node.name
            if name == "br":
                flush()
                continue
            if name in _BLOCKS:
                flush()
                stack.append((None, False))
            stack.extend(zip(reversed(node.contents), repeat(in_link or name == "a")))
    flush()
    return lines
