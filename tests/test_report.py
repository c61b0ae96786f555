"""The run report people read: in the terminal and as a Prefect artifact."""

from __future__ import annotations

from pathlib import Path

from pohang_watch.config import Settings
from pohang_watch.ledger import ChangeType
from pohang_watch.models import PageError
from pohang_watch.pipeline import run_ingest
from pohang_watch.report import RunReport, render_markdown, render_text


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
