"""Terms are looked for where their spelling is, and found exactly where the scan finds them."""

from __future__ import annotations

import random

from pohang_watch.config import RelevanceSettings
from pohang_watch.extract.literals import fold
from pohang_watch.relevance import _terms


def test_term_matches_are_the_patterns_matches() -> None:
    settings = RelevanceSettings()
    terms = _terms(settings.primary_terms, settings.related_terms)
    assert terms.any_term.keys is not None  # the shipped terms are all foldable
    pieces = ["Pohang", "POHANG", "포항", "포항시", "xPohang", "Pohang_", "POSTECH", "Poſtech"]
    pieces += ["Lee Kang-deok", "LEE KANGDEOK", "Yeongil Bay", "Handong Global University"]
    pieces += ["Pohang University of Science and Technology", "lee", " ", ", ", "-", "(", "\n"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(8)))
        for term_pattern in (terms.primary, terms.any_term):
            expected = [m.span() for m in term_pattern.pattern.finditer(text)]
            found = [m.span() for m in term_pattern.finditer(text, fold(text))]
            assert found == expected, text


def test_terms_with_cased_non_ascii_letters_are_scanned_as_before() -> None:
    terms = _terms(("Pohang",), ("Éco Park",))
    assert terms.any_term.keys is None
    text = "ÉCO PARK near Pohang"
    found = [m.group() for m in terms.any_term.finditer(text, fold(text))]
    assert found == ["ÉCO PARK", "Pohang"]
