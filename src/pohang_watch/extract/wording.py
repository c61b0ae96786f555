"""The `what` of an item: a short clause that reads the same whichever article states it.

The ledger keys commitments on (actor, what), so "including the establishment of an open
innovation center", "plans to establish an open innovation center by 2030" and "▲establishing
an open innovation center;" must all come out as "establish an open innovation center". The
steps are table-driven: drop asides and lead-ins, drop the deadline (it is a field of its
own), cut at the first clause break, and turn a gerund or nominalisation into its verb.
"""

from __future__ import annotations

import re

from pohang_watch.extract.quantities import drop_year_phrase

# Gerunds that start list items, and their verbs. Also used to split "A and B" lists.
GERUNDS: dict[str, str] = {
    "attracting": "attract",
    "building": "build",
    "completing": "complete",
    "conducting": "conduct",
    "constructing": "construct",
    "creating": "create",
    "designating": "designate",
    "developing": "develop",
    "establishing": "establish",
    "expanding": "expand",
    "fostering": "foster",
    "holding": "hold",
    "hosting": "host",
    "implementing": "implement",
    "introducing": "introduce",
    "investing": "invest",
    "launching": "launch",
    "nurturing": "nurture",
    "opening": "open",
    "operating": "operate",
    "promoting": "promote",
    "providing": "provide",
    "pursuing": "pursue",
    "securing": "secure",
    "setting": "set",
    "strengthening": "strengthen",
    "supporting": "support",
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
    r"\b(?:projects|plans|agendas|measures|initiatives|tasks|programs|programmes|policies)\b"
)

# Where the pledge ends and its purpose, manner or consequence begins.
_CUTS: tuple[re.Pattern[str], ...] = (
    re.compile(r",?\s+so that\b"),
    re.compile(r",?\s+in order to\b"),
    re.compile(r",?\s+to ensure\b"),
    re.compile(r",\s+which\b"),
    re.compile(r",?\s+while\b"),
    re.compile(r",\s+(?:\w+ly\s+)?\w+ing\b"),
    re.compile(r"\s+through\b"),
    re.compile(r"\s+by\s+\w+ing\b"),
    re.compile(r"\s+as a\b"),
)
_MIN_WORDS = 3
# Brackets and quotation marks, but not the apostrophe of "Pohang’s".
_ASIDES = re.compile(r"\s*\([^)]*\)|[“”‘\"]|(?<!\w)’|’(?!\w)")
_LEAD_INS = re.compile(
    r"^(?:[\s,:;]+|that\b|to\b|on\b|continue\b|also\b|further\b|actively\b|jointly\b"
    r"|(?:after|before|once|following|in particular|additionally|in addition)\b[^,]*,"
    r"|(?-i:(?:[A-Z][\w&.-]*\s)*[A-Z][\w&.-]*[’']s\s))",
    re.IGNORECASE,
)
_NOMINAL = re.compile(r"^(?:the\s+)?(\w+)\s+of\s+", re.IGNORECASE)
_TRAILING = re.compile(r"[\s,;:.]+$")


def normalise_what(text: str) -> str:
    """The short, stable form of a pledge or cooperation clause."""
    what = _ASIDES.sub("", text)
    what = _strip_lead_ins(what)
    what = drop_year_phrase(what)
    what = _cut_at_clause_break(what)
    what = _base_verb(what)
    return _TRAILING.sub("", " ".join(what.split()))


def is_container(text: str) -> bool:
    """Whether a clause only announces a list ("various collaborative projects")."""
    return bool(CONTAINER_NOUNS.search(text)) and len(text.split()) <= 6


def _strip_lead_ins(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _LEAD_INS.sub("", text, count=1).lstrip()
    return text


def _cut_at_clause_break(text: str) -> str:
    for match in sorted((m for cut in _CUTS for m in cut.finditer(text)), key=lambda m: m.start()):
        if len(text[: match.start()].split()) >= _MIN_WORDS:
            return text[: match.start()]
    return text


def _base_verb(text: str) -> str:
    first, _, rest = text.partition(" ")
    if verb := GERUNDS.get(first.lower()):
        return f"{verb} {rest}".strip()
    nominal = _NOMINAL.match(text)
    if nominal and (verb := NOMINALISATIONS.get(nominal.group(1).lower())):
        return f"{verb} {text[nominal.end() :]}"
    return text
