"""pohang-backfill started the way the UI starts it: a flow run created from the deployment
with the form's values (JSON), checked by the server against the parameter schema, then run
by whoever picks it up (here this process, as a served deployment's runner would)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from http_recorder import Recorder

from pohang_watch.config import ENV_APPRISE_URLS, Settings

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def _deployment_id() -> UUID:
    from flows.backfill import backfill_flow
    from flows.deployments import SPECS, to_deployment

    (spec,) = [s for s in SPECS if s.name == "pohang-backfill"]
    deployment_id: UUID = to_deployment(spec, backfill_flow).apply()
    return deployment_id


async def _create_run(deployment_id: UUID, parameters: dict[str, Any]) -> Any:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return await client.create_flow_run_from_deployment(deployment_id, parameters=parameters)


async def _state_of(flow_run_id: UUID) -> str:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        flow_run = await client.read_flow_run(flow_run_id)
    return flow_run.state.type.value if flow_run.state else "none"


def test_backfill_from_the_form_ingests_the_range_and_sends_one_summary(
    samples_dir: Path, settings: Settings, webhook: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.flow_engine import run_flow

    from flows.backfill import backfill_flow

    monkeypatch.setenv(ENV_APPRISE_URLS, webhook.url())
    form = {
        "dates": {"start": "2025-01-01", "end": "2025-06-30"},
        "alerts": "summary",
        "paths": [str(samples_dir)],
        "config": str(settings.config_path),
        "batch_size": 5,
    }
    flow_run = asyncio.run(_create_run(_deployment_id(), form))
    report = run_flow(backfill_flow, flow_run=flow_run, parameters=flow_run.parameters)

    assert report.stored > 0
    assert report.skipped["published outside the range"] > 0
    assert report.alerts_enqueued == 0
    assert len(webhook.requests) == 1, webhook.titles
    assert "pohang-backfill 2025-01-01 to 2025-06-30" in webhook.titles[0]
    assert asyncio.run(_state_of(flow_run.id)) == "COMPLETED"


def test_the_server_refuses_a_form_out_of_bounds() -> None:
    """The bound is in the deployment's schema, so a bad value never becomes a run."""
    from prefect.exceptions import PrefectHTTPStatusError

    form = {"dates": {"start": "2025-01-01", "end": "2025-01-31"}, "batch_size": 0}
    with pytest.raises(PrefectHTTPStatusError, match=r"409|422"):
        asyncio.run(_create_run(_deployment_id(), form))
