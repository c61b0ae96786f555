"""The ingest invariants, end to end on real files, real SQLite and a real webhook server."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from http_recorder import Recorder

from pohang_watch.config import ENV_APPRISE_URLS, Settings, load_settings
from pohang_watch.pipeline import run_ingest
from pohang_watch.pipeline.unchanged import SKIPPED_UNCHANGED
from pohang_watch.store import Store

BATTERY_SEED = "000_8bb15090ff6ef8e0.txt"
UCL_SEED = "004_12e4369c7011add7.txt"


@pytest.fixture
def alerting_settings(
    settings: Settings, webhook: Recorder, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    monkeypatch.setenv(ENV_APPRISE_URLS, webhook.url())
    return load_settings(settings.config_path)


def folder_with(tmp_path: Path, name: str, files: list[Path]) -> str:
    folder = tmp_path / name
    folder.mkdir()
    for file in files:
        shutil.copy(file, folder / file.name)
    return str(folder)


def test_alerts_only_for_what_is_new(
    tmp_path: Path, seeds_dir: Path, alerting_settings: Settings, webhook: Recorder
) -> None:
    battery, ucl = seeds_dir / BATTERY_SEED, seeds_dir / UCL_SEED
    both = folder_with(tmp_path, "both", [battery, ucl])
    (Path(both) / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage\x00")

    first = run_ingest([str(battery)], alerting_settings, run_id="r1")
    after_first = len(webhook.requests)
    second = run_ingest([str(ucl)], alerting_settings, run_id="r2")
    after_second = len(webhook.requests)
    third = run_ingest([both], alerting_settings, run_id="r3")

    assert first.stored == 1
    assert first.alerts_enqueued > 0
    assert after_first > 0
    assert second.stored == 1
    assert second.alerts_enqueued > 0
    assert after_second > after_first
    assert third.stored == 0
    assert third.alerts_enqueued == 0
    assert len(webhook.requests) == after_second, "a re-run must send nothing"
    assert third.skipped == {SKIPPED_UNCHANGED: 2}, "the same bytes are not parsed again"
    assert [(e.source, e.stage) for e in third.errors] == [(f"{both}/broken.html", "parse")]

    with Store.open(alerting_settings.database.url) as store:
        poex = [e for e in store.ledger_entries() if e.what and "POEX" in e.what]
    assert len(poex) == 1, poex
    assert (poex[0].target_year, poex[0].mentions) == (2027, 2)
    alerted = sum(message.count(poex[0].what) for message in webhook.messages)
    assert alerted == 1, "the restated POEX commitment is alerted once"


def test_failed_send_stays_pending_and_is_sent_next_run(
    seeds_dir: Path, alerting_settings: Settings, webhook: Recorder
) -> None:
    webhook.status = 500
    failed = run_ingest([str(seeds_dir / BATTERY_SEED)], alerting_settings, run_id="r1")
    assert failed.delivery is not None
    assert any(t.failed and t.error for t in failed.delivery.targets)
    assert webhook.requests == []

    webhook.status = 200
    retried = run_ingest([str(seeds_dir / BATTERY_SEED)], alerting_settings, run_id="r2")
    assert retried.alerts_enqueued == 0
    assert webhook.requests, "the pending alerts went out on the next run"
    sent = len(webhook.requests)
    run_ingest([str(seeds_dir / BATTERY_SEED)], alerting_settings, run_id="r3")
    assert len(webhook.requests) == sent


def test_without_targets_alerts_print_to_console(
    seeds_dir: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_ingest([str(seeds_dir / BATTERY_SEED)], settings, run_id="r1")
    out = capsys.readouterr().out
    assert report.alerts_enqueued > 0
    assert "mega cluster" in out
    run_ingest([str(seeds_dir / BATTERY_SEED)], settings, run_id="r2")
    assert "mega cluster" not in capsys.readouterr().out


def test_bad_pages_are_reported_and_nothing_stored_changes(
    tmp_path: Path, seeds_dir: Path, settings: Settings
) -> None:
    run_ingest([str(seeds_dir / BATTERY_SEED)], settings, run_id="r1")
    with Store.open(settings.database.url) as store:
        before = (store.article_count(), store.ledger_entries())
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.html").write_bytes(bytes(range(256)) * 8)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "wrong-encoding.txt").write_bytes(bytes(0x80 + (i * 37) % 120 for i in range(3000)))
    (bad / "truncated.html").write_bytes(b"<html><head><title>Pohang")
    report = run_ingest([str(bad)], settings, run_id="r2")
    named = {Path(e.source).name: e.message for e in report.errors}
    assert set(named) == {"binary.html", "empty.txt", "wrong-encoding.txt", "truncated.html"}
    assert "decode" in named["wrong-encoding.txt"]
    assert "binary" in named["binary.html"]
    assert "empty" in named["empty.txt"]
    with Store.open(settings.database.url) as store:
        assert (store.article_count(), store.ledger_entries()) == before
