"""Parse stage: one saved or fetched page (HTML or text dump) becomes one Article.

    parse_document
    ├── decoding.decode_page     bytes → text; refuses empty, binary and undecodable input
    ├── html_page.parse_html     captions, byline, subtitles, body lines (BeautifulSoup, fragment)
    │   ├── html_locate          whole page in lxml: metadata → selectors → generic fallback,
    │   │   │                    chrome removed, the article's scope cut out for BeautifulSoup
    │   │   ├── html_meta        canonical, og:*, article:*, JSON-LD
    │   │   ├── html_select      configured CSS selectors compiled to XPath
    │   │   └── html_body        body container (lxml) and its text lines (BeautifulSoup)
    │   └── soup_select          the fragment's soup (a parser per thread) and its selectors
    │                            (soupsieve, tried only on elements that can match)
    └── text_dump.parse_text_dump
    shared: cleanup (chrome, copyright, captions), article (ids, URLs, hash → Article),
            article_ids (URL forms and ids of the paper, reused by live discovery)

Pure: no I/O. Failures raise ParseError with the reason; the caller adds the source name.
"""

from __future__ import annotations

import re

from pohang_watch.config import ParseSettings
from pohang_watch.models import Article, SourceDocument
from pohang_watch.parse.decoding import decode_page
from pohang_watch.parse.html_page import parse_html
from pohang_watch.parse.text_dump import parse_text_dump

__all__ = ["looks_like_html", "parse_document"]

# Leading comments are allowed: browsers write "<!-- saved from url=… -->" before the doctype.
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head)\b", re.I | re.S)
_SNIFF_CHARS = 4096


def parse_document(doc: SourceDocument, settings: ParseSettings) -> Article:
    """Parse one page. A .txt that is really an HTML page (a common mis-save) is parsed as HTML."""
    is_html = doc.media_type == "text/html" or looks_like_html(doc.content[:_SNIFF_CHARS])
    decoded = decode_page(doc.content, doc.charset, html=is_html)
    if is_html:
        return parse_html(decoded.text, doc, settings, utf8=decoded.utf8)
    return parse_text_dump(decoded.text, doc, settings)


def looks_like_html(head: bytes) -> bool:
    """Whether content starts like an HTML document (doctype, <html> or <head>)."""
    return bool(_HTML_START.match(head.decode("latin-1").lstrip("\ufeffï»¿")))
