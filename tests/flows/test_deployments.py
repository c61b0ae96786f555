"""The deployments: deploy/prefect.yaml and the served table agree, and what the API stores
after they are applied is what the UI needs (schedules in Korean time, no overlapping runs,
a parameter form with defaults and bounds)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]


def _yaml_deployments() -> dict[str, dict[str, Any]]:
    document = yaml.safe_load((REPO_ROOT / "deploy" / "prefect.yaml").read_text(encoding="utf-8"))
    return {d["name"]: d for d in document["deployments"]}


def test_prefect_yaml_says_what_serve_does() -> None:
    from flows.deployments import SPECS, TIMEZONE, WORK_POOL

    deployments = _yaml_deployments()
    assert set(deployments) == {spec.name for spec in SPECS}
    for spec in SPECS:
        declared = deployments[spec.name]
        assert declared["entrypoint"] == spec.entrypoint
        assert declared["work_pool"] == {"name": WORK_POOL, "work_queue_name": spec.work_queue}
        crons = [(s["cron"], s["timezone"]) for s in declared["schedules"]]
        assert crons == ([(spec.cron, TIMEZONE)] if spec.cron else [])
        expected = {"limit": 1, "collision_strategy": "CANCEL_NEW"} if spec.cron else None
        assert declared.get("concurrency_limit") == expected


def test_entrypoints_exist() -> None:
    """Every entrypoint names a function in a file here; the digest arrives with the alerts
    work and is only checked once its file exists."""
    from flows.deployments import SPECS

    for spec in SPECS:
        path, function = spec.entrypoint.split(":")
        source = REPO_ROOT / path
        if spec.name == "pohang-digest" and not source.exists():
            continue
        assert f"def {function}(" in source.read_text(encoding="utf-8"), spec.entrypoint


def test_example_automations_are_valid() -> None:
    from prefect.events.schemas.automations import AutomationCore

    names = set()
    for path in sorted((REPO_ROOT / "deploy" / "automations").glob("*.yaml")):
        automation = AutomationCore.model_validate(yaml.safe_load(path.read_text("utf-8")))
        names.add(automation.name)
        assert automation.trigger.expect, path  # type: ignore[union-attr]
    assert names == {"pohang-watch failed runs", "pohang-watch new partnership"}


async def _read_back(names: list[str]) -> dict[str, Any]:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return {name: await client.read_deployment_by_name(f"{name}/{name}") for name in names}


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_served_deployments_read_back_through_the_client() -> None:
    from flows.deployments import SPECS, load_flow, runner_deployments

    applied = runner_deployments()
    for deployment in applied:
        deployment.apply()
    names = [d.name for d in applied]
    expected = {s.name for s in SPECS if s.name != "pohang-digest" or load_flow(s) is not None}
    assert set(names) == expected
    stored = asyncio.run(_read_back(names))

    ingest = stored["pohang-ingest"]
    (schedule,) = ingest.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("*/30 * * * *", "Asia/Seoul")
    assert ingest.concurrency_options.collision_strategy == "CANCEL_NEW"
    assert ingest.global_concurrency_limit.limit == 1
    assert ingest.parameter_openapi_schema["properties"]["send_alerts"]["default"] is True

    backfill = stored["pohang-backfill"]
    assert backfill.schedules == []
    assert backfill.global_concurrency_limit is None
    _check_backfill_form(backfill.parameter_openapi_schema)

    reparse = stored["pohang-reparse"]
    assert reparse.parameter_openapi_schema["properties"]["alerts"]["default"] == "summary"
    if "pohang-digest" in stored:
        (daily,) = stored["pohang-digest"].schedules
        assert (daily.schedule.cron, daily.schedule.timezone) == ("0 8 * * *", "Asia/Seoul")


def _check_backfill_form(schema: dict[str, Any]) -> None:
    """Date pickers, a select with a default, a bounded number, descriptions throughout."""
    fields = schema["properties"]
    dates = schema["definitions"]["DateRange"]["properties"]
    assert dates["start"]["format"] == dates["end"]["format"] == "date"
    assert dates["start"]["description"]
    assert fields["alerts"]["enum"] == ["summary", "none", "each"]
    assert fields["alerts"]["default"] == "summary"
    (bounded,) = [choice for choice in fields["batch_size"]["anyOf"] if "type" in choice][:1]
    assert (bounded["minimum"], bounded["maximum"]) == (1, 10_000)
    assert fields["batch_size"]["default"] is None
    assert all(field.get("description") for field in fields.values())
    assert schema["required"] == ["dates"]
