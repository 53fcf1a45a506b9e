"""A recording stand-in for Grafana's HTTP API on 127.0.0.1 (Grafana cannot run here): folders
and dashboards by uid, answered the way Grafana does (id and version added, meta.folderUid)."""
from __future__ import annotations

from tests.json_stub import JsonStub


class FakeGrafana(JsonStub):
    def __init__(self, token: str | None = None):
        super().__init__()
        self.token = token
        self.folders: dict[str, dict] = {}
        self.dashboards: dict[str, tuple[dict, str]] = {}   # uid -> (dashboard, folder uid)

    def route(self, method, path, headers, body):
        if self.token and headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"message": "invalid API key"}
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
