"""Set up a Prefect server for pohang-watch, idempotently: run it again and nothing changes.

Creates what `prefect deploy` and the flows expect to find: the `process` work pool with its
two queues, the site's global concurrency limit (flows/politeness.py), and the example
Automation for failed runs (deploy/automations/failed-runs.yaml). What exists is left as the
operator may have tuned it. Run as `python deploy/bootstrap.py` or `python -m flows.bootstrap`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.events.actions import SendNotification
from prefect.events.schemas.automations import AutomationCore
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from flows.deployments import ON_DEMAND_QUEUE, SCHEDULED_QUEUE, WORK_POOL
from flows.politeness import ensure_limit, limit_name
from pohang_watch.config import load_settings

FAILED_RUNS = Path(__file__).resolve().parents[1] / "deploy" / "automations" / "failed-runs.yaml"
# Lower number first: scheduled runs go before a backfill waiting in the same pool.
QUEUE_PRIORITIES = {SCHEDULED_QUEUE: 1, ON_DEMAND_QUEUE: 2}


def ensure_work_pool(client: SyncPrefectClient, pool: str) -> str:
    try:
        client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
    except ObjectAlreadyExists:
        return f"work pool {pool}: exists"
    return f"work pool {pool}: created"


def ensure_work_queues(client: SyncPrefectClient, pool: str) -> list[str]:
    done = []
    for queue, priority in QUEUE_PRIORITIES.items():
        try:
            client.create_work_queue(name=queue, work_pool_name=pool, priority=priority)
            done.append(f"work queue {pool}/{queue}: created")
        except ObjectAlreadyExists:
            done.append(f"work queue {pool}/{queue}: exists")
    return done


def ensure_site_limits(config: str | None) -> list[str]:
    """One rate limit per configured domain, paced by fetch.delay_seconds."""
    fetch = load_settings(config).fetch
    done = []
    for domain in fetch.allowed_hosts:
        name = limit_name(domain, fetch.allowed_hosts)
        created = ensure_limit(name, fetch.delay_seconds)
        done.append(f"rate limit {name}: {'created' if created else 'exists'}")
    return done


def load_automation(path: Path, notify_block: str | None, client: SyncPrefectClient) -> Any:
    """The automation in `path`; with `notify_block` (TYPE/NAME) it notifies through it."""
    automation = AutomationCore.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    if notify_block:
        block_type, _, block_name = notify_block.partition("/")
        block = client.read_block_document_by_name(block_name, block_type_slug=block_type)
        notify = SendNotification(
            block_document_id=block.id,
            subject="pohang-watch: {{ flow.name }} {{ flow_run.name }} {{ flow_run.state.name }}",
            body="{{ flow_run.state.message }}",
        )
        automation = automation.model_copy(update={"actions": [notify]})
    return automation


def ensure_automation(client: SyncPrefectClient, path: Path, notify_block: str | None) -> str:
    automation = load_automation(path, notify_block, client)
    if client.read_automations_by_name(automation.name):
        return f"automation {automation.name!r}: exists"
    client.create_automation(automation)
    return f"automation {automation.name!r}: created"


def bootstrap(
    pool: str = WORK_POOL,
    config: str | None = None,
    automation: Path = FAILED_RUNS,
    notify_block: str | None = None,
) -> list[str]:
    """Everything, in order; returns one line per object saying what was done."""
    with get_client(sync_client=True) as client:
        done = [ensure_work_pool(client, pool), *ensure_work_queues(client, pool)]
        done += ensure_site_limits(config)
        done.append(ensure_automation(client, automation, notify_block))
    return done


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/bootstrap.py", description=__doc__)
    parser.add_argument("--pool", default=WORK_POOL, help="work pool name (default: %(default)s)")
    parser.add_argument("--config", help="pohang-watch config file (default lookup otherwise)")
    parser.add_argument("--automation", type=Path, default=FAILED_RUNS, help="automation file")
    parser.add_argument(
        "--notify-block",
        metavar="TYPE/NAME",
        help="notify failed runs through this Prefect block, e.g. slack-webhook/ops",
    )
    args = parser.parse_args(argv)
    try:
        lines = bootstrap(args.pool, args.config, args.automation, args.notify_block)
    except ObjectNotFound as exc:
        parser.exit(1, f"bootstrap: not found: {exc}\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
