"""A recording stand-in for Grafana's HTTP API on 127.0.0.1 (Grafana cannot run here): folders
and dashboards by uid, answered the way Grafana does (id and version added, meta.folderUid)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGrafana:
    def __init__(self, token: str | None = None):
        self.token = token
        self.folders: dict[str, dict] = {}
        self.dashboards: dict[str, tuple[dict, str]] = {}   # uid -> (dashboard, folder uid)
        self.requests: list[tuple[str, str, dict, dict | None]] = []

    def __enter__(self):
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
                fake.requests.append((self.command, self.path, dict(self.headers), body))
                if fake.token and self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._answer(401, {"message": "invalid API key"})
                return self._answer(*fake.route(self.command, self.path, body))

            do_GET = do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, method: str, path: str, body):
        if method == "GET" and path.startswith("/api/folders/"):
            uid = path.removeprefix("/api/folders/")
            return (200, self.folders[uid]) if uid in self.folders else (404, {"message": "folder not found"})
        if method == "POST" and path == "/api/folders":
            self.folders[body["uid"]] = {"id": len(self.folders) + 1, **body}
            return 200, self.folders[body["uid"]]
        if method == "GET" and path.startswith("/api/dashboards/uid/"):
            uid = path.removeprefix("/api/dashboards/uid/")
            if uid not in self.dashboards:
                return 404, {"message": "Dashboard not found"}
            dashboard, folder = self.dashboards[uid]
            return 200, {"dashboard": dashboard, "meta": {"folderUid": folder, "provisioned": False}}
        if method == "POST" and path == "/api/dashboards/db":
            if body["folderUid"] not in self.folders:
                return 400, {"message": "folder not found"}
            uid = body["dashboard"]["uid"]
            version = self.dashboards.get(uid, ({"version": 0}, ""))[0]["version"] + 1
            self.dashboards[uid] = ({**body["dashboard"], "id": 7, "version": version}, body["folderUid"])
            return 200, {"status": "success", "uid": uid, "version": version}
        return 404, {"message": "not found"}
