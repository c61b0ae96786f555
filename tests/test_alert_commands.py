"""`pohang-watch notify --test` and `pohang-watch digest`, in-process on real servers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from http_recorder import Recorder

from pohang_watch.cli import main
from pohang_watch.config import ENV_APPRISE_URLS, ConfigError, Settings, load_settings
from pohang_watch.pipeline import run_ingest

Start = Callable[[int], Recorder]
BATTERY_SEED = "000_8bb15090ff6ef8e0.txt"


def test_notify_test_reports_each_target(
    settings: Settings,
    http_server: Start,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    good, bad = http_server(200), http_server(500)
    monkeypatch.setenv(ENV_APPRISE_URLS, f"{good.url()} ops={bad.url('/hooks/secret')}")
    assert main(["--config", str(settings.config_path), "notify", "--test"]) == 3
    ok_line, failed_line = capsys.readouterr().out.splitlines()
    assert ok_line.endswith(": ok")
    assert "[ops]" in failed_line
    assert "did not accept" in failed_line
    assert "secret" not in failed_line
    [title] = good.titles
    assert title.startswith("[test] Updated partnership: Pohang City + Sample Partner")
    assert "discussed (2025-04-02) → signed (2025-07-30)" in good.messages[0]


def test_digest_command_sends_once_and_dry_run_records_nothing(
    settings: Settings,
    seeds_dir: Path,
    http_server: Start,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run_ingest([str(seeds_dir / BATTERY_SEED)], settings, run_id="r1", send_alerts=False)
    digest = http_server(200)
    monkeypatch.setenv(ENV_APPRISE_URLS, f"digest={digest.url()}")
    config = ["--config", str(settings.config_path)]
    assert main([*config, "digest", "--dry-run"]) == 0
    assert "Pohang digest" in capsys.readouterr().out
    assert digest.requests == []
    assert main([*config, "digest"]) == 0
    assert "items sent" in capsys.readouterr().out
    sent = len(digest.requests)
    assert sent >= 1
    assert all(title.startswith("Pohang digest ") for title in digest.titles)
    assert main([*config, "digest", "--since", "2000-01-01"]) == 0
    assert len(digest.requests) == sent, "a rerun sends nothing twice"


def test_digest_refuses_a_reversed_period(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["digest", "--since", "2025-07-02", "--until", "2025-07-01"]
    assert main(["--config", str(settings.config_path), *args]) == 2
    assert "before it starts" in capsys.readouterr().err


def test_routes_and_mutes_are_validated(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(
        '[[notify.routes]]\ntag = "energy"\nkinds = ["partnership"]\nsectors = ["battery"]\n'
        '[notify.mute]\nparties = ["EcoPro"]\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.notify.routes[0].sectors == ("battery",)
    assert settings.notify.mute.parties == ("EcoPro",)
    config.write_text('[[notify.routes]]\ntag = "ops"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"notify\.routes\.0\.tag"):
        load_settings(config)
