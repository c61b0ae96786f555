"""Fixtures every test folder may use: repo paths and settings bound to a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from http_recorder import Recorder

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


@pytest.fixture
def http_server() -> Iterator[Callable[[int], Recorder]]:
    """Start recorders answering with the given status; all are stopped afterwards."""
    started: list[Recorder] = []

    def start(status: int = 200) -> Recorder:
        recorder = Recorder(status)
        recorder.thread.start()
        started.append(recorder)
        return recorder

    yield start
    for recorder in started:
        recorder.server.shutdown()
        recorder.server.server_close()


@pytest.fixture
def webhook(http_server: Callable[[int], Recorder]) -> Recorder:
    """One webhook target answering 200 (set `.status` to make it fail)."""
    return http_server(200)
