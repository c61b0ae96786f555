"""Relevance: is an article about Pohang, or does it only mention Pohang in passing?

The score adds up where and how often Pohang (or a Pohang body or person, the related terms)
is named: in the headline, in the subtitles, in the lead, and across the body. A mention
inside a list of places ("28 cities, including Pohang, …", "Ulsan, Pohang and Gumi") says
nothing about what the article is about, so it earns nothing, and an article whose every
mention of Pohang sits in such a list is scaled down hard. The reasons name each signal that
fired, for the run report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from pohang_watch.config import RelevanceSettings
from pohang_watch.extract.literals import Hinted, fold, foldable
from pohang_watch.models import Article, Relevance

TITLE_WEIGHT = 0.35
SUBTITLE_WEIGHT = 0.10
LEAD_WEIGHT = 0.20
SHARE_WEIGHT = 0.35  # times the share of body paragraphs that name Pohang or a related term
MENTION_WEIGHT = 0.02  # per mention outside a list, up to MENTION_CAP
MENTION_CAP = 0.10
ENUMERATION_FACTOR = 0.35  # applied when Pohang is only ever one place among several
LEAD_PARAGRAPHS = 2
# "28 cities including … Pohang" stays within one clause; looking further back only costs time
# (a whole-text look-back per mention is quadratic on a huge paragraph).
LIST_LOOKBACK_CHARS = 300
ANAPHORA_FACTOR = 0.75  # a paragraph that only says "the city" counts for this much of one

# Names that contain "Pohang" but stand for something else: a paragraph about the football
# club or an airport shared with Gyeongju says nothing about the city's plans.
NOT_THE_CITY = re.compile(
    r"\bPohang\s+(?:Steelers|Gyeongju\s+Airport)\b|\bSteelers\b", re.IGNORECASE
)
# Headlines and decks call the mayor by the short form ("Mayor Lee Meets…"); it stands for
# Pohang when the lead names him (or the city) in full.
SHORT_FORMS = re.compile(r"\bMayor Lee\b")
# How the paper refers back to Pohang after naming it: "the city", "the mayor", "Mayor Lee".
# These count only where the lead has named Pohang, so "the city" of an Ulsan story does not.
_ANAPHORA = Hinted(
    r"\b(?:the city|the mayor|the city council|the council)\b|\bMayor Lee\b", re.IGNORECASE
)

# "28 cities including", "several regions such as": what comes after is one of many.
_MANY_PLACES = Hinted(
    r"\b(?:\d+|several|many|various|other|multiple|a number of|[a-z]+(?:teen|ty))\s+"
    r"(?:\w+\s+)?(?:cities|regions|municipalities|local governments|areas|provinces|counties"
    r"|sites|locations|places|candidates)\b[^.;]*?\b(?:including|such as|like|among them"
    r"|namely|as well as)\b[^.;]*$",
    re.IGNORECASE,
)
# The same, tried only where its words are (see extract/literals.py).
_NOT_THE_CITY = Hinted(NOT_THE_CITY)
# Three or more capitalised names in a row: "Ulsan, Pohang, and Gumi". The first name's
# ``\b`` is a look-behind after its first letter, so that the scan skips to capital letters.
_PLACE = r"[A-Z][\w-]+(?:\s[A-Z][\w-]+){0,2}"
_FIRST_PLACE = r"[A-Z](?<![\w][A-Z])[\w-]+(?:\s[A-Z][\w-]+){0,2}"
_PLACE_LIST = re.compile(rf"{_FIRST_PLACE}(?:,\s+{_PLACE})+,?\s+(?:and|or)\s+{_PLACE}")


_OPENING = 3  # characters of a term looked for first


@dataclass(frozen=True, slots=True)
class _TermPattern:
    """Whole-word, case-insensitive terms, longest first. A match starts where the folded text
    holds a folded term (`literals.fold` keeps every character in place), so with `keys` the
    pattern is only tried there instead of at every position (the same matches: `finditer`);
    keys are None when a term is empty or has cased non-ASCII letters, and the pattern scans as
    usual."""

    pattern: re.Pattern[str]
    keys: tuple[tuple[str, tuple[str, ...]], ...] | None  # by their first characters

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        if self.keys is None:
            yield from self.pattern.finditer(text)
            return
        starts: set[int] = set()
        for opening, keys in self.keys:
            if opening not in folded:  # one look for "lee " rather than one per spelling
                continue
            for key in keys:
                position = folded.find(key)
                while position >= 0:
                    starts.add(position)
                    position = folded.find(key, position + 1)
        end = 0
        for start in sorted(starts):
            if start >= end and (match := self.pattern.match(text, start)):
                yield match
                end = match.end()


@dataclass(frozen=True, slots=True)
class _Terms:
    primary: _TermPattern
    any_term: _TermPattern


@lru_cache(maxsize=8)
def _terms(primary: tuple[str, ...], related: tuple[str, ...]) -> _Terms:
    def whole_words(terms: tuple[str, ...]) -> _TermPattern:
        ordered = sorted(terms, key=len, reverse=True)
        alternation = "|".join(re.escape(t) for t in ordered) or r"(?!x)x"
        pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
        if not all(term and foldable(term) for term in terms):
            return _TermPattern(pattern, None)
        by_opening: dict[str, list[str]] = {}
        for key in dict.fromkeys(fold(term) for term in terms):
            by_opening.setdefault(key[:_OPENING], []).append(key)
        return _TermPattern(pattern, tuple((k, tuple(v)) for k, v in by_opening.items()))

    return _Terms(whole_words(primary), whole_words((*primary, *related)))


@dataclass(frozen=True, slots=True)
class _Hits:
    """Mentions in one text: all terms, and primary-term mentions inside / outside lists."""

    terms: int
    listed: int
    unlisted: int


def _hits(terms: _Terms, text: str) -> _Hits:
    text = _NOT_THE_CITY.sub(" ", text)
    folded = fold(text)
    lists: list[tuple[int, int]] | None = None  # looked for once Pohang is named; need a comma
    listed = unlisted = 0
    for match in terms.primary.finditer(text, folded):
        if lists is None:
            lists = [m.span() for m in _PLACE_LIST.finditer(text)] if "," in text else []
        in_list = any(start <= match.start() < end for start, end in lists)
        clause_start = max(0, match.start() - LIST_LOOKBACK_CHARS)
        if in_list or _MANY_PLACES.search(text[clause_start : match.start()]):
            listed += 1
        else:
            unlisted += 1
    return _Hits(sum(1 for _ in terms.any_term.finditer(text, folded)), listed, unlisted)


def _named(hits: _Hits) -> bool:
    """Whether a text names Pohang other than as one place in a list."""
    return hits.terms > hits.listed


def _referring_back(paragraphs: tuple[str, ...], hits: list[_Hits]) -> int:
    """Paragraphs that do not name Pohang but refer back to it ("the city said…")."""
    return sum(
        1
        for text, h in zip(paragraphs, hits, strict=True)
        if not _named(h) and _ANAPHORA.search(_NOT_THE_CITY.sub(" ", text))
    )


def score_relevance(article: Article, settings: RelevanceSettings) -> Relevance:
    """How much the article is about Pohang (0..1), whether that reaches the threshold, why."""
    terms = _terms(settings.primary_terms, settings.related_terms)
    title = _hits(terms, article.title)
    subtitles = [_hits(terms, s) for s in article.subtitles]
    body = [_hits(terms, p) for p in article.paragraphs]
    every = [title, *subtitles, *body]

    score, reasons = 0.0, []
    lead_names = any(_named(h) for h in body[:LEAD_PARAGRAPHS])
    if _named(title) or (lead_names and SHORT_FORMS.search(article.title)):
        score += TITLE_WEIGHT
        reasons.append("the headline names Pohang or a related term")
    if any(_named(h) for h in subtitles) or (
        lead_names and any(SHORT_FORMS.search(s) for s in article.subtitles)
    ):
        score += SUBTITLE_WEIGHT
        reasons.append("a subtitle names Pohang or a related term")
    if lead_names:
        score += LEAD_WEIGHT
        reasons.append("the lead names Pohang or a related term")
    if body:
        naming: float = sum(_named(h) for h in body)
        if lead_names:
            naming += ANAPHORA_FACTOR * _referring_back(article.paragraphs, body)
        score += SHARE_WEIGHT * naming / len(body)
        reasons.append(f"{naming:g} of {len(body)} paragraphs name or refer back to Pohang")
    unlisted = sum(max(0, h.terms - h.listed) for h in every)
    score += min(MENTION_CAP, MENTION_WEIGHT * unlisted)
    if any(h.listed for h in every) and not any(_named(h) for h in every):
        score *= ENUMERATION_FACTOR
        reasons.append("Pohang is named only as one place in a list")
    score = round(min(1.0, score), 3)
    return Relevance(score=score, about_pohang=score >= settings.threshold, reasons=tuple(reasons))
