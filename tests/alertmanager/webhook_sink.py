"""A webhook receiver on 127.0.0.1 that records every notification Alertmanager sends to it:
when it arrived, to which receiver (the URL path names it), firing or resolved, which alerts."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Notification:
    at: float                       # time.monotonic() on arrival
    receiver: str
    status: str                     # "firing" or "resolved" (Alertmanager's webhook payload)
    alertnames: frozenset[str]


class WebhookSink:
    def __init__(self):
        self.received: list[Notification] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                note = Notification(time.monotonic(), self.path.strip("/"), body.get("status", ""),
                                    frozenset(a["labels"]["alertname"] for a in body.get("alerts", ())))
                with sink._lock:
                    sink.received.append(note)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of(self, alertname: str) -> list[Notification]:
        with self._lock:
            return [n for n in self.received if alertname in n.alertnames]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
