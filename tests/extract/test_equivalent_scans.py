"""Hand-written scans that stand in for end-anchored patterns give what the patterns give.

`re` tries ``…$`` patterns at every position of a text; the helpers look only at its end.
Random texts from the pieces that make the patterns match or fail (case variants, the letters
`re.IGNORECASE` folds, odd whitespace) check that nothing else changed.
"""

from __future__ import annotations

import random
import re

from pohang_watch.config import ExtractSettings
from pohang_watch.extract.clauses import last_word
from pohang_watch.extract.entities import _REPEAT, _collapse_repeats, _keyed_matches, entity_index
from pohang_watch.extract.entities import _fold as fold_entities
from pohang_watch.extract.sentences import _last_token
from pohang_watch.extract.wording import _DANGLING, _without_dangling, _without_trailing

PIECES = [
    *("and", "or", "but", "while", "it", "the city", "The City", "THE CITY", "we", "they"),
    *("he", "she", "\u017fhe", "\u0130t", "\u0131t", "AND", "Or", ",", ",,", "x", "foo"),
    *("bar,", "band", "it,", "city", ".", ";", ":", "_", "ab_c", "2030", "é", "—", "(a)"),
]
SPACES = [" ", "  ", "\n", "\t", "\u00a0", "\u3000", "", " \n"]
LAST_WORD = re.compile(r"(\w+)\W*$")
TRAILING = re.compile(r"[\s,;:.]+$")
LAST_TOKEN = re.compile(r"(\S+)$")


def random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        words = rng.randrange(7)
        text = "".join(rng.choice(PIECES) + rng.choice(SPACES) for _ in range(words))
        texts.append(rng.choice(SPACES) + text if rng.random() < 0.3 else text)
    return texts


def group_or_none(match: re.Match[str] | None) -> str | None:
    return match.group(1) if match else None


def test_end_of_text_scans_match_their_patterns() -> None:
    for text in random_texts(30_000, seed=5):
        assert _without_dangling(text) == _DANGLING.sub("", text), text
        assert _without_trailing(text) == TRAILING.sub("", text), text
        assert last_word(text) == group_or_none(LAST_WORD.search(text)), text
        assert _last_token(text) == group_or_none(LAST_TOKEN.search(text)), text


def test_spellings_are_found_where_the_scan_finds_them() -> None:
    """An alias is tried only where the folded text holds its spelling, with the same matches."""
    aliases = {"Lee Kang-deok": ("Lee Gangdeok", "LEE KANGDEOK"), "POSTECH": ("postech",)}
    index = entity_index(ExtractSettings(aliases=aliases))
    rng = random.Random(9)
    spellings = ["POSTECH", "postech", "P\u014dSTECH", "po\u017ftech", "Lee Kang-deok", "LEE"]
    spellings += ["Kangdeok", "Pohang City", "Pohang City Council", "x", "_", "-", "(", " "]
    texts = ["".join(rng.choice(spellings) for _ in range(rng.randrange(6))) for _ in range(5000)]
    for text in texts:
        folded = fold_entities(text)
        for variant in index.variants:
            if variant.key is None:
                continue
            expected = [m.span() for m in variant.pattern.finditer(text)]
            found = [m.span() for m in _keyed_matches(variant.pattern, variant.key, text, folded)]
            assert found == expected, (variant.key, text)


def test_repeat_pattern_with_the_look_behind_after_the_first_letter_is_the_same() -> None:
    original = re.compile(r"(?<![\w])([A-Z][\w&.-]*(?: [A-Z][\w&.-]*)*)(?: \(\1\)| \1)(?![\w])")
    rng = random.Random(3)
    words = ["POEX", "Pohang", "City", "UCL", "x", "(", ")", " ", "  ", "-", ".", "&", "aPOEX", "é"]
    for _ in range(30_000):
        text = "".join(rng.choice(words) for _ in range(rng.randrange(9)))
        assert _REPEAT.sub(r"\1", text) == original.sub(r"\1", text), text


def test_repeats_are_collapsed_only_where_the_pattern_finds_them() -> None:
    """The count of capitalised words that skips most texts never skips a repeat."""
    rng = random.Random(4)
    words = ["POEX", "Pohang", "City", "R&D", "x", "(", ")", " ", "  ", "-", ".", "&", "é", "_"]
    for _ in range(30_000):
        text = "".join(rng.choice(words) for _ in range(rng.randrange(9)))
        assert _collapse_repeats(text) == _REPEAT.sub(r"\1", text), text
