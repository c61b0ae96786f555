"""What a run leaves in the Prefect UI: the ledger changes as a table artifact, and one event
per change (pohang.<kind>.<new|updated>) that Automations can trigger on."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pohang_watch.config import Settings

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


async def _latest_table(key: str) -> list[dict[str, Any]]:
    import json

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async with get_client() as client:
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
    latest = max(artifacts, key=lambda a: a.created)  # type: ignore[arg-type, return-value]
    data = latest.data
    rows: list[dict[str, Any]] = json.loads(data) if isinstance(data, str) else data
    return rows


@pytest.fixture
def emitted(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The events the flows emit, recorded instead of sent."""
    import flows.ui

    events: list[dict[str, Any]] = []
    monkeypatch.setattr(flows.ui, "emit_event", lambda **kwargs: events.append(kwargs))
    return events


def test_an_ingest_publishes_its_changes_as_a_table_and_events(
    samples_dir: Path, settings: Settings, emitted: list[dict[str, Any]]
) -> None:
    from flows.ingest import ingest_flow

    report = ingest_flow(
        paths=[str(samples_dir)], send_alerts=False, config=str(settings.config_path)
    )
    changed = [c for c in report.changes if c.change.value != "RESTATED"]
    assert changed

    rows = asyncio.run(_latest_table("pohang-ingest-changes"))
    assert len(rows) == len(changed)
    assert {row["change"] for row in rows} <= {"NEW", "UPDATED"}
    assert all(row["evidence"] and row["article"] for row in rows)

    assert len(emitted) == len(changed)
    names = {event["event"] for event in emitted}
    assert "pohang.partnership.new" in names
    assert names <= {
        f"pohang.{k}.{c}" for k in ("commitment", "partnership") for c in ("new", "updated")
    }
    partnership = next(e for e in emitted if e["event"] == "pohang.partnership.new")
    assert partnership["resource"]["prefect.resource.id"].startswith("pohang.partnership.")
    assert partnership["payload"]["parties"]
    assert partnership["related"][0]["prefect.resource.role"] == "article"


def test_a_summary_backfill_emits_no_event_per_item(
    samples_dir: Path, settings: Settings, emitted: list[dict[str, Any]]
) -> None:
    from flows.backfill import DateRange, backfill_flow

    report = backfill_flow(
        dates=DateRange(start=date(2025, 1, 1), end=date(2025, 12, 31)),
        alerts="none",
        paths=[str(samples_dir)],
        config=str(settings.config_path),
    )
    assert report.changes
    assert emitted == []
    assert asyncio.run(_latest_table("pohang-backfill-changes"))


def test_a_run_past_its_listed_changes_still_emits_an_event_for_each(
    samples_dir: Path,
    settings: Settings,
    emitted: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large run lists only its first changes in the table, but Automations hear of every
    change: events go out batch by batch as the ledger changes."""
    from flows.ingest import ingest_flow
    from pohang_watch import report as report_module
    from pohang_watch.ledger import ChangeType

    monkeypatch.setattr(report_module, "LISTED_CHANGES", 3)
    report = ingest_flow(
        paths=[str(samples_dir)], send_alerts=False, config=str(settings.config_path)
    )
    everything = report.count_of(ChangeType.NEW) + report.count_of(ChangeType.UPDATED)
    assert report.changes_left_out == everything - 3 > 0
    assert len(asyncio.run(_latest_table("pohang-ingest-changes"))) == 3
    assert len(emitted) == everything
