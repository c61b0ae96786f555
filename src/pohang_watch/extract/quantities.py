"""Target years and sums of money, as the paper writes them.

A target moved from 2030 to 2028 or a budget raised is an UPDATED alert, so years and amounts
are read into numbers here rather than left in the wording.
"""

from __future__ import annotations

import re
from datetime import date

from pohang_watch.extract.literals import Hinted, fold
from pohang_watch.models import Amount

MULTIPLIERS: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}

# Symbols and words for currencies, to ISO 4217.
CURRENCIES: dict[str, str] = {
    "krw": "KRW",
    "₩": "KRW",
    "won": "KRW",
    "usd": "USD",
    "$": "USD",
    "dollars": "USD",
    "eur": "EUR",
    "€": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "£": "GBP",
    "pounds": "GBP",
}

_NUMBER = r"(?P<num>\d[\d,]*(?:\.\d+)?)"
_MULT = r"(?:\s*(?P<mult>thousand|million|billion|trillion))?"
_AMOUNT_PATTERNS: tuple[Hinted, ...] = (
    # "KRW 400 billion", "$1.5 billion", "₩300 million"
    Hinted(rf"(?P<cur>KRW|USD|EUR|GBP|[$₩€£])\s?{_NUMBER}{_MULT}(?!\w)"),
    # "2 trillion won", "1.5 billion dollars"
    Hinted(rf"(?<![\w.]){_NUMBER}{_MULT}\s+(?P<cur>won|dollars|euros|pounds)\b", re.I),
)
# A year that is a deadline or a date of completion, not a name ("the 2024 Expo").
_PART_OF_YEAR = (
    r"(?:the\s+(?:end|first half|second half|fall|spring|summer|autumn|winter)\s+of\s+)?"
)
_TARGET_YEAR = Hinted(rf"\b(?:by|in|until|through|before|to|from|for)\s+{_PART_OF_YEAR}(20\d\d)\b")
_YEAR_PHRASE = Hinted(rf",?\s*\b(?:by|in|until|through|before)\s+{_PART_OF_YEAR}20\d\d\b")
MONTHS: tuple[str, ...] = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)
# Dates written relative to the publication: "next year", "next spring", "in November".
_NEXT_YEAR = Hinted(r"\bnext (?:year|spring|summer|fall|autumn|winter)\b")
_THIS_YEAR = Hinted(r"\b(?:this|the) (?:year|month)\b|\bthis (?:spring|summer|fall|autumn)\b")
_MONTH = Hinted(r"\bin (" + "|".join(MONTHS) + r")\b(?!\s+\d)")


def find_target_year(text: str, published: date | None = None) -> int | None:
    """The first year written as a deadline: "by 2030", "in 2027", "by the end of 2026"; else,
    given the publication year, a relative date ("next spring"; a month before the publication
    month is next year's, as a pledge looks ahead)."""
    folded = fold(text)
    if match := _TARGET_YEAR.search(text, folded):
        return int(match.group(1))
    if published is None:
        return None
    if _NEXT_YEAR.search(text, folded):
        return published.year + 1
    if _THIS_YEAR.search(text, folded):
        return published.year
    if month := _MONTH.search(text, folded):
        later = MONTHS.index(month.group(1)) + 1 < published.month
        return published.year + later
    return None


def drop_year_phrase(text: str) -> str:
    """The clause without its deadline, so "create X by 2030" and "create X" are one item."""
    return _YEAR_PHRASE.sub("", text)


def find_amount(text: str) -> Amount | None:
    """The first sum of money in the text, in units of its currency."""
    folded = fold(text)
    matches = [m for pattern in _AMOUNT_PATTERNS for m in pattern.finditer(text, folded)]
    if not matches:
        return None
    match = min(matches, key=lambda m: m.start())
    value = float(match.group("num").replace(",", ""))
    value *= MULTIPLIERS.get((match.group("mult") or "").lower(), 1.0)
    currency = CURRENCIES[match.group("cur").lower()]
    return Amount(value=value, currency=currency, text=match.group().strip())
