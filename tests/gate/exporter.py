"""A small exporter for live tests: counters in the text exposition format on 127.0.0.1, each
series stepping by its own increment at every scrape, and a log of every value served.

`stop()` takes the target down (Prometheus then writes staleness markers for its series),
`start()` brings it back on the same port as a new process would: `reset=True` starts every
counter from 0 again. Removing a series from `steps` ends it (a pod replaced: markers for it
alone, while the target stays up); adding one starts it.
"""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Labels = tuple[tuple[str, str], ...]


class Exporter:
    def __init__(self, name: str, steps: dict[Labels, int]):
        self.name = name
        self.steps = dict(steps)
        self.values: dict[Labels, int] = {}
        self.served: list[tuple[float, dict[Labels, int]]] = []   # (time served, every value served)
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, reset: bool = False) -> None:
        if reset:
            self.values = {}
        exporter = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):   # noqa: N802 (http.server's name)
                body = exporter._scrape().encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _scrape(self) -> str:
        with self._lock:
            for labels, step in self.steps.items():
                self.values[labels] = self.values.get(labels, 0) + step
            shown = {labels: self.values[labels] for labels in self.steps}
            self.served.append((time.time(), shown))
        lines = [f"# TYPE {self.name} counter"]
        for labels, value in sorted(shown.items()):
            inner = ",".join(f'{k}="{v}"' for k, v in labels)
            lines.append(f"{self.name}{{{inner}}} {value}")
        return "\n".join(lines) + "\n"
