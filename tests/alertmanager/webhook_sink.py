"""A webhook receiver on 127.0.0.1 that records every notification Alertmanager sends to it:
when it arrived, to which receiver (the URL path names it), firing or resolved, which alerts."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

from tests.post_sink import serve_posts


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
        self.server = serve_posts(self._record)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _record(self, path: str, raw: bytes) -> None:
        body = json.loads(raw or b"{}")
        note = Notification(time.monotonic(), path.strip("/"), body.get("status", ""),
                            frozenset(a["labels"]["alertname"] for a in body.get("alerts", ())))
        with self._lock:
            self.received.append(note)

    def of(self, alertname: str) -> list[Notification]:
        with self._lock:
            return [n for n in self.received if alertname in n.alertnames]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
