"""One Prefect test harness for the whole session, started only when a test asks for it.

The environment is set before Prefect is first imported (see ../shared/PREFECT.md): a fresh
PREFECT_HOME (so no cached result from an earlier session silently skips work), no analytics,
and heartbeats off (each flow call would otherwise wait ~1 s on the heartbeat thread).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Callable, Iterator

import pytest

os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="pohang-watch-prefect-")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(), temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


async def _latest_markdown(key: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async with get_client() as client:
        artifacts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
    latest = max(artifacts, key=lambda a: a.created)  # type: ignore[arg-type, return-value]
    return str(latest.data)


@pytest.fixture
def latest_artifact() -> Callable[[str], str]:
    """The markdown of the newest artifact with this key (a flow's run report)."""
    return lambda key: asyncio.run(_latest_markdown(key))
