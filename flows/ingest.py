"""The `pohang-ingest` flow: the core pipeline's stages as batch tasks, plus a run artifact.

Tasks work on batches of pages (Prefect's per-task overhead is ~10 ms, which would dominate a
backfill if each article were a task). Caching is off: inputs are large, and every stage is
idempotent against the project database, which is what keeps alerts send-once.
"""

from __future__ import annotations

import uuid

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from pohang_watch import pipeline
from pohang_watch.config import Settings, load_settings
from pohang_watch.notify import DeliveryReport
from pohang_watch.report import RunReport, render_markdown
from pohang_watch.store import RecordOutcome, Store


@task(name="process-pages", cache_policy=NO_CACHE)
def process_pages(sources: list[str], settings: Settings) -> pipeline.ProcessedBatch:
    """Read, parse, score and extract one batch of pages (CPU work, no database)."""
    return pipeline.process_sources(sources, settings)


@task(name="record-articles", cache_policy=NO_CACHE)
def record_articles(store: Store, batch: pipeline.ProcessedBatch, run_id: str) -> RecordOutcome:
    """Store one batch, update the ledger and enqueue its alerts in one transaction."""
    return pipeline.record_batch(store, batch, run_id)


@task(name="send-alerts", cache_policy=NO_CACHE)
def send_pending_alerts(store: Store, settings: Settings) -> DeliveryReport:
    """Send pending alerts; a failed target keeps its alerts pending for the next run."""
    return pipeline.deliver_alerts(store, settings)


INGEST_TASKS = pipeline.IngestStages(
    process=process_pages, record=record_articles, deliver=send_pending_alerts
)


@flow(name="pohang-ingest")
def ingest_flow(
    paths: list[str] | None = None,
    send_alerts: bool = True,
    config: str | None = None,
) -> RunReport:
    """Ingest saved pages: store new Pohang articles, update the ledger, alert on changes.

    Args:
        paths: files or folders of saved pages; empty means `sources.saved_pages` in the config.
        send_alerts: send pending alerts at the end; when off they wait in the outbox.
        config: path of the config file; empty means the default lookup (see README).
    """
    settings = load_settings(config)
    run_id = str(flow_run.get_id() or uuid.uuid4())
    report = pipeline.run_ingest(
        paths or settings.sources.saved_pages,
        settings,
        run_id=run_id,
        send_alerts=send_alerts,
        stages=INGEST_TASKS,
    )
    create_markdown_artifact(
        key="pohang-ingest-report",
        markdown=render_markdown(report),
        description="Pages read and skipped, errors, new and updated ledger items",
    )
    return report
