"""The run report people read: in the terminal and as a Prefect artifact."""

from __future__ import annotations

from pathlib import Path

import pytest

from pohang_watch import report as report_module
from pohang_watch.config import DatabaseSettings, Settings
from pohang_watch.ledger import ChangeType
from pohang_watch.models import PageError
from pohang_watch.notify.render import render_summary
from pohang_watch.pipeline import run_ingest
from pohang_watch.report import (
    RunReport,
    describe_item,
    ledger_counts,
    render_markdown,
    render_text,
)


def test_report_names_errors_skips_and_new_items(samples_dir: Path, settings: Settings) -> None:
    report = run_ingest([str(samples_dir)], settings, run_id="r1", send_alerts=False)
    text, markdown = render_text(report), render_markdown(report)
    assert "17-corrupt-download.html (parse): binary content" in text
    assert "not about Pohang" in text
    assert "NEW" in text
    assert "alerts: not sent this run" in text
    assert "## Errors" in markdown
    assert "## Skipped: not about Pohang" in markdown
    assert "08-carbon-pact" in markdown.replace("\\", "")


def test_markdown_artifact_keeps_article_text_inert() -> None:
    hostile = (
        "See [click here](http://evil.example) ![x](http://evil.example/p.png) <b>bold</b> | x"
    )
    report = RunReport(
        pages_seen=1,
        stored=0,
        not_about_pohang=(hostile,),
        duplicates={},
        errors=(PageError("page.html", "parse", hostile),),
        changes=(),
        alerts_enqueued=0,
        delivery=None,
    )
    markdown = render_markdown(report)
    assert "](http" not in markdown
    assert "![" not in markdown
    assert "<b>" not in markdown
    assert "\\| x" in markdown, "a pipe in article text cannot open a table cell"


def test_run_counts_restatements_without_keeping_them(
    samples_dir: Path, settings: Settings
) -> None:
    """A run keeps what people are told about (NEW, UPDATED) and only counts restatements, so
    a long backfill's report does not grow with every repeated mention."""
    first = run_ingest([str(samples_dir)], settings, run_id="r1", send_alerts=False)
    assert first.restated > 0
    assert first.changes
    assert all(c.change.value in {"NEW", "UPDATED"} for c in first.changes)
    new = len(first.changes_of(ChangeType.NEW))
    updated = len(first.changes_of(ChangeType.UPDATED))
    assert f"ledger: {new} new, {updated} updated, {first.restated} restated" in render_text(first)


def test_a_run_past_its_listed_changes_counts_the_rest(
    samples_dir: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run lists its first LISTED_CHANGES changes and only counts the others (a backfill's
    memory stays flat): the ledger counts, the "more" line and the summary still cover all."""
    everything = run_ingest([str(samples_dir)], settings, run_id="r1", send_alerts=False)
    total = len(everything.changes)
    assert total > 5
    monkeypatch.setattr(report_module, "LISTED_CHANGES", 3)
    capped_db = DatabaseSettings(url=f"sqlite:///{tmp_path / 'capped.db'}")
    capped_settings = settings.model_copy(update={"database": capped_db})
    capped = run_ingest([str(samples_dir)], capped_settings, run_id="r1", send_alerts=False)

    def listed(run: RunReport) -> list[tuple[str, str]]:
        return [(c.change.value, describe_item(c.item)) for c in run.changes]

    assert listed(capped) == listed(everything)[:3]
    assert capped.changes_left_out == total - 3
    assert ledger_counts(capped) == ledger_counts(everything)
    assert f"… and {total - 3} more new or updated items" in render_text(capped)
    summary = render_summary("backfill", [], capped.changes, capped.changes_left_out)
    assert f"… and {total - 3} more" in summary.body
