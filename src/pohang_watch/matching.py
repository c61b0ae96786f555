"""Is this mention the same commitment or partnership as a ledger entry, in other words?

Pure. Articles reword what they restate ("create a battery mega cluster", "build the battery
mega-cluster"), so an exact key alone would split one pledge into many entries and alert each
rewording as NEW. Matching is two-level, so it stays fast on a large ledger:

1. the **group** — kind plus the normalised actor (commitments) or party set and partnership
   kind (partnerships) — must be equal; the store finds a group's entries by an index;
2. within the group, the **object** (what is promised or agreed, without filler words) is
   compared fuzzily (rapidfuzz): token pairs tolerate spelling variants, and a score says how
   much of the wording the two share.

Groups such as "commitment|pohang city" grow with the corpus, so a mention is never scored
against its whole group: `ObjectIndex` picks the entries that *could* reach the threshold (a
superset, see its docstring for why nothing is missed) and only those are scored, and the store
reads only the mention's **bucket** (the group, and for commitments the object's numbers,
which must be equal for any score above 0).

A fuzzy match is refused when it would need too much faith: different numbers ("500 jobs" is
not "300 jobs"), or — for commitments — different target years on top of different words
("complete the design … by 2025" is not "complete the centre … by 2027"). Exact wording still
matches across a changed year, which is then an UPDATE.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

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
# Candidate searches use cutoffs one point below the real ones (85 per word, 90 for the sorted
# ratio): the careful score decides, so float rounding can only add a candidate, never drop one.
_VARIANT_CUTOFF = _TOKEN_PAIR_RATIO - 1
_SORTED_RATIO = 90  # a commitment's sorted-token ratio counts from here (`commitment_score`)
_SORTED_CUTOFF = _SORTED_RATIO - 1

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class MatchRules:
    """How alike two objects must be to be the same ledger entry (0–1)."""

    # Share of all (fuzzily paired) object words the two commitments have in common.
    commitment_similarity: float = 0.75
    # Share of the shorter partnership object found in the other: partners in one group are
    # already the same organisations doing the same kind of thing, so less wording is needed.
    partnership_overlap: float = 0.5


@lru_cache(maxsize=1_024)
def normalise_words(text: str) -> str:
    """Lower-case words without the stop words: the form keys are built from. Cached: a batch
    asks again for the same actors, parties and objects with every mention."""
    return " ".join(w for w in normalise_text(text).split() if w not in STOP_WORDS)


def group_key(
    kind: str, actor: str | None, parties: Sequence[str], partnership_kind: str | None
) -> str:
    """The group a ledger entry or mention belongs to; only equal groups are compared."""
    return _group_key(kind, actor, tuple(parties), partnership_kind)


@lru_cache(maxsize=1_024)
def _group_key(
    kind: str, actor: str | None, parties: tuple[str, ...], partnership_kind: str | None
) -> str:
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


@lru_cache(maxsize=1_024)
def _cached_object(what: str, parties: tuple[str, ...], kind: str | None) -> str:
    return " ".join(object_tokens(what, parties=parties, kind=kind))


def object_text(what: str, *, parties: Sequence[str] = (), kind: str | None = None) -> str:
    """The object as one string; cached, since a group's entries are scored again and again."""
    return _cached_object(what, tuple(parties), kind)


def _has_digit(token: str) -> bool:
    # A letter is never a digit (checked over all of Unicode), so most words skip the scan.
    return not token.isalpha() and any(ch.isdigit() for ch in token)


def _numbers(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if _has_digit(t))


@lru_cache(maxsize=1_024)
def _object_numbers(words: str) -> frozenset[str]:
    """The numbers of an object string (cached: entries are scored again and again)."""
    return _numbers(words.split())


def _same_word(left: str, right: str) -> bool:
    if left == right:
        return True
    if min(len(left), len(right)) < _MIN_FUZZY_TOKEN or _has_digit(left) or _has_digit(right):
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
    if not a or not b or _object_numbers(left) != _object_numbers(right):
        return 0.0
    if left_year is not None and right_year is not None and left_year != right_year:
        return 0.0
    a_set, b_set = list(dict.fromkeys(a)), list(dict.fromkeys(b))
    pairs = paired_words(a_set, b_set)
    jaccard = pairs / (len(a_set) + len(b_set) - pairs)
    # Word order and one long word spelt differently ("expo" / "exposition").
    sorted_ratio = fuzz.token_sort_ratio(left, right) / 100
    return max(jaccard, sorted_ratio if sorted_ratio >= _SORTED_RATIO / 100 else 0.0)


def partnership_score(left: str, right: str) -> float:
    """0–1 overlap of two partnership objects; an object-less mention ("an MOU with X") is
    as good as the threshold, so it joins its group's closest entry."""
    a, b = list(dict.fromkeys(left.split())), list(dict.fromkeys(right.split()))
    if not a or not b:
        return 1.0 if not a and not b else 0.5
    numbers_a, numbers_b = _object_numbers(left), _object_numbers(right)
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return 0.0
    return paired_words(a, b) / min(len(a), len(b))


@lru_cache(maxsize=1_024)
def bucket_key(kind: str, words: str) -> str:
    """The part of a mention's bucket below its group: for a commitment the numbers of its object
    (`commitment_score` is 0 unless both have the same), for a partnership nothing (numbers only
    keep two partnerships apart when both have some). Cached: indexes ask for every object."""
    return " ".join(sorted(_object_numbers(words))) if kind == "commitment" else ""


def bucket_hash(group: str, bucket: str) -> str:
    """sha256 of group and bucket: the indexed column the store reads candidates by."""
    return group_hash(f"{group}\x1f{bucket}")


@lru_cache(maxsize=1_024)
def _can_vary(word: str) -> bool:
    """Whether `_same_word` may pair the word with another spelling of it."""
    return len(word) >= _MIN_FUZZY_TOKEN and not _has_digit(word)


class _Bucket:
    """The objects of one bucket, with an inverted index of their words — built up to date when
    the bucket is first searched, so buckets no mention needs searching cost one append each."""

    __slots__ = (
        "objectless",
        "objects",
        "ordered",
        "positions",
        "postings",
        "similar",
        "sizes",
        "variants",
    )

    def __init__(self) -> None:
        self.positions: list[int] = []  # the index's position of each object
        self.objects: list[str] = []
        self.sizes: list[int] = []  # distinct words of each object indexed so far
        self.ordered: list[str] = []  # each object's words sorted, for the sorted-token ratio
        self.postings: dict[str, set[int]] = {}  # word -> local indexes
        self.variants: list[str] = []  # distinct words `_same_word` may pair with another
        # word -> (how many of `variants` were searched, those that may pair with it)
        self.similar: dict[str, tuple[int, list[str]]] = {}
        self.objectless: list[int] = []

    def add(self, position: int, words: str) -> None:
        self.positions.append(position)
        self.objects.append(words)

    def _catch_up(self) -> None:
        """Index the objects added since the last search."""
        for local in range(len(self.sizes), len(self.objects)):
            words = self.objects[local].split()
            distinct = list(dict.fromkeys(words))
            self.sizes.append(len(distinct))
            self.ordered.append(" ".join(sorted(words)))
            if not distinct:
                self.objectless.append(local)
            for word in distinct:
                posting = self.postings.get(word)
                if posting is None:
                    self.postings[word] = posting = set()
                    if _can_vary(word):
                        self.variants.append(word)
                posting.add(local)

    def _partners(self, word: str) -> set[int]:
        """The objects holding the word or a spelling variant of it (at most that many of a
        mention's words pair with an object's); not to be changed."""
        own = self.postings.get(word, set())
        if not _can_vary(word):
            return own
        others = [self.postings[variant] for variant in self._similar(word) if variant != word]
        return own.union(*others) if others else own

    def _similar(self, word: str) -> list[str]:
        """The bucket's words that may be spellings of `word`, remembered: the same words come
        back with mention after mention, so only words new to the bucket are searched."""
        searched, found = self.similar.get(word, (0, []))
        if searched < len(self.variants):
            found = found + [
                variant
                for variant, _, _ in process.extract(
                    word,
                    self.variants[searched:],
                    scorer=fuzz.ratio,
                    score_cutoff=_VARIANT_CUTOFF,
                    limit=None,
                )
            ]
            self.similar[word] = (len(self.variants), found)
        return found

    def commitment_candidates(self, words: str, threshold: float) -> set[int]:
        """Local indexes of the objects that could score `threshold`: a word Jaccard that high
        needs that many pairs, and a sorted-token ratio of 0.9 needs no shared word at all
        ("battery cluster" / "batterycluster"), so that one is searched for directly (in C),
        as `fuzz.ratio` of the words sorted (what `token_sort_ratio` computes)."""
        distinct = list(dict.fromkeys(words.split()))
        if not distinct:
            return set()
        self._catch_up()
        partners = [self._partners(word) for word in distinct]
        found = set()
        # p pairs give at most a Jaccard of p / n (float division is monotone), so an object
        # needs a partner for `least` of the n words: for one of any n - least + 1 of them.
        n = len(distinct)
        if (least := next((p for p in range(1, n + 1) if p / n >= threshold), None)) is not None:
            rarest = sorted(partners, key=len)[: n - least + 1]
            for local in set().union(*rarest):
                size = self.sizes[local]
                pairs = min(sum(local in hits for hits in partners), size)
                if pairs / (n + size - pairs) >= threshold:
                    found.add(local)
        found.update(
            local
            for _, _, local in process.extract(
                " ".join(sorted(words.split())),
                self.ordered,
                scorer=fuzz.ratio,
                score_cutoff=_SORTED_CUTOFF,
                limit=None,
            )
        )
        return found

    def partnership_candidates(self, words: str, threshold: float) -> set[int]:
        """Local indexes of the objects that could score `threshold`: an overlap that high needs
        that many pairs; an object-less entry scores the threshold against anything."""
        distinct = list(dict.fromkeys(words.split()))
        if not distinct:
            return set(range(len(self.objects)))
        self._catch_up()
        partners = [self._partners(word) for word in distinct]
        found = set(self.objectless)
        for local in set().union(*partners):
            shorter = min(len(distinct), self.sizes[local])
            if min(sum(local in hits for hits in partners), shorter) / shorter >= threshold:
                found.add(local)
        return found


class ObjectIndex(Generic[K]):
    """The objects of one match group's entries (by key, in the order added), so that a mention
    is scored only against the entries that could reach the threshold — never the whole group.

    `candidates` returns a superset of the entries whose score (`ledger._score`) is at or
    above a threshold above 0, because:

    - a commitment scores 0 unless both objects have the same numbers (the bucket), and
      otherwise the larger of the word Jaccard and the sorted-token ratio (counted from 0.9).
      A Jaccard of t needs pairs >= t * (|a| + |b| - pairs), where pairs (`paired_words`) is
      at most the number of the mention's words with a partner — the same word, or a spelling
      variant found among the bucket's words with rapidfuzz at a lower cutoff than
      `_same_word`'s. The sorted-token ratio is searched over the bucket's objects with
      rapidfuzz, again a point below its real cutoff;
    - a partnership's overlap is pairs / the shorter object's length: the same bound; an
      object-less entry or mention scores exactly the threshold, so object-less entries are
      always candidates and an object-less mention is compared with every entry.

    A threshold of 0 or less lets anything match, so every entry is a candidate.
    """

    __slots__ = ("_buckets", "_keys", "_kind", "_positions")

    def __init__(self, kind: str) -> None:
        self._kind = "commitment" if kind == "commitment" else "partnership"
        self._buckets: dict[str, _Bucket] = {}
        self._keys: list[K] = []
        self._positions: dict[K, int] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._positions

    def add(self, key: K, words: str) -> None:
        """Index an entry's object (`object_text`); an entry added again keeps its place."""
        if key in self._positions:
            return
        self._positions[key] = position = len(self._keys)
        self._keys.append(key)
        bucket_name = bucket_key(self._kind, words)
        if (bucket := self._buckets.get(bucket_name)) is None:
            self._buckets[bucket_name] = bucket = _Bucket()
        bucket.add(position, words)

    def candidates(self, words: str, threshold: float) -> list[K]:
        """Keys, in the order added, of the entries that could score `threshold` against
        `words`."""
        if threshold <= 0:
            return list(self._keys)
        bucket = self._buckets.get(bucket_key(self._kind, words))
        if bucket is None:
            return []
        if self._kind == "commitment":
            found = bucket.commitment_candidates(words, threshold)
        else:
            found = bucket.partnership_candidates(words, threshold)
        return [self._keys[position] for position in sorted(bucket.positions[i] for i in found)]
