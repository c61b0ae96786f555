"""Locating the article on the whole page with lxml, and cutting it out for BeautifulSoup.

Why two trees: a news page is mostly chrome (menus, "most viewed" lists, footers, scripts), and
building BeautifulSoup's Python tree of all of it cost more than everything else the pipeline
does. lxml builds the whole page in C; here the standard metadata is read from it, the
headline and body container are found (configured selectors, else the densest paragraphs), and
the chrome is removed. Only the innermost element holding both headline and body — the
article's scope, usually a few kilobytes — is serialised and handed to BeautifulSoup, with the
headline, the container and the scope marked by attributes so the bs4 side finds them again.

Order of work, and why:
1. metadata (canonical, og:*, JSON-LD) before anything is removed, since scripts hold JSON-LD;
2. the headline element matched to the metadata title, and the body container — both before
   chrome is removed, so that chrome removal can spare the article's own ``<header>`` and a page
   wrapped in ``<form>``; without a metadata title, the headline is the title element nearest
   the body;
3. chrome removal, then the cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from pohang_watch.config import HtmlSelectors
from pohang_watch.errors import ParseError
from pohang_watch.parse.cleanup import strip_headline_prefix
from pohang_watch.parse.html_body import ancestors_and_self, common_ancestor, find_body
from pohang_watch.parse.html_meta import PageMeta, element_text, read_metadata, strip_site_name
from pohang_watch.parse.html_select import select

HEADLINE_MARK = "data-pohang-watch-headline"
BODY_MARK = "data-pohang-watch-body"
SCOPE_MARK = "data-pohang-watch-scope"
# Never text, whatever the configuration says.
_NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "button", "select", "textarea")
_PAGE_LEVEL = frozenset({"body", "html"})
_XML_DECLARATION = re.compile(r"\A(\s*)<\?xml[^>]*\?>")


@dataclass(frozen=True, slots=True)
class LocatedArticle:
    """What the whole page gave: its metadata, its <title>, and the article's marked HTML."""

    meta: PageMeta
    title_tag: str
    fragment: str


def locate_article(text: str, selectors: HtmlSelectors) -> LocatedArticle:
    """Read the metadata, find headline and body, drop chrome, and cut out the article."""
    root = _parse_tree(text)
    meta = read_metadata(root)
    _drop_all(select(root, _NEVER_TEXT))
    chrome = select(root, selectors.drop, ordered=False)  # a set to drop, order does not matter
    candidates = [el for selector in selectors.title for el in select(root, (selector,))]
    headline = _headline_showing(candidates, meta.title) if meta.title else None
    container = _find_container(root, selectors.body, chrome, headline)
    if headline is None:
        headline = _headline_nearest(candidates, container, set(chrome))
    spared = {el for element in (headline, container) for el in ancestors_and_self(element)}
    _drop_all(el for el in chrome if el not in spared)
    return LocatedArticle(meta, _title_tag(root), _marked_fragment(root, headline, container))


def _parse_tree(text: str) -> HtmlElement:
    # lxml refuses str input with an XML declaration naming an encoding; the text is decoded.
    text = _XML_DECLARATION.sub(r"\1", text, count=1)
    try:
        return lxml.html.document_fromstring(text)
    except etree.ParserError as exc:  # nothing but comments or whitespace
        raise ParseError("no headline found") from exc


def _headline_showing(candidates: list[HtmlElement], title: str) -> HtmlElement | None:
    """The element whose text is the metadata title (ignoring spacing, quotes and case)."""
    matches = (el for el in candidates if strip_headline_prefix(element_text(el), title) == "")
    return next(matches, None)


def _headline_nearest(
    candidates: list[HtmlElement], container: HtmlElement | None, chrome: set[HtmlElement]
) -> HtmlElement | None:
    """Without a metadata title: the candidate closest to the body in the tree.

    A site logo in an ``<h1>`` shares only the page wrapper with the body, the article's own
    ``<h1>`` shares its article element; a candidate inside chrome that shares no more than
    ``<body>`` with the body is never the headline.
    """
    best: tuple[int, HtmlElement] | None = None
    for element in candidates:
        if not element_text(element):
            continue
        shared = common_ancestor(element, container) if container is not None else None
        depth = len(ancestors_and_self(shared))
        page_level = shared is None or shared.tag in _PAGE_LEVEL
        if (page_level and _inside(element, chrome)) or (best is not None and depth <= best[0]):
            continue
        best = (depth, element)
    return best[1] if best else None


def _find_container(
    root: HtmlElement,
    selectors: Sequence[str],
    chrome: list[HtmlElement],
    headline: HtmlElement | None,
) -> HtmlElement | None:
    """The body container, preferring one outside chrome (a wrapper around the headline is not
    chrome, even if it is a ``<header>`` or ``<form>``)."""
    outside_chrome = set(chrome) - set(ancestors_and_self(headline))
    outside = find_body(root, selectors, lambda el: not _inside(el, outside_chrome))
    anywhere = outside if outside is not None else find_body(root, selectors, lambda el: True)
    # Text only in <div>s, neither <p> nor <br>: the whole body, chrome removed, is the best bet.
    return anywhere if anywhere is not None else root.find("body")


def _inside(element: HtmlElement, elements: set[HtmlElement]) -> bool:
    return any(el in elements for el in ancestors_and_self(element))


def _drop_all(elements: Iterable[HtmlElement]) -> None:
    """Remove elements with their content, keeping the text that follows each (its tail)."""
    for element in elements:
        if element.getparent() is not None:
            element.drop_tree()


def _title_tag(root: HtmlElement) -> str:
    title = root.find(".//title")
    return strip_site_name(element_text(title)) if title is not None else ""


def _marked_fragment(
    root: HtmlElement, headline: HtmlElement | None, container: HtmlElement | None
) -> str:
    """The HTML of the innermost element holding headline and body, with both marked."""
    for element, mark in ((headline, HEADLINE_MARK), (container, BODY_MARK)):
        if element is not None:
            element.set(mark, "")
    scope = common_ancestor(headline, container)
    if scope is None:
        return str(lxml.html.tostring(root, encoding="unicode"))
    scope.set(SCOPE_MARK, "")
    return str(lxml.html.tostring(scope, encoding="unicode", with_tail=False))
