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
from typing import NamedTuple

from pohang_watch.extract.context import FACILITY_HEADS, ArticleContext
from pohang_watch.extract.entities import EntityIndex, Mention, canonicalise, find_mentions
from pohang_watch.extract.literals import Hinted, fold
from pohang_watch.extract.quantities import find_target_year
from pohang_watch.extract.sentences import Sentence, split_enumeration
from pohang_watch.extract.wording import GERUNDS, NOMINALISATIONS

# Forward-looking cues and the status of what follows them. Lower-case on purpose: a
# headline's "Will Accelerate" is not a pledge.
COMMITMENT_CUES: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:aims?|aiming) to\b|\bwith the (?:aim|goal) of\b(?!\s+(?:starting|beginning)\b)"
        r"|\b(?:set|reaffirmed|announced) (?:a|its|the) goal of\b",
        "planned",
    ),
    (
        r"(?<!\bits )(?<!\btheir )(?<!\bthe )(?<!\ba )"
        r"\b(?:plans?|planning|intends?|intending|seeks|seeking) to\b",
        "planned",
    ),
    (r"\b(?:is|are) (?:set|going) to\b", "planned"),
    (r"\b(?:has |have )?(?:decided|pledged|vowed|promised|resolved|agreed) to\b", "planned"),
    (r"\bsaid (?:that )?(?:it|the city|the company|the university|they|he) would\b", "planned"),
    (r"\bcommitted (?:[$\w.,]+ ){1,4}to\b", "planned"),
    (r"\blaunched (?:its|a|the) (?:campaign|bid|drive) to\b", "planned"),
    (r"\b(?:is|are) focusing on\b", "planned"),
    (
        r"\bwill(?:\s+(?:continue to|also|further|actively|jointly))*+"
        r"(?!\s+(?:not|be|become|serve|contribute|remain|bring|play|mark|lead|consist"
        r"|depend|house|have|feature|include|cost)\b)",
        "planned",
    ),
    (
        r"\b(?:is|are) (?:pushing(?: for| ahead with)?|striving to|working to|promoting|"
        r"pursuing|carrying out|implementing|accelerating)\b|\bongoing efforts to\b"
        r"|\bcontinuing (?:its|their) efforts to\b",
        "underway",
    ),
)
_CUES = tuple((Hinted(pattern), status) for pattern, status in COMMITMENT_CUES)
# A cue inside a relative or reported question describes something else ("EcoPro, which
# will…", "which automakers will…", "the fuel that will…"); a pledge made in a relative
# clause ("which committed $200 million to") still counts, for the body it refers to.
_RELATIVE = Hinted(r"(?:\b(?:which|who|whom|whose|whether|how)\b[^,;“”\"]*|\bthat\s+)$")
_RELATIVE_PLEDGE = re.compile(r"^committed\b")
# "the expo, which the city intends to hold": the relative's object is the pledge's object.
_NP = r"(?P<np>(?:(?!the\b)[\w’'-]+\s+){0,4}?(?!the\b)[\w’'-]+)"
_OBJECT_BEFORE = re.compile(
    rf"\bthe\s+{_NP},?\s+(?:which\s+|that\s+)?(?:the city|it)\s+$", re.IGNORECASE
)
# "The academy will open in March": an intransitive pledge takes its subject as object.
INTRANSITIVE_VERBS = frozenset({"open", "launch", "start", "begin", "debut"})
_SUBJECT = re.compile(rf"^(?:[A-Z][\w ]{{0,30}},\s+)?[Tt]he\s+{_NP}(?:\s*,[^,]*,)?\s*$")
# A pledge verb followed by one of these has no object of its own.
_NO_OBJECT = frozenset({"in", "at", "on", "next", "from", "by", "for", "when", "once", "this"})
# Things that "will house", "will show": descriptions, not pledges of a body.
THING_NOUNS = frozenset(
    {*FACILITY_HEADS, "project", "course", "program", "programme", "agreement", "facility"}
)
# A pledge needs an agent: a name, a pronoun, or one of these nouns. "Battery companies will
# find…", "new industries will carry it forward", "the lab will open": forecasts and
# descriptions (a facility that "will open" is still the pledge of its builder, see above).
AGENT_NOUNS = frozenset(
    {
        *("city", "council", "province", "government", "ministry", "company", "firm"),
        *("university", "universities", "institute", "institution", "institutions"),
        *("association", "agency", "foundation", "corporation", "group", "team", "committee"),
        *("office", "administration", "delegation", "mayor", "governor", "official"),
        *("officials", "sides", "parties", "cities", "organization", "organisation", "bureau"),
    }
)
PRONOUNS = frozenset({"we", "i", "it", "they", "he", "she"})
# Where a subject's head noun phrase ends: a participle, relative or prepositional tail.
_SUBJECT_TAIL = re.compile(
    r"\s+(?:linking|connecting|which|that|who|in|at|on|of|for|with|near|along|between|under"
    r"|also|now|then|still|already)\b.*$"
)
# Cues whose subject may be any noun phrase (a forecast, a description) and must be checked.
_FINITE_FUTURE = re.compile(r"^(?:will|is|are)\b")
# "Council Chairman Baek…", "council member Kim…": the council speaks, not the city.
_COUNCIL_TITLE = re.compile(r"\b[Cc]ouncil (?:[Cc]hair\w*|[Ss]peaker|[Mm]ember)\b")
# The city's own bodies as a subject (not "the city's", not "the city of Ulsan").
_OWN_BODY = Hinted(r"\b[Tt]he (?:city|council|city council)\b(?!['’]s|\s+of\b)")
# "Pohang City said on the 5th that it will…": the subject of the reported clause.
_REPORTED = re.compile(r"\b(?:that|said|says|announced|added)\b")
# Lists a body "presented" or "unveiled" are its plans even without a cue.
_LIST_LEAD = Hinted(r"\b(?:presented|unveiled|announced|outlined|set out)\b")
# An opening quote: curly, or a straight one at the start or after a space or comma.
_QUOTE_OPEN = Hinted(r"“|(?:^|(?<=[\s,]))\"")
# Where the subject of the next clause starts: a cue's actor is found after the last of these.
_CLAUSE_BREAK = Hinted(r",\s+(?:and|while|but|whereas)\s+|;\s+")

# Words that make a statement a hedge, a denial or a forecast rather than a pledge.
HEDGES = re.compile(
    r"\b[Nn]othing\b[^.;]{0,60}?\b(?:has been|is|was) (?:confirmed|decided|finali[sz]ed|fixed)"
    r"|\bunder negotiation\b|\bdid not disclose\b"
    r"|\bnot (?:yet )?(?:been )?(?:confirmed|decided|finali[sz]ed)\b"
    r"|\bno (?:concrete |specific )?(?:plans?|intention) to\b|\bhas no (?:plans?|intention)\b"
    r"|\b(?:does|do|did) not (?:plan|intend)\b|\bwill not\b|\bwon't\b|\bno decision\b"
    r"|\bdenied\b|\b(?:considering|reviewing) whether\b|\bundecided\b|\bunclear\b"
    r"|\breportedly\b|\bspeculat\w*|\brumou?r\w*|\b(?:may|might|could)\b"
    r"|\bexpects? that\b|\b(?:is|are) expected to\b|\bhopes? that\b|\banticipates?\b",
)

_HEDGES = Hinted(HEDGES)

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
_INCLUDING = Hinted(r",?\s*\bincluding\b:?\s*")
_LIST_SPLIT = re.compile(rf",?\s+and\s+(?={_ITEM_START})|,\s+(?={_ITEM_START})")
_SEMICOLON_SPLIT = re.compile(r";\s*(?:and\s+)?")


class Clause(NamedTuple):
    """One stretch of a sentence that may state a pledge or a cooperation. (A named tuple, the
    cheapest to make.)"""

    text: str  # canonicalised wording of the stretch
    actor: str  # who pledges (canonical), or the sentence's default
    status: str | None  # planned | underway from its cue; None when no forward-looking cue
    year: int | None  # a deadline inherited from the clause that introduces a list
    cue: str = ""  # the words of the cue ("plans to", "said it would")
    subject: str = ""  # the words before the cue, back to the previous clause break


@dataclass(frozen=True, slots=True)
class ReadSentence:
    """A sentence after canonicalisation, with its clauses and what applies to all of them."""

    evidence: str
    text: str
    default_actor: str
    hedged: bool
    clauses: tuple[Clause, ...]
    context: ArticleContext


def read_sentence(index: EntityIndex, sentence: Sentence, context: ArticleContext) -> ReadSentence:
    """Canonicalise a sentence and cut it into clauses. Articles repeat sentences, and a reading
    depends only on the sentence and on the names "the company" and "the two sides" stand for
    (`ArticleContext.referent`), so a repeat with those unchanged is read once."""
    key = (sentence, context.company, context.counterpart)
    read = context.readings.get(key)
    if read is None:
        read = context.readings[key] = _read_sentence(index, sentence, context)
    return read


def _read_sentence(index: EntityIndex, sentence: Sentence, context: ArticleContext) -> ReadSentence:
    text = canonicalise(index, sentence.text)
    default = _speaker_body(index, sentence.speaker) if sentence.quoted else _city(index)
    reader = _Reader(index, context)
    if "▲" in text:
        clauses = reader.enumeration_clauses(text, default)
    else:
        clauses = reader.cue_clauses(text, default)
    hedged = bool(_HEDGES.search(text))
    return ReadSentence(sentence.text, text, default, hedged, clauses, context)


def subject_region(before: str) -> str:
    """The words that can hold a clause's subject: after the last quote mark and clause break."""
    return _CLAUSE_BREAK.split(_QUOTE_OPEN.split(before)[-1])[-1]


def resolve_actor(
    index: EntityIndex, before: str, default: str, context: ArticleContext | None = None
) -> str:
    """The subject of a clause: the first organisation named before its verb that is not the
    object of a preposition (in a relative clause, the last one: its antecedent); "the
    company" stands for the company last named; a person or a pronoun stands for `default`."""
    return actor_in_region(index, subject_region(before), default, context)


def actor_in_region(
    index: EntityIndex, region: str, default: str, context: ArticleContext | None = None
) -> str:
    """`resolve_actor` for the `subject_region` already cut (callers that need both)."""
    mentions = find_mentions(index, region)
    if (own := _own_body(index, region, mentions)) is not None:
        return own
    if _RELATIVE.search(region) and mentions:
        return mentions[-1].canonical if mentions[-1].is_org else default
    for mention in mentions:
        previous = last_word(region[: mention.start])
        if previous and previous.lower() in PREPOSITIONS:
            continue
        return mention.canonical if mention.is_org else default
    referent = context.referent(region) if context else None
    return referent or default


def _own_body(index: EntityIndex, region: str, mentions: tuple[Mention, ...]) -> str | None:
    """ "The city and POSTECH are…", "the council will…": the paper's words for Pohang's own
    bodies, when they come before any named organisation."""
    found = _OWN_BODY.search(region)
    if found is None or (mentions and mentions[0].start < found.start()):
        return None
    previous = last_word(region[: found.start()])
    if previous and previous.lower() in PREPOSITIONS:
        return None
    council = found.group().casefold().endswith("council") and len(index.pohang_bodies) > 1
    return index.pohang_bodies[1] if council else index.pohang_bodies[0]


def last_word(text: str) -> str | None:
    """The last run of word characters, what ``(\\w+)\\W*$`` finds (``\\w`` is `str.isalnum`
    or "_"), without trying the pattern at every position of the text."""
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    start = end
    while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start:end] if end else None


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
        if _COUNCIL_TITLE.search(speaker) and len(index.pohang_bodies) > 1:
            return index.pohang_bodies[1]
    return _city(index)


@dataclass(frozen=True, slots=True)
class _Reader:
    index: EntityIndex
    context: ArticleContext

    def cue_clauses(self, text: str, default: str) -> tuple[Clause, ...]:
        cues = self.context.cached(find_cues, text)
        if not cues:
            return (Clause(text, default, None, None),)
        clauses = [Clause(text[: cues[0][0]], default, None, None)]
        for i, (start, end, status) in enumerate(cues):
            stop = cues[i + 1][0] if i + 1 < len(cues) else len(text)
            region = subject_region(text[:start])
            actor = actor_in_region(self.index, region, default, self.context)
            head, items = split_list(_with_object(region, text[end:stop]))
            cue = text[start:end]
            clauses.extend(
                Clause(part, actor, status, None, cue, region) for part in (head, *items)
            )
        return tuple(clauses)

    def enumeration_clauses(self, text: str, default: str) -> tuple[Clause, ...]:
        lead, items = split_enumeration(text)
        lead_clauses = self.cue_clauses(lead, default)
        cued = [c for c in lead_clauses if c.status is not None]
        actor = resolve_actor(self.index, lead, default, self.context)
        if not cued and _LIST_LEAD.search(lead):
            cued = [Clause(lead, actor, "planned", None)]
        if not cued:
            return lead_clauses + tuple(c for i in items for c in self.cue_clauses(i, actor))
        year = find_target_year(lead, self.context.published)
        first = cued[0]
        inherited = (Clause(i, first.actor, first.status, year, first.cue) for i in items)
        return lead_clauses + tuple(inherited)


def find_cues(text: str) -> tuple[tuple[int, int, str], ...]:
    """Non-overlapping cues in text order, skipping those inside relative clauses and those
    that describe a thing ("the campus will house")."""
    cues: list[tuple[int, int, str]] = []
    folded = fold(text)
    for pattern, status in _CUES:
        for m in pattern.finditer(text, folded):
            overlaps = any(m.start() < e and s < m.end() for s, e, _ in cues)
            if not overlaps and _is_pledge(text[: m.start()], m.group(), text[m.end() :]):
                cues.append((m.start(), m.end(), status))
    return tuple(sorted(cues))


def _is_pledge(before: str, cue: str, after: str) -> bool:
    if _RELATIVE.search(before) and not _OBJECT_BEFORE.search(before):
        return bool(_RELATIVE_PLEDGE.match(cue))
    region = subject_region(before)
    subject = _SUBJECT.search(region)
    head = subject.group("np").split()[-1].casefold() if subject else ""
    if head in THING_NOUNS and not _is_intransitive(after):
        return False
    if not _FINITE_FUTURE.match(cue):
        return True  # "aiming to", "plans to": the sentence's own subject, already a body
    return has_agent(region) or _is_intransitive(after)


def has_agent(region: str) -> bool:
    """Whether the subject before a cue can pledge: its head is a name (capitalised, not the
    first word of the sentence alone), a pronoun or an `AGENT_NOUNS` noun."""
    chunks = [c.strip() for c in region.split(",") if c.strip()]
    if not chunks:
        return True
    subject = chunks[0] if region.rstrip().endswith(",") else chunks[-1]
    subject = _REPORTED.split(subject)[-1]
    words = _SUBJECT_TAIL.sub("", subject).split()
    if not words:
        return True
    head = words[-1].strip("“”\"'’")
    if head.casefold() in PRONOUNS or head.casefold() in AGENT_NOUNS:
        return True
    name = head[:1].isupper() and (len(words) > 1 or head[1:] != head[1:].lower())
    single_name = len(words) == 1 and head[:1].isupper()
    return name or single_name or any(ch.isdigit() for ch in head)


def _is_intransitive(after: str) -> bool:
    words = after.split()[:2]
    return len(words) == 2 and words[0] in INTRANSITIVE_VERBS and words[1] in _NO_OBJECT


def _with_object(region: str, text: str) -> str:
    """The pledge with its object put back: "hold for the first time" after "the expo, which
    the city" reads "hold the expo for the first time"."""
    words = text.split(maxsplit=2)
    if len(words) < 2 or words[1] not in _NO_OBJECT:
        return text
    found = _OBJECT_BEFORE.search(region)
    if found is None and _is_intransitive(text):
        found = _SUBJECT.search(region)
    verb, rest = text.split(maxsplit=1)
    return f"{verb} the {found.group('np')} {rest}" if found else text


def split_list(text: str) -> tuple[str, tuple[str, ...]]:
    """'future projects, including A and B' → ('future projects', ('A', 'B')). Items are split
    at semicolons, or at 'and'/commas that start a new gerund or nominalisation; a list that
    does not start with one only names examples and is dropped."""
    match = _INCLUDING.search(text)
    if match is None:
        return text, ()
    rest = text[match.end() :]
    if not re.match(_ITEM_START, rest, re.IGNORECASE):
        return text[: match.start()], ()  # examples of a thing, not pledges of their own
    splitter = _SEMICOLON_SPLIT if ";" in rest else _LIST_SPLIT
    items = tuple(item.strip(" ,.;") for item in splitter.split(rest))
    return text[: match.start()], tuple(item for item in items if item)
