"""A recording stand-in for Elasticsearch on 127.0.0.1 (Elasticsearch cannot run here): it keeps
ILM policies and index templates, answers GET the way Elasticsearch does (settings as strings,
policies wrapped with version and modified_date), and records every request."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: dict | None


@dataclass
class FakeElasticsearch:
    policies: dict = field(default_factory=dict)
    templates: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    fail_with: tuple[int, dict] | None = None   # answer every request so, e.g. (401, {...})

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, doc):
                raw = json.dumps(doc).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                fake.requests.append(Recorded(self.command, self.path, dict(self.headers), body))
                if fake.fail_with:
                    return self._answer(*fake.fail_with)
                kind, _, name = self.path.lstrip("/").partition("/")
                if kind == "_ilm" and name.startswith("policy/"):
                    store, name = fake.policies, name.removeprefix("policy/")
                elif kind == "_index_template":
                    store = fake.templates
                else:
                    return self._answer(400, {"error": {"type": "illegal_argument_exception", "reason": "unknown path"}})
                if self.command == "PUT":
                    store[name] = body
                    return self._answer(200, {"acknowledged": True})
                if name not in store:
                    return self._answer(404, {"error": {"type": "resource_not_found_exception", "reason": name}})
                if store is fake.policies:
                    return self._answer(200, {name: {"version": 1, "modified_date": "2026-11-26T00:00:00.000Z", **store[name]}})
                return self._answer(200, {"index_templates": [{"name": name, "index_template": _as_es_returns(store[name])}]})

            do_GET = do_PUT = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def _as_es_returns(template: dict) -> dict:
    """Elasticsearch answers index settings as strings."""
    out = json.loads(json.dumps(template))
    index = out.get("template", {}).get("settings", {}).get("index", {})
    for key in ("number_of_shards", "number_of_replicas"):
        if key in index:
            index[key] = str(index[key])
    return out
