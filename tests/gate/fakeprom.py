"""A tiny HTTP server on 127.0.0.1 standing in for a misbehaving Prometheus: it answers 500,
hangs, returns garbage or a partial response, redirects, or forwards to a real server; it
records every request it receives (headers and parameters) for the credential tests."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests

EMPTY_VECTOR = {"status": "success", "data": {"resultType": "vector", "result": []}}


class FakePrometheus:
    def __init__(self, behaviour: str = "empty", *, upstream: str | None = None, redirect_to: str | None = None,
                 hang_seconds: float = 5.0, tls: tuple[str, str, str] | None = None):
        self.behaviour = behaviour
        self.upstream = upstream
        self.redirect_to = redirect_to
        self.hang_seconds = hang_seconds
        self.received: list[dict] = []
        self.extra_warnings: list[str] = []
        self.drop: str | None = None     # "drop": forward, minus the series of this name
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _params(self) -> dict:
                query = parse_qs(urlsplit(self.path).query)
                if self.command == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    query.update(parse_qs(self.rfile.read(length).decode()))
                return {k: v[0] for k, v in query.items()}

            def _answer(self):
                params = self._params()
                fake.received.append({"method": self.command, "path": urlsplit(self.path).path,
                                      "headers": dict(self.headers), "params": params})
                status, body, headers = fake.respond(urlsplit(self.path).path, params)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.scheme = "http"
        if tls is not None:   # (server cert, server key, CA that client certificates must chain to)
            import ssl

            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls[0], tls[1])
            context.load_verify_locations(tls[2])
            context.verify_mode = ssl.CERT_REQUIRED
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}"

    def respond(self, path: str, params: dict) -> tuple[int, bytes, dict]:
        b = self.behaviour
        if b == "500":
            return 500, b'{"status":"error","errorType":"internal","error":"boom"}', {"Content-Type": "application/json"}
        if b == "400":
            return 400, b'{"status":"error","errorType":"bad_data","error":"parse error at char 7"}', {"Content-Type": "application/json"}
        if b == "401":
            return 401, b"Unauthorized", {"Content-Type": "text/plain"}
        if b == "info":
            body = {**EMPTY_VECTOR, "warnings": ["PromQL info: metric might not be a counter, name does not end in _total"]}
            return 200, json.dumps(body).encode(), {"Content-Type": "application/json"}
        if b == "hang":
            time.sleep(self.hang_seconds)
            return 200, json.dumps(EMPTY_VECTOR).encode(), {}
        if b == "garbage":
            return 200, b"<html><body>502 Bad Gateway (cached)</body></html>", {"Content-Type": "text/html"}
        if b == "redirect":
            return 302, b"", {"Location": self.redirect_to + path}
        if b == "forward":
            upstream = requests.post(self.upstream + path, data=params, timeout=30)
            body = upstream.json()
            return upstream.status_code, json.dumps(body).encode(), {"Content-Type": "application/json"}
        if b == "drop":
            body = requests.post(self.upstream + path, data=params, timeout=30).json()
            result = (body.get("data") or {}).get("result")
            if isinstance(result, list):
                body["data"]["result"] = [r for r in result if r.get("metric", {}).get("__name__") != self.drop]
            return 200, json.dumps(body).encode(), {"Content-Type": "application/json"}
        if b == "partial":
            upstream = requests.post(self.upstream + path, data=params, timeout=30).json() if self.upstream else json.loads(json.dumps(EMPTY_VECTOR))
            upstream["warnings"] = [*self.extra_warnings, "store 10.0.0.7:10901 unavailable: partial response"]
            return 200, json.dumps(upstream).encode(), {"Content-Type": "application/json"}
        return 200, json.dumps(EMPTY_VECTOR).encode(), {"Content-Type": "application/json"}

    def __enter__(self) -> "FakePrometheus":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
