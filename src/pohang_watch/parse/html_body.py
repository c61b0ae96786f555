"""Finding an article's body in HTML whose markup we have never seen, and reading its lines.

Configured selectors are tried first, but a selector that matches something small (a teaser
card that is also an ``<article>``) loses to the generic candidate: the element whose direct
paragraphs carry the most text, which is where the story is on nearly every news page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from pohang_watch.parse.cleanup import normalise_space

Eligible = Callable[[Tag], bool]

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
    root: BeautifulSoup | Tag, selectors: Sequence[str], eligible: Eligible
) -> Tag | None:
    """The element holding the article body, or None if no eligible element holds text."""
    generic, generic_score = _densest_text_parent(root, eligible)
    for selector in selectors:
        matches = [el for el in root.select(selector) if eligible(el)]
        best = max(matches, key=_text_length, default=None)
        if best is not None and _text_length(best) >= max(1, generic_score * _MIN_SELECTOR_SHARE):
            return _narrowed(best, generic, generic_score)
    return generic


def _narrowed(match: Tag, generic: Tag | None, generic_score: int) -> Tag:
    """The generic candidate instead of a broad match (an ``<article>`` with its date line and
    tag list) when it lies inside the match and carries nearly all of its paragraph text."""
    if generic is None or not any(parent is match for parent in generic.parents):
        return match
    paragraph_text = sum(len(p.get_text(strip=True)) for p in match.find_all("p"))
    return generic if generic_score >= _NARROW_SHARE * paragraph_text else match


def _densest_text_parent(root: BeautifulSoup | Tag, eligible: Eligible) -> tuple[Tag | None, int]:
    """The element whose direct <p> children (or <br>-separated text) carry the most text."""
    scores: dict[int, int] = {}
    tags: dict[int, Tag] = {}

    def add(tag: Tag | None, amount: int) -> None:
        if tag is not None and amount:
            tags[id(tag)] = tag
            scores[id(tag)] = scores.get(id(tag), 0) + amount

    for paragraph in root.find_all("p"):
        add(paragraph.parent, len(paragraph.get_text(strip=True)))
    for parent in {id(br.parent): br.parent for br in root.find_all("br")}.values():
        if parent is not None:
            add(parent, sum(len(s.strip()) for s in parent.find_all(string=True, recursive=False)))
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best = next((key for key in ranked if eligible(tags[key])), None)
    return (None, 0) if best is None else (tags[best], scores[best])


def _text_length(element: Tag) -> int:
    return len(element.get_text(strip=True))


def text_lines(root: Tag) -> list[str]:
    """The element's text as lines: one per block element or <br>, link-only lines left out."""
    lines: list[str] = []
    parts: list[str] = []
    link_parts: list[str] = []

    def flush() -> None:
        line = normalise_space("".join(parts))
        link_text = normalise_space("".join(link_parts))
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


def ancestors_and_self(element: PageElement | None) -> Iterable[PageElement]:
    """The element and every ancestor up to the document."""
    if element is None:
        return ()
    return (element, *element.parents)


def common_ancestor(first: Tag | None, second: Tag | None) -> Tag | None:
    """The innermost element containing both (either may be None)."""
    if first is None or second is None:
        return first or second
    first_line = {id(element) for element in ancestors_and_self(first)}
    for element in ancestors_and_self(second):
        if id(element) in first_line and isinstance(element, Tag):
            return element
    return None
