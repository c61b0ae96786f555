"""The `pohang-reparse` flow: rebuild articles, items and the ledger from what is stored."""

from __future__ import annotations

from datetime import date

from prefect import flow

from flows.tasks import REPARSE_TASKS, current_run_id, publish_report
from pohang_watch import pipeline
from pohang_watch.config import load_settings
from pohang_watch.report import RunReport


@flow(name="pohang-reparse")
def reparse_flow(
    since: date | None = None,
    alerts: pipeline.AlertMode = "summary",
    config: str | None = None,
) -> RunReport:
    """Parse archived pages and re-extract stored articles again after a parser or extractor
    change; what was already alerted is not alerted again.

    Args:
        since: only pages fetched (and saved-page articles stored) on or after this day.
        alerts: "summary" sends one message for what the new reading found; "none" sends
            nothing; "each" alerts new items one by one.
        config: path of the config file; empty means the default lookup (see README).
    """
    report = pipeline.run_reparse(
        load_settings(config),
        run_id=current_run_id(),
        since=since,
        alerts=alerts,
        stages=REPARSE_TASKS,
    )
    publish_report(report)
    return report
