"""Entities: known names through the alias table, unknown organisations by their shape.

The ledger matches items across articles by name, so every spelling of one body must come out
as one canonical name: "Lee Gangdeok" and "Lee Kang-deok", "UCL" and "University College
London", the several long names of POEX. Known names come from `ExtractSettings.aliases`
(matched case-insensitively, whole words, longest first); organisations that are not in the
table are recognised by shape (a capitalised name ending in a word such as University or
Agency, an acronym, a CamelCase company name: see `shapes.py`), or are a row of
`KNOWN_COMPANIES`. To teach the extractor a new kind of name, extend one of the tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pohang_watch.config import ExtractSettings
from pohang_watch.extract.literals import Hinted
from pohang_watch.extract.shapes import SUFFIX, WORD, Mention, shaped_orgs

__all__ = [
    "KNOWN_COMPANIES",
    "EntityIndex",
    "Mention",
    "canonicalise",
    "defined_acronyms",
    "entity_index",
    "find_mentions",
    "named_parties",
]

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
    "Korea South-East Power",
    "Doosan Fuel Cell",
)

# "Korea Battery Industry Association (KBIA)": a long name and the acronym it defines.
_DEFINED_ACRONYM = Hinted(
    rf"((?:{WORD}\s+)(?:(?:of|for|and|on|the|to|&)\s+|{WORD}\s+)*?{WORD})"
    r"\s+\(([A-Z][A-Z0-9&]+)\)"
)
# A bracketed acronym that does not spell its long name is still its name when the long name
# is this long and starts like an organisation.
FOREIGN_ACRONYM_WORDS = 4
_FOREIGN_HEAD = re.compile(r"^(?!(?:The|Mayor|President|Chairman|CEO|On|In|At)\b)[A-Z]")
# A name right after these is a place where something happens, not a party to it.
_VENUE_BEFORE = re.compile(r"\b(?:at|in|on|near)\s+(?:the\s+)?$")
_ORG_SUFFIX_WORD = re.compile(rf"\b(?:{SUFFIX})(?!\w)|-do$|^[A-Z][A-Z&]+$")
# Characters that `re.IGNORECASE` matches to an ASCII letter though `str.lower` does not turn
# them into it (dotted and dotless i, long s, the Kelvin sign): folded by hand, so that a text
# whose folded form lacks a spelling's folded form cannot match the spelling.
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


@dataclass(frozen=True, slots=True)
class _Variant:
    pattern: re.Pattern[str]
    canonical: str
    is_place: bool
    key: str | None  # the folded spelling a text must contain to match; None: always try


@dataclass(slots=True)
class _Memo:
    """What one article's texts were found to name: the reader looks at a sentence, and at
    stretches of it, several times (see `EntityIndex.for_article`)."""

    mentions: dict[str, tuple[Mention, ...]] = field(default_factory=dict)
    parties: dict[str, tuple[Mention, ...]] = field(default_factory=dict)
    canonical: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Compiled alias patterns plus the Pohang side, built once per settings. An index made
    `for_article` also remembers what it found in each text it was asked about."""

    variants: tuple[_Variant, ...]
    pohang_bodies: tuple[str, ...]
    org_names: frozenset[str]
    alias_names: frozenset[str]  # the canonical names of the alias table
    memo: _Memo | None = field(default=None, compare=False, repr=False)

    def is_pohang(self, name: str) -> bool:
        return name in self.pohang_bodies

    def for_article(self) -> EntityIndex:
        """This index with a memo of its own, to be dropped with the article."""
        return replace(self, memo=_Memo())


def entity_index(
    settings: ExtractSettings, defined: dict[str, tuple[str, ...]] | None = None
) -> EntityIndex:
    """The index for these settings plus an article's own `defined` aliases (settings hold a
    dict, so the cache key is a tuple)."""
    table = dict(settings.aliases) | (defined or {})
    aliases = tuple((name, tuple(spellings)) for name, spellings in table.items())
    return _build_index(aliases, settings.pohang_bodies)


def defined_acronyms(index: EntityIndex, paragraphs: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Acronyms an article defines in brackets that the alias table does not know, so that
    "Korea Battery Industry Association (KBIA)" and a later "KBIA" are one party. The long
    name is canonical, except for a numbered edition ("COP33"), whose long name is generic."""
    found: dict[str, tuple[str, ...]] = {}
    for paragraph in paragraphs:
        for match in _DEFINED_ACRONYM.finditer(paragraph):
            long, short = _trim_to_initial(match.group(1), match.group(2)), match.group(2)
            if long is None or _is_known(index, long) or _is_known(index, short):
                continue
            if any(ch.isdigit() for ch in short):
                found[short] = (long,)
            else:
                found[long] = (short,)
    return found


def _is_known(index: EntityIndex, name: str) -> bool:
    """Whether a spelling of the index is the whole name (a spelling with a key can only be
    a name that folds to it)."""
    folded = _fold(name)
    return any(
        (v.key is None or v.key == folded) and v.pattern.fullmatch(name) for v in index.variants
    )


def _trim_to_initial(long: str, short: str) -> str | None:
    """The long name from the word that starts the acronym, if its letters spell it in order;
    else a whole organisation-shaped name of `FOREIGN_ACRONYM_WORDS` words or more, whose
    acronym comes from another language ("Netherlands Organisation for Applied Scientific
    Research (TNO)")."""
    words = long.split()
    while words and words[0][0] != short[0]:
        words.pop(0)
    letters = iter("".join(words).casefold())
    spelled = all(ch in letters for ch in short.casefold() if ch.isalpha())
    if len(words) > 1 and spelled:
        return " ".join(words)
    whole = long.split()
    while whole and not whole[0][0].isupper():
        whole.pop(0)
    foreign = len(whole) >= FOREIGN_ACRONYM_WORDS and _FOREIGN_HEAD.match(whole[0])
    return " ".join(whole) if foreign else None


@lru_cache(maxsize=16)
def _build_index(
    aliases: tuple[tuple[str, tuple[str, ...]], ...], pohang_bodies: tuple[str, ...]
) -> EntityIndex:
    table: dict[str, str] = {name: name for name in (*KNOWN_COMPANIES, *pohang_bodies)}
    for canonical, spellings in aliases:
        table.update({canonical: canonical} | dict.fromkeys(spellings, canonical))
    variants = tuple(
        _variant(spelling, canonical)
        for spelling, canonical in sorted(table.items(), key=lambda kv: -len(kv[0]))
    )
    orgs = {c for c in table.values() if c in pohang_bodies or c in KNOWN_COMPANIES}
    orgs |= {c for spelling, c in table.items() if _ORG_SUFFIX_WORD.search(spelling)}
    names = frozenset(v.canonical for v in variants)
    return EntityIndex(variants, pohang_bodies, frozenset(orgs), names)


def _variant(spelling: str, canonical: str) -> _Variant:
    pattern = re.compile(rf"(?<![\w]){re.escape(spelling)}(?![\w])", re.IGNORECASE)
    key = spelling.lower() if spelling.isascii() else None
    return _Variant(pattern, canonical, _is_place(spelling, canonical), key)


def _fold(text: str) -> str:
    """Lower case, with the few non-ASCII letters that `re.IGNORECASE` takes for ASCII ones
    turned into them: a text that can match an ASCII spelling contains its `key`, at the same
    place (each character folds to one: U+0130 is the only one that lower-cases to two)."""
    return (text if text.isascii() else text.translate(_ASCII_FOLD)).lower()


def _is_place(spelling: str, canonical: str) -> bool:
    """A one-word short form that begins a longer name ("Pohang" of "Pohang City") is a place
    as often as it is the body, so it only names the body where the grammar says so."""
    words = canonical.split()
    return " " not in spelling and len(words) > 1 and spelling.casefold() == words[0].casefold()


def find_mentions(index: EntityIndex, text: str) -> tuple[Mention, ...]:
    """Non-overlapping mentions in text order; the longest reading of a stretch wins."""
    if index.memo is None:
        return _find_mentions(index, text)
    memo = index.memo.mentions
    found = memo.get(text)
    if found is None:
        found = memo[text] = _find_mentions(index, text)
    return found


def _find_mentions(index: EntityIndex, text: str) -> tuple[Mention, ...]:
    folded = _fold(text)
    found: list[Mention] = []
    for v in index.variants:
        if v.key is None:
            matches: Iterable[re.Match[str]] = v.pattern.finditer(text)
        elif v.key not in folded:  # a cheap test before the pattern
            continue
        else:
            matches = _keyed_matches(v.pattern, v.key, text, folded)
        is_org = v.canonical in index.org_names
        found.extend(
            Mention(m.start(), m.end(), m.group(), v.canonical, is_org, v.is_place) for m in matches
        )
    found.extend(shaped_orgs(text))
    chosen: list[Mention] = []
    for mention in sorted(found, key=lambda m: m.start - m.end):  # longest first, stable
        if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
            chosen.append(mention)
    return tuple(sorted(chosen, key=lambda m: m.start))


def _keyed_matches(
    pattern: re.Pattern[str], key: str, text: str, folded: str
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a spelling's pattern, tried only where the folded text
    holds its key: folding keeps every character in place (`_fold`), and a match is its key
    there, so these are the places the scan would find it; the pattern still decides."""
    position = folded.find(key)
    while position >= 0:
        if match := pattern.match(text, position):
            yield match
            position = folded.find(key, match.end())
        else:
            position = folded.find(key, position + 1)


def named_parties(index: EntityIndex, text: str) -> list[Mention]:
    """Organisations a text names as actors or partners: not bare place names ("to Pohang"),
    not people, not venues ("at the Gyeongbuk Provincial Government Office")."""
    if index.memo is None:
        return list(_named_parties(index, text))
    memo = index.memo.parties
    found = memo.get(text)
    if found is None:
        found = memo[text] = _named_parties(index, text)
    return list(found)


def _named_parties(index: EntityIndex, text: str) -> tuple[Mention, ...]:
    return tuple(
        m
        for m in find_mentions(index, text)
        if m.is_org and not m.is_place and not _VENUE_BEFORE.search(text[: m.start])
    )


def canonicalise(index: EntityIndex, text: str) -> str:
    """Text with every known spelling replaced by its canonical name ("UCL" → "University
    College London"); bare place names stay, and "POEX (POEX)" left by the swap collapses."""
    if index.memo is None:
        return _canonicalise(index, text)
    memo = index.memo.canonical
    found = memo.get(text)
    if found is None:
        found = memo[text] = _canonicalise(index, text)
    return found


def _canonicalise(index: EntityIndex, text: str) -> str:
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
    return mention.canonical in index.alias_names


# The look-behind comes after the first letter (same test: the character before it) so that
# the scan can skip to capital letters.
_REPEAT = re.compile(r"([A-Z](?<![\w][A-Z])[\w&.-]*(?: [A-Z][\w&.-]*)*)(?: \(\1\)| \1)(?![\w])")
# Runs of word characters that start with a capital letter: a repeat has its first one twice.
_CAPITALISED = re.compile(r"[A-Z](?<![\w][A-Z])\w*")


def _collapse_repeats(text: str) -> str:
    words = _CAPITALISED.findall(text)
    if len(set(words)) == len(words):  # a cheap test before the pattern, which tries each name
        return text
    return _REPEAT.sub(r"\1", text)
