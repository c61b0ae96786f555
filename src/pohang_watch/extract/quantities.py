"""Target years and sums of money, as the paper writes them.

A target moved from 2030 to 2028 or a budget raised is an UPDATED alert, so years and amounts
are read into numbers here rather than left in the wording.
"""

from __future__ import annotations

import re

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
_AMOUNT_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "KRW 400 billion", "$1.5 billion", "₩300 million"
    re.compile(rf"(?P<cur>KRW|USD|EUR|GBP|[$₩€£])\s?{_NUMBER}{_MULT}(?!\w)"),
    # "2 trillion won", "1.5 billion dollars"
    re.compile(rf"(?<![\w.]){_NUMBER}{_MULT}\s+(?P<cur>won|dollars|euros|pounds)\b", re.I),
)
# A year that is a deadline or a date of completion, not a name ("the 2024 Expo").
_TARGET_YEAR = re.compile(
    r"\b(?:by|in|until|through|before|to)\s+(?:the\s+(?:end|first half|second half)\s+of\s+)?"
    r"(20\d\d)\b"
)
_YEAR_PHRASE = re.compile(
    r",?\s*\b(?:by|in|until|through|before)\s+(?:the\s+(?:end|first half|second half)\s+of\s+)?"
    r"20\d\d\b"
)


def find_target_year(text: str) -> int | None:
    """The first year written as a deadline: "by 2030", "in 2027", "by the end of 2026"."""
    match = _TARGET_YEAR.search(text)
    return int(match.group(1)) if match else None


def drop_year_phrase(text: str) -> str:
    """The clause without its deadline, so "create X by 2030" and "create X" are one item."""
    return _YEAR_PHRASE.sub("", text)


def find_amount(text: str) -> Amount | None:
    """The first sum of money in the text, in units of its currency."""
    matches = [m for pattern in _AMOUNT_PATTERNS for m in pattern.finditer(text)]
    if not matches:
        return None
    match = min(matches, key=lambda m: m.start())
    value = float(match.group("num").replace(",", ""))
    value *= MULTIPLIERS.get((match.group("mult") or "").lower(), 1.0)
    currency = CURRENCIES[match.group("cur").lower()]
    return Amount(value=value, currency=currency, text=match.group().strip())
