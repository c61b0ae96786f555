"""Organisations that are not in the alias table, recognised by their shape.

A capitalised name ending in a word such as University or Agency (`ORG_SUFFIXES`), a head word
followed by "of" (`ORG_HEADS`: "Ministry of Trade, Industry and Energy"), an acronym that is
not on the stop list (`NOT_ORG_ACRONYMS`), a CamelCase company name, a name followed by an
apposition ("Hanseong AI Infrastructure, a Seoul-based data center developer") and the city a
mayor heads. To teach the extractor a new kind of name, extend one of the tables below.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Last words that make a capitalised name an organisation.
ORG_SUFFIXES: tuple[str, ...] = (
    "University",
    "Institute",
    "College",
    "School",
    "Faculty",
    "Corporation",
    "Corp.",
    "Company",
    "Co.",
    "Ltd.",
    "Inc.",
    "Holdings",
    "Industries",
    "Ministry",
    "Province",
    "City",
    "County",
    "Center",
    "Centre",
    "Agency",
    "Foundation",
    "Council",
    "Committee",
    "Group",
    "Federation",
    "Association",
    "Society",
    "Societies",
    "Authority",
    "Administration",
    "Office",
    "Bank",
    "Hospital",
    "Laboratory",
    "Power",
)

# First words that make "<Head> of <Name>" an organisation.
ORG_HEADS: tuple[str, ...] = ("Ministry", "Port", "Embassy", "Office", "Bank", "Government")

# "Hanseong AI Infrastructure, a Seoul-based data center developer": the apposition says what
# an unfamiliar name is.
APPOSITION_NOUNS: tuple[str, ...] = (
    *("company", "developer", "maker", "manufacturer", "producer", "operator", "firm"),
    *("supplier", "startup", "institute", "provider"),
)

# Upper-case words that are not organisations.
NOT_ORG_ACRONYMS: frozenset[str] = frozenset(
    {
        "AI",
        "AM",
        "CEO",
        "CTO",
        "EU",
        "ESG",
        "EV",
        "EVs",
        "GDP",
        "GMP",
        "GPU",
        "GPUs",
        "GRDP",
        "HQ",
        "ICT",
        "II",
        "III",
        "IT",
        "KRW",
        "KST",
        "LNG",
        "MICE",
        "MOU",
        "MOUs",
        "PM",
        "R&D",
        "SME",
        "SMEs",
        "TEU",
        "TV",
        "UK",
        "UN",
        "US",
        "USA",
        "USD",
        "VIP",
    }
)

WORD = r"[A-Z][\w&-]*"
SUFFIX = "|".join(re.escape(s) for s in ORG_SUFFIXES)
_OF_TAIL = rf"of\s+{WORD}(?:\s+(?:and\s+|&\s+)?{WORD})*"
# A capital letter that starts a word: what ``\b[A-Z]`` finds, with the look-behind after the
# letter so that the scan can skip from one capital letter to the next.
_CAPITAL = r"[A-Z](?<![\w][A-Z])"
_ORG_SHAPES: tuple[re.Pattern[str], ...] = (
    # "Korea Federation of Science and Technology", "UCL Medical School", "Korea Hydro &
    # Nuclear Power", "Daeyang Cathode Co., Ltd."
    re.compile(
        rf"{_CAPITAL}[\w&-]*(?:\s+(?:&\s+)?{WORD})*\s+(?:{SUFFIX})(?!\w)(?:,?\s+Ltd\.)?"
        rf"(?:\s+{_OF_TAIL})?"
    ),
    # "Ministry of Trade, Industry and Energy", "Port of Rotterdam": the head word comes first
    re.compile(
        rf"\b(?:{'|'.join(ORG_HEADS)})\s+of\s+(?:the\s+)?{WORD}"
        rf"(?:(?:,\s+|\s+and\s+|\s+&\s+|\s+){WORD})*"
    ),
    re.compile(rf"{_CAPITAL}[A-Z&]*[A-Z]\b"),  # acronyms: UCL, KAIST (stop list applies)
    re.compile(rf"{_CAPITAL}[a-z]+[A-Z][A-Za-z]+\b"),  # CamelCase companies: EcoPro
)
_APPOSITION = re.compile(
    rf"\b({WORD}(?:\s+{WORD})+),\s+an?\s+(?:[\w-]+\s+){{0,5}}?"
    rf"(?:{'|'.join(APPOSITION_NOUNS)})\b"
)
# "Fukuyama Mayor Naoki Edahiro": the city a mayor heads is a party ("Fukuyama City").
_MAYOR_OF = re.compile(
    r"\b(?!(?:Deputy|Vice|Former|The|Then|Acting|Yesterday|Today|Meanwhile|Earlier|Later"
    r"|Also|When|After|Before|Local|City)\b)([A-Z][a-z]+) Mayor(?= [A-Z][\w-]+ [A-Z][\w-]+)"
)
# "Institute of Energy Research and Hanul Hydrogen Co.": the "and" starts a second name.
_JOINER = re.compile(r"\s+and\s+")
_NEXT_ORG = re.compile(rf"\s+and\s+{WORD}(?:\s+{WORD})*\s+(?:{SUFFIX})(?!\w)")
# "Global Battery City Forum": a capitalised word after the suffix makes it another name.
_NAME_GOES_ON = re.compile(r" (?!And\b|The\b)[A-Z][a-z]")
_LEADING_ARTICLE = re.compile(r"(?:The|A|An)\s+")

# What each pattern above cannot match without: a cheap search (a literal or a set of
# literals, which the regex engine scans for quickly) that skips most texts. None: no hint.
_SHAPE_HINTS: tuple[re.Pattern[str] | None, ...] = (
    re.compile(rf"(?:{SUFFIX})(?!\w)"),
    re.compile(rf"(?:{'|'.join(ORG_HEADS)})\s+of\s"),
    re.compile(r"[A-Z][A-Z&]"),  # two capitals, or a capital and "&"
    None,
)
_APPOSITION_HINT = re.compile(r",\s+an?\s")


class Mention(NamedTuple):
    """One name found in a text: where, as written, and as the ledger should know it. (A named
    tuple: dozens are made per article and most dropped, and a tuple is the cheapest to make.)"""

    start: int
    end: int
    surface: str
    canonical: str
    is_org: bool
    is_place: bool  # a bare place name ("Pohang") that may or may not stand for its body


def shaped_orgs(text: str) -> list[Mention]:
    """Organisations named in `text` by their shape, in the order of the shapes: appositions,
    mayors' cities, then each of `_ORG_SHAPES` (they may overlap: `find_mentions` chooses)."""
    mentions = [
        Mention(m.start(1), m.end(1), m.group(1), m.group(1), True, False)
        for m in (_APPOSITION.finditer(text) if _APPOSITION_HINT.search(text) else ())
    ]
    mentions += [
        Mention(m.start(1), m.end(1), m.group(1), f"{m.group(1)} City", True, False)
        for m in (_MAYOR_OF.finditer(text) if "Mayor" in text else ())
    ]
    for shape, hint in zip(_ORG_SHAPES, _SHAPE_HINTS, strict=True):
        if hint is not None and hint.search(text) is None:
            continue
        position = 0
        while m := shape.search(text, position):
            position = _end_before_next_org(text, m.start(), m.end())
            start = m.start()
            if text[start] in "TA" and (article := _LEADING_ARTICLE.match(text, start, position)):
                start = article.end()
            name = text[start:position]
            if name not in NOT_ORG_ACRONYMS and not _NAME_GOES_ON.match(text, position):
                mentions.append(Mention(start, position, name, name, True, False))
    return mentions


def _end_before_next_org(text: str, start: int, end: int) -> int:
    if text.find("and", start, end) < 0:  # a cheap test before the pattern
        return end
    for joiner in _JOINER.finditer(text, start, end):
        if _NEXT_ORG.match(text, joiner.start()):
            return joiner.start()
    return end
