"""Partnerships: cooperation between a Pohang body and another named organisation.

A clause is a partnership when it names a kind of cooperation (`PARTNERSHIP_KINDS`), says how
far it has got (`PARTNERSHIP_STATUSES`, or the cue of a pledge: a planned cooperation is
proposed, one that "will" happen or was "agreed to" is agreed) and names at least two
parties, one of them on the Pohang side. "The two sides" refers back to the last outside
organisation the article named.

The ledger knows a relation by its parties and kind, so both must be the same whenever the
relation is mentioned: the kind is what the cooperation is about (an MOU on joint research is
joint research), and the Pohang side is the one Pohang body that acts (the city, not every
Pohang body the sentence names), unless Pohang bodies are themselves the partners ("POSTECH
and the institute exchange researchers"). Parties are canonical names, the Pohang side first
in the order of `pohang_bodies`, then the others sorted.
"""

from __future__ import annotations

import re

from pohang_watch.extract.clauses import Clause, ReadSentence, actor_in_region, subject_region
from pohang_watch.extract.context import HINTED_PAIR_WORDS, HINTED_THE_CITY
from pohang_watch.extract.entities import EntityIndex, Mention, named_parties
from pohang_watch.extract.literals import Hinted, fold
from pohang_watch.extract.quantities import find_target_year
from pohang_watch.extract.sectors import classify_sector
from pohang_watch.extract.wording import normalise_what
from pohang_watch.models import Partnership

# Kinds in order of precedence: what an agreement is about comes before its form (an
# "investment MOU" is investment), an MOU about nothing named is an MOU, "support for
# cooperation" is support.
PARTNERSHIP_KINDS: tuple[tuple[str, str], ...] = (
    (
        "joint_research",
        r"\bjoint (?:[\w-]+ ){0,3}research|\bresearch (?:collaboration|cooperation|partnership)"
        r"|\bco-research|\bjoint stud(?:y|ies)|\bresearchers? exchange"
        r"|\bexchang\w* (?:[\w-]+ ){0,3}researchers",
    ),
    ("investment", r"\binvest\w*"),
    (
        "event",
        r"\bco-host\w*|\bjointly host\w*|\bco-organi[sz]\w*"
        r"|\bjoint (?:workshops?|seminars?|symposi\w+|events?|forums?)",
    ),
    ("mou", r"\bMOUs?\b|memorandum of understanding|\b(?:business|cooperation) agreement"),
    ("support", r"\bsupport\b|\badvisory\b|\bassistance\b"),
    (
        "cooperation",
        r"\bcooperat\w*|\bcollaborat\w*|\bpartnership\b|\balliance\b",
    ),
)
# A request that names no kind is a request for support, a signed agreement that names none is
# cooperation; support is a partnership only when asked for (the city giving support is a
# commitment of its own).
_DEFAULT_KINDS: dict[str, str] = {
    "requested": "support",
    "signed": "cooperation",
    "discussed": "cooperation",
}
# "agreed to launch a dual degree program", "is working with X to test": what both sides do
# together is cooperation, whatever it is; a plan the city states with a partner as joint
# subject ("The city and UCL plan to develop…") likewise.
_AGREED_VERB = Hinted(r"\bagreed\b|\b(?:working|cooperating|partnering) with\b")
_JOINT_SUBJECT = re.compile(r"\band\b")
_KINDS = tuple((kind, Hinted(pattern, re.IGNORECASE)) for kind, pattern in PARTNERSHIP_KINDS)

# How far a cooperation has got, most advanced first; the first that matches wins.
PARTNERSHIP_STATUSES: tuple[tuple[str, str], ...] = (
    ("proposed", r"\bwould\s+sign\b"),  # one side's reported intention ("said it would sign")
    ("agreed", r"\b(?:will|to)\s+sign\b"),  # a signing to come ("is set to sign")
    ("signed", r"\b(?:signed|inked|concluded)\b"),
    ("agreed", r"\bagreed(?: to| on)?\b|\breached an agreement\b"),
    ("agreed", r"\b(?:is|are)\s+(?:also\s+)?(?:working|cooperating|partnering)\s+with\b"),
    (
        "requested",
        r"\b(?:requested|asked(?: for)?|ask(?:ing)?|called (?:for|on)|sought|urged|urging)\b",
    ),
    ("proposed", r"\b(?:proposed|suggested|offered)(?: that)?\b"),
    (
        "discussed",
        r"\b(?:to discuss|discussed|discussing|discusses|exchanged views on|held talks"
        r"|explored|reviewed(?: potential| possible)?)\b",
    ),
)
# Each with the words it cannot match without (see literals.py): most clauses have none of them.
_STATUSES = tuple(
    (status, Hinted(pattern, re.IGNORECASE)) for status, pattern in PARTNERSHIP_STATUSES
)
# The status a partnership takes from the cue of the pledge that contains it: a cooperation
# that "will" happen or was "agreed to" is agreed, one that is only planned is proposed.
STATUS_FROM_CUE: dict[str, str] = {"planned": "proposed", "underway": "agreed"}
_AGREED_CUE = re.compile(r"\bwill\b|\bagreed\b")
# A hedged sentence ("nothing has been confirmed") can only report talks.
_HEDGED_CEILING = frozenset({"signed", "agreed"})

# "signed an MOU with Pohang City and POSTECH": the bodies a party acts with are partners.
_WITH_LIST = Hinted(r"\bwith\s+(?P<partners>.*?)(?=\s+(?:at|on|in|to|for|under|during)\b|[.;]|$)")
# A recap of how a cooperation began is history, not a new proposal.
_HISTORY = Hinted(r"\b(?:began|started) when\b")
# "proposed that POSTECH and the institute exchange researchers": who would cooperate.
_COMPLEMENT_END = re.compile(r"\b(?:with|to|for|on)\b")
_ENDS_WITH_THAT = Hinted(r"\bthat\s*$")
# A facility named as a date ("after the opening of POEX, scheduled for…") is not a party.
_NOT_A_PARTY_AFTER = Hinted(r"(?:opening|completion) of (?:the )?$")
_NOT_A_PARTY_BEFORE = Hinted(
    r"^[\s,]*(?:\([^)]*\)\s*)?,?\s*(?:which is |is |was )?(?:scheduled|set|slated|expected)\s+"
    r"(?:for\s+(?:completion|opening)|to\s+(?:be\s+completed|open))"
)


def find_partnerships(read: ReadSentence, index: EntityIndex) -> tuple[Partnership, ...]:
    """Partnerships stated in a sentence."""
    return tuple(
        p for clause in read.clauses if (p := _from_clause(clause, read, index)) is not None
    )


def _from_clause(clause: Clause, read: ReadSentence, index: EntityIndex) -> Partnership | None:
    text = f"{clause.cue} {clause.text}"
    status, actor, what_text, subject = _status(clause, text, index, read)
    if status is None or _HISTORY.search(read.text):
        return None
    cached = read.context.cached
    what = cached(normalise_what, what_text)
    kind = cached(classify_kind, what) or cached(classify_kind, clause.text)
    kind = kind or _default_kind(status, text, clause)
    if kind is None or (kind == "support" and status != "requested"):
        return None
    parties = _parties(index, read, clause.text, subject, actor, what_text)
    if parties is None:
        return None
    if read.hedged and status in _HEDGED_CEILING:
        status = "discussed"
    return Partnership(
        parties=parties,
        partnership_kind=kind,
        status=status,
        what=what,
        sector=cached(classify_sector, clause.text),
        evidence=read.evidence,
        target_year=find_target_year(clause.text, read.context.published) or clause.year,
    )


def _default_kind(status: str, text: str, clause: Clause) -> str | None:
    """The kind of a cooperation that names none (see `_DEFAULT_KINDS`, `_AGREED_VERB`)."""
    if status in _DEFAULT_KINDS:
        return _DEFAULT_KINDS[status]
    together = _AGREED_VERB.search(text) or _JOINT_SUBJECT.search(clause.subject)
    return "cooperation" if status in ("agreed", "proposed") and together else None


def _status(
    clause: Clause, text: str, index: EntityIndex, read: ReadSentence
) -> tuple[str | None, str, str, tuple[str, bool]]:
    """(status, actor, the words after the verb, (who acts, whether they are proposed as the
    partners)): from a cooperation verb, else from the cue."""
    if stated := read.context.cached(stated_status, text):
        status, start, end = stated
        before, after = f"{clause.subject} {text[:start]}", text[end:]
        region = subject_region(before)
        actor = actor_in_region(index, region, clause.actor, read.context)
        if _ENDS_WITH_THAT.search(text[start:end]) or after.lstrip().startswith("that "):
            complement = after.lstrip().removeprefix("that ")
            return status, actor, after, (_COMPLEMENT_END.split(complement, 1)[0], True)
        return status, actor, after, (region, False)
    if clause.status is None:
        return None, clause.actor, clause.text, ("", False)
    status = "agreed" if _AGREED_CUE.search(clause.cue) else STATUS_FROM_CUE[clause.status]
    return status, clause.actor, clause.text, (clause.subject, False)


def stated_status(text: str) -> tuple[str, int, int] | None:
    """The first of `PARTNERSHIP_STATUSES` the text states, and where its words are."""
    folded = fold(text)
    for status, pattern in _STATUSES:
        if match := pattern.search(text, folded):
            return status, match.start(), match.end()
    return None


def classify_kind(text: str) -> str | None:
    """The first kind of `PARTNERSHIP_KINDS` the text names, if any."""
    folded = fold(text)
    return next((kind for kind, pattern in _KINDS if pattern.search(text, folded)), None)


def _parties(
    index: EntityIndex,
    read: ReadSentence,
    text: str,
    subject: tuple[str, bool],
    actor: str,
    after_verb: str,
) -> tuple[str, ...] | None:
    """The acting Pohang body and the outside bodies; other Pohang bodies only as partners
    (named after "with", proposed as the ones to cooperate, or the only other party)."""
    subject_text, proposed_partners = subject
    acting = [m.canonical for m in _party_mentions(index, subject_text)]
    named = [m.canonical for m in _party_mentions(index, text)] + acting
    if referent := read.context.referent(f"{subject_text} {text}"):
        named.append(referent)
    outside = {name for name in named if not index.is_pohang(name)}
    pohang_acting = order_parties(index, {n for n in acting if index.is_pohang(n)}, 1) or ()
    pohang = set(pohang_acting if proposed_partners else pohang_acting[:1])
    if not pohang and index.is_pohang(actor):
        pohang = {actor}
    if not pohang and HINTED_THE_CITY.search(subject_text):
        pohang = {index.pohang_bodies[0]}
    if not pohang and HINTED_PAIR_WORDS.search(f"{subject_text} {text}"):
        pohang = {read.context.pohang_party or index.pohang_bodies[0]}
    if with_list := _WITH_LIST.search(after_verb):
        partners = _party_mentions(index, with_list.group("partners"))
        pohang |= {m.canonical for m in partners if index.is_pohang(m.canonical)}
    named_pohang = [n for n in named if index.is_pohang(n)]
    if not outside:
        pohang |= set(named_pohang)
    elif not pohang:
        pohang = set(named_pohang[:1])
    return order_parties(index, pohang | outside)


def _party_mentions(index: EntityIndex, text: str) -> list[Mention]:
    """Named parties, without a facility that only dates the sentence."""
    return [
        m
        for m in named_parties(index, text)
        if not _NOT_A_PARTY_AFTER.search(text[: m.start])
        and not _NOT_A_PARTY_BEFORE.match(text[m.end :])
    ]


def order_parties(index: EntityIndex, names: set[str], minimum: int = 2) -> tuple[str, ...] | None:
    """Pohang side in `pohang_bodies` order, then the others sorted; None unless there are
    `minimum` parties and one of them is a Pohang body."""
    pohang = [body for body in index.pohang_bodies if body in names]
    others = sorted(names - set(pohang))
    if not pohang or len(names) < minimum:
        return None
    return (*pohang, *others)
