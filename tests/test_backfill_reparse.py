"""Backfill over saved pages and reparse of stored articles: the ledger fills, people are told
once (one summary) or not at all, and nothing already alerted is alerted again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from http_recorder import Recorder

from pohang_watch import analysis
from pohang_watch.config import ENV_APPRISE_URLS, ExtractSettings, Settings, load_settings
from pohang_watch.models import Article, Commitment, Item
from pohang_watch.pipeline import DateWindow, RunPlan, execute, run_ingest, run_reparse
from pohang_watch.store import Store

# samples/ holds 16 dated articles from 2025-01-14 to 2025-12-09; seven after June.
FIRST_HALF = DateWindow(date(2025, 1, 1), date(2025, 6, 30))
LATER_SAMPLES = 7
UNDATED = """Pohang opens a drop-in centre for battery start-ups

Pohang City plans to open a drop-in centre for battery start-ups near POSTECH by 2027.

The centre will offer shared laboratories, the city said.
"""


@pytest.fixture
def alerting_settings(
    settings: Settings, webhook: Recorder, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    monkeypatch.setenv(ENV_APPRISE_URLS, webhook.url())
    return load_settings(settings.config_path)


@pytest.fixture
def pages(tmp_path: Path, samples_dir: Path) -> tuple[str, ...]:
    undated = tmp_path / "extra" / "undated-note.txt"
    undated.parent.mkdir()
    undated.write_text(UNDATED, encoding="utf-8")
    return (str(samples_dir), str(undated.parent))


def test_backfill_summary_sends_one_message_and_fills_the_ledger(
    alerting_settings: Settings, webhook: Recorder, pages: tuple[str, ...]
) -> None:
    plan = RunPlan(paths=pages, window=FIRST_HALF, alerts="summary", flow="pohang-backfill")
    report = execute(plan, alerting_settings, run_id="b1")

    assert len(webhook.requests) == 1, webhook.titles
    assert "pohang-backfill 2025-01-01 to 2025-06-30" in webhook.titles[0]
    assert report.alerts_enqueued == 0
    assert report.skipped == {"published outside the range": LATER_SAMPLES}
    assert report.undated == 1
    assert report.stored > 0
    with Store.open(alerting_settings.database.url) as store:
        entries = store.ledger_entries()
        assert store.pending_alerts(["anyone"]) == [], "history queues no alerts"
    assert any("drop-in centre" in entry.what for entry in entries), "undated pages are kept"

    again = execute(plan, alerting_settings, run_id="b2")
    assert again.stored == 0
    assert len(webhook.requests) == 1, "nothing new, nothing sent"


def test_backfill_none_sends_nothing(
    alerting_settings: Settings, webhook: Recorder, pages: tuple[str, ...]
) -> None:
    plan = RunPlan(paths=pages, window=FIRST_HALF, alerts="none", flow="pohang-backfill")
    report = execute(plan, alerting_settings, run_id="b1")
    assert report.changes
    assert webhook.requests == []
    with Store.open(alerting_settings.database.url) as store:
        assert store.ledger_entries()


def extractor_adding(what: str) -> Callable[[Article, ExtractSettings], tuple[Item, ...]]:
    """The real extractor, plus one commitment it never found before in every article."""
    real = analysis.extract_items

    def extract(article: Article, settings: ExtractSettings) -> tuple[Item, ...]:
        extra = Commitment(
            actor="Pohang City",
            what=what,
            target_year=2031,
            amount=None,
            sector="other",
            status="planned",
            evidence=f"Pohang City will {what} by 2031.",
        )
        return (*real(article, settings), extra)

    return extract


def test_reparse_updates_the_ledger_without_realerting(
    alerting_settings: Settings,
    webhook: Recorder,
    samples_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = run_ingest([str(samples_dir)], alerting_settings, run_id="r1")
    sent_before = len(webhook.requests)
    assert sent_before > 0
    with Store.open(alerting_settings.database.url) as store:
        mentions_before = {e.key: e.mentions for e in store.ledger_entries()}

    monkeypatch.setattr(analysis, "extract_items", extractor_adding("open a port museum"))
    report = run_reparse(alerting_settings, run_id="re1")

    assert report.updated == first.stored, "every stored article rewritten in place"
    assert report.duplicates == {}, "an article is not a duplicate of itself"
    assert report.stored == 0
    assert len(webhook.requests) == sent_before + 1, "one summary message"
    assert "open a port museum" in webhook.messages[-1]
    with Store.open(alerting_settings.database.url) as store:
        after = {e.key: e for e in store.ledger_entries()}
    museum = [e for e in after.values() if e.what == "open a port museum"]
    assert len(museum) == 1
    assert museum[0].mentions == first.stored
    assert {k: after[k].mentions for k in mentions_before} == mentions_before

    monkeypatch.setattr(analysis, "extract_items", extractor_adding("open a sea aquarium"))
    each = run_reparse(alerting_settings, run_id="re2", alerts="each")
    assert each.alerts_enqueued == 1, "only the item never alerted before"
    assert each.delivery is not None
    assert each.delivery.sent == 1
    new_messages = webhook.messages[sent_before + 1 :]
    assert len(new_messages) == 1
    assert "open a sea aquarium" in new_messages[0]
    assert "open a port museum" not in new_messages[0]
