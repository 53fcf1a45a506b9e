"""A recording JSON-over-HTTP stand-in on 127.0.0.1 for systems that cannot run here
(Elasticsearch, Grafana). A subclass answers `route(method, path, headers, body)` with
(status, document); every request is recorded as it arrived."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: dict | bytes | None


class JsonStub:
    response_headers: dict[str, str] = {}   # sent with every answer

    def __init__(self):
        self.requests: list[Recorded] = []
        self.server = None

    def route(self, method: str, path: str, headers: dict, body) -> tuple[int, dict]:
        raise NotImplementedError

    def start(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                # JSON bodies parsed; anything else (a multipart upload) kept as bytes
                body = json.loads(raw) if raw and "json" in self.headers.get("Content-Type", "json") else (raw or None)
                stub.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
                status, doc = stub.route(self.command, self.path, dict(self.headers), body)
                raw = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in stub.response_headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_PUT = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"
