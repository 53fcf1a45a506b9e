"""Grafana: the dashboards of a region's Grafana (generated/<region>/grafana/dashboards/), put in
obsgen's folder through the HTTP API, for a Grafana that does not load them by provisioning
(Grafana refuses API writes to provisioned dashboards)."""
from __future__ import annotations

import json
from pathlib import Path

from obsgen import names
from obsgen.apply.base import CREATE, UNCHANGED, UPDATE, Change

DASHBOARD_DIR = "grafana/dashboards"
# Grafana's own bookkeeping, which differs between a stored dashboard and obsgen's file.
_VOLATILE = ("id", "version")


class GrafanaApplier:
    name = "grafana"
    env_prefix = "OBSGEN_GRAFANA"
    auth_scheme = "Bearer"   # a service account token

    def default_url(self, estate, region) -> str | None:
        return region.grafana_url

    def plan(self, region_dir: Path, client) -> list[Change]:
        folder = client.get(f"/api/folders/{names.GRAFANA_FOLDER}")
        changes = [Change("folder", names.GRAFANA_FOLDER, UNCHANGED if folder else CREATE, "POST", "/api/folders",
                          {"uid": names.GRAFANA_FOLDER, "title": names.GRAFANA_FOLDER})]
        for path in sorted((region_dir / DASHBOARD_DIR).glob("*.json")):
            dashboard = json.loads(path.read_text())
            current = client.get(f"/api/dashboards/uid/{dashboard['uid']}")
            if current is None:
                action = CREATE
            else:
                same = _comparable(current.get("dashboard", {})) == _comparable(dashboard)
                same = same and current.get("meta", {}).get("folderUid") == names.GRAFANA_FOLDER
                action = UNCHANGED if same else UPDATE
            body = {"dashboard": {**dashboard, "id": None}, "folderUid": names.GRAFANA_FOLDER, "overwrite": True,
                    "message": "obsgen apply"}
            changes.append(Change("dashboard", dashboard["uid"], action, "POST", "/api/dashboards/db", body))
        return changes


def _comparable(dashboard: dict) -> dict:
    return {k: v for k, v in dashboard.items() if k not in _VOLATILE}
