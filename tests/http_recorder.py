"""A real webhook receiver for alert tests: apprise's json:// target posts to it on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Recorder:
    """A real HTTP server on 127.0.0.1 that records what apprise's json:// target posts."""

    def __init__(self, status: int = 200, reply: bytes = b"") -> None:
        self.status = status
        self.reply = reply  # the response body (Slack's webhook answers "ok")
        self.requests: list[tuple[str, dict[str, Any]]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if recorder.status < 300:
                    recorder.requests.append((self.path, json.loads(body or b"{}")))
                self.send_response(recorder.status)
                self.send_header("Content-Length", str(len(recorder.reply)))
                self.end_headers()
                self.wfile.write(recorder.reply)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test output is for failures."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/alerts") -> str:
        host, port = self.server.server_address[:2]
        return f"json://{host}:{port}{path}"

    def http_url(self, path: str = "") -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{path}"

    @property
    def titles(self) -> list[str]:
        return [str(body.get("title")) for _, body in self.requests]

    @property
    def messages(self) -> list[str]:
        return [str(body.get("message")) for _, body in self.requests]
