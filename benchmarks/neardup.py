"""The near-duplicate check against 10,000 and 100,000 stored documents (issue 6: the check
per document at 100k stored ≤ 1.25× its cost at 10k; the index ≤ 3 KB per document).

    python -m benchmarks.neardup [--sizes 10000 100000] [--batch 200] [--rounds 5] [--json]

A SQLite store with the project's schema is built for each size (the larger a copy of the
smaller, grown): article rows and their band rows (`neardup.shingles` + `band_hashes`, what
ingestion stores) inserted straight into `articles` and `article_bands`, 2,000 documents a
transaction. One batch of new documents (one in ten a near-duplicate of a stored one) then goes
through `story_rows.link_stories`, the check ingestion runs (bands, the indexed candidate query,
exact Jaccard, links and band rows written), in a transaction rolled back afterwards; each round
times it against every size back to back.

Bodies: ~400 words in 6–12 paragraphs drawn from a Zipf law over a 20,000-word vocabulary, so
unrelated documents share few shingles, as unrelated news does. (The page corpus's templates
make any two Pohang stories 20–40 % alike, so there candidates per document grow with the
store; their stored signatures drop them before their text is read.) Index bytes come from
SQLite's `dbstat` (article_bands, its two indexes and article_signatures), and from the
page-count growth of the band and signature inserts where `dbstat` is missing. Nothing is held
in memory between checks; the peak of Python allocations during one check is reported.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import json
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import OperationalError

from benchmarks.timing import Figure
from pohang_watch.dedup import content_hash
from pohang_watch.models import Article, ExtractedArticle, Relevance
from pohang_watch.neardup import (
    MIN_SHINGLES,
    NearDuplicateRules,
    band_hashes,
    shingles,
    signature,
    signature_bands,
    signature_bytes,
)
from pohang_watch.store import Store
from pohang_watch.store.corpus import chunks
from pohang_watch.store.engine import create_store_engine, writer
from pohang_watch.store.schema import article_bands, article_signatures, articles
from pohang_watch.store.story_rows import link_stories

DEFAULT_SIZES = (10_000, 100_000)
DEFAULT_BATCH = 200
DEFAULT_ROUNDS = 9  # cheap next to building the stores: ~0.2 s a round and size
DEFAULT_SEED = 20250604
RATIO_GOAL = 1.25  # check per document at the largest size ≤ 1.25× at the smallest
BYTES_GOAL = 3000  # index bytes per stored document
NEAR_DUPLICATE_SHARE = 10  # one new document in this many repeats a stored one
VOCABULARY = 20_000
ZIPF_EXPONENT = 1.0
WORDS = (300, 500)  # words per body, low inclusive, high exclusive
PARAGRAPHS = (6, 13)
EDITED_WORDS = 12  # a near-duplicate has this run of one paragraph's words replaced
_BUILD_CHUNK = 2000
_RUN = "benchmark-neardup"


@dataclass(frozen=True, slots=True)
class SizeFigures:
    """The check against one store size."""

    stored: int
    ms_per_doc: float  # median over rounds of (batch time / batch size)
    best_ms_per_doc: float  # the fastest round: the least disturbed on a shared machine
    rounds_ms_per_doc: tuple[float, ...]
    candidates_per_doc: float  # stored articles sharing a band with a new document, mean
    index_bytes_per_doc: float | None  # bands, their indexes, signatures by dbstat, per doc
    pages_bytes_per_doc: float  # page-count growth of band and signature inserts, per doc
    planted: int  # near-duplicates of stored documents in the batch
    found: int  # of those, linked to the document they repeat
    false_links: int  # new documents linked to a story they do not repeat
    peak_python_kb: float  # peak Python allocations during one check
    build_s: float  # time to grow the store to this size from the previous one


@dataclass(frozen=True, slots=True)
class NearDupResult:
    sizes: tuple[SizeFigures, ...]
    batch: int
    rounds: int
    seed: int
    threshold: float

    @property
    def ratio(self) -> float | None:
        """ms per document at the largest size / at the smallest."""
        if len(self.sizes) < 2 or not self.sizes[0].ms_per_doc:
            return None
        return self.sizes[-1].ms_per_doc / self.sizes[0].ms_per_doc

    @property
    def best_ratio(self) -> float | None:
        """The same for the fastest rounds: a cross-check when the machine is shared."""
        if len(self.sizes) < 2 or not self.sizes[0].best_ms_per_doc:
            return None
        return self.sizes[-1].best_ms_per_doc / self.sizes[0].best_ms_per_doc

    @property
    def max_index_bytes_per_doc(self) -> float | None:
        """dbstat's figure, or the page count's where SQLite has no dbstat."""
        return max((_index_size(size) for size in self.sizes), default=None)


def _index_size(size: SizeFigures) -> float:
    return (
        size.pages_bytes_per_doc if size.index_bytes_per_doc is None else size.index_bytes_per_doc
    )


class Bodies:
    """Deterministic article bodies: document `index`'s words come from a generator seeded
    with (seed, index), so any one can be made again (a near-duplicate of it) without keeping
    the corpus."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        rng = np.random.default_rng([seed, 0x766F63])
        self.vocabulary = _vocabulary(rng, VOCABULARY)
        weights = 1.0 / np.arange(1, VOCABULARY + 1) ** ZIPF_EXPONENT
        self._cdf: npt.NDArray[np.float64] = np.cumsum(weights / weights.sum())

    def _words(self, rng: np.random.Generator, count: int) -> list[str]:
        picks = np.minimum(np.searchsorted(self._cdf, rng.random(count)), VOCABULARY - 1)
        vocabulary = self.vocabulary
        return [vocabulary[i] for i in picks.tolist()]

    def paragraph_words(self, index: int) -> list[list[str]]:
        rng = np.random.default_rng([self.seed, index])
        count = int(rng.integers(*WORDS))
        words = self._words(rng, count)
        parts = int(rng.integers(*PARAGRAPHS))
        cuts = sorted(rng.choice(np.arange(20, count - 20), size=parts - 1, replace=False).tolist())
        bounds = [0, *cuts, count]
        return [words[a:b] for a, b in itertools.pairwise(bounds)]

    def body(self, index: int) -> tuple[str, ...]:
        return _paragraphs(self.paragraph_words(index))

    def near_duplicate(self, index: int) -> tuple[str, ...]:
        """Document `index` with one run of EDITED_WORDS words of one paragraph replaced: a
        sentence rewritten (Jaccard ~0.9 to the original)."""
        paragraphs = self.paragraph_words(index)
        rng = np.random.default_rng([self.seed, index, 0x65646974])
        which = int(rng.integers(len(paragraphs)))
        words = paragraphs[which]
        start = int(rng.integers(max(1, len(words) - EDITED_WORDS)))
        words[start : start + EDITED_WORDS] = self._words(rng, EDITED_WORDS)
        return _paragraphs(paragraphs)


def _vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    """Distinct pronounceable words of 2–4 syllables."""
    onsets = ["", "b", "ch", "d", "g", "h", "j", "k", "m", "n", "p", "r", "s", "t", "w", "y"]
    vowels = ["a", "e", "i", "o", "u", "ae", "eo", "ou"]
    codas = ["", "", "n", "ng", "l", "k", "m", "s"]
    syllables = [o + v + c for o in onsets for v in vowels for c in codas]
    words: dict[str, None] = {}
    while len(words) < size:
        count = int(rng.integers(2, 5))
        picks = rng.integers(len(syllables), size=count).tolist()
        words.setdefault("".join(syllables[i] for i in picks))
    return list(words)


def _paragraphs(paragraph_words: list[list[str]]) -> tuple[str, ...]:
    return tuple(" ".join(words).capitalize() + "." for words in paragraph_words)


# --- building the store -----------------------------------------------------------------------


def _article_row(pk: int, paragraphs: tuple[str, ...], now: datetime) -> dict[str, Any]:
    return {
        "id": pk,
        "article_id": f"bench{pk:09d}",
        "url": None,
        # Unique per body, like the real content hash (which normalises first, ~10× slower).
        "content_hash": hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest(),
        "title": f"Stored document {pk}",
        "subtitles": [],
        "published_at": None,
        "byline": None,
        "paragraphs": list(paragraphs),
        "captions": [],
        "source": f"bench/{pk}",
        "source_run": _RUN,
        "relevance": 1.0,
        "about_pohang": True,
        "first_seen_at": now,
        "story_pk": None,
    }


def _grow(engine: Engine, bodies: Bodies, start: int, end: int) -> int:
    """Store documents start..end-1 (pk = index + 1) and their bands; the pages the band
    inserts added."""
    now = datetime.now(UTC)
    band_pages = 0
    for first in range(start, end, _BUILD_CHUNK):
        article_rows: list[dict[str, Any]] = []
        band_rows: list[dict[str, int]] = []
        signature_rows: list[dict[str, Any]] = []
        for index in range(first, min(end, first + _BUILD_CHUNK)):
            paragraphs = bodies.body(index)
            article_rows.append(_article_row(index + 1, paragraphs, now))
            body = shingles(paragraphs)
            if len(body) < MIN_SHINGLES:
                continue
            minima = signature(body)
            band_rows.extend(
                {"article_pk": index + 1, "band": band, "band_hash": value}
                for band, value in signature_bands(minima)
            )
            signature_rows.append({"article_pk": index + 1, "minhash": signature_bytes(minima)})
        with engine.begin() as conn:
            conn.execute(insert(articles), article_rows)
            before = _pragma(conn, "page_count")
            conn.execute(insert(article_bands), band_rows)
            conn.execute(insert(article_signatures), signature_rows)
            band_pages += _pragma(conn, "page_count") - before
    return band_pages


def _pragma(conn: Connection, name: str) -> int:
    return int(conn.exec_driver_sql(f"PRAGMA {name}").scalar_one())


def _index_bytes(conn: Connection) -> int | None:
    """Bytes of article_bands, article_signatures and their indexes by SQLite's dbstat (None
    without it)."""
    query = (
        "SELECT name FROM sqlite_master WHERE tbl_name IN ('article_bands', 'article_signatures')"
    )
    names = [row[0] for row in conn.exec_driver_sql(query)]
    sizes = "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?"
    try:
        return sum(int(conn.exec_driver_sql(sizes, (name,)).scalar_one()) for name in names)
    except OperationalError:  # SQLite built without SQLITE_ENABLE_DBSTAT_VTAB
        return None


# --- the check --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Batch:
    docs: tuple[ExtractedArticle, ...]
    rows: tuple[dict[str, Any], ...]
    pks: dict[str, int]
    originals: dict[str, int]  # content hash of a planted near-duplicate → pk it repeats


def _new_batch(bodies: Bodies, size: int, smallest: int, largest: int) -> _Batch:
    """`size` new documents: every NEAR_DUPLICATE_SHARE-th repeats a document stored at every
    size (spread over the smallest store), the rest are documents never stored."""
    now = datetime.now(UTC)
    rng = np.random.default_rng([bodies.seed, 0x6E6577])
    planted = max(1, size // NEAR_DUPLICATE_SHARE) if size > 1 else 0
    targets = rng.choice(smallest, size=min(planted, smallest), replace=False).tolist()
    docs, rows = [], []
    pks: dict[str, int] = {}
    originals: dict[str, int] = {}
    for k in range(size):
        pk = largest + 1 + k
        if k % NEAR_DUPLICATE_SHARE == 0 and targets:
            target = int(targets.pop())
            paragraphs = bodies.near_duplicate(target)
        else:
            target, paragraphs = -1, bodies.body(largest + k)
        article = Article(
            article_id=f"new{k:06d}",
            url=None,
            title=f"New document {k}",
            subtitles=(),
            published_at=None,
            byline=None,
            paragraphs=paragraphs,
            captions=(),
            content_hash=content_hash(paragraphs),
        )
        docs.append(ExtractedArticle(f"bench/new/{k}", article, Relevance(1.0, True), ()))
        row = _article_row(pk, paragraphs, now) | {"content_hash": article.content_hash}
        rows.append(row | {"article_id": article.article_id})
        pks[article.content_hash] = pk
        if target >= 0:
            originals[article.content_hash] = target + 1
    return _Batch(tuple(docs), tuple(rows), pks, originals)


@contextmanager
def _rolled_back(engine: Engine, batch: _Batch) -> Iterator[Connection]:
    """A transaction holding the batch's article rows (as ingestion has them when it links
    stories), rolled back afterwards."""
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            conn.execute(insert(articles), list(batch.rows))
            yield conn
        finally:
            transaction.rollback()


def _check(engine: Engine, batch: _Batch, rules: NearDuplicateRules) -> tuple[int, dict[str, int]]:
    """One timed check: nanoseconds and the revisions found. The garbage of earlier rounds is
    collected first, so no round pays for another's."""
    with _rolled_back(engine, batch) as conn:
        gc.collect()
        start = time.perf_counter_ns()
        links = link_stories(conn, batch.docs, batch.pks, rules)
        return time.perf_counter_ns() - start, links


def _peak_python_kb(engine: Engine, batch: _Batch, rules: NearDuplicateRules) -> float:
    with _rolled_back(engine, batch) as conn:
        tracemalloc.start()
        try:
            link_stories(conn, batch.docs, batch.pks, rules)
            return tracemalloc.get_traced_memory()[1] / 1024
        finally:
            tracemalloc.stop()


def _candidates_per_doc(engine: Engine, batch: _Batch) -> float:
    """Stored articles sharing at least one band with each new document, on average."""
    bands = {
        doc.article.content_hash: set(band_hashes(shingles(doc.article.paragraphs)))
        for doc in batch.docs
    }
    holders: dict[tuple[int, int], set[int]] = {}
    wanted = set().union(*bands.values())
    with engine.connect() as conn:
        for chunk in chunks(sorted({value for _, value in wanted})):
            query = select(
                article_bands.c.band, article_bands.c.band_hash, article_bands.c.article_pk
            ).where(article_bands.c.band_hash.in_(chunk))
            for band, value, pk in conn.execute(query):
                if (band, value) in wanted:
                    holders.setdefault((band, value), set()).add(pk)
    counts = [len(set().union(*(holders.get(b, set()) for b in mine))) for mine in bands.values()]
    return statistics.fmean(counts) if counts else 0.0


@dataclass(slots=True)
class _Sized:
    """One store size: its own database (a copy of the previous size's, grown)."""

    stored: int
    database: Path
    engine: Engine
    band_pages: int  # pages the band inserts added, from empty
    build_s: float


def _build(folder: Path, sizes: list[int], bodies: Bodies) -> list[_Sized]:
    built: list[_Sized] = []
    try:
        for size in sizes:
            database, start = folder / f"neardup-{size}.db", time.perf_counter()
            url = f"sqlite:///{database}"
            if built:
                _copy(built[-1].database, database)
            else:
                Store.open(url).close()  # the schema, by the migrations
            stored, pages = (built[-1].stored, built[-1].band_pages) if built else (0, 0)
            built.append(_Sized(size, database, writer(create_store_engine(url)), pages, 0.0))
            built[-1].band_pages += _grow(built[-1].engine, bodies, stored, size)
            built[-1].build_s = time.perf_counter() - start
    except BaseException:
        for sized in built:
            sized.engine.dispose()
        raise
    return built


def _copy(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (WAL included), by SQLite's backup API."""
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _figures(
    sized: _Sized, batch: _Batch, times: list[int], links: dict[str, int], rules: NearDuplicateRules
) -> SizeFigures:
    per_doc = tuple(t / 1e6 / max(1, len(batch.docs)) for t in times)
    found = sum(1 for h, pk in batch.originals.items() if links.get(h) == pk)
    false_links = sum(1 for h, pk in links.items() if batch.originals.get(h) != pk)
    with sized.engine.connect() as conn:
        index_bytes, page_size = _index_bytes(conn), _pragma(conn, "page_size")
    return SizeFigures(
        stored=sized.stored,
        ms_per_doc=statistics.median(per_doc),
        best_ms_per_doc=min(per_doc),
        rounds_ms_per_doc=per_doc,
        candidates_per_doc=_candidates_per_doc(sized.engine, batch),
        index_bytes_per_doc=None if index_bytes is None else index_bytes / sized.stored,
        pages_bytes_per_doc=sized.band_pages * page_size / sized.stored,
        planted=len(batch.originals),
        found=found,
        false_links=false_links,
        peak_python_kb=_peak_python_kb(sized.engine, batch, rules),
        build_s=sized.build_s,
    )


def measure_neardup(
    sizes: Sequence[int] = DEFAULT_SIZES,
    *,
    batch: int = DEFAULT_BATCH,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    rules: NearDuplicateRules | None = None,
    folder: Path | None = None,
) -> NearDupResult:
    """Build a SQLite store of each of `sizes` documents and time the near-duplicate check of
    one batch of `batch` new documents against each, `rounds` times (median) after a warm-up.
    The databases are built in `folder` (kept: neardup-SIZE.db) or in a temporary folder."""
    ordered = sorted(set(sizes))
    if not ordered or ordered[0] < 1:
        raise ValueError("sizes must be positive")
    rules = rules or NearDuplicateRules()
    bodies = Bodies(seed)
    if folder is not None:
        return _measure_in(folder, ordered, bodies, batch, rounds, seed, rules)
    with tempfile.TemporaryDirectory(prefix="pohang-bench-neardup-") as temporary:
        return _measure_in(Path(temporary), ordered, bodies, batch, rounds, seed, rules)


def _measure_in(
    folder: Path,
    sizes: list[int],
    bodies: Bodies,
    batch_size: int,
    rounds: int,
    seed: int,
    rules: NearDuplicateRules,
) -> NearDupResult:
    """One database per size (each a copy of the previous, grown), then the rounds: each times
    the check against every size back to back, so load on a shared machine hits all alike."""
    for size in sizes:
        if (folder / f"neardup-{size}.db").exists():
            raise FileExistsError(f"{folder / f'neardup-{size}.db'} exists: build afresh")
    batch = _new_batch(bodies, batch_size, sizes[0], sizes[-1])
    built = _build(folder, sizes, bodies)
    try:
        links = [_check(sized.engine, batch, rules)[1] for sized in built]  # warm-up
        times: list[list[int]] = [[] for _ in built]
        for number in range(rounds):
            order = list(zip(built, times, strict=True))
            for sized, timed in order if number % 2 == 0 else reversed(order):  # no order bias
                timed.append(_check(sized.engine, batch, rules)[0])
        figures = tuple(
            _figures(sized, batch, timed, found, rules)
            for sized, timed, found in zip(built, times, links, strict=True)
        )
    finally:
        for sized in built:
            sized.engine.dispose()
    return NearDupResult(figures, batch_size, rounds, seed, rules.threshold)


# --- reporting --------------------------------------------------------------------------------


def goals(result: NearDupResult) -> list[dict[str, Any]]:
    """Issue 6's two near-duplicate goals, with the figures and verdicts."""
    ratio, size = result.ratio, result.max_index_bytes_per_doc
    names = (
        f"{result.sizes[-1].stored:,}" if result.sizes else "?",
        f"{result.sizes[0].stored:,}" if result.sizes else "?",
    )
    return [
        {
            "goal": f"near-dup check per doc at {names[0]} stored ≤ {RATIO_GOAL}× at {names[1]}",
            "value": ratio,
            "limit": RATIO_GOAL,
            "met": None if ratio is None else ratio <= RATIO_GOAL,
            "note": "" if ratio is not None else "needs two sizes",
        },
        {
            "goal": f"near-dup index ≤ {BYTES_GOAL:,} bytes per stored doc",
            "value": size,
            "limit": BYTES_GOAL,
            "met": None if size is None else size <= BYTES_GOAL,
            "note": "dbstat"
            if all(s.index_bytes_per_doc is not None for s in result.sizes)
            else "page counts (no dbstat)",
        },
    ]


def as_dict(result: NearDupResult) -> dict[str, Any]:
    """The result as plain data (what --json prints)."""
    return {
        "batch": result.batch,
        "rounds": result.rounds,
        "seed": result.seed,
        "threshold": result.threshold,
        "sizes": [asdict(size) for size in result.sizes],
        "ratio": result.ratio,
        "best_ratio": result.best_ratio,
        "goals": goals(result),
    }


def neardup_figures(result: NearDupResult) -> list[Figure]:
    """One benchmark line per store size, for `benchmarks.run`'s table (ms per new document,
    median over rounds)."""
    return [
        Figure(
            f"near-duplicate check, {size.stored:,} stored",
            "stage",
            "median",
            result.batch,
            size.ms_per_doc,
            sum(size.rounds_ms_per_doc) * result.batch / 1000,
            f"{size.candidates_per_doc:.2f} candidates/doc; index {_index_size(size):,.0f} B/doc",
        )
        for size in result.sizes
    ]


def render_text(result: NearDupResult) -> str:
    planted = result.sizes[0].planted if result.sizes else 0
    lines = [
        f"near-duplicate check (link_stories): a batch of {result.batch} new documents "
        f"({planted} near-duplicates of stored ones), median of {result.rounds} rounds, "
        f"threshold {result.threshold}",
        "",
        f"{'stored':>9}  {'ms/doc':>7}  {'best':>6}  {'candidates/doc':>14}  {'index B/doc':>11}  "
        f"{'pages B/doc':>11}  {'found':>7}  {'false':>5}  {'peak KB':>8}  {'build s':>7}",
    ]
    for size in result.sizes:
        index = "-" if size.index_bytes_per_doc is None else f"{size.index_bytes_per_doc:,.0f}"
        lines.append(
            f"{size.stored:>9,}  {size.ms_per_doc:>7.3f}  {size.best_ms_per_doc:>6.3f}  "
            f"{size.candidates_per_doc:>14.2f}  "
            f"{index:>11}  {size.pages_bytes_per_doc:>11,.0f}  "
            f"{f'{size.found}/{size.planted}':>7}  {size.false_links:>5}  "
            f"{size.peak_python_kb:>8,.0f}  {size.build_s:>7.1f}"
        )
    if result.best_ratio is not None:
        lines.append(f"ratio of the fastest rounds: {result.best_ratio:.2f}")
    lines.append("")
    for goal in goals(result):
        value = "-" if goal["value"] is None else f"{goal['value']:,.2f}"
        verdict = {True: "met", False: "NOT met", None: "not measured"}[goal["met"]]
        lines.append(f"{goal['goal']}: {value} — {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.neardup",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help="new documents")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--folder", type=Path, help="build (and keep) the database here")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = measure_neardup(
        args.sizes, batch=args.batch, rounds=args.rounds, seed=args.seed, folder=args.folder
    )
    print(json.dumps(as_dict(result)) if args.json else render_text(result))


if __name__ == "__main__":
    main()
