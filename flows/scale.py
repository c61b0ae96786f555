"""Scale-out for large backfills: parse and extract batches on other processes, ahead of the
database writes.

Parsing and extraction are CPU-bound and touch no database, so their batches can run anywhere;
recording stays in the flow's process, batch by batch and in order, so the ledger is the same
wherever the pages were parsed. Fetching the live site also stays in the flow's process: it must
take turns with every other run anyway.

Where batches are parsed comes from the environment of the process that runs the flow (a Prefect
worker). By default, on a pool of plain Python processes, one per CPU this process may use
(``POHANG_WATCH_PROCESS_WORKERS=N`` sets another number; 0 parses in the flow's own process).
Each batch is still a ``process-pages`` task run in the UI; the pool's processes hold only
pohang-watch's page analysis (`pohang_watch.analysis_pool`): no Prefect, database or alert
libraries, so they stay small and start fast.
``POHANG_WATCH_DASK_ADDRESS=tcp://host:8786`` uses a running Dask cluster instead (workers on
other machines need the saved pages at the same path and this package installed);
``POHANG_WATCH_DASK_WORKERS=N`` starts a local Dask cluster of N processes for the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.tasks import INGEST_TASKS, process_pages
from pohang_watch import analysis, pipeline
from pohang_watch.batching import Pending, submitted_ahead
from pohang_watch.config import Settings

ENV_DASK_ADDRESS = "POHANG_WATCH_DASK_ADDRESS"
ENV_DASK_WORKERS = "POHANG_WATCH_DASK_WORKERS"
ENV_PROCESS_WORKERS = "POHANG_WATCH_PROCESS_WORKERS"
LOOK_AHEAD = 4  # batches in flight: enough to keep a few workers busy, bounded memory
SubmitBatch = Callable[[list[str], Settings], Pending[pipeline.ProcessedBatch]]


def backfill_task_runner() -> TaskRunner[Any]:
    """A Dask task runner when the environment asks for one, else Prefect's thread pool (whose
    `process-pages` tasks hand their batch to the process pool of `look_ahead_stages`)."""
    address = os.environ.get(ENV_DASK_ADDRESS, "").strip()
    workers = int(os.environ.get(ENV_DASK_WORKERS, "0") or 0)
    if not address and workers <= 0:
        return ThreadPoolTaskRunner()
    # the `dask` extra, needed only when asked for
    from prefect_dask.task_runners import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1})


def parse_processes() -> int:
    """How many processes parse a backfill's batches: the environment's number, else one per
    CPU this process may use."""
    configured = os.environ.get(ENV_PROCESS_WORKERS, "").strip()
    if configured:
        return max(0, int(configured))
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@task(name="process-pages", cache_policy=NO_CACHE)
def process_pages_on(
    pool: Executor, sources: list[str], settings: Settings
) -> analysis.ProcessedBatch:
    """Read, parse, score and extract one batch of saved pages on one of the pool's processes."""
    return pool.submit(analysis.process_sources, sources, settings).result()


def look_ahead(submit: SubmitBatch, depth: int = LOOK_AHEAD) -> pipeline.BatchProcessor:
    """The `process` stage with up to `depth` batches submitted ahead of the one the run records,
    results in order: workers stay busy while this process writes, and memory holds a few
    batches, never the whole backfill."""

    def run(chunks: Iterable[list[str]], settings: Settings) -> Iterator[pipeline.ProcessedBatch]:
        return submitted_ahead(lambda chunk: submit(chunk, settings), chunks, depth)

    return run


@contextmanager
def look_ahead_stages(depth: int = LOOK_AHEAD) -> Iterator[pipeline.IngestStages]:
    """The ingest tasks with saved pages parsed ahead: on the flow's task runner when that runs
    tasks elsewhere (Dask), else on a pool of `parse_processes()` local processes for the
    duration of the run (none: the flow's own threads)."""
    context = FlowRunContext.get()
    runner = context.task_runner if context else None
    processes = parse_processes()
    if not isinstance(runner, ThreadPoolTaskRunner) or processes == 0:
        yield replace(INGEST_TASKS, process=look_ahead(process_pages.submit, depth))
        return
    # forkserver processes: POSIX only, so imported only when a backfill uses them
    from pohang_watch.analysis_pool import analysis_pool

    with analysis_pool(processes) as pool:

        def submit(chunk: list[str], settings: Settings) -> PrefectFuture[pipeline.ProcessedBatch]:
            return process_pages_on.submit(pool, chunk, settings)

        yield replace(INGEST_TASKS, process=look_ahead(submit, depth))
