"""Clauses: a sentence cut into the stretches that each state one pledge, with actor and cue.

A sentence such as "the city is focusing on future projects, including A and B, aiming to
create C by 2030" holds three pledges (A, B, C) under two cues; a ▲ list holds one per item,
each inheriting the actor and the cue of the sentence that introduces the list. This module
finds the forward-looking cues (`COMMITMENT_CUES`), the hedges that cancel them (`HEDGES`),
the actor of each cue, and cuts the sentence accordingly. Commitments and partnerships are
then read from the clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pohang_watch.extract.entities import EntityIndex, canonicalise, find_mentions
from pohang_watch.extract.quantities import find_target_year
from pohang_watch.extract.sentences import Sentence, split_enumeration
from pohang_watch.extract.wording import GERUNDS, NOMINALISATIONS

# Forward-looking cues and the status of what follows them. Lower-case on purpose: a
# headline's "Will Accelerate" is not a pledge.
COMMITMENT_CUES: tuple[tuple[str, str], ...] = (
    (r"\b(?:aims?|aiming) to\b|\bwith the aim of\b", "planned"),
    (r"\b(?:plans?|planning|intends?|intending|seeks|seeking) to\b", "planned"),
    (r"\b(?:is|are) (?:set|going) to\b", "planned"),
    (r"\b(?:has |have )?(?:decided|pledged|vowed|promised|resolved) to\b", "planned"),
    (r"\b(?:is|are) focusing on\b", "planned"),
    (
        r"\bwill(?:\s+(?:continue to|also|further|actively|jointly))*+"
        r"(?!\s+(?:not|be|become|serve|help|contribute|remain|bring|play|mark|lead)\b)",
        "planned",
    ),
    (
        r"\b(?:is|are) (?:pushing(?: for| ahead with)?|striving to|working to|promoting|"
        r"pursuing|carrying out|implementing|accelerating)\b|\bongoing efforts to\b",
        "underway",
    ),
)
_CUES = tuple((re.compile(pattern), status) for pattern, status in COMMITMENT_CUES)
# A cue inside a relative clause describes something else ("EcoPro, which will…").
_RELATIVE = re.compile(r"\b(?:which|who)\s+$")

# Words that make a statement a hedge, a denial or a forecast rather than a pledge.
HEDGES = re.compile(
    r"\bnothing (?:has been|is|was) (?:confirmed|decided|finali[sz]ed)"
    r"|\bnot (?:yet )?(?:been )?(?:confirmed|decided|finali[sz]ed)\b"
    r"|\bno (?:concrete |specific )?(?:plans?|intention) to\b|\bhas no (?:plans?|intention)\b"
    r"|\b(?:does|do|did) not (?:plan|intend)\b|\bwill not\b|\bwon't\b|\bno decision\b"
    r"|\bdenied\b|\b(?:considering|reviewing) whether\b|\bundecided\b|\bunclear\b"
    r"|\breportedly\b|\bspeculat\w*|\brumou?r\w*|\b(?:may|might|could)\b"
    r"|\bexpects? that\b|\b(?:is|are) expected to\b|\bhopes? that\b|\banticipates?\b",
)

# A name right after one of these is an object, not the subject of the clause.
PREPOSITIONS: frozenset[str] = frozenset(
    {
        *("of", "with", "at", "in", "to", "for", "from", "by", "between", "among", "on"),
        *("including", "like", "as", "into", "about", "after", "before", "following"),
        *("despite", "under", "through", "via", "over"),
    }
)

_ITEM_START = (
    r"(?:" + "|".join(GERUNDS) + r")\b|the\s+(?:" + "|".join(NOMINALISATIONS) + r")\s+of\b"
)
_INCLUDING = re.compile(r",?\s*\bincluding\b:?\s*")
_LIST_SPLIT = re.compile(rf",?\s+and\s+(?={_ITEM_START})|,\s+(?={_ITEM_START})")
_SEMICOLON_SPLIT = re.compile(r";\s*(?:and\s+)?")
_LAST_WORD = re.compile(r"(\w+)\W*$")


@dataclass(frozen=True, slots=True)
class Clause:
    """One stretch of a sentence that may state a pledge or a cooperation."""

    text: str  # canonicalised wording of the stretch
    actor: str  # who pledges (canonical), or the sentence's default
    status: str | None  # planned | underway from its cue; None when no forward-looking cue
    year: int | None  # a deadline inherited from the clause that introduces a list


@dataclass(frozen=True, slots=True)
class ReadSentence:
    """A sentence after canonicalisation, with its clauses and what applies to all of them."""

    evidence: str
    text: str
    default_actor: str
    hedged: bool
    clauses: tuple[Clause, ...]


def read_sentence(index: EntityIndex, sentence: Sentence) -> ReadSentence:
    """Canonicalise a sentence and cut it into clauses."""
    text = canonicalise(index, sentence.text)
    default = _speaker_body(index, sentence.speaker) if sentence.quoted else _city(index)
    if "▲" in text:
        clauses = _enumeration_clauses(index, text, default)
    else:
        clauses = _cue_clauses(index, text, default)
    return ReadSentence(sentence.text, text, default, bool(HEDGES.search(text)), clauses)


def resolve_actor(index: EntityIndex, before: str, default: str) -> str:
    """The subject of a clause: the first organisation named before its verb that is not the
    object of a preposition; a person ("Mayor Lee") or a pronoun stands for `default`."""
    region = before.rsplit("“", 1)[-1]
    for mention in find_mentions(index, region):
        previous = _LAST_WORD.search(region[: mention.start])
        if previous and previous.group(1).lower() in PREPOSITIONS:
            continue
        return mention.canonical if mention.is_org else default
    return default


def _city(index: EntityIndex) -> str:
    """The city itself: the first of the Pohang bodies."""
    return index.pohang_bodies[0]


def _speaker_body(index: EntityIndex, speaker: str | None) -> str:
    """The body a quotation speaks for: the last organisation in "Im Juhee, Chair of … of the
    Pohang City Council"; the mayor and unknown speakers speak for the city."""
    if speaker:
        orgs = [m for m in find_mentions(index, canonicalise(index, speaker)) if m.is_org]
        if orgs and not orgs[-1].is_place:
            return orgs[-1].canonical
    return _city(index)


def _cue_clauses(index: EntityIndex, text: str, default: str) -> tuple[Clause, ...]:
    cues = _find_cues(text)
    if not cues:
        return (Clause(text, default, None, None),)
    clauses = [Clause(text[: cues[0][0]], default, None, None)]
    for i, (start, end, status) in enumerate(cues):
        stop = cues[i + 1][0] if i + 1 < len(cues) else len(text)
        actor = resolve_actor(index, text[:start], default)
        head, items = split_list(text[end:stop])
        clauses.extend(Clause(part, actor, status, None) for part in (head, *items))
    return tuple(clauses)


def _enumeration_clauses(index: EntityIndex, text: str, default: str) -> tuple[Clause, ...]:
    lead, items = split_enumeration(text)
    lead_clauses = _cue_clauses(index, lead, default)
    cued = [c for c in lead_clauses if c.status is not None]
    if not cued:
        actor = resolve_actor(index, lead, default)
        return lead_clauses + tuple(c for i in items for c in _cue_clauses(index, i, actor))
    year = find_target_year(lead)
    inherited = tuple(Clause(item, cued[0].actor, cued[0].status, year) for item in items)
    return lead_clauses + inherited


def _find_cues(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping cues in text order, skipping those inside relative clauses."""
    cues: list[tuple[int, int, str]] = []
    for pattern, status in _CUES:
        for m in pattern.finditer(text):
            overlaps = any(m.start() < e and s < m.end() for s, e, _ in cues)
            if not overlaps and not _RELATIVE.search(text[: m.start()]):
                cues.append((m.start(), m.end(), status))
    return sorted(cues)


def split_list(text: str) -> tuple[str, tuple[str, ...]]:
    """'future projects, including A and B' → ('future projects', ('A', 'B')). Items are split
    at semicolons, or at 'and'/commas that start a new gerund or nominalisation."""
    match = _INCLUDING.search(text)
    if match is None:
        return text, ()
    rest = text[match.end() :]
    splitter = _SEMICOLON_SPLIT if ";" in rest else _LIST_SPLIT
    items = tuple(item.strip(" ,.;") for item in splitter.split(rest))
    return text[: match.start()], tuple(item for item in items if item)
