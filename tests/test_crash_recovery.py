"""A process killed between the ledger write and the send loses no alert and repeats none."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from http_recorder import Recorder

from pohang_watch.config import ENV_APPRISE_URLS, ENV_DB_URL, Settings, load_settings
from pohang_watch.pipeline import run_ingest

DIE_AFTER_LEDGER_WRITE = """
import os, signal, sys
from pohang_watch.config import load_settings
from pohang_watch.pipeline import process_sources, record_batch
from pohang_watch.store import Store

settings = load_settings(sys.argv[1])
with Store.open(settings.database.url) as store:
    outcome = record_batch(store, process_sources([sys.argv[2]], settings), "killed-run")
    print(outcome.alerts_enqueued, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_kill_between_ledger_write_and_send(
    seeds_dir: Path,
    settings: Settings,
    webhook: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = str(seeds_dir / "000_8bb15090ff6ef8e0.txt")
    env = {**os.environ, ENV_DB_URL: settings.database.url, ENV_APPRISE_URLS: webhook.url()}
    killed = subprocess.run(
        [sys.executable, "-c", DIE_AFTER_LEDGER_WRITE, str(settings.config_path), page],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    enqueued = int(killed.stdout.split()[0])
    assert enqueued > 0
    assert webhook.requests == [], "the killed process sent nothing"

    monkeypatch.setenv(ENV_APPRISE_URLS, webhook.url())
    alerting = load_settings(settings.config_path)
    rerun = run_ingest([page], alerting, run_id="after-crash")
    assert rerun.alerts_enqueued == 0, "the ledger change was committed before the kill"
    delivered = "\n".join(webhook.messages)
    assert "mega cluster" in delivered, "the pending alerts were sent by the next run"
    sent = len(webhook.requests)

    run_ingest([page], alerting, run_id="again")
    assert len(webhook.requests) == sent, "nothing is sent twice"
