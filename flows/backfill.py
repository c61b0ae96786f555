"""The `pohang-backfill` flow: fill in a range of publication dates, started from the UI or CLI.

Its parameters render as a form in the Prefect UI: the date range as two date pickers (dates,
not datetimes, which would shift with the browser's time zone), the alert mode as a select.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from prefect import flow
from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.tasks import INGEST_TASKS, current_run_id, publish_report
from pohang_watch import pipeline
from pohang_watch.config import load_settings
from pohang_watch.report import RunReport


class DateRange(BaseModel):
    """Publication days to fill in, both included, in Korean time (the paper's calendar)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: date = Field(description="First publication day to fill in.")
    end: date = Field(description="Last publication day to fill in (on or after the start).")

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"the range ends ({self.end}) before it starts ({self.start})")
        return self


@flow(name="pohang-backfill")
def backfill_flow(
    dates: DateRange,
    alerts: pipeline.AlertMode = "summary",
    paths: list[str] | None = None,
    listings: list[str] | None = None,
    config: str | None = None,
) -> RunReport:
    """Record what was published in a date range, without flooding anyone.

    Args:
        dates: the publication days to fill in.
        alerts: "summary" sends one message listing counts and the first new items; "none"
            sends nothing; "each" alerts item by item like an ingest.
        paths: files or folders of saved pages; with neither these nor listings, the
            configured sources.
        listings: live listing pages or feeds to walk back through (their hosts are allowed
            for this run).
        config: path of the config file; empty means the default lookup (see README).
    """
    settings, read, pages = pipeline.plan_sources(
        load_settings(config), paths or [], listings or []
    )
    plan = pipeline.RunPlan(
        paths=read,
        listings=pages,
        window=pipeline.DateWindow(dates.start, dates.end),
        alerts=alerts,
        flow="pohang-backfill",
    )
    report = pipeline.execute(plan, settings, run_id=current_run_id(), stages=INGEST_TASKS)
    publish_report(report)
    return report
