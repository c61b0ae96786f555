"""Saved pages read before, unchanged: skipped before they are parsed.

A folder watched on a schedule holds mostly pages an earlier run already judged; parsing them
again only to find their ids known made a run that finds nothing new cost as much as the first.
A page is skipped when the fingerprint of its bytes *and of the rules that judged it* (the
pohang-watch version and the parse, relevance and extraction settings) was recorded by an
earlier run. So a changed file, a new version or changed settings read it again; and only pages
that were judged are recorded — not one that failed (it is retried and its error reported
again), nor one a backfill's date range left out (a wider range must still find it).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version

from pohang_watch.analysis import ProcessedBatch
from pohang_watch.batching import chunked
from pohang_watch.config import Settings
from pohang_watch.errors import SourceError
from pohang_watch.parse.cleanup import scrub
from pohang_watch.sources.saved_pages import read_saved_page
from pohang_watch.store import Store

SKIPPED_UNCHANGED = "read before, unchanged"
_LOOKUP_CHUNK = 500


def rules_fingerprint(settings: Settings) -> bytes:
    """What decides how a page is judged, as bytes: a change to any of it reads pages again."""
    try:
        running = version("pohang-watch")
    except PackageNotFoundError:  # run from a source tree that was never installed
        running = "unknown"
    rules = (
        running,
        settings.parse.model_dump_json(),
        settings.relevance.model_dump_json(),
        settings.extract.model_dump_json(),
    )
    return hashlib.sha256("\n".join(rules).encode("utf-8")).digest()


class UnchangedPages:
    """The fingerprints of one run's saved pages: which to skip, and which to remember."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self._store = store
        self._rules = rules_fingerprint(settings)
        self._max_bytes = settings.parse.max_page_bytes
        self._pending: dict[str, str] = {}  # source (as batches name it) → fingerprint

    def fingerprint(self, source: str) -> str | None:
        """Of the page's bytes under this run's rules; None if it cannot be read (the parse
        stage then reports why)."""
        try:
            content = read_saved_page(source, self._max_bytes).content
        except SourceError:
            return None
        return hashlib.sha256(self._rules + content).hexdigest()

    def unread(self, sources: Iterable[str], skipped: Counter[str]) -> Iterator[str]:
        """The sources not judged before under these rules, lazily; the others are counted in
        `skipped`."""
        for chunk in chunked(sources, _LOOKUP_CHUNK):
            prints = {source: self.fingerprint(source) for source in chunk}
            known = self._store.judged_pages(p for p in prints.values() if p)
            for source, fingerprint in prints.items():
                if fingerprint is not None and fingerprint in known:
                    skipped[SKIPPED_UNCHANGED] += 1
                    continue
                if fingerprint is not None:
                    self._pending[scrub(source)] = fingerprint
                yield source

    def remember(self, processed: ProcessedBatch, kept: ProcessedBatch) -> None:
        """Record the pages of `kept` (the batch after any date range) as judged; forget the
        whole processed batch's fingerprints either way."""
        judged = [e.source for e in (*kept.about_pohang, *kept.not_about_pohang)]
        rows = [(self._pending[s], s) for s in judged if s in self._pending]
        for extracted in (*processed.about_pohang, *processed.not_about_pohang):
            self._pending.pop(extracted.source, None)
        for error in processed.errors:
            self._pending.pop(error.source, None)
        if rows:
            self._store.remember_judged_pages(rows)
