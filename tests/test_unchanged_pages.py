"""A watched folder: pages an earlier run judged are skipped before parsing, unless their bytes
or the rules that judged them changed; failed pages and pages a date range left out are not."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from pohang_watch.config import Settings
from pohang_watch.pipeline import DateWindow, RunPlan, execute, run_ingest
from pohang_watch.pipeline.unchanged import SKIPPED_UNCHANGED
from pohang_watch.report import RunReport

CORRUPT = "17-corrupt-download.html"


def copy_of(samples_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "watched"
    shutil.copytree(samples_dir, folder)
    return folder


def judged(report: RunReport) -> int:
    """Pages the run parsed and judged (stored, duplicate or not about Pohang)."""
    return report.stored + sum(report.duplicates.values()) + len(report.not_about_pohang)


def test_a_second_run_parses_only_what_failed(
    samples_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    folder = copy_of(samples_dir, tmp_path)
    first = run_ingest([str(folder)], settings, run_id="r1", send_alerts=False)
    second = run_ingest([str(folder)], settings, run_id="r2", send_alerts=False)

    assert judged(first) > 10
    assert second.skipped == {SKIPPED_UNCHANGED: judged(first)}
    assert (second.stored, second.duplicates, second.not_about_pohang) == (0, {}, ())
    assert [e.source.rsplit("/", 1)[-1] for e in second.errors] == [CORRUPT], (
        "a page that failed is read again, and its error reported again"
    )
    assert second.pages_seen == first.pages_seen


def test_a_page_saved_again_with_other_bytes_is_read_and_found_duplicate(
    samples_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    folder = copy_of(samples_dir, tmp_path)
    first = run_ingest([str(folder)], settings, run_id="r1", send_alerts=False)
    page = next(p for p in sorted(folder.glob("*.html")) if p.name != CORRUPT)
    page.write_bytes(page.read_bytes() + b"\n<!-- saved again -->\n")

    second = run_ingest([str(folder)], settings, run_id="r2", send_alerts=False)

    assert second.skipped[SKIPPED_UNCHANGED] == judged(first) - 1
    assert judged(second) == 1
    assert second.stored == 0
    assert second.changes == ()


def test_changed_rules_read_every_page_again(
    samples_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    folder = copy_of(samples_dir, tmp_path)
    first = run_ingest([str(folder)], settings, run_id="r1", send_alerts=False)
    stricter = settings.relevance.model_copy(update={"threshold": 0.51})
    changed = settings.model_copy(update={"relevance": stricter})

    again = run_ingest([str(folder)], changed, run_id="r2", send_alerts=False)

    assert SKIPPED_UNCHANGED not in again.skipped
    assert judged(again) == judged(first)


def test_pages_a_date_range_left_out_are_read_by_a_later_run(
    samples_dir: Path, tmp_path: Path, settings: Settings
) -> None:
    folder = copy_of(samples_dir, tmp_path)
    window = DateWindow(date(2001, 1, 1), date(2001, 1, 2))  # before any sample
    narrow = execute(
        RunPlan(paths=(str(folder),), window=window, send_alerts=False), settings, run_id="b1"
    )
    assert narrow.skipped.get("published outside the range", 0) > 0

    later = run_ingest([str(folder)], settings, run_id="r2", send_alerts=False)

    assert later.stored > 0
    assert later.skipped.get(SKIPPED_UNCHANGED, 0) == narrow.undated
