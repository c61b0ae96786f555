"""The two real text dumps in ../shared/seeds parse as a reader would split them.

Expectations are derived from the seed files at run time or are short fragments: the seeds'
sentences are not copied into the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from pohang_watch.config import ParseSettings
from pohang_watch.models import Article, SourceDocument
from pohang_watch.parse import parse_document
from pohang_watch.parse.cleanup import normalise_space

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SETTINGS = ParseSettings()


@dataclass(frozen=True)
class Seed:
    subtitle_starts: tuple[str, ...]
    first_paragraph_start: str
    last_paragraph_start: str
    paragraphs: int


EXPECTED = {
    "000_8bb15090ff6ef8e0.txt": Seed(
        ("On the 18th, Brain Link", 'Mayor Lee: "Focusing'),
        "Mayor Lee Kang-deok of Pohang",
        "Mayor Lee Kang-deok stated,",
        9,
    ),
    "004_12e4369c7011add7.txt": Seed(
        ("Visit to UCL", "Discussing Plans for a", "Mayor Lee: “Collaboration"),
        "Pohang City is seeking to",
        "Pohang City expects that",
        12,
    ),
}

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no seeds at {SEEDS}")


def parse_seed(name: str, text: str | None = None) -> Article:
    content = (SEEDS / name).read_bytes() if text is None else text.encode("utf-8")
    doc = SourceDocument(source=str(SEEDS / name), content=content, media_type="text/plain")
    return parse_document(doc, SETTINGS)


def seed_lines(name: str) -> list[str]:
    lines = (normalise_space(line) for line in (SEEDS / name).read_text("utf-8").splitlines())
    return [line for line in lines if line]


def is_chrome(line: str) -> bool:
    return line in SETTINGS.chrome_lines


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_headline_is_the_first_line_after_the_chrome(name: str) -> None:
    headline = next(line for line in seed_lines(name) if not is_chrome(line))
    assert parse_seed(name).title == headline


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_subtitles_are_the_whole_lines_under_the_headline(name: str) -> None:
    article = parse_seed(name)
    lines = seed_lines(name)
    starts = EXPECTED[name].subtitle_starts
    assert len(article.subtitles) == len(starts)
    for subtitle, start in zip(article.subtitles, starts, strict=True):
        assert subtitle.startswith(start)
        assert subtitle in lines
    first_subtitle = lines.index(article.subtitles[0])
    assert lines[first_subtitle - 1] == article.title


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_two_captions_without_the_repeated_headline(name: str) -> None:
    article = parse_seed(name)
    lines = seed_lines(name)
    assert len(article.captions) == 2
    for caption in article.captions:
        assert caption
        assert not caption.startswith(article.title[:20])
        assert f"{article.title} {caption}" in lines
        assert caption not in article.paragraphs


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_paragraphs_are_whole_lines_without_chrome(name: str) -> None:
    article = parse_seed(name)
    expected = EXPECTED[name]
    lines = seed_lines(name)
    assert len(article.paragraphs) == expected.paragraphs
    assert article.paragraphs[0].startswith(expected.first_paragraph_start)
    assert article.paragraphs[-1].startswith(expected.last_paragraph_start)
    assert all(paragraph in lines for paragraph in article.paragraphs)
    body = "\n".join(article.paragraphs)
    for chrome in ("Join us", "All rights reserved", "©", "Special Coverage", "bar_progress"):
        assert chrome not in body
    assert not any(is_chrome(paragraph) for paragraph in article.paragraphs)
    assert article.title not in body


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_without_chrome_or_blank_lines_gives_the_same_article(name: str) -> None:
    packed = "\n".join(line for line in seed_lines(name) if not is_chrome(line))
    assert parse_seed(name, packed) == parse_seed(name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_cut_short_keeps_its_head_and_first_paragraph(name: str) -> None:
    text = (SEEDS / name).read_text("utf-8")
    article = parse_seed(name)
    cut = text[: text.index(article.paragraphs[1]) + 50]
    short = parse_seed(name, cut)
    assert (short.title, short.subtitles) == (article.title, article.subtitles)
    assert short.paragraphs[0] == article.paragraphs[0]
    assert len(short.paragraphs) == 2


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seeds_carry_no_article_id(name: str) -> None:
    article = parse_seed(name)
    assert (article.article_id, article.url, article.published_at) == (None, None, None)
