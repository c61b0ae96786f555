"""Near-duplicate articles: a republished or lightly edited story is a revision, not news.

Pure. Exact de-duplication (`dedup.py`) catches the same id, URL or body; a story republished
under a new id with a sentence added, dropped or edited slips through it. Such a copy is
recorded as a *revision* of the story it repeats: its items are diffed against the ledger like
any article's, so what it merely repeats is RESTATED (no alert) and what it changes is UPDATED.

How candidates are found without scanning the corpus: the body's word shingles give a MinHash
signature; the signature is cut into LSH bands, and each band's hash is stored in an indexed
table. Two articles whose shingle sets are at least `threshold` alike (Jaccard) share a band
with high probability, so candidates come from one indexed IN query on (band, hash), whatever
the corpus size. The signature is stored too: a candidate whose signature says it cannot be
`threshold` alike is dropped unread (`may_reach`), and the rest are confirmed by their exact
Jaccard.

The signature is datasketch's MinHash (its "affine32" scheme, the default since datasketch 2.0:
SHA-1 of each shingle, MurmurHash3's finalizer, 128 affine permutations mod 2^32 drawn from
`numpy.random.RandomState(SEED)`), computed here with numpy in one step per body so the stored
bands no longer depend on which datasketch is installed; a test checks the two agree.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import islice
from typing import Any

import numpy as np
import numpy.typing as npt

from pohang_watch.dedup import normalised_words

# Fixed forever: band hashes are stored, so changing any of these (or how `signature` and
# `band_hashes` compute, or `shingles`, or `dedup.normalised_words`) means a migration that
# recomputes them; tests/test_neardup.py pins a few. The bands are cut for a low similarity,
# so any configured threshold above it finds its candidates; the threshold itself only
# decides among them (exact Jaccard).
SEED = 1
NUM_PERM = 128
SHINGLE_WORDS = 3
CANDIDATE_SIMILARITY = 0.5
MIN_SHINGLES = 20  # shorter bodies are never called near-duplicates: too little text to judge
# What `lsh_shape(CANDIDATE_SIMILARITY, NUM_PERM)` chooses (a test keeps them equal): 25 bands
# of 5 rows; the last 3 permutations are in no band.
BANDS = 25
ROWS = 5
_INTEGRATION_STEPS = 200
# Each permutation of two signatures agrees with probability equal to their bodies' Jaccard, so
# (Hoeffding) a pair `threshold` alike agrees in fewer than `threshold - SIGNATURE_MARGIN` of
# them with probability under MISSED_PAIR: such a candidate is dropped without reading its text.
MISSED_PAIR = 1e-6
SIGNATURE_MARGIN = math.sqrt(math.log(1 / MISSED_PAIR) / (2 * NUM_PERM))  # ≈ 0.23


def _permutations(
    seed: int, num_perm: int
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint32]]:
    """datasketch's affine32 permutations h -> a * h + b (mod 2^32), `a` odd."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


_A, _B = _permutations(SEED, NUM_PERM)
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_DIGEST_WORDS = 5  # a SHA-1 digest is five 32-bit words; datasketch keeps the first


def _sha1() -> Callable[[bytes], Any]:
    """hashlib's SHA-1, flagged as not for security only where OpenSSL insists (FIPS mode):
    the flag makes every call twice as slow, and SHA-1 runs once per shingle here."""
    try:
        hashlib.sha1(b"")
    except ValueError:
        return partial(hashlib.sha1, usedforsecurity=False)
    return hashlib.sha1


_SHA1 = _sha1()


@dataclass(frozen=True, slots=True)
class NearDuplicateRules:
    """When two bodies are one story (`[dedup] near_duplicate_threshold` in the config)."""

    threshold: float = 0.8  # Jaccard of word shingles at or above which bodies are one story


def shingles(paragraphs: Iterable[str], size: int = SHINGLE_WORDS) -> frozenset[str]:
    """Overlapping runs of `size` normalised words across the whole body."""
    words = normalised_words(" ".join(paragraphs))
    if len(words) < size:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(map(" ".join, zip(*(words[i:] for i in range(size)), strict=False)))


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right:
        return 0.0
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)


def _probability(similarity: float, bands: int, rows: int) -> float:
    """Chance that two sets this alike share at least one band."""
    return float(1 - (1 - similarity**rows) ** bands)


def _area(start: float, end: float, bands: int, rows: int, *, missed: bool) -> float:
    """The integral of the chance of a false candidate (or, `missed`, of a missed one)."""
    step = (end - start) / _INTEGRATION_STEPS
    total = 0.0
    for i in range(_INTEGRATION_STEPS):
        p = _probability(start + (i + 0.5) * step, bands, rows)
        total += (1 - p if missed else p) * step
    return total


@lru_cache(maxsize=16)
def lsh_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) minimising false positives plus false negatives around the
    threshold, as datasketch's MinHashLSH chooses them."""
    best: tuple[float, int, int] | None = None
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            error = _area(0.0, threshold, bands, rows, missed=False) + _area(
                threshold, 1.0, bands, rows, missed=True
            )
            if best is None or error < best[0]:
                best = (error, bands, rows)
    assert best is not None
    return best[1], best[2]


def signature(body: Iterable[str]) -> npt.NDArray[np.uint32]:
    """The MinHash signature of a non-empty set of shingles: NUM_PERM minima, as datasketch's
    `MinHash(num_perm=NUM_PERM, seed=SEED).update_batch(shingle.encode() …)` computes them."""
    sha1 = _SHA1
    digests = b"".join([sha1(shingle.encode()).digest() for shingle in body])
    hashed = np.frombuffer(digests, dtype="<u4")[::_DIGEST_WORDS].copy()  # sha1_hash32
    shift1, mul1, shift2, mul2 = _FMIX  # MurmurHash3's finalizer, wrapping mod 2^32
    hashed ^= hashed >> shift1
    hashed *= mul1
    hashed ^= hashed >> shift2
    hashed *= mul2
    hashed ^= hashed >> shift1
    permuted = np.multiply.outer(hashed, _A)
    permuted += _B
    minima: npt.NDArray[np.uint32] = permuted.min(axis=0)
    return minima


def band_hashes(body: frozenset[str]) -> list[tuple[int, int]]:
    """(band number, signed 64-bit hash of the band) for each LSH band of the body; empty for
    a body too short to compare."""
    if len(body) < MIN_SHINGLES:
        return []
    return signature_bands(signature(body))


def signature_bands(minima: npt.NDArray[np.uint32]) -> list[tuple[int, int]]:
    """The LSH bands of a signature, as `band_hashes` gives them."""
    values = minima.astype("<u4", copy=False).tobytes()
    width = ROWS * 4
    sha1 = _SHA1
    return [
        (
            band,
            int.from_bytes(
                sha1(values[band * width : (band + 1) * width]).digest()[:8],
                "big",
                signed=True,
            ),
        )
        for band in range(BANDS)
    ]


def signature_bytes(minima: npt.NDArray[np.uint32]) -> bytes:
    """A signature as stored: NUM_PERM little-endian 32-bit words."""
    return minima.astype("<u4", copy=False).tobytes()


def signature_from_bytes(stored: bytes) -> npt.NDArray[np.uint32]:
    return np.frombuffer(stored, dtype="<u4").astype(np.uint32, copy=False)


def may_reach(
    minima: npt.NDArray[np.uint32], others: Sequence[npt.NDArray[np.uint32]], threshold: float
) -> list[bool]:
    """For each of `others`, whether its body can be `threshold` alike the body of `minima`:
    false only when their signatures agree in fewer than `threshold - SIGNATURE_MARGIN` of the
    permutations. Lets a check skip reading the text of candidates that merely share a band."""
    if not others:
        return []
    agreeing = (np.stack(others) == minima).mean(axis=1)
    return (agreeing >= threshold - SIGNATURE_MARGIN).tolist()  # type: ignore[no-any-return]


_PROBE = 64  # shingles tested per step before the bound on the Jaccard is checked again


def similarity_at_least(
    body: Sequence[str], others: frozenset[str], threshold: float
) -> float | None:
    """`jaccard(frozenset(body), others)` if it is at least `threshold`, else None — usually
    after testing a few dozen of `body`'s shingles (distinct, in any order): once so many are
    missing from `others` that even all the rest could not lift the Jaccard to `threshold`,
    the answer is known. Exact: the bound is the same division, and rounding is monotone."""
    size, other_size = len(body), len(others)
    if not size or not other_size:
        return 0.0 if threshold <= 0.0 else None
    present = others.__contains__
    probes = iter(body)
    tested = missing = 0
    while True:
        most = min(size - missing, other_size)  # the largest intersection still possible
        if most / (size + other_size - most) < threshold:
            return None
        if tested == size:  # every shingle tested: `most` is the intersection
            return most / (size + other_size - most)
        step = min(_PROBE, size - tested)
        missing += step - sum(map(present, islice(probes, step)))
        tested += step


def closest(
    body: frozenset[str], candidates: Sequence[tuple[int, frozenset[str]]], threshold: float
) -> int | None:
    """The candidate (by its id) the body is most alike, if at least `threshold` alike (the
    highest id among equals)."""
    if len(body) < MIN_SHINGLES:
        return None
    probes = tuple(body)
    best: tuple[float, int] | None = None
    for ident, other in candidates:
        score = similarity_at_least(probes, other, threshold)
        if score is not None and (best is None or (score, ident) > best):
            best = (score, ident)
    return best[1] if best is not None else None
