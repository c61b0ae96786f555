"""A large backfill over a corpus folder: the core pipeline on N processes, then (with --prefect)
the `pohang-backfill` flow parsing on N processes of its own pool and on a local Dask cluster of
N workers, each into a fresh SQLite database.

    python -m benchmarks.generate /data/corpus --pages 100000
    python -m benchmarks.backfill /data/corpus [--processes 2] [--prefect] [--json]

Reports wall time, ms/page, the peak memory of the whole process tree (this process plus its
workers, sampled every 0.5 s; Prefect's temporary API server, which a deployment would run as
a service of its own, counted apart) and of the largest single process, and CPU seconds by role,
so the issue's goals can be read off: the flow within 1.3× the core pipeline on the same cores,
and a 100,000-page backfill under 500 MB.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import psutil

from benchmarks.timing import Figure, batch
from pohang_watch.analysis_pool import analysis_pool
from pohang_watch.batching import submitted_ahead
from pohang_watch.config import ENV_DB_URL, Settings, load_settings
from pohang_watch.pipeline import (
    DateWindow,
    IngestStages,
    ProcessedBatch,
    RunPlan,
    execute,
    process_sources,
)
from pohang_watch.sources.saved_pages import list_saved_pages

SAMPLE_SECONDS = 0.5
PREFECT_SERVER = "prefect.server"  # in the command line of Prefect's temporary API server
ROLES = ("this process", "workers", "Prefect's server")
EVERYTHING = (date(2000, 1, 1), date(2100, 1, 1))


@dataclass(frozen=True, slots=True)
class Memory:
    """Peak resident memory seen while a run went on, and the CPU time it took by role."""

    tree_mb: float  # PSS of this process and all its descendants, but Prefect's server
    largest_process_mb: float  # RSS
    server_mb: float  # Prefect's temporary API server, when one runs
    cpu_s: dict[str, float]  # CPU seconds by role: "this process", "workers", "Prefect's server"


class MemorySampler:
    """Samples the memory and CPU time of this process and its descendants in a thread.

    The tree's memory adds up each process's PSS (its private pages plus its share of pages it
    shares, as forked workers do with their parent), so shared pages count once; the largest
    process is its RSS. CPU seconds tell where a flow's extra time goes even on a busy machine
    (a process that ends between two samples loses its last half second).
    """

    def __init__(self) -> None:
        self._root = psutil.Process()
        self._stop = threading.Event()
        self._tree = 0.0
        self._largest = 0.0
        self._server = 0.0
        self._cpu: dict[int, tuple[str, float, float]] = {}  # pid: role, first and last seen
        self._started = False
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            self.sample()

    def sample(self) -> None:
        sizes = []
        server = 0.0
        for process in (self._root, *self._root.children(recursive=True)):
            try:
                with process.oneshot():
                    memory = process.memory_full_info()
                    times = process.cpu_times()
                    role = self._role(process)
            except psutil.Error:  # ended between listing and reading
                continue
            if role == ROLES[2]:
                server += memory.pss / 2**20
            else:
                sizes.append(memory.pss / 2**20)
                self._largest = max(self._largest, memory.rss / 2**20)
            cpu = times.user + times.system
            # a process born during the run counts from its start
            _, first, _ = self._cpu.get(process.pid, (role, 0.0 if self._started else cpu, cpu))
            self._cpu[process.pid] = (role, first, cpu)
        self._tree = max(self._tree, sum(sizes))
        self._server = max(self._server, server)

    def _role(self, process: psutil.Process) -> str:
        if process.pid == self._root.pid:
            return ROLES[0]
        return ROLES[2] if PREFECT_SERVER in " ".join(process.cmdline()) else ROLES[1]

    @contextmanager
    def running(self) -> Iterator[MemorySampler]:
        self.sample()  # CPU time before the run: processes started earlier count from here
        self._started = True
        self._thread.start()
        try:
            yield self
        finally:
            self.sample()
            self._stop.set()
            self._thread.join()

    @property
    def peak(self) -> Memory:
        cpu = dict.fromkeys(ROLES, 0.0)
        for role, first, last in self._cpu.values():
            cpu[role] += last - first
        return Memory(self._tree, self._largest, self._server, cpu)


def core_backfill(
    corpus: Path, pages: int, settings: Settings, processes: int
) -> tuple[Figure, Memory]:
    """The flow's run without Prefect: the same plan through `pipeline.execute` (unchanged-page
    fingerprints, date range, recording here), batches parsed on `processes` processes like the
    flow's (`analysis_pool`), at most 2·N batches in flight (the flow's 4 on 2 processes)."""
    sampler = MemorySampler()
    with (
        tempfile.TemporaryDirectory(prefix="pohang-bench-") as folder,
        analysis_pool(processes) as pool,
        sampler.running(),
    ):
        database = settings.database.model_copy(update={"url": f"sqlite:///{folder}/core.db"})
        on_file = settings.model_copy(update={"database": database})

        def parse_ahead(
            chunks: Iterable[list[str]], settings: Settings
        ) -> Iterator[ProcessedBatch]:
            return submitted_ahead(
                lambda chunk: pool.submit(process_sources, chunk, settings), chunks, 2 * processes
            )

        stages = replace(IngestStages(), process=parse_ahead)
        plan = RunPlan(
            paths=(str(corpus),), window=DateWindow(*EVERYTHING), alerts="none", flow="bench"
        )
        name = f"core pipeline, {processes} processes"
        figure, report = batch(
            name, "backfill", pages, lambda: execute(plan, on_file, run_id="bench", stages=stages)
        )
    return _noted(figure, f"{report.stored} stored", sampler.peak), sampler.peak


RUNNERS = ("process pool", "Dask")  # where flows.scale parses a backfill on local processes


def prefect_backfill(
    corpus: Path, pages: int, config: Path | None, processes: int, runner: str
) -> tuple[Figure, Memory]:
    """The pohang-backfill flow over the corpus parsing on `processes` local processes of a
    runner of `RUNNERS`, start-up excluded."""
    from prefect import flow

    from benchmarks.prefect_run import ApiRetries
    from flows.backfill import DateRange, backfill_flow
    from flows.scale import ENV_DASK_WORKERS, ENV_PROCESS_WORKERS, backfill_task_runner

    @flow(name="pohang-bench-empty")
    def empty() -> None:
        """Nothing: its first call pays Prefect's start-up."""

    empty()
    sampler = MemorySampler()
    variable = {RUNNERS[0]: ENV_PROCESS_WORKERS, RUNNERS[1]: ENV_DASK_WORKERS}[runner]
    with tempfile.TemporaryDirectory(prefix="pohang-bench-") as folder, sampler.running():
        os.environ[ENV_DB_URL] = f"sqlite:///{Path(folder) / 'flow.db'}"
        os.environ[variable] = str(processes)
        try:
            # the flow's runner was chosen when flows.backfill was imported: choose it again
            flow_on_workers = backfill_flow.with_options(task_runner=backfill_task_runner())

            def run() -> Any:
                return flow_on_workers(
                    dates=DateRange(start=EVERYTHING[0], end=EVERYTHING[1]),
                    alerts="none",
                    paths=[str(corpus)],
                    config=str(config) if config else None,
                )

            name = f"pohang-backfill flow, {runner} {processes}"
            with ApiRetries.counting() as retries:
                figure, report = batch(name, "backfill", pages, run)
        finally:
            del os.environ[ENV_DB_URL], os.environ[variable]
    return _noted(figure, f"{report.stored} stored; {retries.note}", sampler.peak), sampler.peak


def _noted(figure: Figure, note: str, memory: Memory) -> Figure:
    server = f"; Prefect's server {memory.server_mb:.0f} MB" if memory.server_mb else ""
    cpu = ", ".join(f"{role} {seconds:.0f}" for role, seconds in memory.cpu_s.items() if seconds)
    return replace(
        figure,
        note=f"{note}; peak {memory.tree_mb:.0f} MB in all (PSS), "
        f"{memory.largest_process_mb:.0f} MB largest process (RSS){server}; CPU s: {cpu}",
        peak_rss_mb=memory.tree_mb,
    )


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.prefect:
        from benchmarks.prefect_run import prepare_prefect_environment

        prepare_prefect_environment()
    logging.basicConfig(level=logging.ERROR)
    settings = load_settings(args.config)
    sources, problems = list_saved_pages([args.corpus])
    if problems:
        raise SystemExit(f"{args.corpus}: {problems[0].message}")
    # each round runs every line, so a slow spell of the machine hits them alike
    rounds = [_every_line(args, settings, len(sources)) for _ in range(args.rounds)]
    figures = [_median_run(list(runs)) for runs in zip(*rounds, strict=True)]
    print(_render(figures, args.json))


def _every_line(args: argparse.Namespace, settings: Settings, pages: int) -> list[Figure]:
    lines = [] if args.no_core else [core_backfill(args.corpus, pages, settings, args.processes)]
    runners = (args.runner or RUNNERS) if args.prefect else ()
    for runner in runners:
        lines.append(prefect_backfill(args.corpus, pages, args.config, args.processes, runner))
    return [figure for figure, _ in lines]


def _median_run(runs: list[Figure]) -> Figure:
    """The run of median time, its note saying every round's time when there were several."""
    ordered = sorted(runs, key=lambda figure: figure.total_s or 0)
    median = ordered[(len(ordered) - 1) // 2]
    if len(runs) == 1:
        return median
    times = " / ".join(f"{figure.total_s or 0:.1f}" for figure in runs)
    return replace(median, note=f"median of {len(runs)} rounds ({times} s); {median.note}")


def _render(figures: list[Figure], as_json: bool) -> str:
    core = figures[0].ms_per_page if figures and figures[0].name.startswith("core") else None

    def ratio(figure: Figure) -> float | None:
        return figure.ms_per_page / core if figure.ms_per_page and core else None

    if as_json:
        return json.dumps([{**asdict(f), "ratio_to_core": ratio(f)} for f in figures])
    lines = [f"{'what':<40} {'pages':>7} {'total s':>8} {'ms/page':>8} {'× core':>7}  note"]
    for f in figures:
        times_core = ratio(f)
        lines.append(
            f"{f.name:<40} {f.pages:>7,} {f.total_s or 0:>8.1f} {f.ms_per_page or 0:>8.2f} "
            f"{'–' if times_core is None else f'{times_core:.2f}':>7}  {f.note}"
        )
    return "\n".join(lines)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backfill", description=__doc__)
    parser.add_argument("corpus", type=Path, help="a folder of saved pages (benchmarks.generate)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--prefect", action="store_true", help="also run the pohang-backfill flow on each runner"
    )
    parser.add_argument(
        "--no-core", action="store_true", help="with --prefect: skip the core pipeline's line"
    )
    parser.add_argument(
        "--runner", action="append", choices=RUNNERS, help="with --prefect: only this runner"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="run every line N times; report each one's median"
    )
    parser.add_argument("--config", type=Path, default=None, help="config file (default lookup)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
