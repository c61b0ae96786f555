"""The sector of an item, from keywords: subscribers follow sectors (battery, hydrogen, bio…).

Each sector has a list of keyword patterns; the sector with most hits wins and ties go to the
sector listed first, so the table order is the precedence. Nothing matched means "other".
"""

from __future__ import annotations

import re

from pohang_watch.extract.literals import Hinted, fold

SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "battery": (
        r"batter(?:y|ies)",
        r"cathode",
        r"anode",
        r"lithium",
        r"precursor",
        r"EcoPro",
        r"POSCO Future M",
    ),
    "hydrogen": (r"hydrogen", r"fuel cells?"),
    "bio": (r"bio\w*", r"pharmaceutical\w*", r"vaccines?", r"cell culture"),
    "ai_data": (r"AI", r"artificial intelligence", r"data cent(?:er|re)s?", r"digital"),
    "steel": (r"steel\w*", r"POSCO(?! Future M)"),
    "energy_climate": (
        r"climate",
        r"carbon",
        r"renewable",
        r"clean energy",
        r"energy transition",
        r"(?-i:COP)\d*",
        r"net[- ]zero",
        r"circularity",
        r"electricity",
        r"eco-friendly",
    ),
    "urban_transport": (
        r"urban",
        r"regeneration",
        r"transport\w*",
        r"railways?",
        r"roads?",
        r"waterfront",
        r"housing",
    ),
    "education_talent": (
        r"talent",
        r"education\w*",
        r"curricul\w+",
        r"training",
        r"internships?",
        r"youth",
        r"academic",
        r"universit(?:y|ies)",
    ),
    "tourism_events": (
        r"touris\w+",
        r"festivals?",
        r"expos?",
        r"convention",
        r"MICE",
        r"events?",
        r"seminars?",
        r"symposi\w+",
        r"forums?",
        r"POEX",
    ),
    "healthcare": (r"medical", r"hospitals?", r"health\w*"),
    "trade": (r"exports?", r"imports?", r"trade", r"ports?", r"logistics"),
}

_PATTERNS: dict[str, Hinted] = {
    sector: Hinted(
        r"\b(?:" + "|".join(f"(?-i:{w})" if w.isupper() else w for w in words) + r")\b",
        re.IGNORECASE,
    )
    for sector, words in SECTOR_KEYWORDS.items()
}


def classify_sector(text: str) -> str:
    """The sector with most keyword hits in text; ties go to the earlier row of the table."""
    folded = fold(text)
    counts = {sector: len(pattern.findall(text, folded)) for sector, pattern in _PATTERNS.items()}
    best = max(counts, key=counts.__getitem__)  # max keeps the first of equals
    return best if counts[best] else "other"
