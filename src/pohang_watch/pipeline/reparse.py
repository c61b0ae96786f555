"""Reparse: rebuild articles, items and the ledger from what is already stored, no fetching.

After the parser or extractor improves, every archived page is parsed again and every stored
article of saved pages (whose text is all there is) is scored and extracted again; each
article's row is rewritten in place and its mentions replaced. Items the ledger knows come back
RESTATED and alert nobody; what is new is summarised in one message by default, or alerted
one by one with `alerts="each"` (an item already alerted never is again: its alert key exists).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import chain

from pohang_watch.analysis import ProcessedBatch, analyse_article, analyse_document, analyse_each
from pohang_watch.batching import chunked
from pohang_watch.config import Settings
from pohang_watch.models import ExtractedArticle
from pohang_watch.parse.article_ids import KST
from pohang_watch.pipeline.runs import AlertMode, IngestStages, RunPlan, summarise_if_asked
from pohang_watch.pipeline.stages import open_store
from pohang_watch.report import RunReport, RunTally
from pohang_watch.store import ArchivedPage, RecordOutcome, Store, StoredArticle

Stored = ArchivedPage | StoredArticle


def _source_of(item: Stored) -> str:
    return item.url if isinstance(item, ArchivedPage) else item.source


def _reanalyse(item: Stored, settings: Settings) -> ExtractedArticle:
    """An archived page is parsed again; a saved page's article is re-read from its row."""
    if isinstance(item, ArchivedPage):
        return analyse_document(item.to_fetched_page().to_source_document(), settings)
    return analyse_article(item.article, item.source, settings)


def reparse_batch(
    store: Store, items: Sequence[Stored], settings: Settings, run_id: str, enqueue: bool
) -> tuple[ProcessedBatch, RecordOutcome]:
    """Analyse a batch again and rewrite what it changes, in one transaction."""
    batch = analyse_each(items, _source_of, lambda item: _reanalyse(item, settings))
    everything = [*batch.about_pohang, *batch.not_about_pohang]
    return batch, store.reparse_articles(everything, source_run=run_id, enqueue=enqueue)


@dataclass(frozen=True, slots=True)
class ReparseStages:
    """The stages a reparse calls; flows/ passes Prefect tasks of the same shape."""

    reparse: Callable[
        [Store, Sequence[Stored], Settings, str, bool], tuple[ProcessedBatch, RecordOutcome]
    ] = reparse_batch
    run: IngestStages = field(default_factory=IngestStages)  # deliver and summarise


def _everything_stored(store: Store, since: datetime | None) -> Iterator[Stored]:
    return chain(store.archived_pages(since), store.unarchived_articles(since))


def run_reparse(
    settings: Settings,
    *,
    run_id: str,
    since: date | None = None,
    alerts: AlertMode = "summary",
    stages: ReparseStages = ReparseStages(),
) -> RunReport:
    """Reparse pages fetched (and saved-page articles first stored) since `since`, or all."""
    plan = RunPlan(alerts=alerts, flow="pohang-reparse")
    start = datetime.combine(since, time(), KST) if since else None
    tally = RunTally()
    with open_store(settings) as store:
        for chunk in chunked(_everything_stored(store, start), settings.pipeline.batch_size):
            tally.pages_seen += len(chunk)
            tally.add(*stages.reparse(store, chunk, settings, run_id, alerts == "each"))
        delivery = stages.run.deliver(store, settings) if alerts == "each" else None
    return summarise_if_asked(
        plan, settings, stages.run, tally.report(flow=plan.flow, delivery=delivery)
    )
