"""What an article has said so far, for the words that point back to it.

"The company will invest", "the two sides agreed", "the plant is due to be completed": the
paper names a body or a facility once and then refers to it. The ledger needs the name, so
the reader remembers the last outside organisation, the last company and the last facility of
each kind (`FACILITY_HEADS`) as it goes through the article in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, TypeVar, cast

from pohang_watch.extract.entities import EntityIndex, named_parties
from pohang_watch.extract.literals import Hinted, fold

if TYPE_CHECKING:
    from pohang_watch.extract.clauses import ReadSentence
    from pohang_watch.extract.sentences import Sentence

# Nouns that end the name of a facility, programme or event the article may refer back to.
FACILITY_HEADS: tuple[str, ...] = (
    *("plant", "center", "centre", "campus", "complex", "pipeline", "academy", "expo"),
    *("forum", "network", "office", "fund", "platform"),
)
# Words before the head that size or date a facility rather than name it.
NOT_NAME_WORDS: frozenset[str] = frozenset(
    {
        *("a", "an", "the", "its", "their", "this", "that", "of", "for", "in", "at", "to"),
        *("on", "with", "and", "or", "by", "new", "large-scale", "hyperscale", "separate"),
        *("dedicated", "first", "second", "total", "combined", "cumulative"),
    }
)
# Words that point back to the last outside body, or to the last company.
COUNTERPART_WORDS = re.compile(
    r"\b(?:the (?:two|three|four) (?:sides|parties|organi[sz]ations|institutions|universities"
    r"|cities|governments)|both (?:sides|parties)"
    r"|the (?:institute|association|agency|organi[sz]ation|ministry|province)(?:['’]s)?)\b"
    r"(?!\s+of\b)",
    re.IGNORECASE,
)
# Words for both sides of a relation at once: "the two universities will exchange…".
PAIR_WORDS = re.compile(
    r"\b(?:the (?:two|three|four) \w+|both (?:sides|parties|cities|institutions))\b",
    re.IGNORECASE,
)
# The city itself, not "the city's" (its belongings) nor "the city of Ulsan".
THE_CITY = re.compile(r"\bthe city\b(?!['’]s|\s+of\b)", re.IGNORECASE)
COMPANY_WORDS = re.compile(r"\b(?:the company|the two companies|both companies)\b", re.IGNORECASE)
_GOVERNMENT = re.compile(
    r"-do$|\b(?:Province|City|County|Ministry|Government|Office|Administration|Authority"
    r"|Agency|Council|University|Institute|Association)\b"
)
_HEAD = Hinted(rf"\b({'|'.join(FACILITY_HEADS)})s?\b", re.IGNORECASE)
_NAME_WORD = re.compile(r"^[\w’'-]+$")
# The same with the words each cannot match without (see literals.py).
_COMPANY_WORDS = Hinted(COMPANY_WORDS)
_COUNTERPART_WORDS = Hinted(COUNTERPART_WORDS)
HINTED_THE_CITY = Hinted(THE_CITY)
HINTED_PAIR_WORDS = Hinted(PAIR_WORDS)

T = TypeVar("T")
_MISSING = object()


@dataclass(slots=True)
class ArticleContext:
    """The article's publication date and the names its later sentences point back to."""

    published: date | None
    last_year: int | None = None  # the last target year stated, for "over the same period"
    counterpart: str | None = None
    pohang_party: str | None = None  # the Pohang body last named beside an outside one
    company: str | None = None
    facilities: dict[str, str] = field(default_factory=dict)
    # Results of pure functions of a text, kept for the article: see `cached`.
    memo: dict[tuple[Callable[[str], object], str], object] = field(
        default_factory=dict, repr=False, compare=False
    )
    # What each sentence names, for `remember`: articles repeat sentences.
    recollections: dict[str, Recollection] = field(default_factory=dict, repr=False, compare=False)
    # Sentences already read, by all their reading depends on: see `clauses.read_sentence`.
    readings: dict[tuple[Sentence, str | None, str | None], ReadSentence] = field(
        default_factory=dict, repr=False, compare=False
    )

    def cached(self, function: Callable[[str], T], text: str) -> T:
        """`function(text)`, worked out once per article: clauses are read by both the
        commitment and the partnership readers, and articles repeat themselves. Only for
        functions whose result depends on the text alone."""
        key = (function, text)
        found = self.memo.get(key, _MISSING)
        if found is _MISSING:
            found = self.memo[key] = function(text)
        return cast(T, found)

    def referent(self, text: str) -> str | None:
        """The body that "the company" or "the two sides" in `text` stands for, if any."""
        folded = fold(text)
        if _COMPANY_WORDS.search(text, folded):
            return self.company
        return self.counterpart if _COUNTERPART_WORDS.search(text, folded) else None

    def facility(self, phrase: str) -> str:
        """The full name of "the plant" when the article named one; else the phrase itself."""
        words = phrase.split()
        bare = len(words) <= 2 and words[-1].casefold() in FACILITY_HEADS
        return self.facilities.get(words[-1].casefold(), phrase) if bare else phrase


class Recollection(NamedTuple):
    """What a sentence gives the context: the last outside body it names, the Pohang body
    named beside it, the first company, and the facilities it names (head, full name)."""

    counterpart: str | None
    pohang_party: str | None
    company: str | None
    facilities: tuple[tuple[str, str], ...]


def remember(context: ArticleContext, index: EntityIndex, text: str) -> None:
    """Update the context with the outside bodies and facilities a sentence names."""
    found = context.recollections.get(text)
    if found is None:
        found = context.recollections[text] = _recollect(index, text)
    if found.counterpart is not None:
        context.counterpart = found.counterpart
    if found.pohang_party is not None:
        context.pohang_party = found.pohang_party
    if found.company is not None:
        context.company = found.company
    context.facilities.update(found.facilities)


def _recollect(index: EntityIndex, text: str) -> Recollection:
    outside = [m.canonical for m in named_parties(index, text) if not index.is_pohang(m.canonical)]
    inside = [m.canonical for m in named_parties(index, text) if index.is_pohang(m.canonical)]
    companies = [name for name in outside if not _GOVERNMENT.search(name)]
    facilities = (
        (match.group(1).casefold(), name)
        for match in _HEAD.finditer(text)
        if (name := _facility_name(text[: match.start()], match.group(1)))
    )
    return Recollection(
        outside[-1] if outside else None,
        inside[0] if outside and inside else None,  # the partner of an outside body
        companies[0] if companies else None,  # the subject that signs, not the partners
        tuple(facilities),
    )


def _facility_name(before: str, head: str) -> str | None:
    """ "a 100-megawatt hydrogen fuel cell power plant" → "hydrogen fuel cell power plant"."""
    words: list[str] = []
    for word in reversed(before.split()[-6:]):
        if word.casefold() in NOT_NAME_WORDS or any(c.isdigit() for c in word):
            break
        if not _NAME_WORD.match(word):
            break
        words.insert(0, word)
    return " ".join((*words, head)) if words else None
