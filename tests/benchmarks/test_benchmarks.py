"""The benchmark's corpus is deterministic and parses like real pages; the runner completes.

Speed goals live in the benchmark's output, never here: these tests only check that the figures
are produced.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from benchmarks.backfill import _median_run, core_backfill
from benchmarks.generate import generate_corpus
from benchmarks.live import live_figures
from benchmarks.pages import MAX_PAGE_CHARS, MIN_PAGE_CHARS
from benchmarks.run import main, render_text
from benchmarks.timing import Figure
from pohang_watch.config import ParseSettings, Settings
from pohang_watch.parse import parse_document
from pohang_watch.sources.saved_pages import read_saved_page

PAGES = 20
FIGURES = (
    "bs4 'lxml' parse alone",
    "lxml.html parse",
    "trafilatura.extract default",
    "trafilatura.extract fast",
    "read the file",
    "parse",
    "relevance",
    "dedupe exact",
    "extract",
    "near-duplicate check",
    "store (record_articles)",
    "core pipeline, 1 process",
    "core pipeline, 2 processes",
    "live run, first (fetch)",
    "live run, nothing new",
)


def digest(folder: Path) -> str:
    files = sorted(folder.iterdir())
    return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", PAGES, seed=1)
    generate_corpus(tmp_path / "b", PAGES, seed=1)
    generate_corpus(tmp_path / "c", PAGES, seed=2)
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")


def test_pages_parse_into_articles_with_ids_bodies_and_captions(tmp_path: Path) -> None:
    corpus = generate_corpus(tmp_path, 60, seed=3)
    assert set(corpus.kinds) == {"pohang", "not_pohang", "exact_duplicate", "near_duplicate"}
    for path in corpus.files:
        assert MIN_PAGE_CHARS - 2000 <= path.stat().st_size <= MAX_PAGE_CHARS + 10_000
        article = parse_document(read_saved_page(str(path), 5_000_000), ParseSettings())
        assert article.article_id is not None
        assert len(article.article_id) == 19
        assert 8 <= len(article.paragraphs) <= 21
        assert article.captions
        assert article.published_at is not None
        assert article.published_at.strftime("%Y%m%d%H%M%S") == article.article_id[:14]


def test_runner_reports_every_figure_as_json_and_text(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--pages", str(PAGES), "--json"])
    result = json.loads(capsys.readouterr().out)
    figures = {row["name"]: row for row in result["figures"]}
    assert result["pages"] == PAGES
    assert figures["bs4 'lxml' parse alone"]["ratio_to_bs4"] == pytest.approx(1.0)
    assert figures["parse"]["ms_per_page"] > 0
    assert figures["near-duplicate check"]["ms_per_page"] > 0
    assert result["peak_rss_mb"] > 0
    text = render_text(result)
    for name in (*FIGURES, "peak RSS", "goals:"):
        assert name in text
    assert set(FIGURES) <= set(figures)


def test_live_run_with_nothing_new_sends_one_conditional_request(
    tmp_path: Path, settings: Settings
) -> None:
    """The scheduled run's usual case, from the loopback site's side: robots.txt and one
    conditional request for the listing, answered 304; no article page."""
    corpus = generate_corpus(tmp_path / "corpus", 30, seed=5)
    first, again = live_figures(corpus.files, settings, 25)
    assert "article 25" in first.note
    assert again.note.endswith("requests: listing 304 1, robots.txt 1")
    assert again.note.startswith("0 stored")
    assert again.total_s is not None


def test_backfill_benchmark_reports_time_and_memory_of_the_process_tree(
    tmp_path: Path, settings: Settings
) -> None:
    corpus = generate_corpus(tmp_path / "corpus", 40, seed=6)
    figure, memory = core_backfill(tmp_path / "corpus", len(corpus.files), settings, processes=2)
    assert figure.pages == 40
    assert figure.ms_per_page is not None
    assert figure.note.split()[0] != "0", figure.note  # some articles were stored
    assert memory.tree_mb > 0
    assert memory.largest_process_mb > 0
    assert memory.cpu_s["this process"] > 0  # it recorded the batches
    assert memory.cpu_s["workers"] > 0  # they parsed them
    assert "CPU s: this process" in figure.note


def test_the_flow_lines_count_the_prefect_clients_retries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The client logs each retry at DEBUG; the counter hears them, and lets through only what
    the client showed before (its warnings), not the debug records it had to switch on."""
    import logging

    from benchmarks.prefect_run import ApiRetries

    client = logging.getLogger("prefect.client")
    with (
        caplog.at_level(logging.WARNING, logger="prefect.client"),
        caplog.at_level(logging.DEBUG),
        ApiRetries.counting() as retries,
    ):
        for wait in ("2", "4.5"):
            client.debug(
                "Received response with retryable status code 503. Another attempt will be "
                f"made in {wait}s. This is attempt 1/6."
            )
        client.warning("a warning of the client")
        assert [r.getMessage() for r in caplog.records] == ["a warning of the client"]
    assert (retries.count, retries.seconds) == (2, 6.5)


def test_backfill_rounds_report_each_lines_median_run() -> None:
    """With --rounds, a line is the run of median time (its own memory and CPU figures), and its
    note gives every round's time, so a slow spell of the machine shows."""
    runs = [
        Figure("flow", "backfill", "total/N", 100, 6.0, 0.6, "peak 330 MB"),
        Figure("flow", "backfill", "total/N", 100, 9.0, 0.9, "peak 320 MB"),
        Figure("flow", "backfill", "total/N", 100, 5.0, 0.5, "peak 340 MB"),
    ]
    median = _median_run(runs)
    assert (median.total_s, median.ms_per_page) == (0.6, 6.0)
    assert median.note == "median of 3 rounds (0.6 / 0.9 / 0.5 s); peak 330 MB"
    assert _median_run(runs[:1]) == runs[0]
