"""Frozen records passed between the stages.

Every stage takes and returns these plain values, so each can be tested alone and the Prefect
layer only moves them around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """The raw bytes of one saved page or fetched response, before parsing."""

    source: str  # the path as given, or the URL fetched
    content: bytes
    media_type: Literal["text/html", "text/plain"]
    url: str | None = None  # the URL it was fetched from, when known
    charset: str | None = None  # charset declared by the HTTP response, when known


@dataclass(frozen=True, slots=True)
class Article:
    """One article of the paper, whatever page or dump it came from."""

    article_id: str | None
    url: str | None  # canonical URL
    title: str
    subtitles: tuple[str, ...]
    published_at: datetime | None  # timezone-aware
    byline: str | None
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    content_hash: str  # sha256 of the normalised body (see dedup.content_hash)
    urls: tuple[str, ...] = ()  # every URL this page named for itself (canonical, og:url, …)


@dataclass(frozen=True, slots=True)
class Relevance:
    """How much an article is about Pohang, and why."""

    score: float  # 0..1
    about_pohang: bool
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Amount:
    """A sum of money as stated: value in units of the currency, and the original words."""

    value: float
    currency: str  # ISO 4217 code, e.g. KRW, USD
    text: str


class ItemKind(StrEnum):
    COMMITMENT = "commitment"
    PARTNERSHIP = "partnership"


@dataclass(frozen=True, slots=True)
class Commitment:
    """A forward-looking pledge, plan, target or decision by an actor."""

    actor: str
    what: str
    target_year: int | None
    amount: Amount | None
    sector: str
    status: str  # planned | underway | completed
    evidence: str  # the whole sentence it was read from
    kind: Literal[ItemKind.COMMITMENT] = field(default=ItemKind.COMMITMENT, init=False)


@dataclass(frozen=True, slots=True)
class Partnership:
    """A cooperation relation between a Pohang body and another organisation."""

    parties: tuple[str, ...]
    partnership_kind: str  # mou | joint_research | investment | event | support | cooperation
    status: str  # proposed | discussed | requested | agreed | signed
    what: str
    sector: str
    evidence: str
    target_year: int | None = None
    kind: Literal[ItemKind.PARTNERSHIP] = field(default=ItemKind.PARTNERSHIP, init=False)


Item = Commitment | Partnership


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """An article after parse, relevance and extraction: what one input page yields."""

    source: str
    article: Article
    relevance: Relevance
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class PageError:
    """A page that failed a stage; kept as data so the run goes on."""

    source: str
    stage: str  # read | parse | extract | store
    message: str
