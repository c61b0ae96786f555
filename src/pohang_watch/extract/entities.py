"""Entities: known names through the alias table, unknown organisations by their shape.

The ledger matches items across articles by name, so every spelling of one body must come out
as one canonical name: "Lee Gangdeok" and "Lee Kang-deok", "UCL" and "University College
London", the several long names of POEX. Known names come from `ExtractSettings.aliases`
(matched case-insensitively, whole words, longest first); organisations that are not in the
table are recognised by shape (a capitalised name ending in a word such as University or
Agency, an acronym, a CamelCase company name, or a row of `KNOWN_COMPANIES`). To teach the
extractor a new kind of name, extend one of the tables below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pohang_watch.config import ExtractSettings

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
)

# Companies whose names have no organisational shape; the alias table may add spellings.
KNOWN_COMPANIES: tuple[str, ...] = (
    "EcoPro",
    "EcoPro BM",
    "EcoPro Materials",
    "POSCO",
    "POSCO Holdings",
    "POSCO Future M",
    "LG Energy Solution",
    "Samsung SDI",
    "SK On",
    "Hyundai Steel",
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
        "TV",
        "UK",
        "US",
        "USA",
        "USD",
        "VIP",
    }
)

_WORD = r"[A-Z][\w&-]*"
_SUFFIX = "|".join(re.escape(s) for s in ORG_SUFFIXES)
_OF_TAIL = rf"of\s+{_WORD}(?:\s+(?:and\s+|&\s+)?{_WORD})*"
_ORG_SHAPES: tuple[re.Pattern[str], ...] = (
    # "Korea Federation of Science and Technology", "UCL Medical School"
    re.compile(rf"\b{_WORD}(?:\s+{_WORD})*\s+(?:{_SUFFIX})(?!\w)(?:\s+{_OF_TAIL})?"),
    re.compile(r"\b[A-Z][A-Z&]*[A-Z]\b"),  # acronyms: UCL, KAIST (stop list applies)
    re.compile(r"\b[A-Z][a-z]+[A-Z][A-Za-z]+\b"),  # CamelCase companies: EcoPro
)
# "Institute of Energy Research and Hanul Hydrogen Co.": the "and" starts a second name.
_JOINER = re.compile(r"\s+(?:and|&)\s+")
_NEXT_ORG = re.compile(rf"\s+(?:and|&)\s+{_WORD}(?:\s+{_WORD})*\s+(?:{_SUFFIX})(?!\w)")
_ORG_SUFFIX_WORD = re.compile(rf"\b(?:{_SUFFIX})(?!\w)|-do$|^[A-Z][A-Z&]+$")


@dataclass(frozen=True, slots=True)
class Mention:
    """One name found in a text: where, as written, and as the ledger should know it."""

    start: int
    end: int
    surface: str
    canonical: str
    is_org: bool
    is_place: bool  # a bare place name ("Pohang") that may or may not stand for its body


@dataclass(frozen=True, slots=True)
class _Variant:
    pattern: re.Pattern[str]
    canonical: str
    is_place: bool


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Compiled alias patterns plus the Pohang side, built once per settings."""

    variants: tuple[_Variant, ...]
    pohang_bodies: tuple[str, ...]
    org_names: frozenset[str]

    def is_pohang(self, name: str) -> bool:
        return name in self.pohang_bodies


def entity_index(settings: ExtractSettings) -> EntityIndex:
    """The index for these settings (settings hold a dict, so the cache key is a tuple)."""
    aliases = tuple((name, tuple(spellings)) for name, spellings in settings.aliases.items())
    return _build_index(aliases, settings.pohang_bodies)


@lru_cache(maxsize=16)
def _build_index(
    aliases: tuple[tuple[str, tuple[str, ...]], ...], pohang_bodies: tuple[str, ...]
) -> EntityIndex:
    table: dict[str, str] = {name: name for name in (*KNOWN_COMPANIES, *pohang_bodies)}
    for canonical, spellings in aliases:
        table.update({canonical: canonical} | dict.fromkeys(spellings, canonical))
    variants = tuple(
        _Variant(_whole_words(spelling), canonical, _is_place(spelling, canonical))
        for spelling, canonical in sorted(table.items(), key=lambda kv: -len(kv[0]))
    )
    orgs = {c for c in table.values() if c in pohang_bodies or c in KNOWN_COMPANIES}
    orgs |= {c for c in table.values() if _ORG_SUFFIX_WORD.search(c)}
    return EntityIndex(variants, pohang_bodies, frozenset(orgs))


def _whole_words(spelling: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(spelling)}(?![\w])", re.IGNORECASE)


def _is_place(spelling: str, canonical: str) -> bool:
    """A one-word short form that begins a longer name ("Pohang" of "Pohang City") is a place
    as often as it is the body, so it only names the body where the grammar says so."""
    words = canonical.split()
    return " " not in spelling and len(words) > 1 and spelling.casefold() == words[0].casefold()


def find_mentions(index: EntityIndex, text: str) -> tuple[Mention, ...]:
    """Non-overlapping mentions in text order; the longest reading of a stretch wins."""
    found = [
        Mention(
            m.start(),
            m.end(),
            m.group(),
            v.canonical,
            v.canonical in index.org_names,
            v.is_place,
        )
        for v in index.variants
        for m in v.pattern.finditer(text)
    ]
    found.extend(_shaped_orgs(text))
    chosen: list[Mention] = []
    for mention in sorted(found, key=lambda m: m.start - m.end):  # longest first, stable
        if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
            chosen.append(mention)
    return tuple(sorted(chosen, key=lambda m: m.start))


def _shaped_orgs(text: str) -> list[Mention]:
    mentions = []
    for shape in _ORG_SHAPES:
        position = 0
        while m := shape.search(text, position):
            position = _end_before_next_org(text, m.start(), m.end())
            surface = text[m.start() : position]
            name = re.sub(r"^The\s+", "", surface)
            if name not in NOT_ORG_ACRONYMS:
                mentions.append(Mention(m.start(), position, surface, name, True, False))
    return mentions


def _end_before_next_org(text: str, start: int, end: int) -> int:
    for joiner in _JOINER.finditer(text, start, end):
        if _NEXT_ORG.match(text, joiner.start()):
            return joiner.start()
    return end


def canonicalise(index: EntityIndex, text: str) -> str:
    """Text with every known spelling replaced by its canonical name ("UCL" → "University
    College London"); bare place names stay, and "POEX (POEX)" left by the swap collapses."""
    out, last = [], 0
    for mention in find_mentions(index, text):
        if mention.is_place or mention.surface == mention.canonical:
            continue
        if not _is_alias(index, mention) or _in_compound(text, mention):
            continue
        out.append(text[last : mention.start])
        out.append(mention.canonical)
        last = mention.end
    out.append(text[last:])
    return _collapse_repeats("".join(out))


def _in_compound(text: str, mention: Mention) -> bool:
    """ "Pohang-UCL studio" keeps its short form: the compound is a name of its own."""
    before, after = text[mention.start - 1 : mention.start], text[mention.end : mention.end + 1]
    return "-" in (before, after)


def _is_alias(index: EntityIndex, mention: Mention) -> bool:
    return any(v.canonical == mention.canonical for v in index.variants)


_REPEAT = re.compile(r"(?<![\w])([A-Z][\w&.-]*(?: [A-Z][\w&.-]*)*)(?: \(\1\)| \1)(?![\w])")


def _collapse_repeats(text: str) -> str:
    return _REPEAT.sub(r"\1", text)
