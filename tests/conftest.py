"""Fixtures every test folder may use: repo paths and settings bound to a fresh SQLite file."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pohang_watch.config import ENV_APPRISE_URLS, ENV_CONFIG, ENV_DB_URL, Settings, load_settings

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own database or Slack URL must never leak into a test."""
    for name in (ENV_APPRISE_URLS, ENV_CONFIG, ENV_DB_URL):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def seeds_dir() -> Path:
    """The real articles in ../shared/seeds (beside the checkout); skipped where absent."""
    path = REPO_ROOT.parent / "shared" / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    return path


@pytest.fixture
def samples_dir() -> Path:
    return REPO_ROOT / "samples"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'pohang-watch.db'}"


@pytest.fixture
def settings(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The repo's shipped configuration, on a fresh SQLite database, alerts to the console."""
    monkeypatch.setenv(ENV_DB_URL, db_url)
    return load_settings(REPO_ROOT / "config" / "pohang-watch.toml")


class WebhookReceiver:
    """A real HTTP server on 127.0.0.1 that records what apprise's json:// target posts."""

    def __init__(self) -> None:
        self.requests: list[dict[str, object]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if receiver.status < 300:
                    receiver.requests.append(json.loads(body or b"{}"))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def apprise_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"json://{host}:{port}/alerts"

    @property
    def messages(self) -> list[str]:
        return [str(r.get("message", "")) for r in self.requests]


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
