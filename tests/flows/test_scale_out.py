"""A large backfill on worker processes (Prefect's process pool, a Dask cluster): parse and
extract batches run on the workers, the database writes stay in the flow, so the ledger is
exactly the default runner's."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pohang_watch.config import ENV_DB_URL, Settings
from pohang_watch.store import Store

PAGES = 240  # a few hundred pages: enough batches to spread, a few seconds per run


def _ledger(url: str) -> list[tuple[Any, ...]]:
    with Store.open(url) as store:
        entries = store.ledger_entries()
    return sorted(
        (e.kind.value, e.key, e.status, e.target_year, e.mentions, e.first_seen) for e in entries
    )


def test_the_environment_picks_the_task_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
    from prefect_dask.task_runners import DaskTaskRunner

    from flows.scale import (
        ENV_DASK_ADDRESS,
        ENV_DASK_WORKERS,
        ENV_PROCESS_WORKERS,
        backfill_task_runner,
    )

    assert isinstance(backfill_task_runner(), ThreadPoolTaskRunner)
    monkeypatch.setenv(ENV_PROCESS_WORKERS, "2")
    pool = backfill_task_runner()
    assert isinstance(pool, ProcessPoolTaskRunner)
    assert pool._max_workers == 2
    monkeypatch.setenv(ENV_DASK_WORKERS, "3")
    local = backfill_task_runner()
    assert isinstance(local, DaskTaskRunner)
    assert local.cluster_kwargs["n_workers"] == 3
    monkeypatch.setenv(ENV_DASK_ADDRESS, "tcp://10.0.0.5:8786")
    remote = backfill_task_runner()
    assert isinstance(remote, DaskTaskRunner)
    assert remote.address == "tcp://10.0.0.5:8786"


@pytest.mark.slow
@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness")
def test_a_backfill_on_worker_processes_builds_the_same_ledger(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.task_runners import ProcessPoolTaskRunner
    from prefect_dask.task_runners import DaskTaskRunner

    from benchmarks.generate import generate_corpus
    from flows.backfill import DateRange, backfill_flow

    corpus = tmp_path / "corpus"
    generate_corpus(corpus, PAGES, seed=11)
    dask = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": False}
    )
    ledgers = []
    for name, flow in (
        ("default", backfill_flow),
        ("dask", backfill_flow.with_options(task_runner=dask)),
        ("processes", backfill_flow.with_options(task_runner=ProcessPoolTaskRunner(2))),
    ):
        url = f"sqlite:///{tmp_path / name}.db"
        monkeypatch.setenv(ENV_DB_URL, url)
        report = flow(
            dates=DateRange(start=date(2000, 1, 1), end=date(2100, 12, 31)),
            alerts="none",
            paths=[str(corpus)],
            config=str(settings.config_path),
            batch_size=20,
        )
        assert report.pages_seen == PAGES
        assert report.stored > PAGES // 2
        ledgers.append(_ledger(url))
    default, on_dask, on_processes = ledgers
    assert len(default) > 50
    assert on_dask == default
    assert on_processes == default
