"""Build articles and items straight from the models, so these tests need no parser."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pohang_watch.dedup import content_hash
from pohang_watch.models import (
    Amount,
    Article,
    Commitment,
    ExtractedArticle,
    Item,
    Partnership,
    Relevance,
)

KST = timezone(timedelta(hours=9))


def commitment(
    what: str = "create a battery mega cluster",
    *,
    actor: str = "Pohang City",
    status: str = "planned",
    target_year: int | None = 2030,
    amount: Amount | None = None,
    evidence: str | None = None,
) -> Commitment:
    return Commitment(
        actor=actor,
        what=what,
        target_year=target_year,
        amount=amount,
        sector="battery",
        status=status,
        evidence=evidence or f"{actor} plans to {what} by {target_year}.",
    )


def partnership(
    *parties: str,
    kind: str = "mou",
    status: str = "proposed",
    evidence: str | None = None,
) -> Partnership:
    parties = parties or ("Pohang City", "University College London")
    return Partnership(
        parties=parties,
        partnership_kind=kind,
        status=status,
        what=f"{kind} between {' and '.join(parties)}",
        sector="research",
        evidence=evidence or f"{' and '.join(parties)} {status} an {kind}.",
    )


def extracted(
    number: int,
    *items: Item,
    body: str | None = None,
    article_id: str | None = "default",
    url: str | None = "default",
    urls: tuple[str, ...] = (),
    relevance: float = 0.9,
) -> ExtractedArticle:
    """Article `number`: its own id, URL and body unless told otherwise."""
    ident = f"20250604132032{number:05d}" if article_id == "default" else article_id
    link = f"https://www.asiae.co.kr/en/article/{ident}" if url == "default" else url
    paragraphs = (body or f"Body of Pohang article number {number}.",)
    article = Article(
        article_id=ident,
        url=link,
        title=f"Pohang article {number}",
        subtitles=("A subtitle",),
        published_at=datetime(2025, 6, 4, 13, 20, tzinfo=KST) + timedelta(days=number),
        byline="Reporter",
        paragraphs=paragraphs,
        captions=(),
        content_hash=content_hash(paragraphs),
        urls=urls,
    )
    return ExtractedArticle(
        source=f"seeds/{number:03d}.txt",
        article=article,
        relevance=Relevance(score=relevance, about_pohang=relevance >= 0.5),
        items=items,
    )
