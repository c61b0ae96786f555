"""Commitments: forward-looking pledges, plans, targets and decisions.

A clause is a commitment when a forward-looking cue introduced it and its sentence is not a
hedge, a denial or a forecast. Past achievements ("attracted EcoPro's investment") have no
cue and so never become commitments. Facilities "scheduled for completion in 2027" are
pledges too, written as "complete <facility>" so that every article that states the date of
one facility yields the same item whatever long name it uses; "the plant" is named through
what the article said before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pohang_watch.extract.clauses import Clause, ReadSentence
from pohang_watch.extract.context import HINTED_PAIR_WORDS, ArticleContext
from pohang_watch.extract.entities import EntityIndex, find_mentions
from pohang_watch.extract.literals import Hinted, fold
from pohang_watch.extract.quantities import find_amount, find_target_year
from pohang_watch.extract.sectors import classify_sector
from pohang_watch.extract.wording import SHAPE_REWRITES, is_container, normalise_what
from pohang_watch.models import Commitment

_MIN_WHAT_WORDS = 2

# Cued clauses that are no pledge: effort words, reported schedules of someone's work,
# descriptions and consequences.
NOT_PLEDGES = re.compile(
    r"^(?:do (?:our|its|their) (?:utmost|best)|make sure|use (?:this|the|that) \w+$"
    r"|(?:start|begin)\s+(?:in|next|from|on|this)\b|consist of|depend on|have to|show that)",
    re.IGNORECASE,
)

_HALF = r"(?:the\s+(?:first|second)\s+half\s+of\s+)?"
# "<facility> (which is) scheduled for completion in 2027", "… was completed this month",
# "mass production … is due to start in 2027"; the verb the item is written with.
COMPLETION_PHRASES: tuple[tuple[str, str, str], ...] = (
    (
        r"(?:which\s+is\s+|is\s+|was\s+)?(?:(?:scheduled|set|slated|expected|due)\s+"
        r"(?:for\s+completion|to\s+be\s+completed|to\s+open|for\s+opening)|on\s+track\s+to\s+open)"
        rf"\s+(?:in|by)\s+{_HALF}(?P<year>20\d\d)",
        "planned",
        "complete",
    ),
    (
        rf"(?:is|are)\s+(?:due|scheduled|set|slated)\s+to\s+(?:start|begin)\s+(?:in|by)\s+{_HALF}"
        r"(?P<year>20\d\d)",
        "planned",
        "start",
    ),
    (
        r"(?:was|has\s+been|have\s+been)\s+completed(?:\s+in\s+(?P<year>20\d\d))?",
        "completed",
        "complete",
    ),
)
_COMPLETIONS = tuple((Hinted(p), status, verb) for p, status, verb in COMPLETION_PHRASES)
_NOT_PLEDGES = Hinted(NOT_PLEDGES)
_GLUE = re.compile(r"^[\s,]*(?:\([^)]*\))?[\s,]*$")
_FALLBACK_OBJECT = re.compile(r"\bthe\s+((?:[\w-]+\s+){0,4}[\w-]+)\s*,?\s*$")
# The subject of a sentence that opens with it: "The plant, into which …, will …".
_OPENING_SUBJECT = re.compile(
    r"^(?:The|the)\s+([\w’'-]+(?:\s+(?:of\s+)?[\w’'-]+){0,7}?)(?=,|\s+is\b)"
)
_AFTER_AND = re.compile(r",\s+and\s+((?:[\w’'-]+\s+){1,7}?)$")
_SAME_PERIOD = Hinted(r"\bover the same period\b")
_BARE_THE = re.compile(r"\bthe\s+([a-z]+)\b")


def find_commitments(read: ReadSentence, index: EntityIndex) -> Iterator[Commitment]:
    """Every commitment a sentence states: its cued clauses, then dated completions."""
    if read.hedged:
        return
    for clause in read.clauses:
        if (commitment := _from_clause(clause, read)) is not None:
            yield commitment
    yield from _completions(read, index)


def _from_clause(clause: Clause, read: ReadSentence) -> Commitment | None:
    if clause.status is None or HINTED_PAIR_WORDS.search(clause.subject):
        return None  # what "the two universities will" do is their partnership, not a pledge
    what = named_facilities(read.context, read.context.cached(normalise_what, clause.text))
    if len(what.split()) < _MIN_WHAT_WORDS or is_container(what) or _NOT_PLEDGES.match(what):
        return None
    year = find_target_year(clause.text, read.context.published) or clause.year
    if year is None and _SAME_PERIOD.search(clause.text):
        year = read.context.last_year
    read.context.last_year = year or read.context.last_year
    return Commitment(
        actor=clause.actor,
        what=what,
        target_year=year,
        amount=find_amount(f"{clause.cue} {clause.text}"),
        sector=read.context.cached(classify_sector, clause.text),
        status=clause.status,
        evidence=read.evidence,
    )


def named_facilities(context: ArticleContext, what: str) -> str:
    """ "hold the expo" → "hold the International Secondary Battery Expo", where the article
    named it: only proper names are put in, as they are what makes two mentions one item."""

    def name(match: re.Match[str]) -> str:
        full = context.facility(match.group(1))
        return f"the {full}" if full[:1].isupper() else match.group()

    named = _BARE_THE.sub(name, what)
    for shape, replacement in SHAPE_REWRITES:
        named = shape.sub(replacement, named)
    return named


def _completions(read: ReadSentence, index: EntityIndex) -> Iterator[Commitment]:
    folded = fold(read.text)
    for pattern, status, verb in _COMPLETIONS:
        for match in pattern.finditer(read.text, folded):
            before = read.text[: match.start()]
            facility = completed_object(index, before, status == "planned")
            if facility is None:
                continue
            year = match.group("year")
            yield Commitment(
                actor=_actor_before(read, match.start()),
                what=f"{verb} {read.context.facility(facility)}",
                target_year=int(year)
                if year
                else find_target_year(read.text[match.end() :], read.context.published),
                amount=None,
                sector=classify_sector(facility),
                status=status,
                evidence=read.evidence,
            )


def _actor_before(read: ReadSentence, position: int) -> str:
    """Who a dated step belongs to: the body of the pledge just before it in the sentence."""
    earlier = [
        c for c in read.clauses if c.status is not None and -1 < read.text.find(c.text) < position
    ]
    return earlier[-1].actor if earlier else read.default_actor


def completed_object(index: EntityIndex, before: str, guess: bool) -> str | None:
    """The facility named right before a completion phrase: a known name, or the noun phrase
    the sentence opens with; with `guess` also the phrase after the last "the" or ", and"
    (a claimed completion needs the sentence's own subject)."""
    mentions = find_mentions(index, before)
    if mentions and _GLUE.match(before[mentions[-1].end :]):
        return mentions[-1].canonical
    if guess and (fallback := _AFTER_AND.search(before) or _FALLBACK_OBJECT.search(before)):
        return fallback.group(1).strip()
    if opening := _OPENING_SUBJECT.match(before):
        subject = opening.group(1)
        known = find_mentions(index, subject)
        return known[0].canonical if known and known[0].surface == subject else subject
    return None
