"""Fixtures for the extraction tests: the repo's alias table and articles built from text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pohang_watch.config import ExtractSettings, load_settings
from pohang_watch.models import Article

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
CHROME = {
    "본문 바로가기",
    "bar_progress",
    "Text Size",
    "Close",
    "Special Coverage",
    "Join us on social!",
    "Top",
}

MakeArticle = Callable[..., Article]


@pytest.fixture(scope="session")
def extract_settings() -> ExtractSettings:
    """The shipped alias table: the tests pin behaviour users get."""
    return load_settings(REPO_ROOT / "config" / "pohang-watch.toml").extract


def article_from_paragraphs(*paragraphs: str, title: str = "Pohang News") -> Article:
    return Article(
        article_id=None,
        url=None,
        title=title,
        subtitles=(),
        published_at=None,
        byline=None,
        paragraphs=paragraphs,
        captions=(),
        content_hash="test",
    )


@pytest.fixture
def make_article() -> MakeArticle:
    return article_from_paragraphs


def article_from_dump(path: Path) -> Article:
    """A stand-in for the parser: title after the chrome, then body lines up to the copyright
    line, without photo captions (lines that start by repeating the headline)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and line not in CHROME]
    title, body = lines[0], []
    for line in lines[1:]:
        if line.startswith("©"):
            break
        if not line.startswith(title):
            body.append(line)
    return article_from_paragraphs(*body, title=title)


@pytest.fixture
def seed_article() -> Callable[[str], Article]:
    """The seed dump whose name starts with a prefix; skips when the seeds are not here."""

    def load(prefix: str) -> Article:
        matches = sorted(SEEDS.glob(f"{prefix}*.txt")) if SEEDS.is_dir() else []
        if not matches:
            pytest.skip(f"seed {prefix}* not found in {SEEDS}")
        return article_from_dump(matches[0])

    return load
