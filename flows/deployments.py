"""The deployments, defined once: `serve_all` builds them from this table, and a test checks
that deploy/prefect.yaml (the server + work pool + worker setup) says the same.

Scheduled flows run in Korea's calendar (the paper's), never overlap (a run that would start
while the last one is still going is cancelled: the next slot comes soon enough), and the
on-demand flows have a queue of their own so a large backfill never holds up the schedule.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any

from prefect import Flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

logger = logging.getLogger(__name__)

TIMEZONE = "Asia/Seoul"
WORK_POOL = "pohang-watch"
SCHEDULED_QUEUE = "scheduled"
ON_DEMAND_QUEUE = "on-demand"
TAGS = ("pohang-watch",)


@dataclass(frozen=True, slots=True)
class DeploymentSpec:
    """One deployment, named as its flow: the UI shows `pohang-ingest/pohang-ingest`."""

    name: str
    entrypoint: str  # path:function, as prefect.yaml and `prefect deploy` want it
    description: str
    cron: str | None = None  # None: started by hand (UI, CLI, API)

    @property
    def work_queue(self) -> str:
        return SCHEDULED_QUEUE if self.cron else ON_DEMAND_QUEUE

    @property
    def module(self) -> str:
        return self.entrypoint.split(":")[0].removesuffix(".py").replace("/", ".")

    @property
    def attribute(self) -> str:
        return self.entrypoint.split(":")[1]


SPECS = (
    DeploymentSpec(
        "pohang-ingest",
        "flows/ingest.py:ingest_flow",
        "New Pohang articles from the configured sources; alerts on ledger changes.",
        cron="*/30 * * * *",
    ),
    DeploymentSpec(
        "pohang-digest",
        "flows/digest.py:digest_flow",
        "The daily digest of what changed in the ledger.",
        cron="0 8 * * *",
    ),
    DeploymentSpec(
        "pohang-backfill",
        "flows/backfill.py:backfill_flow",
        "Fill in a range of publication days; one summary message, not an alert per item.",
    ),
    DeploymentSpec(
        "pohang-reparse",
        "flows/reparse.py:reparse_flow",
        "Rebuild articles and the ledger from stored pages after a parser or extractor change.",
    ),
)


def load_flow(spec: DeploymentSpec) -> Flow[Any, Any] | None:
    """The spec's flow, or None when its module is not there (flows/digest.py arrives with the
    alerts work; until then everything else still serves)."""
    try:
        module = importlib.import_module(spec.module)
    except ModuleNotFoundError as exc:
        if exc.name != spec.module:
            raise
        logger.warning("%s: %s is missing; not served", spec.name, spec.entrypoint)
        return None
    flow: Flow[Any, Any] = getattr(module, spec.attribute)
    return flow


def concurrency(spec: DeploymentSpec) -> ConcurrencyLimitConfig | None:
    """Scheduled runs never overlap: one at a time, a colliding new run is cancelled."""
    if spec.cron is None:
        return None
    return ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)


def to_deployment(spec: DeploymentSpec, flow: Flow[Any, Any]) -> RunnerDeployment:
    """The served form of a spec (no work pool: the serving process runs it)."""
    schedules = [Cron(spec.cron, timezone=TIMEZONE)] if spec.cron else None
    deployment = flow.to_deployment(
        name=spec.name,
        schedules=schedules,
        concurrency_limit=concurrency(spec),
        description=spec.description,
        tags=list(TAGS),
    )
    if not isinstance(deployment, RunnerDeployment):  # a coroutine inside an event loop
        raise TypeError("build the deployments outside a running event loop")
    return deployment


def runner_deployments() -> list[RunnerDeployment]:
    """Every deployment whose flow is present, ready for `prefect.serve` or `.apply()`."""
    built = []
    for spec in SPECS:
        flow = load_flow(spec)
        if flow is not None:
            built.append(to_deployment(spec, flow))
    return built
