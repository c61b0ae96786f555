"""Literal hints: a pattern is skipped only where it cannot match, so results never change."""

from __future__ import annotations

import importlib
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pohang_watch.extract.literals import Hinted, fold, foldable, required_literals
from pohang_watch.extract.sentences import split_sentences

REPO_ROOT = Path(__file__).resolve().parents[2]
MODULES = [
    *(f"pohang_watch.extract.{name}" for name in ("clauses", "commitments", "context")),
    *(f"pohang_watch.extract.{name}" for name in ("entities", "partnerships", "quantities")),
    *(f"pohang_watch.extract.{name}" for name in ("sectors", "sentences", "shapes", "wording")),
    "pohang_watch.relevance",
]


def hinted_patterns() -> Iterator[tuple[str, Hinted]]:
    """Every Hinted object of the rule tables, top level or one or two levels in a table."""

    def walk(value: object, name: str, depth: int) -> Iterator[tuple[str, Hinted]]:
        if isinstance(value, Hinted):
            yield name, value
        elif depth < 2 and isinstance(value, tuple | list):
            for i, item in enumerate(value):
                yield from walk(item, f"{name}[{i}]", depth + 1)
        elif depth < 2 and isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{name}[{key}]", depth + 1)

    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for attribute, value in vars(module).items():
            yield from walk(value, f"{module_name}.{attribute}", 0)


def sample_texts() -> list[str]:
    """Sentences and paragraphs of the dev set, and versions that stress case folding."""
    texts: set[str] = set()
    for path in sorted((REPO_ROOT / "eval" / "devset").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.add(line)
            texts.update(sentence.text for sentence in split_sentences(line))
    rng = random.Random(6)
    for text in sorted(texts)[:400]:
        start = rng.randrange(len(text) + 1)
        texts.update({text[start:], text.upper(), text.swapcase(), text.lower()})
        texts.add(text.replace("i", "\u0131").replace("s", "\u017f").replace("k", "\u212a"))
    return sorted(texts)


TEXTS = sample_texts()
HINTED = sorted(hinted_patterns(), key=lambda item: item[0])


def test_the_rule_tables_use_hints() -> None:
    assert len(HINTED) > 60
    assert sum(hinted.exact != ("",) for _, hinted in HINTED) > 50  # ("",): no hint found


@pytest.mark.parametrize(("name", "hinted"), HINTED, ids=[name for name, _ in HINTED])
def test_a_pattern_is_never_skipped_where_it_matches(name: str, hinted: Hinted) -> None:
    for text in TEXTS:
        if hinted.pattern.search(text) is not None:
            assert hinted.possible(text), (name, text)
            assert hinted.possible(text, fold(text)), (name, text)


def test_hinted_methods_answer_as_the_pattern_does() -> None:
    pattern = re.compile(r"\b(?:is|are) (?:set|going) to\b", re.IGNORECASE)
    hinted = Hinted(pattern)
    for text in ["The city IS SET TO open it.", "no cue here", "they are going to, are set to"]:
        found, expected = hinted.search(text), pattern.search(text)
        assert (found and found.span()) == (expected and expected.span())
        assert [m.span() for m in hinted.finditer(text)] == [
            m.span() for m in pattern.finditer(text)
        ]
        assert hinted.findall(text) == pattern.findall(text)
        assert hinted.sub("X", text) == pattern.sub("X", text)
        assert hinted.split(text) == pattern.split(text)
        assert bool(hinted.match(text)) == bool(pattern.match(text))


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (
            r"\b(?:is|are) (?:set|going) to\b",
            0,
            {("is set to", True), ("are set to", True), ("is going to", True)}
            | {("are going to", True)},
        ),
        (r"\bwill\b", re.IGNORECASE, {("will", False)}),
        (r"\b(?-i:COP)\d*|climate", re.IGNORECASE, {("COP", True), ("climate", False)}),
        (r"plans?|planning", 0, {("plan", True)}),  # "plans" implies "plan"
    ],
)
def test_hints_are_the_words_a_match_needs(
    pattern: str, flags: int, expected: set[tuple[str, bool]]
) -> None:
    assert required_literals(re.compile(pattern, flags)) == expected


@pytest.mark.parametrize("pattern", [r"\w+", r"[A-Z][a-z]+", r"(\S+)$", r"a?b?", r"(x)\1|\d"])
def test_a_pattern_without_required_words_gets_no_hint(pattern: str) -> None:
    assert required_literals(pattern) is None
    hinted = Hinted(pattern)
    assert hinted.possible("")
    assert hinted.possible("anything")


def test_folding_turns_the_letters_ignorecase_takes_for_ascii_into_them() -> None:
    assert fold("\u0130STANBUL \u212aelvin \u017fign D\u0131NNER") == "istanbul kelvin sign dinner"
    assert len(fold("\u0130" * 3)) == 3
    assert foldable("포항 POSTECH")
    assert not foldable("Éco")
