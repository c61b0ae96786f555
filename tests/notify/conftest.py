from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

# The store, ledger and notify tests share builders (ledger/builders.py, store/backends.py);
# pytest imports these folders as packages but does not put tests/ itself on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from store.backends import BACKENDS, new_database_urls

from pohang_watch.store import Store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    for new_url in new_database_urls(request.param, tmp_path):
        with Store.open(new_url()) as opened:
            yield opened


class Recorder:
    """A real HTTP server on 127.0.0.1 that records what apprise's json:// target posts."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[str, dict[str, Any]]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if recorder.status < 300:
                    recorder.requests.append((self.path, json.loads(body or b"{}")))
                self.send_response(recorder.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test output is for failures."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/alerts") -> str:
        host, port = self.server.server_address[:2]
        return f"json://{host}:{port}{path}"

    @property
    def titles(self) -> list[str]:
        return [str(body.get("title")) for _, body in self.requests]


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


class Mailbox:
    """aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, server: Any, session: Any, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or b""
        self.messages.append(cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(raw)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on 127.0.0.1 (plain, no TLS), and its port."""
    mailbox, port = Mailbox(), _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()
