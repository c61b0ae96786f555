"""A large backfill on worker processes (a local process pool, a Dask cluster) or in the flow's
own process: parse and extract batches run on the workers, the database writes stay in the
flow, so the ledger is the same wherever pages were parsed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pohang_watch.config import ENV_DB_URL, Settings
from pohang_watch.store import Store

PAGES = 240  # a few hundred pages: enough batches to spread, a few seconds per run


@contextmanager
def pool_processes_seen() -> Iterator[set[int]]:
    """The ids of the pool workers seen while the block runs: children of the forkserver, they
    live only as long as a run (the server itself lives as long as this process)."""
    import psutil

    seen: set[int] = set()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.05):
            for child in psutil.Process().children(recursive=True):
                with suppress(psutil.Error):
                    parent = child.parent()
                    if parent and "forkserver" in " ".join(parent.cmdline()):
                        seen.add(child.pid)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield seen
    finally:
        done.set()
        watcher.join()


def _ledger(url: str) -> list[tuple[Any, ...]]:
    with Store.open(url) as store:
        entries = store.ledger_entries()
    return sorted(
        (e.kind.value, e.key, e.status, e.target_year, e.mentions, e.first_seen) for e in entries
    )


def test_the_environment_picks_the_task_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask.task_runners import DaskTaskRunner

    from flows.scale import ENV_DASK_ADDRESS, ENV_DASK_WORKERS, backfill_task_runner

    assert isinstance(backfill_task_runner(), ThreadPoolTaskRunner)
    monkeypatch.setenv(ENV_DASK_WORKERS, "3")
    local = backfill_task_runner()
    assert isinstance(local, DaskTaskRunner)
    assert local.cluster_kwargs["n_workers"] == 3
    monkeypatch.setenv(ENV_DASK_ADDRESS, "tcp://10.0.0.5:8786")
    remote = backfill_task_runner()
    assert isinstance(remote, DaskTaskRunner)
    assert remote.address == "tcp://10.0.0.5:8786"


def test_parse_processes_import_neither_prefect_nor_the_main_module(tmp_path: Path) -> None:
    """Under a Prefect worker the flow's main module is `prefect.engine`; multiprocessing would
    import it again in each parse process, Prefect and all."""
    here = Path(__file__).parent
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(here), os.environ.get("PYTHONPATH")])),
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "parse_pool_main"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    loaded = json.loads(run.stdout)
    assert "prefect" in loaded["main"]
    assert loaded["parse process"] == [[], None]


def test_backfills_parse_on_every_cpu_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.scale import ENV_PROCESS_WORKERS, parse_processes

    monkeypatch.delenv(ENV_PROCESS_WORKERS, raising=False)
    assert parse_processes() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(ENV_PROCESS_WORKERS, "3")
    assert parse_processes() == 3
    monkeypatch.setenv(ENV_PROCESS_WORKERS, "0")
    assert parse_processes() == 0


@pytest.mark.slow
@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_backfill_on_worker_processes_builds_the_same_ledger(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect_dask.task_runners import DaskTaskRunner

    from benchmarks.generate import generate_corpus
    from flows.backfill import DateRange, backfill_flow
    from flows.scale import ENV_PROCESS_WORKERS

    corpus = tmp_path / "corpus"
    generate_corpus(corpus, PAGES, seed=11)
    dask = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": False}
    )
    ledgers = []
    for name, flow, processes, pool_size in (
        ("in the flow's process", backfill_flow, "0", 0),
        ("dask", backfill_flow.with_options(task_runner=dask), "", 0),
        ("process pool", backfill_flow, "2", 2),
    ):
        url = f"sqlite:///{tmp_path / name}.db"
        monkeypatch.setenv(ENV_DB_URL, url)
        monkeypatch.setenv(ENV_PROCESS_WORKERS, processes)
        with pool_processes_seen() as workers:
            report = flow(
                dates=DateRange(start=date(2000, 1, 1), end=date(2100, 12, 31)),
                alerts="none",
                paths=[str(corpus)],
                config=str(settings.config_path),
                batch_size=20,
            )
        assert len(workers) == pool_size, name
        assert report.pages_seen == PAGES
        assert report.stored > PAGES // 2
        ledgers.append(_ledger(url))
    in_flow, on_dask, on_processes = ledgers
    assert len(in_flow) > 50
    assert on_dask == in_flow
    assert on_processes == in_flow
