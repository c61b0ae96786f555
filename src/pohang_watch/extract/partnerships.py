"""Partnerships: cooperation between a Pohang body and another named organisation.

A clause is a partnership when it names a kind of cooperation (`PARTNERSHIP_KINDS`), says how
far it has got (`PARTNERSHIP_STATUSES`, or the cue of a pledge: a planned cooperation is
proposed, one underway is agreed) and names at least two parties, one of them on the Pohang
side. "The two sides" refers back to the last outside organisation the article named.
Parties are canonical names, the Pohang side first in the order of `pohang_bodies`, then the
others sorted, so the same relation has the same parties in every article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pohang_watch.extract.clauses import Clause, ReadSentence, resolve_actor
from pohang_watch.extract.entities import EntityIndex, Mention, find_mentions
from pohang_watch.extract.quantities import find_target_year
from pohang_watch.extract.sectors import classify_sector
from pohang_watch.extract.wording import normalise_what
from pohang_watch.models import Partnership

# Kinds in order of precedence: an "investment MOU" is an MOU, "support for cooperation" is
# support.
PARTNERSHIP_KINDS: tuple[tuple[str, str], ...] = (
    ("mou", r"\bMOUs?\b|memorandum of understanding|\b(?:business|cooperation) agreement"),
    (
        "joint_research",
        r"\bjoint (?:[\w-]+ ){0,3}research|\bresearch (?:collaboration|cooperation|partnership)"
        r"|\bco-research|\bjoint stud(?:y|ies)",
    ),
    ("investment", r"\binvest\w*"),
    (
        "event",
        r"\bco-host\w*|\bjointly host\w*|\bco-organi[sz]\w*"
        r"|\bjoint (?:workshops?|seminars?|symposi\w+|events?|forums?)",
    ),
    ("support", r"\bsupport\b|\badvisory\b|\bassistance\b"),
    ("cooperation", r"\bcooperat\w*|\bcollaborat\w*|\bpartnership\b|\balliance\b|\bjoint\b"),
)
_KINDS = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in PARTNERSHIP_KINDS)

# How far a cooperation has got, most advanced first; the first that matches wins.
PARTNERSHIP_STATUSES: tuple[tuple[str, str], ...] = (
    ("agreed", r"(?:\b(?:will|to)\s+|^\s*)sign\b"),  # a signing to come ("is set to sign")
    ("signed", r"\b(?:signed|inked|concluded)\b"),
    ("agreed", r"\bagreed(?: to| on)?\b|\breached an agreement\b"),
    ("requested", r"\b(?:requested|asked(?: for)?|called for|sought)\b"),
    ("proposed", r"\b(?:proposed|suggested|offered)(?: that)?\b"),
    (
        "discussed",
        r"\b(?:to discuss|discussed|discussing|discusses|exchanged views on|held talks on"
        r"|explored|reviewed(?: potential| possible)?)\b",
    ),
)
_STATUSES = tuple(
    (status, re.compile(pattern, re.IGNORECASE)) for status, pattern in PARTNERSHIP_STATUSES
)
# The status a partnership takes from the cue of the pledge that contains it.
STATUS_FROM_CUE: dict[str, str] = {"planned": "proposed", "underway": "agreed"}
# A hedged sentence ("nothing has been confirmed") can only report talks.
_HEDGED_CEILING = frozenset({"signed", "agreed"})

_BOTH_SIDES = re.compile(r"\b(?:the two|both) (?:sides|parties|organi[sz]ations|institutions)\b")
# A facility named as a date ("after the opening of POEX, scheduled for…") is not a party.
_NOT_A_PARTY_AFTER = re.compile(r"(?:opening|completion) of (?:the )?$")
_NOT_A_PARTY_BEFORE = re.compile(
    r"^[\s,]*(?:\([^)]*\)\s*)?,?\s*(?:which is |is |was )?(?:scheduled|set|slated|expected)\s+"
    r"(?:for\s+(?:completion|opening)|to\s+(?:be\s+completed|open))"
)


@dataclass(frozen=True, slots=True)
class PartnershipFinding:
    """What one sentence yields, and the outside organisation "the two sides" would mean next."""

    partnerships: tuple[Partnership, ...]
    counterpart: str | None


def find_partnerships(
    read: ReadSentence, index: EntityIndex, counterpart: str | None
) -> PartnershipFinding:
    """Partnerships stated in a sentence; `counterpart` is the article's last outside body."""
    found = tuple(
        p
        for clause in read.clauses
        if (p := _from_clause(clause, read, index, counterpart)) is not None
    )
    outside = [m.canonical for m in _parties(index, read.text) if not index.is_pohang(m.canonical)]
    return PartnershipFinding(found, outside[-1] if outside else counterpart)


def _from_clause(
    clause: Clause, read: ReadSentence, index: EntityIndex, counterpart: str | None
) -> Partnership | None:
    status, actor, what_text = _status(clause, index)
    if status is None:
        return None
    what = normalise_what(what_text)
    kind = classify_kind(what) or classify_kind(clause.text)
    if kind is None:
        return None
    names = {m.canonical for m in _parties(index, clause.text)} | {actor}
    if counterpart and _BOTH_SIDES.search(clause.text):
        names.add(counterpart)
    parties = order_parties(index, names)
    if parties is None:
        return None
    if read.hedged and status in _HEDGED_CEILING:
        status = "discussed"
    return Partnership(
        parties=parties,
        partnership_kind=kind,
        status=status,
        what=what,
        sector=classify_sector(clause.text),
        evidence=read.evidence,
        target_year=find_target_year(clause.text) or clause.year,
    )


def _status(clause: Clause, index: EntityIndex) -> tuple[str | None, str, str]:
    """(status, actor, the words after the verb): from a cooperation verb, else the cue."""
    for status, pattern in _STATUSES:
        if match := pattern.search(clause.text):
            actor = resolve_actor(index, clause.text[: match.start()], clause.actor)
            return status, actor, clause.text[match.end() :]
    if clause.status is not None:
        return STATUS_FROM_CUE[clause.status], clause.actor, clause.text
    return None, clause.actor, clause.text


def classify_kind(text: str) -> str | None:
    """The first kind of `PARTNERSHIP_KINDS` the text names, if any."""
    return next((kind for kind, pattern in _KINDS if pattern.search(text)), None)


def _parties(index: EntityIndex, text: str) -> list[Mention]:
    """Organisations a clause names as parties: not bare place names ("to Pohang"), not
    people, not a facility that only dates the sentence."""
    return [
        m
        for m in find_mentions(index, text)
        if m.is_org
        and not m.is_place
        and not _NOT_A_PARTY_AFTER.search(text[: m.start])
        and not _NOT_A_PARTY_BEFORE.match(text[m.end :])
    ]


def order_parties(index: EntityIndex, names: set[str]) -> tuple[str, ...] | None:
    """Pohang side in `pohang_bodies` order, then the others sorted; None unless there are
    two parties and one of them is a Pohang body."""
    pohang = [body for body in index.pohang_bodies if body in names]
    others = sorted(names - set(pohang))
    if not pohang or len(names) < 2:
        return None
    return (*pohang, *others)
