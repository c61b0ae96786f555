"""Sentences as this paper writes them: abbreviations, quotations, lost dashes, ▲ lists.

The evidence of every item is one whole sentence, so the splitter must not cut "U.S." or
"Co., Ltd." in two, must keep a quoted sentence's closing quote with it, and must know who is
speaking inside a quotation (the mayor's "We will…" is the city's pledge, the council chair's
is the council's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from pohang_watch.extract.literals import Hinted

ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "u.s.",
        "u.k.",
        "u.n.",
        "dr.",
        "no.",
        "co.",
        "ltd.",
        "inc.",
        "corp.",
        "prof.",
        "mr.",
        "mrs.",
        "ms.",
        "st.",
        "jr.",
        "sr.",
        "gov.",
        "vs.",
        "e.g.",
        "i.e.",
        "approx.",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "aug.",
        "sep.",
        "sept.",
        "oct.",
        "nov.",
        "dec.",
    }
)

SPEECH_VERBS = (
    r"stated|said|says|emphasized|emphasised|added|noted|remarked|stressed|explained|"
    r"pledged|promised|announced|commented|declared|expressed|urged"
)

# The paper's export loses em dashes as "?" between two words: "sectors?secondary".
_LOST_DASH = Hinted(r"(?<=[A-Za-z])\?(?=[A-Za-z])")
# End punctuation, any closing quotes or brackets, then space and a sentence-like start.
_BOUNDARY = re.compile(r"[.!?][”’\"')\]]*(?=\s+[“‘\"(\[]?[A-Z0-9▲])")
_INITIAL = re.compile(r"^(?:[A-Z]\.)+$")
_SPEAKER_BEFORE = re.compile(
    rf"^(?P<who>[^“\"]{{2,200}}?),?\s+(?:{SPEECH_VERBS})\b[^“\"]{{0,30}}[“\"]"
)
_SPEAKER_AFTER = re.compile(rf"[”\"],?\s+(?P<who>[^.,“”\"]{{2,120}}?)\s+(?:{SPEECH_VERBS})\b")
# Both speaker patterns need a speech verb: the words of this one (see literals.py).
_SPEECH = Hinted(rf"(?:{SPEECH_VERBS})\b")
_ENUM_TAIL = re.compile(r"[\s;,.:”\"]*(?:\band\b|\bor\b)?[\s;,.:”\"]*$")


class Sentence(NamedTuple):
    """One sentence, whether any of it is quoted, and the speaker of its paragraph's quote. (A
    named tuple: a cache key, hashed in C.)"""

    text: str
    quoted: bool
    speaker: str | None


def repair_text(text: str) -> str:
    """Undo the export's damage that would mislead splitting: lost dashes, odd spacing."""
    return " ".join(_LOST_DASH.sub(" — ", text).split())


def split_sentences(paragraph: str) -> tuple[Sentence, ...]:
    """Sentences of one paragraph, each marked quoted or not and carrying the speaker."""
    text = repair_text(paragraph)
    speaker = find_speaker(text)
    sentences: list[Sentence] = []
    open_quote = False
    for piece in _pieces(text):
        opens, closes = piece.count("“"), piece.count("”")
        quoted = open_quote or opens > 0 or piece.count('"') > 0
        sentences.append(Sentence(piece, quoted, speaker if quoted else None))
        open_quote = (open_quote or opens > closes) and not closes > opens
    return tuple(sentences)


def _pieces(text: str) -> Iterator[str]:
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_abbreviation(text[start : match.start() + 1]):
            continue
        yield text[start : match.end()].strip()
        start = match.end()
    if tail := text[start:].strip():
        yield tail


def _is_abbreviation(head: str) -> bool:
    token = _last_token(head)
    if token is None:
        return False
    word = token.lstrip('(“‘"')
    return word.casefold() in ABBREVIATIONS or bool(_INITIAL.match(word))


def _last_token(head: str) -> str | None:
    """What ``(\\S+)$`` finds: the last run of non-space at the end, or before a final newline."""
    trimmed = head[:-1] if head.endswith("\n") else head
    if not trimmed or trimmed[-1].isspace():
        return None
    return trimmed.rsplit(None, 1)[-1]


def find_speaker(paragraph: str) -> str | None:
    """Who speaks the paragraph's quotation: 'X stated, “…”' or '“…,” X said'."""
    quoted = '"' in paragraph or "“" in paragraph or "”" in paragraph
    if not quoted or not _SPEECH.possible(paragraph):  # what both patterns need
        return None
    match = _SPEAKER_BEFORE.search(paragraph) or _SPEAKER_AFTER.search(paragraph)
    return match.group("who").strip() if match else None


def split_enumeration(text: str) -> tuple[str, tuple[str, ...]]:
    """A Korean-style list: the lead before the first ▲ and each ▲ item, without the glue
    ("; and", the final full stop) that belongs to the list rather than to the item."""
    lead, *items = text.split("▲")
    cleaned = tuple(item for item in (_ENUM_TAIL.sub("", i).strip() for i in items) if item)
    return lead, cleaned
