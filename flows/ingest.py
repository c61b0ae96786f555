"""The `pohang-ingest` flow: new articles from the live site and saved pages, alerts on changes.

The stages are the core pipeline's, as batch tasks (flows/tasks.py); this module only decides
what the run reads and publishes its report as an artifact.
"""

from __future__ import annotations

from prefect import flow

from flows.politeness import polite_fetcher
from flows.tasks import INGEST_TASKS, current_run_id, publish_report
from pohang_watch import pipeline
from pohang_watch.config import load_settings
from pohang_watch.report import RunReport


@flow(name="pohang-ingest")
def ingest_flow(
    paths: list[str] | None = None,
    send_alerts: bool = True,
    config: str | None = None,
    listings: list[str] | None = None,
) -> RunReport:
    """Ingest: store new Pohang articles, update the ledger, alert on changes.

    Args:
        paths: files or folders of saved pages to read instead of the configured sources.
        send_alerts: send pending alerts at the end; when off they wait in the outbox.
        config: path of the config file; empty means the default lookup (see README).
        listings: live listing pages or feeds to read instead of the configured ones (their
            hosts are allowed for this run).
    """
    settings, read, pages = pipeline.plan_sources(
        load_settings(config), paths or [], listings or []
    )
    plan = pipeline.RunPlan(paths=read, listings=pages, send_alerts=send_alerts)
    report = pipeline.execute(
        plan,
        settings,
        run_id=current_run_id(),
        stages=INGEST_TASKS,
        fetcher_factory=polite_fetcher,
    )
    publish_report(report)
    return report
