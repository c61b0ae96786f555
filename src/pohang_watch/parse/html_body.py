"""Finding an article's body in HTML whose markup we have never seen, and reading its lines.

The body is found on the lxml tree of the whole page (see html_locate); its lines are read from
the BeautifulSoup tree of the article fragment cut from that page.

Configured selectors are tried first, but a selector that matches something small (a teaser
card that is also an ``<article>``) loses to the generic candidate: the element whose direct
paragraphs carry the most text, which is where the story is on nearly every news page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bs4 import NavigableString, PageElement, Tag
from lxml.html import HtmlElement

from pohang_watch.parse.cleanup import normalise_space
from pohang_watch.parse.html_select import select

Eligible = Callable[[HtmlElement], bool]

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


def find_body(
    root: HtmlElement, selectors: Sequence[str], eligible: Eligible
) -> HtmlElement | None:
    """The element holding the article body, or None if no eligible element holds text."""
    generic, generic_score = _densest_text_parent(root, eligible)
    for selector in selectors:
        matches = [el for el in select(root, (selector,)) if eligible(el)]
        best = max(matches, key=_text_length, default=None)
        if best is not None and _text_length(best) >= max(1, generic_score * _MIN_SELECTOR_SHARE):
            return _narrowed(best, generic, generic_score)
    return generic


def _narrowed(match: HtmlElement, generic: HtmlElement | None, generic_score: int) -> HtmlElement:
    """The generic candidate instead of a broad match (an ``<article>`` with its date line and
    tag list) when it lies inside the match and carries nearly all of its paragraph text."""
    if generic is None or not any(parent is match for parent in generic.iterancestors()):
        return match
    paragraph_text = sum(_text_length(p) for p in match.iterdescendants("p"))
    return generic if generic_score >= _NARROW_SHARE * paragraph_text else match


def _densest_text_parent(root: HtmlElement, eligible: Eligible) -> tuple[HtmlElement | None, int]:
    """The element whose direct <p> children (or <br>-separated text) carry the most text."""
    scores: dict[HtmlElement, int] = {}

    def add(element: HtmlElement | None, amount: int) -> None:
        if element is not None and amount:
            scores[element] = scores.get(element, 0) + amount

    for paragraph in root.iter("p"):
        add(paragraph.getparent(), _text_length(paragraph))
    for parent in {br.getparent(): None for br in root.iter("br")}:
        add(parent, _own_text_length(parent) if parent is not None else 0)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best = next((element for element in ranked if eligible(element)), None)
    return (None, 0) if best is None else (best, scores[best])


def _text_length(element: HtmlElement) -> int:
    """Characters of text below the element, each text node stripped (bs4's strip=True)."""
    return sum(len(text.strip()) for text in element.itertext())


def _own_text_length(element: HtmlElement) -> int:
    """Characters of the element's own text nodes, not those of its children."""
    own = [element.text or "", *(child.tail or "" for child in element)]
    return sum(len(text.strip()) for text in own)


def ancestors_and_self(element: HtmlElement | None) -> tuple[HtmlElement, ...]:
    """The element and every ancestor up to <html>."""
    if element is None:
        return ()
    return (element, *element.iterancestors())


def common_ancestor(first: HtmlElement | None, second: HtmlElement | None) -> HtmlElement | None:
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
        line = normalise_space("".join(parts))
        link_text = normalise_space("".join(link_parts)) if link_parts else ""
        if line and len(link_text) < _MAX_LINK_SHARE * len(line):
            lines.append(line)
        parts.clear()
        link_parts.clear()

    # Iterative walk with end-of-block markers (None): deep markup cannot exhaust the stack.
    stack: list[tuple[PageElement | None, bool]] = [(child, False) for child in root.contents]
    stack.reverse()
    while stack:
        node, in_link = stack.pop()
        if node is None or (isinstance(node, Tag) and node.name == "br"):
            flush()
        elif type(node) is NavigableString:  # comments, doctype, CDATA are not text
            parts.append(str(node))
            if in_link:
                link_parts.append(str(node))
        elif isinstance(node, Tag):
            _push_children(stack, node, in_link or node.name == "a", flush)
    flush()
    return lines


def _push_children(
    stack: list[tuple[PageElement | None, bool]],
    tag: Tag,
    in_link: bool,
    flush: Callable[[], None],
) -> None:
    if tag.name in _BLOCKS:
        flush()
        stack.append((None, False))
    stack.extend((child, in_link) for child in reversed(tag.contents))
