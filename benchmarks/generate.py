"""A deterministic synthetic corpus: N article pages in the paper's HTML shape, in one folder.

Same seed, same bytes: every choice comes from one ``random.Random(seed)``. Of the pages, a share
are exact duplicates of earlier ones under another URL form (cm./view. hosts, print.htm), a
share near-duplicates (republished with one sentence changed), a share not about Pohang; the
rest are Pohang articles. File names carry no article id, so the parser must find it in the page.

    python -m benchmarks.generate FOLDER [--pages N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.pages import SECTIONS, render_page
from benchmarks.texts import ArticleText, near_duplicate, other_article, pohang_article

DEFAULT_SEED = 20250604
EXACT_DUPLICATE_SHARE = 0.10
NEAR_DUPLICATE_SHARE = 0.05
NOT_POHANG_SHARE = 0.30
_DUPLICATE_URLS = (
    "https://cm.asiae.co.kr/en/article/{id}",
    "https://view.asiae.co.kr/en/article/{id}",
    "https://www.asiae.co.kr/en/print.htm?idxno={id}",
)


@dataclass(frozen=True, slots=True)
class CorpusSummary:
    """What was written: the folder, the page files in order, and how many of each kind."""

    folder: Path
    files: tuple[Path, ...]
    kinds: dict[str, int]  # pohang, not_pohang, exact_duplicate, near_duplicate
    total_bytes: int


def generate_corpus(folder: Path, pages: int, seed: int = DEFAULT_SEED) -> CorpusSummary:
    """Write ``pages`` pages into ``folder`` (created if needed) and describe them."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[ArticleText] = []
    kinds: Counter[str] = Counter()
    files: list[Path] = []
    total = 0
    for index in range(pages):
        kind, text, url = _next_page(rng, written)
        html = render_page(rng, text, url)
        path = folder / f"page-{index:06}.html"
        path.write_text(html, encoding="utf-8")
        written.append(text)
        kinds[kind] += 1
        files.append(path)
        total += len(html.encode("utf-8"))
    return CorpusSummary(folder, tuple(files), dict(kinds), total)


def _next_page(rng: random.Random, written: list[ArticleText]) -> tuple[str, ArticleText, str]:
    """The kind of the next page, its text and the URL it names for itself."""
    draw = rng.random()
    pohang = [text for text in written[-200:] if text.about_pohang]
    if written and draw < EXACT_DUPLICATE_SHARE:
        text = rng.choice(written)
        return "exact_duplicate", text, rng.choice(_DUPLICATE_URLS).format(id=text.article_id)
    if pohang and draw < EXACT_DUPLICATE_SHARE + NEAR_DUPLICATE_SHARE:
        text = near_duplicate(rng, rng.choice(pohang))
        return "near_duplicate", text, _canonical_url(rng, text)
    if draw < EXACT_DUPLICATE_SHARE + NEAR_DUPLICATE_SHARE + NOT_POHANG_SHARE:
        text = other_article(rng)
        return "not_pohang", text, _canonical_url(rng, text)
    text = pohang_article(rng)
    return "pohang", text, _canonical_url(rng, text)


def _canonical_url(rng: random.Random, text: ArticleText) -> str:
    """Either URL form the paper uses as canonical: with or without a section in the path."""
    if rng.random() < 0.5:
        return f"https://www.asiae.co.kr/en/article/{text.article_id}"
    return f"https://www.asiae.co.kr/en/article/{rng.choice(SECTIONS)}/{text.article_id}"


def main(argv: list[str] | None = None) -> None:
    """Write a corpus to a folder, for looking at the pages or timing other tools on them."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    summary = generate_corpus(args.folder, args.pages, args.seed)
    print(f"{len(summary.files)} pages, {summary.total_bytes:,} bytes: {summary.kinds}")


if __name__ == "__main__":
    main()
