"""Text dumps of article pages (a browser's "save as text", or copy and paste).

Shape (DESIGN §3): page chrome, the headline, one to four subtitle lines, body paragraphs with
photo captions among them, the copyright line, more chrome. Blank lines between paragraphs come
and go between dumps, so nothing here depends on them: subtitles are told from the body by
their form (headline-like: short, no sentence-final punctuation), not by the spacing.
"""

from __future__ import annotations

from collections.abc import Sequence

from pohang_watch.config import ParseSettings
from pohang_watch.models import Article, SourceDocument
from pohang_watch.parse.article import Found, assemble_article
from pohang_watch.parse.article_ids import ARTICLE_URL_PATTERN
from pohang_watch.parse.cleanup import (
    LineRules,
    is_sentence,
    split_captions,
    strip_headline_prefix,
)

MAX_SUBTITLES = 4
# Subtitles are decks, not paragraphs: a longer line without a full stop is a cut-off paragraph.
MAX_SUBTITLE_CHARS = 200


def parse_text_dump(text: str, doc: SourceDocument, settings: ParseSettings) -> Article:
    """The Article in a text dump; ParseError when no headline or body can be found."""
    rules = LineRules.from_settings(settings)
    lines = rules.content_lines(line for line in text.splitlines() if not _is_bare_url(line))
    urls = _urls_before_headline(text, lines[0] if lines else "")
    headline = lines[0] if lines else ""
    subtitles, body = split_subtitles(lines[1:], headline)
    paragraphs, captions = split_captions(body, headline)
    return assemble_article(
        Found(
            title=headline,
            subtitles=subtitles,
            paragraphs=paragraphs,
            captions=captions,
            source=doc.source,
            self_urls=urls[:1],
            extra_urls=[doc.url] if doc.url else (),
        )
    )


def split_subtitles(lines: Sequence[str], headline: str) -> tuple[list[str], list[str]]:
    """Leading headline-like lines (at most four) are subtitles; the rest is the body."""
    count = 0
    while count < min(MAX_SUBTITLES, len(lines)) and _is_subtitle(lines[count], headline):
        count += 1
    return list(lines[:count]), list(lines[count:])


def _is_subtitle(line: str, headline: str) -> bool:
    return (
        len(line) <= MAX_SUBTITLE_CHARS
        and not is_sentence(line)
        and strip_headline_prefix(line, headline) is None
    )


def _urls_before_headline(text: str, headline: str) -> list[str]:
    """Article URLs in the header of the dump ("saved from …"); a URL in the body or after it
    is a related-article link and must not lend this article its id."""
    header, found, _ = text.partition(headline) if headline else ("", "", "")
    return [match.group(0) for match in ARTICLE_URL_PATTERN.finditer(header)] if found else []


def _is_bare_url(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("http://", "https://")) and " " not in stripped
