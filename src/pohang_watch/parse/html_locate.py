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
3. chrome removal, then the cut. Chrome is found by asking each element that matters (body
   candidates and their ancestors) whether it is chrome, when the drop selectors are types and
   classes (else by matching them on the whole page), and removed only inside the scope: chrome
   elsewhere cannot change the fragment, only which ``<title>`` comes first, which is checked.

The tree is lxml's plain one (``etree.HTMLParser``, the parser lxml.html uses, without its
element classes): each element handed to Python is made in C instead of through a Python class
lookup. It is parsed from the page's own bytes when they are its text in UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import lxml.html
from lxml import etree
from lxml.etree import _Element

from pohang_watch.config import HtmlSelectors
from pohang_watch.errors import ParseError
from pohang_watch.parse.cleanup import strip_headline_prefix
from pohang_watch.parse.html_body import ancestors_and_self, common_ancestor, find_body
from pohang_watch.parse.html_meta import PageMeta, element_text, read_metadata, strip_site_name
from pohang_watch.parse.html_select import ElementTest, element_test, select

HEADLINE_MARK = "data-pohang-watch-headline"
BODY_MARK = "data-pohang-watch-body"
SCOPE_MARK = "data-pohang-watch-scope"
# Never text, whatever the configuration says.
_NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "button", "select", "textarea")
_PAGE_LEVEL = frozenset({"body", "html"})
_XML_DECLARATION = re.compile(r"\A(\s*)<\?xml[^>]*\?>")
_PARSER = etree.HTMLParser()
_UTF8_PARSER = etree.HTMLParser(encoding="utf-8")  # the page's own <meta charset> not heeded


@dataclass(frozen=True, slots=True)
class LocatedArticle:
    """What the whole page gave: its metadata, its <title>, and the article's marked HTML."""

    meta: PageMeta
    title_tag: str
    fragment: str


def locate_article(
    text: str, selectors: HtmlSelectors, *, utf8: bytes | None = None
) -> LocatedArticle:
    """Read the metadata, find headline and body, drop chrome, and cut out the article.
    `utf8`, the text's own UTF-8 bytes if the caller has them, is parsed instead of the text:
    the same tree, without converting the text back to bytes for libxml2."""
    root = _parse_tree(text, utf8)
    meta = read_metadata(root)
    _drop_all(select(root, _NEVER_TEXT))
    is_chrome = _chrome_test(root, selectors.drop)
    candidates = [el for selector in selectors.title for el in select(root, (selector,))]
    headline = _headline_showing(candidates, meta.title) if meta.title else None
    container = _find_container(root, selectors.body, is_chrome, headline)
    if headline is None:
        headline = _headline_nearest(candidates, container, is_chrome)
    spared = {el for element in (headline, container) for el in ancestors_and_self(element)}

    def dropped(element: _Element) -> bool:
        return is_chrome(element) and element not in spared

    # Chrome is removed where it shows: in the scope cut out (or the whole page, without one);
    # elsewhere it changes nothing but which <title> comes first.
    scope = common_ancestor(headline, container)
    shown = root if scope is None else scope
    _drop_all([el for el in shown.iter(etree.Element) if dropped(el)])
    return LocatedArticle(
        meta, _title_tag(root, dropped), _marked_fragment(root, scope, headline, container)
    )


def _parse_tree(text: str, utf8: bytes | None) -> _Element:
    # lxml refuses str input with an XML declaration naming an encoding; the text is decoded.
    declared = _XML_DECLARATION.match(text)
    try:
        if utf8 is not None and declared is None:
            return lxml.html.document_fromstring(utf8, parser=_UTF8_PARSER)
        text = _XML_DECLARATION.sub(r"\1", text, count=1) if declared else text
        return lxml.html.document_fromstring(text, parser=_PARSER)
    except etree.ParserError as exc:  # nothing but comments or whitespace
        raise ParseError("no headline found") from exc


def _headline_showing(candidates: list[_Element], title: str) -> _Element | None:
    """The element whose text is the metadata title (ignoring spacing, quotes and case)."""
    matches = (el for el in candidates if strip_headline_prefix(element_text(el), title) == "")
    return next(matches, None)


def _headline_nearest(
    candidates: list[_Element], container: _Element | None, is_chrome: ElementTest
) -> _Element | None:
    """Without a metadata title: the candidate closest to the body in the tree.

    A site logo in an ``<h1>`` shares only the page wrapper with the body, the article's own
    ``<h1>`` shares its article element; a candidate inside chrome that shares no more than
    ``<body>`` with the body is never the headline.
    """
    best: tuple[int, _Element] | None = None
    for element in candidates:
        if not element_text(element):
            continue
        shared = common_ancestor(element, container) if container is not None else None
        depth = len(ancestors_and_self(shared))
        page_level = shared is None or shared.tag in _PAGE_LEVEL
        if (page_level and _inside(element, is_chrome)) or (best is not None and depth <= best[0]):
            continue
        best = (depth, element)
    return best[1] if best else None


def _find_container(
    root: _Element,
    selectors: Sequence[str],
    is_chrome: ElementTest,
    headline: _Element | None,
) -> _Element | None:
    """The body container, preferring one outside chrome (a wrapper around the headline is not
    chrome, even if it is a ``<header>`` or ``<form>``)."""
    headline_line = set(ancestors_and_self(headline))

    def outside_chrome(element: _Element) -> bool:
        return is_chrome(element) and element not in headline_line

    outside = find_body(root, selectors, lambda el: not _inside(el, outside_chrome))
    anywhere = outside if outside is not None else find_body(root, selectors, lambda el: True)
    # Text only in <div>s, neither <p> nor <br>: the whole body, chrome removed, is the best bet.
    return anywhere if anywhere is not None else root.find("body")


def _inside(element: _Element, test: ElementTest) -> bool:
    return any(test(el) for el in ancestors_and_self(element))


def _chrome_test(root: _Element, drop: Sequence[str]) -> ElementTest:
    """Whether an element is chrome: asked of the element itself when the selectors allow
    (types and classes), else of the set of their matches on the whole page."""
    test = element_test(drop)
    return test if test is not None else set(select(root, drop, ordered=False)).__contains__


def _drop_all(elements: Iterable[_Element]) -> None:
    """Remove elements with their content, keeping the text that follows each (its tail)."""
    for element in elements:
        parent = element.getparent()
        if parent is None:
            continue
        if element.tail:  # as lxml.html's drop_tree
            previous = element.getprevious()
            if previous is None:
                parent.text = (parent.text or "") + element.tail
            else:
                previous.tail = (previous.tail or "") + element.tail
        parent.remove(element)


def _title_tag(root: _Element, dropped: ElementTest) -> str:
    """The first <title> on the page as it would be with all its chrome removed."""
    titles = (el for el in root.iterdescendants("title") if not _inside(el, dropped))
    title = next(titles, None)
    return strip_site_name(element_text(title)) if title is not None else ""


def _marked_fragment(
    root: _Element, scope: _Element | None, headline: _Element | None, container: _Element | None
) -> str:
    """The HTML of the scope, the innermost element holding headline and body, all marked."""
    for element, mark in ((headline, HEADLINE_MARK), (container, BODY_MARK)):
        if element is not None:
            element.set(mark, "")
    if scope is None:
        return str(lxml.html.tostring(root, encoding="unicode"))
    scope.set(SCOPE_MARK, "")
    return str(lxml.html.tostring(scope, encoding="unicode", with_tail=False))
