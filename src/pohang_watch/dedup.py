"""Exact de-duplication: one article id, one canonical URL, one normalised body — one article.

Pure functions: the store answers "which of these keys are known" in one batched query and
`find_duplicates` decides, so the decision is testable without a database.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pohang_watch.models import Article

# Typographic quotes → ASCII, so a re-typeset copy is the same text (shared with the parser).
QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "`": "'", "“": '"', "”": '"', "„": '"'})
_WORD_CHAR = re.compile(r"\w")
_ASCII_BYTES = bytes(range(128))
# Bytes of UTF-8: ASCII non-word characters become spaces; bytes of longer sequences stay.
_ASCII_NON_WORD_TO_SPACE = bytes(
    b if b >= 0x80 or _WORD_CHAR.fullmatch(chr(b)) else 0x20 for b in range(256)
)


class DuplicateReason(StrEnum):
    SAME_ID = "same_id"
    SAME_URL = "same_url"
    SAME_BODY = "same_body"


@dataclass(frozen=True, slots=True)
class KnownArticles:
    """Keys of articles already stored (or seen earlier in the same batch)."""

    ids: frozenset[str] = frozenset()
    urls: frozenset[str] = frozenset()
    hashes: frozenset[str] = frozenset()


def normalise_text(text: str) -> str:
    """Lower-case words only: survives re-typeset quotes, dashes, spacing and punctuation."""
    return " ".join(normalised_words(text))


def normalised_words(text: str) -> list[str]:
    """The words of `normalise_text(text)`: NFKC, case-folded, the runs of word characters
    (`\\w`, as `re` defines it for str). Quotes need no folding here: every quote, like every
    other non-word character, only separates words.

    As fast as C allows: the few distinct non-ASCII characters are classified one by one (the
    UTF-8 bytes without their ASCII ones give them), the non-word ones replaced by spaces, and
    ASCII punctuation becomes spaces in one `bytes.translate` before splitting.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        # Lone surrogates are not word characters, so none survives to the encoding below.
        others = folded.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
        for char in set(others.decode("utf-8", "surrogatepass")):
            if _WORD_CHAR.fullmatch(char) is None:
                folded = folded.replace(char, " ")
    return folded.encode("utf-8").translate(_ASCII_NON_WORD_TO_SPACE).decode("utf-8").split()


def content_hash(paragraphs: Iterable[str]) -> str:
    """sha256 of the normalised body; equal for the same text under any markup or URL."""
    body = "\n".join(n for n in (normalise_text(p) for p in paragraphs) if n)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def article_keys(articles: Iterable[Article]) -> KnownArticles:
    """The keys to look up in the store for a batch."""
    ids: set[str] = set()
    urls: set[str] = set()
    hashes: set[str] = set()
    for article in articles:
        if article.article_id:
            ids.add(article.article_id)
        if article.url:
            urls.add(article.url)
        hashes.add(article.content_hash)
    return KnownArticles(frozenset(ids), frozenset(urls), frozenset(hashes))


def find_duplicates(
    articles: Sequence[Article], known: KnownArticles
) -> list[DuplicateReason | None]:
    """For each article, why it duplicates a known or earlier one in the batch, or None if new."""
    ids, urls, hashes = set(known.ids), set(known.urls), set(known.hashes)
    decisions: list[DuplicateReason | None] = []
    for article in articles:
        reason: DuplicateReason | None = None
        if article.article_id and article.article_id in ids:
            reason = DuplicateReason.SAME_ID
        elif article.url and article.url in urls:
            reason = DuplicateReason.SAME_URL
        elif article.content_hash in hashes:
            reason = DuplicateReason.SAME_BODY
        decisions.append(reason)
        if reason is None:
            if article.article_id:
                ids.add(article.article_id)
            if article.url:
                urls.add(article.url)
            hashes.add(article.content_hash)
    return decisions
