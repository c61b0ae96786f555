"""Scale-out for large backfills: parse and extract batches on the flow's task runner, ahead of
the database writes, and a Dask task runner when the environment asks for one.

Parsing and extraction are CPU-bound and touch no database, so their batches can run anywhere
(Dask worker processes, other machines); recording stays in the flow's process, batch by batch
and in order, so the ledger is the same whichever runner parsed the pages. Fetching the live
site also stays in the flow's process: it must take turns with every other run anyway.

The runner comes from the environment of the process that runs the flow (a Prefect worker):
``POHANG_WATCH_PROCESS_WORKERS=N`` runs them on N local processes (Prefect's process pool: the
lightest way to use every core of one machine); ``POHANG_WATCH_DASK_ADDRESS=tcp://host:8786``
uses a running Dask cluster (workers on other machines need the saved pages at the same path and
this package installed); ``POHANG_WATCH_DASK_WORKERS=N`` starts a local Dask cluster of N
processes for the run (either Dask setting wins over the process pool's). None set: Prefect's
thread pool, as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from flows.tasks import INGEST_TASKS, process_pages
from pohang_watch import pipeline
from pohang_watch.batching import submitted_ahead
from pohang_watch.config import Settings

ENV_DASK_ADDRESS = "POHANG_WATCH_DASK_ADDRESS"
ENV_DASK_WORKERS = "POHANG_WATCH_DASK_WORKERS"
ENV_PROCESS_WORKERS = "POHANG_WATCH_PROCESS_WORKERS"
LOOK_AHEAD = 4  # batches in flight: enough to keep a few workers busy, bounded memory


def backfill_task_runner() -> TaskRunner[Any]:
    """The task runner the environment asks for (see the module docstring)."""
    address = os.environ.get(ENV_DASK_ADDRESS, "").strip()
    workers = int(os.environ.get(ENV_DASK_WORKERS, "0") or 0)
    processes = int(os.environ.get(ENV_PROCESS_WORKERS, "0") or 0)
    if not address and workers <= 0:
        if processes > 0:
            return ProcessPoolTaskRunner(max_workers=processes)
        return ThreadPoolTaskRunner()
    # the `dask` extra, needed only when asked for
    from prefect_dask.task_runners import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1})


def look_ahead(depth: int = LOOK_AHEAD) -> pipeline.BatchProcessor:
    """The `process` stage with up to `depth` batches submitted to the task runner ahead of
    the one the run records, results in order: workers stay busy while this process writes,
    and memory holds a few batches, never the whole backfill."""

    def run(chunks: Iterable[list[str]], settings: Settings) -> Iterator[pipeline.ProcessedBatch]:
        return submitted_ahead(lambda chunk: process_pages.submit(chunk, settings), chunks, depth)

    return run


def look_ahead_stages(depth: int = LOOK_AHEAD) -> pipeline.IngestStages:
    """The ingest tasks, with saved pages parsed ahead on the flow's task runner."""
    return replace(INGEST_TASKS, process=look_ahead(depth))
