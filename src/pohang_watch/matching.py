"""Is this mention the same commitment or partnership as a ledger entry, in other words?

Pure. Articles reword what they restate ("create a battery mega cluster", "build the battery
mega-cluster"), so an exact key alone would split one pledge into many entries and alert each
rewording as NEW. Matching is two-level, so it stays fast on a large ledger:

1. the **group** — kind plus the normalised actor (commitments) or party set and partnership
   kind (partnerships) — must be equal; the store finds a group's entries by an index;
2. within the group, the **object** (what is promised or agreed, without filler words) is
   compared fuzzily (rapidfuzz): token pairs tolerate spelling variants, and a score says how
   much of the wording the two share.

A fuzzy match is refused when it would need too much faith: different numbers ("500 jobs" is
not "300 jobs"), or — for commitments — different target years on top of different words
("complete the design … by 2025" is not "complete the centre … by 2027"). Exact wording still
matches across a changed year, which is then an UPDATE.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from pohang_watch.dedup import normalise_text

# Words whose presence or absence does not change what was promised ("build a hub" is
# "build the hub"); dropping them keeps one key through small rewording.
STOP_WORDS = frozenset({"a", "an", "the", "its", "their", "of"})

# Filler that carries no object: articles, prepositions, pronouns, and the verbs and nouns
# that say *that* something is done rather than *what* ("establish", "complete", "plan").
_FILLER_WORDS = """
    a an the its their our his her this that these those of to for in on at by with from
    into over under about and or as be is are was were will would can could should may
    might to up new next also such which who whose it they them there here both each all
    any build create establish set setup open launch complete completion construct
    construction develop development promote promotion pursue push ahead carry out
    implement plan plans project projects program make hold host run operate start begin
    expand support attract business effort efforts work move step steps way ways
"""
_FILLER = frozenset(_FILLER_WORDS.split())
# For partnerships, also the words that say it is a partnership, and where it was signed.
_PARTNERSHIP_FILLER_WORDS = """
    mou memorandum understanding agreement agreements sign signed signing cooperation
    cooperate partnership partner partners between two sides side joint jointly together
    collaboration collaborate exchange relation relations ties campus office hall
    headquarters ceremony investment invest research event events co support request
"""
_PARTNERSHIP_FILLER = frozenset(_PARTNERSHIP_FILLER_WORDS.split())
_TOKEN_PAIR_RATIO = 85  # two tokens are one word (romanisation, typo, plural) at this ratio
_MIN_FUZZY_TOKEN = 4  # shorter tokens must be equal: "bio" is not "bus"
_PREFILTER_LIMIT = 8  # candidates kept by the fast C-level pass before the careful score


@dataclass(frozen=True, slots=True)
class MatchRules:
    """How alike two objects must be to be the same ledger entry (0–1)."""

    # Share of all (fuzzily paired) object words the two commitments have in common.
    commitment_similarity: float = 0.75
    # Share of the shorter partnership object found in the other: partners in one group are
    # already the same organisations doing the same kind of thing, so less wording is needed.
    partnership_overlap: float = 0.5


def normalise_words(text: str) -> str:
    """Lower-case words without the stop words: the form keys are built from."""
    return " ".join(w for w in normalise_text(text).split() if w not in STOP_WORDS)


def group_key(
    kind: str, actor: str | None, parties: Sequence[str], partnership_kind: str | None
) -> str:
    """The group a ledger entry or mention belongs to; only equal groups are compared."""
    if kind == "commitment":
        return f"commitment|{normalise_words(actor or '')}"
    names = ",".join(sorted({normalise_words(party) for party in parties}))
    return f"partnership|{names}|{normalise_words(partnership_kind or '')}"


def group_hash(group: str) -> str:
    return hashlib.sha256(group.encode("utf-8")).hexdigest()


def _stem(token: str) -> str:
    return (
        token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token
    )


def object_tokens(what: str, *, parties: Sequence[str] = (), kind: str | None = None) -> list[str]:
    """The words that say what is promised or agreed, in order, filler and parties removed."""
    drop = set(_FILLER)
    if parties or kind is not None:
        drop |= _PARTNERSHIP_FILLER
        drop |= {w for name in (*parties, kind or "") for w in normalise_text(name).split()}
    words = normalise_text(what.replace("_", " ")).split()
    return [_stem(w) for w in words if w not in drop]


@lru_cache(maxsize=65_536)
def _cached_object(what: str, parties: tuple[str, ...], kind: str | None) -> str:
    return " ".join(object_tokens(what, parties=parties, kind=kind))


def object_text(what: str, *, parties: Sequence[str] = (), kind: str | None = None) -> str:
    """The object as one string; cached, since a group's entries are scored again and again."""
    return _cached_object(what, tuple(parties), kind)


def _numbers(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if any(ch.isdigit() for ch in t))


def _same_word(left: str, right: str) -> bool:
    if left == right:
        return True
    if min(len(left), len(right)) < _MIN_FUZZY_TOKEN or _numbers((left, right)):
        return False
    return fuzz.ratio(left, right) >= _TOKEN_PAIR_RATIO


def paired_words(left: Sequence[str], right: Sequence[str]) -> int:
    """How many words of `left` pair with a distinct word of `right` (exact first, then fuzzy)."""
    free = list(dict.fromkeys(right))
    pairs = 0
    for word in dict.fromkeys(left):
        match = next((w for w in free if w == word), None) or next(
            (w for w in free if _same_word(word, w)), None
        )
        if match is not None:
            free.remove(match)
            pairs += 1
    return pairs


def commitment_score(left: str, left_year: int | None, right: str, right_year: int | None) -> float:
    """0–1 likeness of two commitment objects; 0 when numbers or target years disagree."""
    a, b = left.split(), right.split()
    if not a or not b or _numbers(a) != _numbers(b):
        return 0.0
    if left_year is not None and right_year is not None and left_year != right_year:
        return 0.0
    a_set, b_set = list(dict.fromkeys(a)), list(dict.fromkeys(b))
    pairs = paired_words(a_set, b_set)
    jaccard = pairs / (len(a_set) + len(b_set) - pairs)
    # Word order and one long word spelt differently ("expo" / "exposition").
    sorted_ratio = fuzz.token_sort_ratio(left, right) / 100
    return max(jaccard, sorted_ratio if sorted_ratio >= 0.9 else 0.0)


def partnership_score(left: str, right: str) -> float:
    """0–1 overlap of two partnership objects; an object-less mention ("an MOU with X") is
    as good as the threshold, so it joins its group's closest entry."""
    a, b = list(dict.fromkeys(left.split())), list(dict.fromkeys(right.split()))
    if not a or not b:
        return 1.0 if not a and not b else 0.5
    if _numbers(a) and _numbers(b) and _numbers(a) != _numbers(b):
        return 0.0
    return paired_words(a, b) / min(len(a), len(b))


def shortlist(query: str, objects: Sequence[str]) -> list[int]:
    """Indexes of the objects worth scoring carefully: a C-level pass over the group, so a
    group of thousands costs milliseconds."""
    if len(objects) <= _PREFILTER_LIMIT or not query:
        return list(range(len(objects)))
    found = process.extract(
        query, objects, scorer=fuzz.token_set_ratio, limit=_PREFILTER_LIMIT, score_cutoff=40
    )
    return [index for _, _, index in found]
