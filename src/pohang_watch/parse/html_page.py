"""HTML article pages: standard metadata, then configured selectors, then generic rules.

html_locate finds the headline and body on the whole page (lxml) and cuts out the article's
scope; this module reads that fragment with BeautifulSoup: captions, byline and subtitles are
taken out of the tree first, so that what is left of the container is body text only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from pohang_watch.config import ParseSettings
from pohang_watch.models import Article, SourceDocument
from pohang_watch.parse.article import Found, assemble_article
from pohang_watch.parse.cleanup import (
    LineRules,
    is_sentence,
    split_captions,
    strip_headline_prefix,
)
from pohang_watch.parse.html_body import text_lines
from pohang_watch.parse.html_locate import BODY_MARK, HEADLINE_MARK, SCOPE_MARK, locate_article
from pohang_watch.parse.html_meta import (
    PageMeta,
    element_text,
    parse_datetime,
    strip_site_name,
)
from pohang_watch.parse.soup_select import FragmentSelector, fragment_soup
from pohang_watch.parse.text_dump import MAX_SUBTITLES

_SUBTITLE_HEADINGS = frozenset({"h2", "h3", "h4"})
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->")
_SAVED_FROM_SCAN_CHARS = 2048
# JSON-LD articleBody replaces the HTML body when the HTML yields less than this share of it.
_MIN_HTML_BODY_SHARE = 0.5
_MAX_RESIDUE_CHARS = 40
_MARKS = (HEADLINE_MARK, BODY_MARK, SCOPE_MARK)


def parse_html(
    text: str, doc: SourceDocument, settings: ParseSettings, *, utf8: bytes | None = None
) -> Article:
    """The Article on an HTML page; ParseError when no headline or body can be found.
    `utf8`: the page's bytes, if they are the text in UTF-8 (see `locate_article`)."""
    selectors = settings.selectors
    located = locate_article(text, selectors, utf8=utf8)
    meta = located.meta
    soup = fragment_soup(located.fragment)
    marked = _take_marks(soup)
    headline, container = marked.get(HEADLINE_MARK), marked.get(BODY_MARK)
    scope = marked.get(SCOPE_MARK) or soup
    finder = FragmentSelector(scope)
    title = meta.title or (strip_site_name(element_text(headline)) if headline else "")
    title = title or located.title_tag
    published = meta.published_at or _time_element(finder)
    captions = _extract_captions(finder, selectors.captions, title)
    byline = _extract_byline(finder, selectors.byline)
    subtitles = _extract_subtitles(finder, selectors.subtitles, headline, container)
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


def _take_marks(soup: BeautifulSoup) -> dict[str, Tag]:
    """The elements html_locate marked (the first of each in document order), with the marks
    removed again; one walk for the three."""
    found: dict[str, Tag] = {}
    for element in soup.descendants:
        if isinstance(element, Tag) and element.attrs:
            for mark in _MARKS:
                if mark in element.attrs and mark not in found:
                    found[mark] = element
    for mark, element in found.items():
        del element[mark]
    return found


def _select_any(finder: FragmentSelector, selectors: Sequence[str]) -> list[Tag]:
    """Elements matching any of the selectors, in document order."""
    return finder.select(", ".join(selectors)) if selectors else []


def _in(element: PageElement, ids: set[int]) -> bool:
    return any(id(el) in ids for el in (element, *element.parents))


def _time_element(finder: FragmentSelector) -> datetime | None:
    time = finder.select_one("time[datetime]")
    value = time.get("datetime") if time else None
    return parse_datetime(value) if isinstance(value, str) else None


def _extract_captions(finder: FragmentSelector, selectors: Sequence[str], title: str) -> list[str]:
    """Caption texts (without a repeated headline), taken out of the tree."""
    matches = _select_any(finder, selectors)
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


def _extract_byline(finder: FragmentSelector, selectors: Sequence[str]) -> str | None:
    for selector in selectors:
        if matches := finder.select(selector):
            byline = element_text(matches[0]) or None
            for element in matches:
                element.extract()
            return byline
    return None


def _extract_subtitles(
    finder: FragmentSelector,
    selectors: Sequence[str],
    headline: Tag | None,
    container: Tag | None,
) -> list[str]:
    """Configured subtitle elements, else headings between the headline and the first text."""
    elements: list[Tag] = []
    for selector in selectors:
        if elements := [el for el in finder.select(selector) if element_text(el)]:
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
    lines = text_lines(container) if container is not None else []
    lines = rules.content_lines(lines, normalised=True)
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
