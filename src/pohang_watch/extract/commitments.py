"""Commitments: forward-looking pledges, plans, targets and decisions.

A clause is a commitment when a forward-looking cue introduced it and its sentence is not a
hedge, a denial or a forecast. Past achievements ("attracted EcoPro's investment") have no
cue and so never become commitments. Facilities "scheduled for completion in 2027" are
pledges too, written as "complete <facility>" so that every article that states the date of
one facility yields the same item whatever long name it uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pohang_watch.extract.clauses import Clause, ReadSentence
from pohang_watch.extract.entities import EntityIndex, find_mentions
from pohang_watch.extract.quantities import find_amount, find_target_year
from pohang_watch.extract.sectors import classify_sector
from pohang_watch.extract.wording import is_container, normalise_what
from pohang_watch.models import Commitment

_MIN_WHAT_WORDS = 2

# "<facility> (which is) scheduled for completion in 2027", "… was completed in 2027".
COMPLETION_PHRASES: tuple[tuple[str, str], ...] = (
    (
        r"(?:which\s+is\s+|is\s+|was\s+)?(?:scheduled|set|slated|expected)\s+"
        r"(?:for\s+completion|to\s+be\s+completed|to\s+open|for\s+opening)\s+(?:in|by)\s+"
        r"(?P<year>20\d\d)",
        "planned",
    ),
    (r"(?:was|has\s+been|have\s+been)\s+completed(?:\s+in\s+(?P<year>20\d\d))?", "completed"),
)
_COMPLETIONS = tuple((re.compile(p), status) for p, status in COMPLETION_PHRASES)
_GLUE = re.compile(r"^[\s,]*(?:\([^)]*\))?[\s,]*$")
_FALLBACK_OBJECT = re.compile(r"\bthe\s+((?:[\w-]+\s+){0,4}[\w-]+)\s*,?\s*$")


def find_commitments(read: ReadSentence, index: EntityIndex) -> Iterator[Commitment]:
    """Every commitment a sentence states: its cued clauses, then dated completions."""
    if read.hedged:
        return
    for clause in read.clauses:
        if (commitment := _from_clause(clause, read.evidence)) is not None:
            yield commitment
    yield from _completions(read, index)


def _from_clause(clause: Clause, evidence: str) -> Commitment | None:
    if clause.status is None:
        return None
    what = normalise_what(clause.text)
    if len(what.split()) < _MIN_WHAT_WORDS or is_container(what):
        return None
    return Commitment(
        actor=clause.actor,
        what=what,
        target_year=find_target_year(clause.text) or clause.year,
        amount=find_amount(clause.text),
        sector=classify_sector(clause.text),
        status=clause.status,
        evidence=evidence,
    )


def _completions(read: ReadSentence, index: EntityIndex) -> Iterator[Commitment]:
    for pattern, status in _COMPLETIONS:
        for match in pattern.finditer(read.text):
            facility = completed_object(index, read.text[: match.start()], status == "planned")
            if facility is None:
                continue
            year = match.group("year")
            yield Commitment(
                actor=read.default_actor,
                what=f"complete {facility}",
                target_year=int(year) if year else None,
                amount=None,
                sector=classify_sector(facility),
                status=status,
                evidence=read.evidence,
            )


def completed_object(index: EntityIndex, before: str, guess: bool) -> str | None:
    """The facility named right before a completion phrase: a known name, or with `guess`
    the noun phrase after the last "the" (a claimed completion needs a name we know)."""
    mentions = find_mentions(index, before)
    if mentions and _GLUE.match(before[mentions[-1].end :]):
        return mentions[-1].canonical
    fallback = _FALLBACK_OBJECT.search(before) if guess else None
    return fallback.group(1) if fallback else None
