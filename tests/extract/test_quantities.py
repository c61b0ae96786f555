"""Years and amounts read into numbers."""

from __future__ import annotations

from datetime import date

import pytest

from pohang_watch.extract.quantities import drop_year_phrase, find_amount, find_target_year
from pohang_watch.models import Amount


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("invest 2 trillion won in the plant", 2e12, "KRW"),
        ("a fund of $1.5 billion", 1.5e9, "USD"),
        ("a budget of KRW 400 billion", 4e11, "KRW"),
        ("a grant of 1,200 million won", 1.2e9, "KRW"),
        ("a 30 million euros loan", 3e7, "EUR"),
    ],
)
def test_amounts(text: str, value: float, currency: str) -> None:
    amount = find_amount(text)
    assert amount is not None
    assert (amount.value, amount.currency) == (value, currency)


def test_the_first_amount_wins_and_keeps_its_words() -> None:
    assert find_amount("50 billion won ($36 million) in total") == Amount(
        5e10, "KRW", "50 billion won"
    )


def test_no_amount() -> None:
    assert find_amount("the 12 national strategic technologies") is None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("a mega cluster by 2030", 2030),
        ("to open in 2027", 2027),
        ("by the end of 2026", 2026),
        ("the 2024 Battery Expo", None),
    ],
)
def test_target_years(text: str, year: int | None) -> None:
    assert find_target_year(text) == year


def test_the_deadline_is_not_part_of_the_wording() -> None:
    assert drop_year_phrase("build a hydrogen hub by 2030") == "build a hydrogen hub"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("open the track next spring", 2026),
        ("submit it in the second half of this year", 2025),
        ("host a forum in November", 2025),
        ("present targets in January", 2026),
        ("debut in the fall of 2027", 2027),
        ("open soon", None),
    ],
)
def test_relative_years_read_against_the_publication(text: str, year: int | None) -> None:
    assert find_target_year(text, date(2025, 10, 21)) == year
