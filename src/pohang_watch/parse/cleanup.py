"""Line-level rules shared by the text-dump and HTML parsers.

Both kinds of page end up as a list of text lines, and the paper's habits are the same in both:
photo captions repeat the headline before the caption text, a copyright line ends the article,
and page chrome ("Join us on social!", "Top") sits among the lines. Keeping the rules in one
place means a dump and the HTML page it was copied from give the same Article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pohang_watch.config import ParseSettings
from pohang_watch.dedup import QUOTES

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# A sentence ends in . ! or ? (not an ellipsis), optionally followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"(?:[!?]|(?<!\.)\.)[\"'”’»)\]]*$")
# Copyright notices other than the configured one: dropped wherever they appear, but they do not
# end the article, since photo credits ("ⓒ Yonhap") look alike and sit mid-article.
_OTHER_COPYRIGHT_START = re.compile(r"©|ⓒ|\(c\)\s|copyright\b|<?저작권자", re.IGNORECASE)
_OTHER_COPYRIGHT_ANYWHERE = re.compile(r"all rights reserved|무단\s*전재", re.IGNORECASE)
_MAX_COPYRIGHT_LINE = 200
# A line that is only a (labelled) date stamp, "Input 2025.06.04 13:20" or "입력 2025-06-04".
_DATE_STAMP = re.compile(
    r"^(?:[^\W\d]{1,12}\s?){0,2}[:：]?\s*\d{4}\s?[-./]\s?\d{1,2}\s?[-./]\s?\d{1,2}\.?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_CAPTION_SEPARATORS = " \t-–—|:·"


# C0 controls other than tab and newline, and DEL: never text, and PostgreSQL rejects NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def scrub(text: str) -> str:
    """Text any database, terminal or JSON encoder accepts: lone surrogates (from broken
    JSON-LD escapes or undecodable file names) become U+FFFD, control characters go. Printable
    text has neither."""
    if text.isprintable():
        return text
    return _CONTROL.sub("", _SURROGATE.sub("\ufffd", text))


def normalise_space(text: str) -> str:
    """One space for any run of whitespace (NBSP, tabs, newlines); zero-width marks removed.

    ``str.split`` splits on exactly the characters ``\\s`` matches (``str.isspace``), and an
    ASCII text has no zero-width marks (``isascii`` is a flag, not a scan). Most texts are
    normalised already: printable text has no whitespace but the space and no zero-width marks,
    so it is returned as it is unless its spaces need collapsing or stripping."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    if not text.isascii() and _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    return " ".join(text.split())


def is_sentence(line: str) -> bool:
    """Whether a line ends like a sentence; headlines and subtitles do not."""
    return bool(_SENTENCE_END.search(line.rstrip()))


def strip_headline_prefix(line: str, headline: str) -> str | None:
    """The rest of ``line`` after a repeated headline, or None if it does not start with it.

    Whitespace, quote styles and "…" versus "..." are ignored: the repeat is often re-typeset.
    """
    line, headline = line.replace("…", "..."), headline.replace("…", "...")
    position = _match_prefix(line, headline)
    if position is None:
        return None
    return line[position:].lstrip(_CAPTION_SEPARATORS).rstrip()


def _match_prefix(line: str, prefix: str) -> int | None:
    """Index in ``line`` just past ``prefix``, comparing without whitespace, quotes or case."""
    stripped = prefix.rstrip()
    if not stripped:
        return None
    if line.startswith(stripped):  # the usual repeat, character for character
        i = len(stripped)
    else:
        i = 0
        for folded in _folded_characters(prefix):
            while i < len(line) and line[i].isspace():
                i += 1
            if i >= len(line) or _fold(line[i]) != folded:
                return None
            i += 1
    at_word_boundary = i >= len(line) or not (line[i].isalnum() and line[i - 1].isalnum())
    return i if at_word_boundary else None


@lru_cache(maxsize=32)
def _folded_characters(prefix: str) -> tuple[str, ...]:
    """The prefix's characters other than whitespace, folded (one headline per article)."""
    return tuple(_fold(char) for char in prefix if not char.isspace())


def _fold(char: str) -> str:
    return char.translate(QUOTES).casefold()


@dataclass(frozen=True, slots=True)
class LineRules:
    """The configured chrome lines and copyright pattern, compiled once per parse."""

    chrome: frozenset[str]
    copyright: re.Pattern[str]

    @classmethod
    def from_settings(cls, settings: ParseSettings) -> LineRules:
        chrome = frozenset(normalise_space(line).casefold() for line in settings.chrome_lines)
        return cls(chrome, re.compile(settings.copyright_pattern))

    def is_chrome(self, line: str) -> bool:
        return line.casefold() in self.chrome

    def is_copyright(self, line: str) -> bool:
        return bool(self.copyright.search(line)) or (
            len(line) <= _MAX_COPYRIGHT_LINE and _is_other_copyright(line)
        )

    def is_noise(self, line: str) -> bool:
        """Chrome, a copyright notice, or a bare date stamp: never part of the article."""
        return self.is_chrome(line) or self.is_copyright(line) or _is_date_stamp(line)

    def content_lines(self, lines: Iterable[str], *, normalised: bool = False) -> list[str]:
        """Normalised lines before the paper's copyright line, without empties and chrome
        (`normalised`: the lines are already, as `html_body.text_lines` gives them)."""
        kept: list[str] = []
        for raw in lines:
            line = raw if normalised else normalise_space(raw)
            if self.copyright.search(line):
                break
            if line and not self.is_noise(line):
                kept.append(line)
        return kept


def _is_other_copyright(line: str) -> bool:
    """A copyright notice of another source. The search through the whole line runs only when
    a piece of it is there: re's IGNORECASE matches no letter of "erved" but its ASCII cases,
    and Hangul has no case."""
    if _OTHER_COPYRIGHT_START.match(line):
        return True
    maybe = "무단" in line or "erved" in line.lower()
    return maybe and bool(_OTHER_COPYRIGHT_ANYWHERE.search(line))


def _is_date_stamp(line: str) -> bool:
    """A bare date stamp. The pattern, which backtracks on every line, runs only on a line that
    ends as a stamp does: in a digit, or a digit and a full stop (before a final newline, which
    ``$`` allows)."""
    end = line.removesuffix("\n").removesuffix(".")
    return end[-1:].isdecimal() and bool(_DATE_STAMP.match(line))


def split_captions(lines: Sequence[str], headline: str) -> tuple[list[str], list[str]]:
    """Separate photo captions (lines repeating the headline) from body paragraphs.

    A line that is only the headline again (an image's alt text, say) is neither.
    """
    paragraphs: list[str] = []
    captions: list[str] = []
    for line in lines:
        remainder = strip_headline_prefix(line, headline)
        if remainder is None:
            paragraphs.append(line)
        elif remainder:
            captions.append(remainder)
    return paragraphs, captions
