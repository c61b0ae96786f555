"""The pohang-backfill flow's parameters: a date range the UI shows as two date pickers,
checked (end not before start) when the flow starts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from pohang_watch.config import Settings

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def test_backfill_flow_takes_a_checked_date_range(
    samples_dir: Path, settings: Settings, latest_artifact: Callable[[str], str]
) -> None:
    from prefect.utilities.callables import parameter_schema

    from flows.backfill import DateRange, backfill_flow

    schema = parameter_schema(backfill_flow.fn).model_dump()
    fields = schema["definitions"]["DateRange"]["properties"]
    assert fields["start"]["format"] == fields["end"]["format"] == "date"
    assert schema["properties"]["alerts"]["enum"] == ["summary", "none", "each"]

    config = str(settings.config_path)
    with pytest.raises(Exception, match="before it starts"):
        backfill_flow(dates={"start": "2025-06-30", "end": "2025-01-01"}, config=config)  # type: ignore[arg-type]

    report = backfill_flow(
        dates=DateRange(start=date(2025, 1, 1), end=date(2025, 6, 30)),
        alerts="none",
        paths=[str(samples_dir)],
        config=config,
    )
    assert report.stored > 0
    assert report.alerts_enqueued == 0
    assert report.skipped["published outside the range"] > 0
    assert "# pohang-backfill run" in latest_artifact("pohang-backfill-report")
