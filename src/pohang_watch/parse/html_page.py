"""HTML article pages: standard metadata, then configured selectors, then generic rules.

Order of work, and why:
1. metadata (canonical, og:*, JSON-LD) before anything is removed, since scripts hold JSON-LD;
2. the headline element matched to the metadata title, and the body container (configured
   selectors, else the densest paragraphs) — both before chrome is removed, so that chrome
   removal can spare the article's own ``<header>`` and a page wrapped in ``<form>``; without
   a metadata title, the headline is the title element nearest the body;
4. chrome removal, then captions, byline and subtitles are taken out of the tree, so that what
   is left of the container is body text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from pohang_watch.config import HtmlSelectors, ParseSettings
from pohang_watch.models import Article, SourceDocument
from pohang_watch.parse.article import Found, assemble_article
from pohang_watch.parse.cleanup import (
    LineRules,
    is_sentence,
    split_captions,
    strip_headline_prefix,
)
from pohang_watch.parse.html_body import (
    ancestors_and_self,
    common_ancestor,
    find_body,
    text_lines,
)
from pohang_watch.parse.html_meta import (
    PageMeta,
    element_text,
    parse_datetime,
    read_metadata,
    strip_site_name,
)
from pohang_watch.parse.text_dump import MAX_SUBTITLES

# Never text, whatever the configuration says.
_NEVER_TEXT = ["script", "style", "noscript", "template", "svg", "button", "select", "textarea"]
_SUBTITLE_HEADINGS = frozenset({"h2", "h3", "h4"})
_PAGE_LEVEL = frozenset({"body", "html", "[document]"})
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->")
_SAVED_FROM_SCAN_CHARS = 2048
# JSON-LD articleBody replaces the HTML body when the HTML yields less than this share of it.
_MIN_HTML_BODY_SHARE = 0.5
_MAX_RESIDUE_CHARS = 40


def parse_html(text: str, doc: SourceDocument, settings: ParseSettings) -> Article:
    """The Article on an HTML page; ParseError when no headline or body can be found."""
    soup = BeautifulSoup(text, "lxml")
    meta = read_metadata(soup)
    for tag in soup.find_all(_NEVER_TEXT):
        tag.decompose()
    selectors = settings.selectors
    headline, container = _locate_article(soup, selectors, meta.title)
    scope = common_ancestor(headline, container) or soup
    title = meta.title or (strip_site_name(element_text(headline)) if headline else "")
    title = title or _title_tag(soup)
    published = meta.published_at or _time_element(scope)
    captions = _extract_captions(scope, selectors.captions, title)
    byline = _extract_byline(scope, selectors.byline)
    subtitles = _extract_subtitles(scope, selectors.subtitles, headline, container)
    if headline is not None:
        headline.extract()
    paragraphs, inline_captions = _body(container, meta, title, LineRules.from_settings(settings))
    return assemble_article(
        Found(
            title=title,
            subtitles=subtitles,
            paragraphs=paragraphs,
            captions=list(dict.fromkeys([*captions, *inline_captions])),
            source=doc.source,
            self_urls=meta.self_urls,
            published_at=published,
            byline=meta.byline or byline,
            extra_urls=[url for url in (doc.url, _saved_from(text)) if url],
        )
    )


def _locate_article(
    soup: BeautifulSoup, selectors: HtmlSelectors, title: str | None
) -> tuple[Tag | None, Tag | None]:
    """Headline element and body container; then the chrome around them is removed."""
    chrome = _select_any(soup, selectors.drop)
    candidates = [el for selector in selectors.title for el in soup.select(selector)]
    headline = _headline_showing(candidates, title) if title else None
    container = _find_container(soup, selectors.body, chrome, headline)
    if headline is None:
        headline = _headline_nearest(candidates, container, {id(el) for el in chrome})
    _remove_chrome(chrome, keep=(headline, container))
    return headline, container


def _headline_showing(candidates: list[Tag], title: str) -> Tag | None:
    """The element whose text is the metadata title (ignoring spacing, quotes and case)."""
    matches = (el for el in candidates if strip_headline_prefix(element_text(el), title) == "")
    return next(matches, None)


def _headline_nearest(
    candidates: list[Tag], container: Tag | None, chrome_ids: set[int]
) -> Tag | None:
    """Without a metadata title: the candidate closest to the body in the tree.

    A site logo in an ``<h1>`` shares only the page wrapper with the body, the article's own
    ``<h1>`` shares its article element; a candidate inside chrome that shares no more than
    ``<body>`` with the body is never the headline.
    """
    best: tuple[int, Tag] | None = None
    for element in candidates:
        if not element_text(element):
            continue
        shared = common_ancestor(element, container) if container is not None else None
        depth = len(list(ancestors_and_self(shared))) if shared is not None else 0
        page_level = shared is None or shared.name in _PAGE_LEVEL
        if (page_level and _in(element, chrome_ids)) or (best is not None and depth <= best[0]):
            continue
        best = (depth, element)
    return best[1] if best else None


def _find_container(
    soup: BeautifulSoup, selectors: Sequence[str], chrome: list[Tag], headline: Tag | None
) -> Tag | None:
    """The body container, preferring one outside chrome (a wrapper around the headline is not
    chrome, even if it is a ``<header>`` or ``<form>``)."""
    spared = {id(el) for el in ancestors_and_self(headline)}
    chrome_ids = {id(el) for el in chrome} - spared
    outside = find_body(soup, selectors, lambda el: not _in(el, chrome_ids))
    anywhere = outside or find_body(soup, selectors, lambda el: True)
    # Text only in <div>s, neither <p> nor <br>: the whole body, chrome removed, is the best bet.
    return anywhere or soup.body


def _remove_chrome(chrome: list[Tag], keep: tuple[Tag | None, ...]) -> None:
    spared = {id(el) for element in keep for el in ancestors_and_self(element)}
    for element in chrome:
        if id(element) not in spared and not element.decomposed:
            element.decompose()


def _select_any(root: BeautifulSoup | Tag, selectors: Sequence[str]) -> list[Tag]:
    """Elements matching any of the selectors, in document order."""
    return root.select(", ".join(selectors)) if selectors else []


def _in(element: Tag, ids: set[int]) -> bool:
    return any(id(el) in ids for el in ancestors_and_self(element))


def _title_tag(soup: BeautifulSoup) -> str:
    return strip_site_name(element_text(soup.title)) if soup.title else ""


def _time_element(scope: BeautifulSoup | Tag) -> datetime | None:
    time = scope.select_one("time[datetime]")
    value = time.get("datetime") if time else None
    return parse_datetime(value) if isinstance(value, str) else None


def _extract_captions(
    scope: BeautifulSoup | Tag, selectors: Sequence[str], title: str
) -> list[str]:
    """Caption texts (without a repeated headline), taken out of the tree."""
    matches = _select_any(scope, selectors)
    taken: set[int] = set()
    captions: list[str] = []
    for element in matches:
        if _in(element, taken):
            continue  # nested inside a caption already taken
        taken.add(id(element))
        text = element_text(element)
        remainder = strip_headline_prefix(text, title)
        caption = text if remainder is None else remainder
        if caption:
            captions.append(caption)
    for element in matches:
        element.extract()
    return captions


def _extract_byline(scope: BeautifulSoup | Tag, selectors: Sequence[str]) -> str | None:
    for selector in selectors:
        if matches := scope.select(selector):
            byline = element_text(matches[0]) or None
            for element in matches:
                element.extract()
            return byline
    return None


def _extract_subtitles(
    scope: BeautifulSoup | Tag,
    selectors: Sequence[str],
    headline: Tag | None,
    container: Tag | None,
) -> list[str]:
    """Configured subtitle elements, else headings between the headline and the first text."""
    elements: list[Tag] = []
    for selector in selectors:
        if elements := [el for el in scope.select(selector) if element_text(el)]:
            break
    if not elements and headline is not None:
        elements = _leading_headings(headline.next_elements, skip=headline)
    elif not elements and container is not None:
        elements = _leading_headings(container.descendants, skip=None)
    subtitles = [line for element in elements for line in text_lines(element)]
    for element in elements:
        element.extract()
    return subtitles[:MAX_SUBTITLES]


def _leading_headings(nodes: Iterable[PageElement], skip: Tag | None) -> list[Tag]:
    """h2–h4 elements before any other visible text (text inside ``skip`` or <time> aside).

    Walked from the headline, these are the decks under it; walked from the body container of a
    page without a headline element, the decks at its start.
    """
    headings: list[Tag] = []
    for node in nodes:
        if isinstance(node, Tag):
            if node.name in _SUBTITLE_HEADINGS:
                headings.append(node)
            if len(headings) == MAX_SUBTITLES:
                break
            continue
        if type(node) is not NavigableString or not node.strip():
            continue
        owners = {id(owner) for owner in (skip, *headings) if owner is not None}
        if any(id(parent) in owners or parent.name == "time" for parent in node.parents):
            continue
        break
    return headings


def _body(
    container: Tag | None, meta: PageMeta, title: str, rules: LineRules
) -> tuple[list[str], list[str]]:
    """Body paragraphs and inline captions, from the HTML or else from JSON-LD articleBody."""
    lines = rules.content_lines(text_lines(container)) if container is not None else []
    paragraphs, captions = split_captions(_without_trailing_residue(lines), title)
    if meta.article_body and _html_body_too_short(paragraphs, meta.article_body):
        body_lines = rules.content_lines(_article_body_lines(meta.article_body))
        return split_captions(body_lines, title)
    return paragraphs, captions


def _without_trailing_residue(lines: list[str]) -> list[str]:
    """Drop short non-sentences at the end ("Share this:", "Tags"): widget text that survives
    chrome removal on unknown markup. Articles end with a sentence."""
    end = len(lines)
    while end and len(lines[end - 1]) < _MAX_RESIDUE_CHARS and not is_sentence(lines[end - 1]):
        end -= 1
    return lines[:end]


def _html_body_too_short(paragraphs: list[str], article_body: str) -> bool:
    html_chars = sum(len(paragraph) for paragraph in paragraphs)
    return html_chars < _MIN_HTML_BODY_SHARE * len(article_body.strip())


def _article_body_lines(article_body: str) -> list[str]:
    if "<" in article_body and ">" in article_body:  # some CMSs put markup in articleBody
        return text_lines(BeautifulSoup(article_body, "lxml"))
    return article_body.splitlines()


def _saved_from(text: str) -> str | None:
    match = _SAVED_FROM.search(text[:_SAVED_FROM_SCAN_CHARS])
    return match.group(1) if match else None
