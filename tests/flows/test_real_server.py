"""One real `prefect server start` (not the test harness, which runs no scheduler): bootstrap it,
deploy everything in deploy/prefect.yaml, and see the scheduler create pohang-ingest's runs.

This is the only check that catches a dependency upgrade that silently stops scheduling
(SQLAlchemy 2.1 does exactly that with Prefect 3.8.8, see ../shared/PREFECT.md). Every wait
is bounded, and the server is always stopped.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.prefect]

REPO_ROOT = Path(__file__).resolve().parents[2]
PREFECT = Path(sys.executable).with_name("prefect")
START_TIMEOUT = 90.0
SCHEDULE_TIMEOUT = 90.0
COMMAND_TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A real Prefect server on 127.0.0.1 (fresh home and database); yields the environment
    that points commands at it."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = os.environ | {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_SERVER_UI_API_URL": api,
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
        "POHANG_WATCH_HOME": str(REPO_ROOT),
        "POHANG_WATCH_DB_URL": f"sqlite:///{tmp_path / 'pohang-watch.db'}",
    }
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_healthy(api, server, tmp_path / "server.log")
        yield env
    finally:
        _stop(server)
        log.close()


def _wait_until_healthy(api: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"prefect server exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"prefect server not healthy after {START_TIMEOUT}s:\n{log.read_text()[-3000:]}")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's own process group (it has child processes), then SIGKILL."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        command,
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


async def _scheduled_runs(api: str, deployment: str) -> tuple[Any, list[Any]]:
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.filters import DeploymentFilter, DeploymentFilterId

    async with PrefectClient(api=api) as client:
        stored = await client.read_deployment_by_name(deployment)
        runs = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[stored.id]))
        )
    return stored, [run for run in runs if run.state and run.state.name == "Scheduled"]


async def _queues(api: str) -> dict[str, str | None]:
    """Each deployment's work queue, as the server stored it."""
    from prefect.client.orchestration import PrefectClient

    async with PrefectClient(api=api) as client:
        return {d.name: d.work_queue_name for d in await client.read_deployments()}


def _expected_queues() -> dict[str, str | None]:
    from flows.deployments import SPECS

    present = [s for s in SPECS if (REPO_ROOT / s.entrypoint.split(":")[0]).exists()]
    return {spec.name: spec.work_queue for spec in present}


def test_the_scheduler_creates_ingest_runs(prefect_server: dict[str, str]) -> None:
    env = prefect_server
    first = _run([sys.executable, "deploy/bootstrap.py"], env)
    assert "work pool pohang-watch: created" in first
    assert "automation 'pohang-watch failed runs': created" in first
    again = _run([sys.executable, "deploy/bootstrap.py"], env)
    assert "created" not in again, again

    deploy = [str(PREFECT), "--no-prompt", "deploy", "--prefect-file", "deploy/prefect.yaml"]
    _run([*deploy, "--all"], env)
    assert asyncio.run(_queues(env["PREFECT_API_URL"])) == _expected_queues()

    deadline = time.monotonic() + SCHEDULE_TIMEOUT
    stored, scheduled = asyncio.run(
        _scheduled_runs(env["PREFECT_API_URL"], "pohang-ingest/pohang-ingest")
    )
    while not scheduled and time.monotonic() < deadline:
        time.sleep(2)
        stored, scheduled = asyncio.run(
            _scheduled_runs(env["PREFECT_API_URL"], "pohang-ingest/pohang-ingest")
        )
    assert scheduled, f"no scheduled run after {SCHEDULE_TIMEOUT}s: the scheduler is not working"
    (schedule,) = stored.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("*/30 * * * *", "Asia/Seoul")
    assert stored.work_pool_name == "pohang-watch"
    assert stored.work_queue_name == "scheduled"
    assert {run.expected_start_time.minute for run in scheduled} <= {0, 30}
