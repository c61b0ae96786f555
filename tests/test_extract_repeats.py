"""Sentences an article repeats are read once, but "the company" still follows the article."""

from __future__ import annotations

from pathlib import Path

from pohang_watch.config import load_settings
from pohang_watch.extract import extract_items
from pohang_watch.models import Article, Commitment

REPO_ROOT = Path(__file__).resolve().parents[1]


def article(*paragraphs: str) -> Article:
    return Article(
        article_id=None,
        url=None,
        title="Pohang News",
        subtitles=(),
        published_at=None,
        byline=None,
        paragraphs=paragraphs,
        captions=(),
        content_hash="",
    )


def test_a_repeated_sentence_names_the_company_named_last() -> None:
    settings = load_settings(REPO_ROOT / "config" / "pohang-watch.toml").extract
    repeated = "The company will build a battery recycling plant by 2027."
    found = extract_items(
        article(
            "EcoPro signed an agreement with Pohang City on Monday.",
            repeated,
            "Samsung SDI also signed an agreement with Pohang City.",
            repeated,
        ),
        settings,
    )
    pledges = [item for item in found if isinstance(item, Commitment)]
    assert [(c.actor, c.what, c.evidence) for c in pledges] == [
        ("EcoPro", "build a battery recycling plant", repeated),
        ("Samsung SDI", "build a battery recycling plant", repeated),
    ]
