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
_NON_WORD = re.compile(r"[^\w]+")


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
    folded = unicodedata.normalize("NFKC", text).translate(QUOTES).casefold()
    return _NON_WORD.sub(" ", folded).strip()


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
