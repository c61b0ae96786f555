"""The pohang-ingest flow through a real (temporary) Prefect server, started once per session."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pohang_watch.cli import main
from pohang_watch.config import Settings

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_harness")]


def test_cli_ingest_runs_the_flow_and_reruns_quietly(
    samples_dir: Path,
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    latest_artifact: Callable[[str], str],
) -> None:
    config = ["--config", str(settings.config_path)]
    # samples/ holds one corrupt page on purpose: it is reported and the run completes.
    assert main([*config, "ingest", "--from", str(samples_dir)]) == 0
    first = capsys.readouterr().out
    assert re.search(r"[1-9]\d* alerts enqueued", first), first
    assert "corrupt" in first, "the malformed sample is reported by name"
    markdown = latest_artifact("pohang-ingest-report")
    assert "# pohang-ingest run" in markdown
    assert "NEW" in markdown

    assert main([*config, "ingest", "--from", str(samples_dir)]) == 0
    second = capsys.readouterr().out
    assert " 0 alerts enqueued" in second
    assert "0 new articles stored" in second


def test_alerts_held_back_are_sent_by_the_next_run(samples_dir: Path, settings: Settings) -> None:
    from flows.ingest import ingest_flow

    config = str(settings.config_path)
    held = ingest_flow(paths=[str(samples_dir)], send_alerts=False, config=config)
    assert held.alerts_enqueued > 0
    assert held.delivery is None

    later = ingest_flow(paths=[str(samples_dir)], send_alerts=True, config=config)
    assert later.alerts_enqueued == 0
    assert later.delivery is not None
    assert sum(t.sent for t in later.delivery.targets) > 0
