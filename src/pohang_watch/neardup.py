"""Near-duplicate articles: a republished or lightly edited story is a revision, not news.

Pure. Exact de-duplication (`dedup.py`) catches the same id, URL or body; a story republished
under a new id with a sentence added, dropped or edited slips through it. Such a copy is
recorded as a *revision* of the story it repeats: its items are diffed against the ledger like
any article's, so what it merely repeats is RESTATED (no alert) and what it changes is UPDATED.

How candidates are found without scanning the corpus: the body's word shingles give a MinHash
signature (datasketch); the signature is cut into LSH bands, and each band's hash is stored in
an indexed table. Two articles whose shingle sets are at least `threshold` alike (Jaccard)
share a band with high probability, so candidates come from one indexed IN query on
(band, hash), whatever the corpus size; each candidate is then confirmed by its exact Jaccard.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from datasketch import MinHash  # type: ignore[import-untyped]  # ships no type hints

from pohang_watch.dedup import normalise_text

# Fixed forever: band hashes are stored, so changing any of these means a migration that
# recomputes them. The bands are cut for a low similarity, so any configured threshold above
# it finds its candidates; the threshold itself only decides among them (exact Jaccard).
SEED = 1
NUM_PERM = 128
SHINGLE_WORDS = 3
CANDIDATE_SIMILARITY = 0.5
MIN_SHINGLES = 20  # shorter bodies are never called near-duplicates: too little text to judge
_INTEGRATION_STEPS = 200


@dataclass(frozen=True, slots=True)
class NearDuplicateRules:
    """When two bodies are one story (`[dedup] near_duplicate_threshold` in the config)."""

    threshold: float = 0.8  # Jaccard of word shingles at or above which bodies are one story


def shingles(paragraphs: Iterable[str], size: int = SHINGLE_WORDS) -> frozenset[str]:
    """Overlapping runs of `size` normalised words across the whole body."""
    words = normalise_text(" ".join(paragraphs)).split()
    if len(words) < size:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


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


def band_hashes(body: frozenset[str]) -> list[tuple[int, int]]:
    """(band number, signed 64-bit hash of the band) for each LSH band of the body; empty for
    a body too short to compare."""
    if len(body) < MIN_SHINGLES:
        return []
    signature = MinHash(num_perm=NUM_PERM, seed=SEED)
    signature.update_batch([shingle.encode("utf-8") for shingle in sorted(body)])
    bands, rows = lsh_shape(CANDIDATE_SIMILARITY, NUM_PERM)
    values = signature.hashvalues
    hashes = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.sha1(chunk, usedforsecurity=False).digest()
        hashes.append((band, int.from_bytes(digest[:8], "big", signed=True)))
    return hashes


def closest(
    body: frozenset[str], candidates: Sequence[tuple[int, frozenset[str]]], threshold: float
) -> int | None:
    """The candidate (by its id) the body is most alike, if at least `threshold` alike."""
    if len(body) < MIN_SHINGLES:
        return None
    scored = [(jaccard(body, other), ident) for ident, other in candidates]
    best = max(scored, default=None)
    return best[1] if best is not None and best[0] >= threshold else None
