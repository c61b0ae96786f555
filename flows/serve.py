"""The one-machine setup: every deployment served from one long-running process.

`pohang-watch serve` calls `serve_all()`. The process registers the deployments (schedules in
Asia/Seoul, no overlapping scheduled runs) with the Prefect API it is pointed at and runs
their flow runs itself, scheduled ones and those started from the UI; no work pool or worker is
needed. It needs a Prefect server that keeps running (`prefect server start`, or Prefect
Cloud): the scheduler lives in the server, not here.
"""

from __future__ import annotations

from prefect import serve

from flows.deployments import runner_deployments


def serve_all(limit: int | None = None) -> None:
    """Serve every deployment until interrupted (Ctrl-C or SIGTERM).

    Args:
        limit: the most flow runs this process runs at once; None leaves it to Prefect (no
            limit). Scheduled flows never overlap themselves whatever the limit.
    """
    serve(*runner_deployments(), limit=limit)
