"""The `pohang-backfill` flow: fill in a range of publication dates, started from the UI or CLI.

Its parameters render as a form in the Prefect UI: the date range as two date pickers (dates,
not datetimes, which would shift with the browser's time zone), the alert mode as a select.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from prefect import flow
from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.politeness import polite_fetcher
from flows.scale import backfill_task_runner, look_ahead_stages
from flows.tasks import current_run_id, publish_report
from pohang_watch import pipeline
from pohang_watch.config import Settings, load_settings
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


BatchSize = Annotated[int, Field(ge=1, le=10_000)]


@flow(name="pohang-backfill", task_runner=backfill_task_runner())
def backfill_flow(
    dates: DateRange,
    alerts: pipeline.AlertMode = "summary",
    paths: list[str] | None = None,
    listings: list[str] | None = None,
    config: str | None = None,
    batch_size: BatchSize | None = None,
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
        batch_size: pages per parse task and per database transaction; empty means the
            config's pipeline.batch_size. Smaller batches spread a large backfill over more
            workers (see "Running it as a service" in the README).
    """
    settings, read, pages = pipeline.plan_sources(
        _with_batch_size(load_settings(config), batch_size), paths or [], listings or []
    )
    plan = pipeline.RunPlan(
        paths=read,
        listings=pages,
        window=pipeline.DateWindow(dates.start, dates.end),
        alerts=alerts,
        flow="pohang-backfill",
    )
    with look_ahead_stages() as stages:
        report = pipeline.execute(
            plan, settings, run_id=current_run_id(), stages=stages, fetcher_factory=polite_fetcher
        )
    publish_report(report)
    return report


def _with_batch_size(settings: Settings, batch_size: int | None) -> Settings:
    if batch_size is None:
        return settings
    batches = settings.pipeline.model_copy(update={"batch_size": batch_size})
    return settings.model_copy(update={"pipeline": batches})
