"""Kibana: the log dashboards of a region (generated/<region>/kibana/*.ndjson), each file sent
whole to the saved objects import API with overwrite (`POST /api/saved_objects/_import?overwrite=true`,
multipart, the kbn-xsrf header Kibana asks of every write). Kibana answers 200 even when it
refused objects; any error it lists fails the apply. A file whose objects Kibana already holds,
with every attribute and reference obsgen sets, is not sent again."""
from __future__ import annotations

import json
from pathlib import Path

from obsgen.apply.base import CREATE, UNCHANGED, UPDATE, Change
from obsgen.apply.http import ApplyError, Client

KIBANA_DIR = "kibana"
IMPORT_PATH = "/api/saved_objects/_import?overwrite=true"


class KibanaClient(Client):
    def __init__(self, base_url, credentials, **kwargs):
        super().__init__(base_url, credentials, **kwargs)
        self.session.headers["kbn-xsrf"] = "obsgen"

    def send(self, method: str, path: str, body: dict) -> None:
        if path != IMPORT_PATH:
            return super().send(method, path, body)
        # multipart: the session's JSON Content-Type is dropped so that requests writes the boundary
        response = self._request(method, path, files={"file": (body["file"], body["ndjson"].encode(), "application/ndjson")},
                                 headers={"Content-Type": None})
        self._raise_for(response, method, path)
        answer = response.json()
        errors = answer.get("errors") or []
        if not answer.get("success") or errors:
            what = "; ".join(f"{e.get('type')} {e.get('id')}: {(e.get('error') or {}).get('type')}" for e in errors)
            raise ApplyError(self.scrub(f"{method} {path}: Kibana refused {body['file']}: {what or 'success is false'}"))


class KibanaApplier:
    name = "kibana"
    env_prefix = "OBSGEN_KIBANA"
    auth_scheme = "ApiKey"

    def default_url(self, estate, region) -> str | None:
        return getattr(region, "kibana_url", None)

    def connect(self, url: str, credentials) -> KibanaClient:
        return KibanaClient(url, credentials, auth_scheme=self.auth_scheme)

    def plan(self, region_dir: Path, client) -> list[Change]:
        changes = []
        for path in sorted((region_dir / KIBANA_DIR).glob("*.ndjson")):
            text = path.read_text()
            objects = [json.loads(line) for line in text.splitlines() if line.strip()]
            live = [client.get(f"/api/saved_objects/{o['type']}/{o['id']}") for o in objects]
            if all(current is None for current in live):
                action = CREATE
            else:
                same = all(current is not None and _holds(current, o) for current, o in zip(live, objects))
                action = UNCHANGED if same else UPDATE
            name = f"{path.stem} ({len(objects)} objects)"
            changes.append(Change("saved objects", name, action, "POST", IMPORT_PATH, {"file": path.name, "ndjson": text}))
        return changes


def _holds(live: dict, desired: dict) -> bool:
    """Kibana holds every attribute and reference obsgen sets (what it adds does not count)."""
    attributes = live.get("attributes", {})
    for key, value in desired["attributes"].items():
        if _parsed(attributes.get(key)) != _parsed(value):
            return False
    have = {(r["name"], r["type"], r["id"]) for r in live.get("references", [])}
    return all((r["name"], r["type"], r["id"]) in have for r in desired["references"])


def _parsed(value):
    """Attributes Kibana keeps as JSON text are compared as what they say."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
