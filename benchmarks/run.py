"""Benchmark: anchors, every pohang-watch stage and the whole core pipeline, in one run.

    python -m benchmarks.run [--pages N] [--seed S] [--json] [--prefect]

Generates a synthetic corpus (benchmarks.generate) in a temporary folder, then times, in this
process: the anchors (BeautifulSoup "lxml" parse alone, lxml.html parse, trafilatura.extract
default and fast when installed), each stage alone, and the core pipeline on one and two
processes; with --prefect also the `pohang-ingest` flow and a run that finds nothing new.
Prints ms/page, pages/s and the ratio to the bs4 anchor, peak RSS, and the issue's goals.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.generate import DEFAULT_SEED, CorpusSummary, generate_corpus
from benchmarks.timing import Figure, peak_rss_mb

DEFAULT_PAGES = 2000
BS4_ANCHOR = "bs4 'lxml' parse alone"
PIPELINE = "core pipeline, 1 process"
PIPELINE_GOAL = 0.6  # whole core pipeline ≤ 0.6× the bs4 parse alone
PREFECT_GOAL = 1.3  # a flow within 1.3× the core pipeline on the same number of processes
NO_OP_GOAL_S = 1.0
LIVE_ARTICLES = 200
RSS_GOAL_MB = 500


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.prefect:
        from benchmarks.prefect_run import prepare_prefect_environment

        prepare_prefect_environment()
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="pohang-bench-corpus-") as folder:
        corpus = generate_corpus(Path(folder) / "corpus", args.pages, args.seed)
        config = _config_snapshot(Path(folder))
        figures = run_benchmark(
            corpus, config, prefect=args.prefect, live_articles=args.live_articles
        )
        result = report(corpus, figures, args.seed)
    if args.neardup:
        from benchmarks import neardup

        measured = neardup.measure_neardup()
        result["figures"] += _rows(neardup.neardup_figures(measured), None)
        result["goals"] = [
            goal for goal in result["goals"] if not goal["goal"].startswith("near-dup")
        ] + neardup.goals(measured)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(render_text(result))


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES, help="corpus size")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--prefect", action="store_true", help="also time the Prefect flow")
    parser.add_argument(
        "--neardup",
        action="store_true",
        help="also the near-duplicate check at 10,000 and 100,000 stored (about 3 minutes)",
    )
    parser.add_argument(
        "--live-articles",
        type=int,
        default=LIVE_ARTICLES,
        help="distinct articles the loopback site serves to the live runs",
    )
    return parser.parse_args(argv)


def _config_snapshot(folder: Path) -> Path | None:
    """A copy of the configuration in use, so the stages and the flow (which loads its own)
    read the same settings for the whole run even if the file is edited meanwhile."""
    from pohang_watch.config import find_config_file

    found = find_config_file()
    if found is None:
        return None
    snapshot = folder / found.name
    shutil.copyfile(found, snapshot)
    return snapshot


def run_benchmark(
    corpus: CorpusSummary, config: Path | None, *, prefect: bool, live_articles: int
) -> list[Figure]:
    """Every figure, in the order printed. Stages import pohang-watch only after Prefect's
    environment is set (the flow module imports prefect)."""
    from benchmarks.live import live_figures
    from benchmarks.stages import anchor_figures, pipeline_figures, stage_figures
    from pohang_watch.config import load_settings
    from pohang_watch.sources.saved_pages import read_saved_page

    settings = load_settings(config)
    sources = [str(path) for path in corpus.files]
    docs = [read_saved_page(source, settings.parse.max_page_bytes) for source in sources]
    figures = anchor_figures(docs)
    del docs
    figures += stage_figures(sources, settings)
    figures += pipeline_figures(sources, settings)
    flow_no_op = None
    if prefect:
        from benchmarks.prefect_run import live_no_op_flow, prefect_figures

        figures += prefect_figures(corpus.folder, len(sources), config)
        flow_no_op = live_no_op_flow
    with tempfile.TemporaryDirectory(prefix="pohang-bench-live-") as folder:
        database = settings.database.model_copy(update={"url": f"sqlite:///{folder}/live.db"})
        live = settings.model_copy(update={"database": database})
        figures += live_figures(corpus.files, live, live_articles, flow_no_op)
    return figures


def report(corpus: CorpusSummary, figures: list[Figure], seed: int) -> dict[str, Any]:
    """The whole result as plain data (what --json prints)."""
    rows = _rows(figures, _ms(figures, BS4_ANCHOR))
    return {
        "pages": len(corpus.files),
        "seed": seed,
        "corpus": {
            "kinds": corpus.kinds,
            "mean_page_kb": corpus.total_bytes / 1024 / max(1, len(corpus.files)),
        },
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "figures": rows,
        "peak_rss_mb": peak_rss_mb(),
        "goals": goals(figures),
    }


def _rows(figures: list[Figure], anchor: float | None) -> list[dict[str, Any]]:
    return [
        {
            **asdict(figure),
            "pages_per_s": figure.pages_per_s,
            "ratio_to_bs4": _ratio(figure.ms_per_page, anchor) if figure.method != "once" else None,
        }
        for figure in figures
    ]


def goals(figures: list[Figure]) -> list[dict[str, Any]]:
    """The issue's goals that this run can measure, each with its figure and verdict."""
    anchor, pipeline = _ms(figures, BS4_ANCHOR), _ms(figures, PIPELINE)
    flow = _ms(figures, "pohang-ingest flow, fresh database")
    saved_no_op = _figure(figures, "pohang-ingest flow, nothing new")
    live_no_op = _figure(figures, "live run, nothing new")
    flow_no_op = _figure(figures, "pohang-ingest flow, live, nothing new")
    rss = next((f.peak_rss_mb for f in figures if f.name == PIPELINE), None)
    rows = [
        _goal("core pipeline ≤ 0.6× bs4 parse alone", _ratio(pipeline, anchor), PIPELINE_GOAL),
        _goal(
            "pohang-ingest flow ≤ 1.3× core pipeline, both on 1 process "
            "(2 processes: python -m benchmarks.backfill)",
            _ratio(flow, pipeline),
            PREFECT_GOAL,
        ),
        _goal(
            "live run with nothing new < 1 s (core)",
            live_no_op.total_s if live_no_op else None,
            NO_OP_GOAL_S,
        ),
        _goal(
            "live run with nothing new < 1 s (Prefect flow, start-up excluded)",
            flow_no_op.total_s if flow_no_op else None,
            NO_OP_GOAL_S,
        ),
        _goal(
            "saved pages with nothing new < 1 s (Prefect flow, start-up excluded)",
            saved_no_op.total_s if saved_no_op else None,
            NO_OP_GOAL_S,
        ),
        _goal(f"pipeline peak RSS ≤ {RSS_GOAL_MB} MB (at this size)", rss, RSS_GOAL_MB),
    ]
    rows.append(
        {
            "goal": "near-dup at 100k ≤ 1.25× at 10k; ≤ 3 KB/doc",
            "value": None,
            "limit": None,
            "met": None,
            "note": "run with --neardup",
        }
    )
    return rows


def _goal(goal: str, value: float | None, limit: float) -> dict[str, Any]:
    met = None if value is None else value <= limit
    return {
        "goal": goal,
        "value": value,
        "limit": limit,
        "met": met,
        "note": "" if value is not None else "not measured (run with --prefect)",
    }


def _figure(figures: list[Figure], name: str) -> Figure | None:
    return next((f for f in figures if f.name == name), None)


def _ms(figures: list[Figure], name: str) -> float | None:
    return next((f.ms_per_page for f in figures if f.name == name), None)


def _ratio(value: float | None, base: float | None) -> float | None:
    return value / base if value is not None and base else None


def render_text(result: dict[str, Any]) -> str:
    """A fixed-width table for people."""
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(result["corpus"]["kinds"].items()))
    lines = [
        f"{result['pages']} pages (seed {result['seed']}; {kinds}), "
        f"mean {result['corpus']['mean_page_kb']:.0f} KB, {result['cpus']} CPUs, "
        f"Python {result['python']}",
        "",
        f"{'what':<38} {'how':<8} {'ms/page':>9} {'pages/s':>9} {'× bs4':>7}  note",
    ]
    for row in result["figures"]:
        lines.append(
            f"{row['name']:<38} {row['method']:<8} {_num(row['ms_per_page'], 3):>9} "
            f"{_num(row['pages_per_s'], 0):>9} {_num(row['ratio_to_bs4'], 2):>7}  {row['note']}"
        )
    lines += [
        "",
        f"peak RSS of the benchmark process: {result['peak_rss_mb']:.0f} MB",
        "",
        "goals:",
    ]
    for goal in result["goals"]:
        verdict = {True: "met", False: "NOT met", None: "-"}[goal["met"]]
        value = _num(goal["value"], 2)
        lines.append(
            f"  {verdict:<8} {goal['goal']}: {value} (limit {goal['limit']}) {goal['note']}"
        )
    return "\n".join(lines)


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


if __name__ == "__main__":
    main()
