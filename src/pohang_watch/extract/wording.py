"""The `what` of an item: a short clause that reads the same whichever article states it.

The ledger keys commitments on (actor, what), so "including the establishment of an open
innovation center", "plans to establish an open innovation center by 2030" and "▲establishing
an open innovation center;" must all come out as "establish an open innovation center". The
steps are table-driven: drop asides and lead-ins, drop the deadline (it is a field of its
own), cut at the first clause break, and turn a gerund or nominalisation into its verb.
"""

from __future__ import annotations

import re

from pohang_watch.extract.literals import Hinted, fold
from pohang_watch.extract.quantities import drop_year_phrase

# Gerunds that start list items, and their verbs. Also used to split "A and B" lists.
GERUNDS: dict[str, str] = {
    "attracting": "attract",
    "building": "build",
    "completing": "complete",
    "conducting": "conduct",
    "constructing": "construct",
    "creating": "create",
    "covering": "cover",
    "designating": "designate",
    "developing": "develop",
    "drawing": "draw",
    "establishing": "establish",
    "expanding": "expand",
    "fostering": "foster",
    "hiring": "hire",
    "holding": "hold",
    "hosting": "host",
    "implementing": "implement",
    "introducing": "introduce",
    "investing": "invest",
    "launching": "launch",
    "nurturing": "nurture",
    "opening": "open",
    "offering": "offer",
    "operating": "operate",
    "presenting": "present",
    "promoting": "promote",
    "providing": "provide",
    "pursuing": "pursue",
    "securing": "secure",
    "setting": "set",
    "strengthening": "strengthen",
    "submitting": "submit",
    "supporting": "support",
    "training": "train",
    "transforming": "transform",
}

# "the establishment of X" → "establish X".
NOMINALISATIONS: dict[str, str] = {
    "attraction": "attract",
    "completion": "complete",
    "construction": "build",
    "creation": "create",
    "designation": "designate",
    "development": "develop",
    "establishment": "establish",
    "expansion": "expand",
    "introduction": "introduce",
    "launch": "launch",
    "opening": "open",
    "operation": "operate",
    "promotion": "promote",
}

# Nouns that name a bundle of plans rather than a plan: "future projects, including A and B".
CONTAINER_NOUNS = re.compile(
    r"\b(?:projects|plans|agendas|measures|initiatives|tasks|programs|programmes|policies"
    r"|areas|fields)\b"
)

# Where in Pohang a plan sits is not part of what it is: one center, whichever way it is placed.
PLACE_PHRASES = re.compile(
    r",?\s+(?:in|at)\s+the\s+(?:Yeongil Bay\s+)?(?:Free Economic Zone|Industrial Complex)\b",
    re.IGNORECASE,
)

# Recurring shapes written one way, so that every article stating them yields one item:
# "attracting a cumulative 10 trillion won in new corporate investment", "drawing a total of
# 10 trillion won in fresh investment" → "attract 10 trillion won in investment".
CANONICAL_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"^(?:attract|draw|secure)\s+(?:a\s+)?(?:cumulative\s+|total\s+(?:of\s+)?)?"
            r"(?P<sum>[\d.,]+\s+(?:trillion|billion)\s+won)\s+in\s+(?:[\w-]+\s+){0,2}investment\b.*$"
        ),
        r"attract \g<sum> in investment",
    ),
    (
        re.compile(
            r"^(?:(?:hold|host|launch|stage)\s+)?(?:the\s+|an?\s+)?"
            r"(?P<event>(?:[A-Z][\w-]*\s+)+(?:Expo|Forum|Conference|Fair|Festival))\b.*$"
        ),
        r"hold the \g<event>",
    ),
)

# The same, each with the words it cannot match without (see literals.py).
SHAPE_REWRITES: tuple[tuple[Hinted, str], ...] = tuple(
    (Hinted(shape), replacement) for shape, replacement in CANONICAL_SHAPES
)
_CONTAINER_NOUNS = Hinted(CONTAINER_NOUNS)
_PLACE_PHRASES = Hinted(PLACE_PHRASES)

# Where the pledge ends and its purpose, manner or consequence begins.
_CUT_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r",?\s+so that\b"),
    re.compile(r",?\s+in order to\b"),
    re.compile(r",?\s+to ensure\b"),
    re.compile(r",\s+which\b"),
    re.compile(r",?\s+while\b"),
    re.compile(r",\s+(?:\w+ly\s+)?\w+ing\b"),
    re.compile(r"\s+through\b"),
    re.compile(r"\s+by\s+\w+ing\b"),
    re.compile(r"\s+as a\b"),
    re.compile(r",?\s+according to\b"),
    re.compile(r",\s+(?:under which|after which|despite|together with)\b"),
    re.compile(r",?\s+with the (?:aim|goal) of\b"),
    re.compile(r"\s+(?:once|when)\s+(?:it|its|the)\b"),
    re.compile(r"\s+without fail\b"),
    # ", and mass production … is due to start": a second statement with its own subject
    re.compile(r",\s+and\s+(?!\w+ing\b)(?:[\w’'-]+\s+){1,6}?(?:is|are|was|were|will)\b"),
    # a trailing attribution: ", Mayor Lee Kang-deok said"
    re.compile(
        r",\s+(?:the\s+)?(?:[Mm]ayor\s+)?(?:[A-Z][\w-]*\s+){0,3}(?:said|stated|added)[.\s]*$"
    ),
)
# A dangling conjunction left where the next clause's cue began: "…factories, and it".
_CUTS = tuple(Hinted(cut) for cut in _CUT_PATTERNS)
_DANGLING = re.compile(
    r"(?:,?\s+(?:and|or|but|while)(?:\s+(?:it|the city|we|they|he|she))?|,)\s*$", re.IGNORECASE
)
_MIN_WORDS = 3
# Brackets and quotation marks, but not the apostrophe of "Pohang’s".
_ASIDES = Hinted(r"\s*\([^)]*\)|[“”‘\"]|(?<!\w)’|’(?!\w)")
_LEAD_INS = re.compile(
    r"^(?:[\s,:;]+|that\b|to\b|on\b|continue\b|also\b|further\b|actively\b|jointly\b"
    r"|use (?:the|this) \w+ to\b"
    r"|(?:after|before|once|following|in particular|additionally|in addition)\b[^,]*,"
    r"|(?-i:(?:[A-Z][\w&.-]*\s)*[A-Z][\w&.-]*[’']s\s))",
    re.IGNORECASE,
)
_NOMINAL = re.compile(r"^(?:the\s+)?(\w+)\s+of\s+", re.IGNORECASE)
_TRAILING = ",;:."  # and whitespace
# The most whitespace-separated words a `_DANGLING` match spans ("and the city").
_DANGLING_WORDS = 3
# The last characters of what `_DANGLING` removes: "and", "or", "but", "while", "it", "the
# city", "we", "they", "he", "she" and the comma (`re.IGNORECASE` adds only their capitals).
_DANGLING_ENDS = frozenset("drtey,")


def normalise_what(text: str) -> str:
    """The short, stable form of a pledge or cooperation clause."""
    what = _ASIDES.sub("", text)
    what = _strip_lead_ins(what)
    what = _PLACE_PHRASES.sub("", drop_year_phrase(what))
    what = _without_dangling(_cut_at_clause_break(what))
    what = _base_verb(" ".join(what.split()))
    for shape, replacement in SHAPE_REWRITES:
        what = shape.sub(replacement, what)
    return _without_trailing(what)


def _without_dangling(text: str) -> str:
    """``_DANGLING.sub("", text)``, searched only where a match can be: it ends the text (a
    comma or a word ending in one of `_DANGLING_ENDS`, then spaces) and spans at most
    `_DANGLING_WORDS` words, the space before them and a comma."""
    if text.rstrip()[-1:].lower() not in _DANGLING_ENDS:
        return text
    words = text.rsplit(None, _DANGLING_WORDS)  # the text before them comes first, unsplit
    start = len(words[0]) if len(words) > _DANGLING_WORDS else 0
    match = _DANGLING.search(text, max(0, start - 1))
    return text[: match.start()] + text[match.end() :] if match else text


def _without_trailing(text: str) -> str:
    """What ``[\\s,;:.]+$`` removes: the run of spaces and these marks at the end."""
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in _TRAILING):
        end -= 1
    return text[:end]


def is_container(text: str) -> bool:
    """Whether a clause only announces a list ("various collaborative projects")."""
    return bool(_CONTAINER_NOUNS.search(text)) and len(text.split()) <= 6


def _strip_lead_ins(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _LEAD_INS.sub("", text, count=1).lstrip()
    return text


def _cut_at_clause_break(text: str) -> str:
    """The text up to the earliest break of any of `_CUTS` that leaves `_MIN_WORDS` words
    (more text before a break never leaves fewer words, so each cut's first such break is its
    earliest)."""
    cut_at = len(text)
    folded = fold(text)
    for cut in _CUTS:
        for match in cut.finditer(text, folded):
            if match.start() >= cut_at:
                break
            if len(text[: match.start()].split()) >= _MIN_WORDS:
                cut_at = match.start()
                break
    return text[:cut_at]


def _base_verb(text: str) -> str:
    first, _, rest = text.partition(" ")
    if verb := GERUNDS.get(first.lower()):
        return f"{verb} {rest}".strip()
    nominal = _NOMINAL.match(text)
    if nominal and (verb := NOMINALISATIONS.get(nominal.group(1).lower())):
        return f"{verb} {text[nominal.end() :]}"
    return text
