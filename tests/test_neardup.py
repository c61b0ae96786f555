"""The near-duplicate check's faster pieces compute exactly what the slower ones did.

Band hashes are stored, so they must never change: each fast function is compared with the
computation it replaced (written out here as it was) over generated bodies and awkward text,
and a few band hashes are pinned as literals.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import unicodedata

import pytest
from datasketch import MinHash

from benchmarks.texts import near_duplicate, other_article, pohang_article
from pohang_watch.dedup import QUOTES, normalise_text, normalised_words
from pohang_watch.neardup import (
    BANDS,
    CANDIDATE_SIMILARITY,
    MIN_SHINGLES,
    NUM_PERM,
    ROWS,
    SEED,
    SIGNATURE_MARGIN,
    band_hashes,
    closest,
    jaccard,
    lsh_shape,
    may_reach,
    shingles,
    signature,
    signature_bands,
    signature_bytes,
    signature_from_bytes,
    similarity_at_least,
)

STORY = [
    "Pohang City announced on the 18th that it had signed a memorandum of understanding with "
    "University College London to cooperate on urban innovation, education and research.",
    "Under the agreement the two sides will hold regular joint workshops and academic "
    "symposiums, attract international academic events to Pohang, and exchange researchers.",
]
# Characters that once tripped a normaliser: curly quotes, dashes, no-break and zero-width
# spaces, combining marks, letters whose case folding or NFKC form is longer, Hangul syllables
# and jamo, full-width forms, controls that str.split takes for spaces, a lone surrogate.
AWKWARD = list(
    "‘’‚`“”„▲·—–…\u00a0\u2003\u200b\u0301\u0307İßﬁ가각\u1100\u1161\u11a8１２ＡＢ_\t\n\x1c\x1f"
    "\ud800한국어 .,;:'\"()-"
)


# --- the computations replaced, as they were ------------------------------------------------

_OLD_NON_WORD = re.compile(r"[^\w]+")


def old_normalise_text(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(QUOTES).casefold()
    return _OLD_NON_WORD.sub(" ", folded).strip()


def old_shingles(paragraphs: list[str] | tuple[str, ...], size: int = 3) -> frozenset[str]:
    words = old_normalise_text(" ".join(paragraphs)).split()
    if len(words) < size:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def old_band_hashes(body: frozenset[str]) -> list[tuple[int, int]]:
    if len(body) < MIN_SHINGLES:
        return []
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch([shingle.encode("utf-8") for shingle in sorted(body)])
    bands, rows = lsh_shape(CANDIDATE_SIMILARITY, NUM_PERM)
    hashes = []
    for band in range(bands):
        chunk = minhash.hashvalues[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.sha1(chunk, usedforsecurity=False).digest()
        hashes.append((band, int.from_bytes(digest[:8], "big", signed=True)))
    return hashes


def old_closest(
    body: frozenset[str], candidates: list[tuple[int, frozenset[str]]], threshold: float
) -> int | None:
    if len(body) < MIN_SHINGLES:
        return None
    scored = [(len(body & other) / len(body | other) if body and other else 0.0, ident)
              for ident, other in candidates]  # fmt: skip
    best = max(scored, default=None)
    return best[1] if best is not None and best[0] >= threshold else None


# --- bodies -----------------------------------------------------------------------------------


def generated_bodies(count: int, seed: int = 7) -> list[tuple[str, ...]]:
    """Article bodies from the benchmark's sentence templates, near-duplicates among them."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        text = pohang_article(rng) if rng.random() < 0.6 else other_article(rng)
        bodies.append(text.paragraphs)
        if text.about_pohang and rng.random() < 0.3:
            bodies.append(near_duplicate(rng, text).paragraphs)
    return bodies


def awkward_text(rng: random.Random, length: int) -> str:
    pool = [*AWKWARD, *"abcdefg xyz 0123"]
    return "".join(rng.choice(pool) for _ in range(length))


# --- normalisation ----------------------------------------------------------------------------


def test_normalised_words_are_the_words_of_the_normalised_text() -> None:
    rng = random.Random(11)
    texts = [p for body in generated_bodies(40) for p in body]
    texts += [awkward_text(rng, rng.randrange(0, 40)) for _ in range(5000)]
    texts += ["", "   ", "‘’", "a", "Ⅻ ½ ﬁne", "İstanbul STRASSE straße"]
    for text in texts:
        assert normalise_text(text) == old_normalise_text(text), repr(text)
        assert normalised_words(text) == old_normalise_text(text).split(), repr(text)


def test_every_character_is_folded_and_split_as_before() -> None:
    """Each code point of the BMP's letter-heavy blocks and a sample of the rest, inside a
    word and alone."""
    rng = random.Random(5)
    points = [*range(0x3400), *range(0xA000, 0xAC00), *range(0xF900, 0x10000)]
    points += rng.sample(range(0x10000, sys.maxunicode + 1), 3000)
    for point in points:
        text = f"a{chr(point)}b {chr(point)}"
        assert normalise_text(text) == old_normalise_text(text), hex(point)


# --- shingles and bands -----------------------------------------------------------------------


def test_shingles_are_as_before() -> None:
    rng = random.Random(13)
    bodies: list[tuple[str, ...]] = generated_bodies(60)
    bodies += [tuple(awkward_text(rng, 30) for _ in range(rng.randrange(0, 4))) for _ in range(500)]
    bodies += [(), ("",), ("one",), ("one two",), ("one", "two"), ("one two three",)]
    for body in bodies:
        assert shingles(body) == old_shingles(body), body


def test_band_hashes_are_datasketchs_as_stored_before() -> None:
    bodies = generated_bodies(120)
    assert len(bodies) > 120, "near-duplicates too"
    for body in bodies:
        made = shingles(body)
        assert band_hashes(made) == old_band_hashes(made)
    short = frozenset(f"w{i} x y" for i in range(MIN_SHINGLES - 1))
    assert band_hashes(short) == old_band_hashes(short) == []


def test_the_signature_is_datasketchs_minhash() -> None:
    body = shingles(STORY)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
    minhash.update_batch([shingle.encode("utf-8") for shingle in body])
    assert signature(body).tolist() == minhash.hashvalues.tolist()
    assert signature(sorted(body)).tolist() == signature(body).tolist(), "order is irrelevant"


def test_band_hashes_are_pinned() -> None:
    """Stored forever: if this fails, every stored band is stale and needs a migration."""
    bands = band_hashes(shingles(STORY))
    assert len(bands) == BANDS == 25
    assert bands[:3] == [
        (0, 805852191893799465),
        (1, -5185178148817394217),
        (2, 4011169650332020805),
    ]
    assert bands[-1] == (24, -2007327563731627017)
    assert signature(shingles(STORY))[:4].tolist() == [78129940, 103220136, 185206540, 28617922]


def test_the_band_shape_is_what_lsh_shape_chooses() -> None:
    assert lsh_shape(CANDIDATE_SIMILARITY, NUM_PERM) == (BANDS, ROWS)


# --- confirmation by exact Jaccard -----------------------------------------------------------


def _edited(
    rng: random.Random, body: frozenset[str], others: list[frozenset[str]]
) -> frozenset[str]:
    kept = rng.sample(sorted(body), int(len(body) * rng.random()))
    added = rng.sample(sorted(rng.choice(others)), rng.randrange(0, 30))
    return frozenset(kept) | frozenset(added)


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.8, 0.9, 1.0, 0.8123])
def test_similarity_at_least_decides_exactly_as_the_jaccard(threshold: float) -> None:
    rng = random.Random(int(threshold * 1000))
    sets = [shingles(body) for body in generated_bodies(80)]
    for _ in range(1500):
        left, right = rng.sample(sets, 2)
        if rng.random() < 0.5:
            right = _edited(rng, left, sets)
        exact = jaccard(left, right)
        assert exact == (len(left & right) / len(left | right) if left and right else 0.0)
        found = similarity_at_least(tuple(left), right, threshold)
        if exact >= threshold:
            assert found == exact
        else:
            assert found is None
    assert similarity_at_least((), frozenset({"a"}), threshold) == (0.0 if threshold <= 0 else None)


def test_closest_is_the_most_alike_candidate_as_before() -> None:
    rng = random.Random(17)
    sets = [shingles(body) for body in generated_bodies(80)]
    for _ in range(800):
        body = rng.choice(sets)
        candidates = [(rng.randrange(1000), rng.choice(sets)) for _ in range(rng.randrange(0, 6))]
        candidates += [(rng.randrange(1000), _edited(rng, body, sets)) for _ in range(3)]
        if rng.random() < 0.2:
            candidates.append((rng.randrange(1000), body))  # an exact tie with another
            candidates.append((rng.randrange(1000), body))
        for threshold in (0.5, 0.8, 0.95, 1.0):
            assert closest(body, candidates, threshold) == old_closest(body, candidates, threshold)


# --- dropping weak candidates by signature -----------------------------------------------------


def test_signatures_keep_every_pair_at_the_threshold_and_drop_most_weak_ones() -> None:
    """`may_reach` never drops a pair that is `threshold` alike (over many edited pairs), and
    drops most pairs far below it: the ones a template-sharing corpus makes candidates."""
    rng = random.Random(23)
    sets = [s for s in (shingles(body) for body in generated_bodies(120)) if len(s) >= 40]
    alike, weak = [], []
    for _ in range(3000):
        left = rng.choice(sets)
        right = _edited(rng, left, sets) if rng.random() < 0.7 else rng.choice(sets)
        if len(right) >= MIN_SHINGLES and right != left:
            (alike if jaccard(left, right) >= 0.8 else weak).append((left, right))
    assert len(alike) > 200
    assert len(weak) > 1000
    for left, right in alike:
        assert may_reach(signature(left), [signature(right)], 0.8) == [True]
    too_weak = [(a, b) for a, b in weak if jaccard(a, b) < 0.8 - 2 * SIGNATURE_MARGIN]
    dropped = [may_reach(signature(a), [signature(b)], 0.8) == [False] for a, b in too_weak]
    assert len(dropped) > 500
    assert sum(dropped) / len(dropped) > 0.99


def test_a_stored_signature_reads_back_the_same() -> None:
    minima = signature(shingles(STORY))
    stored = signature_bytes(minima)
    assert len(stored) == 4 * NUM_PERM
    assert signature_from_bytes(stored).tolist() == minima.tolist()
    assert signature_bands(signature_from_bytes(stored)) == band_hashes(shingles(STORY))
