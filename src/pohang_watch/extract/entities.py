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
    "Power",
)

# First words that make "<Head> of <Name>" an organisation.
ORG_HEADS: tuple[str, ...] = ("Ministry", "Port", "Embassy", "Office", "Bank", "Government")

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

_WORD = r"[A-Z][\w&-]*"
_SUFFIX = "|".join(re.escape(s) for s in ORG_SUFFIXES)
_OF_TAIL = rf"of\s+{_WORD}(?:\s+(?:and\s+|&\s+)?{_WORD})*"
_ORG_SHAPES: tuple[re.Pattern[str], ...] = (
    # "Korea Federation of Science and Technology", "UCL Medical School", "Korea Hydro &
    # Nuclear Power", "Daeyang Cathode Co., Ltd."
    re.compile(
        rf"\b{_WORD}(?:\s+(?:&\s+)?{_WORD})*\s+(?:{_SUFFIX})(?!\w)(?:,?\s+Ltd\.)?"
        rf"(?:\s+{_OF_TAIL})?"
    ),
    # "Ministry of Trade, Industry and Energy", "Port of Rotterdam": the head word comes first
    re.compile(
        rf"\b(?:{'|'.join(ORG_HEADS)})\s+of\s+(?:the\s+)?{_WORD}"
        rf"(?:(?:,\s+|\s+and\s+|\s+&\s+|\s+){_WORD})*"
    ),
    re.compile(r"\b[A-Z][A-Z&]*[A-Z]\b"),  # acronyms: UCL, KAIST (stop list applies)
    re.compile(r"\b[A-Z][a-z]+[A-Z][A-Za-z]+\b"),  # CamelCase companies: EcoPro
)
_APPOSITION = re.compile(
    rf"\b({_WORD}(?:\s+{_WORD})+),\s+an?\s+(?:[\w-]+\s+){{0,5}}?"
    rf"(?:{'|'.join(APPOSITION_NOUNS)})\b"
)
# "Fukuyama Mayor Naoki Edahiro": the city a mayor heads is a party ("Fukuyama City").
_MAYOR_OF = re.compile(
    r"\b(?!(?:Deputy|Vice|Former|The|Then|Acting|Yesterday|Today|Meanwhile|Earlier|Later"
    r"|Also|When|After|Before|Local|City)\b)([A-Z][a-z]+) Mayor(?= [A-Z][\w-]+ [A-Z][\w-]+)"
)
# "Korea Battery Industry Association (KBIA)": a long name and the acronym it defines.
_DEFINED_ACRONYM = re.compile(
    rf"((?:{_WORD}\s+)(?:(?:of|for|and|on|the|to|&)\s+|{_WORD}\s+)*?{_WORD})"
    r"\s+\(([A-Z][A-Z0-9&]+)\)"
)
# A bracketed acronym that does not spell its long name is still its name when the long name
# is this long and starts like an organisation.
FOREIGN_ACRONYM_WORDS = 4
_FOREIGN_HEAD = re.compile(r"^(?!(?:The|Mayor|President|Chairman|CEO|On|In|At)\b)[A-Z]")
# A name right after these is a place where something happens, not a party to it.
_VENUE_BEFORE = re.compile(r"\b(?:at|in|on|near)\s+(?:the\s+)?$")
# "Institute of Energy Research and Hanul Hydrogen Co.": the "and" starts a second name.
_JOINER = re.compile(r"\s+and\s+")
_NEXT_ORG = re.compile(rf"\s+and\s+{_WORD}(?:\s+{_WORD})*\s+(?:{_SUFFIX})(?!\w)")
# "Global Battery City Forum": a capitalised word after the suffix makes it another name.
_NAME_GOES_ON = re.compile(r" (?!And\b|The\b)[A-Z][a-z]")
_LEADING_ARTICLE = re.compile(r"(?:The|A|An)\s+")
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
            if long is None or any(
                v.pattern.fullmatch(n) for v in index.variants for n in (long, short)
            ):
                continue
            if any(ch.isdigit() for ch in short):
                found[short] = (long,)
            else:
                found[long] = (short,)
    return found


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
        _Variant(_whole_words(spelling), canonical, _is_place(spelling, canonical))
        for spelling, canonical in sorted(table.items(), key=lambda kv: -len(kv[0]))
    )
    orgs = {c for c in table.values() if c in pohang_bodies or c in KNOWN_COMPANIES}
    orgs |= {c for spelling, c in table.items() if _ORG_SUFFIX_WORD.search(spelling)}
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
    mentions = [
        Mention(m.start(1), m.end(1), m.group(1), m.group(1), True, False)
        for m in _APPOSITION.finditer(text)
    ]
    mentions += [
        Mention(m.start(1), m.end(1), m.group(1), f"{m.group(1)} City", True, False)
        for m in _MAYOR_OF.finditer(text)
    ]
    for shape in _ORG_SHAPES:
        position = 0
        while m := shape.search(text, position):
            position = _end_before_next_org(text, m.start(), m.end())
            article = _LEADING_ARTICLE.match(text, m.start(), position)
            start = article.end() if article else m.start()
            name = text[start:position]
            if name not in NOT_ORG_ACRONYMS and not _NAME_GOES_ON.match(text, position):
                mentions.append(Mention(start, position, name, name, True, False))
    return mentions


def named_parties(index: EntityIndex, text: str) -> list[Mention]:
    """Organisations a text names as actors or partners: not bare place names ("to Pohang"),
    not people, not venues ("at the Gyeongbuk Provincial Government Office")."""
    return [
        m
        for m in find_mentions(index, text)
        if m.is_org and not m.is_place and not _VENUE_BEFORE.search(text[: m.start])
    ]


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
