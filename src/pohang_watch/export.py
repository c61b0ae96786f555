"""JSON forms of articles, items and ledger entries: the contract of DESIGN §5 that others parse."""

from __future__ import annotations

from typing import Any

from pohang_watch.ledger import LedgerEntry
from pohang_watch.models import Amount, Article, Commitment, ExtractedArticle, Item, PageError


def amount_to_json(amount: Amount | None) -> dict[str, Any] | None:
    if amount is None:
        return None
    return {"value": amount.value, "currency": amount.currency, "text": amount.text}


def article_to_json(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.article_id,
        "url": article.url,
        "title": article.title,
        "subtitles": list(article.subtitles),
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "byline": article.byline,
        "paragraphs": list(article.paragraphs),
        "captions": list(article.captions),
        "content_hash": article.content_hash,
    }


def item_to_json(item: Item) -> dict[str, Any]:
    if isinstance(item, Commitment):
        return {
            "kind": item.kind.value,
            "actor": item.actor,
            "what": item.what,
            "target_year": item.target_year,
            "amount": amount_to_json(item.amount),
            "sector": item.sector,
            "status": item.status,
            "evidence": item.evidence,
        }
    return {
        "kind": item.kind.value,
        "parties": list(item.parties),
        "partnership_kind": item.partnership_kind,
        "what": item.what,
        "target_year": item.target_year,
        "sector": item.sector,
        "status": item.status,
        "evidence": item.evidence,
    }


def extracted_to_json(result: ExtractedArticle) -> dict[str, Any]:
    return {
        "source": result.source,
        "article": article_to_json(result.article),
        "about_pohang": result.relevance.about_pohang,
        "relevance": round(result.relevance.score, 3),
        "relevance_reasons": list(result.relevance.reasons),
        "items": [item_to_json(item) for item in result.items],
    }


def error_to_json(error: PageError) -> dict[str, Any]:
    return {"source": error.source, "stage": error.stage, "error": error.message}


def ledger_entry_to_json(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "actor": entry.actor,
        "what": entry.what,
        "parties": list(entry.parties) if entry.parties else None,
        "partnership_kind": entry.partnership_kind,
        "status": entry.status,
        "target_year": entry.target_year,
        "amount": amount_to_json(entry.amount),
        "sector": entry.sector,
        "first_seen": entry.first_seen,
        "first_url": entry.first_url,
        "mentions": entry.mentions,
        "evidence": entry.first_evidence,
        "updated_at": entry.updated_at.isoformat() if entry.updated_at else None,
    }
