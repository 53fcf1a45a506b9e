"""A recording stand-in for Kibana's saved objects API on 127.0.0.1 (Kibana cannot run here): GET
of one object by type and id, and the import API as Kibana answers it: a multipart upload of an
NDJSON file, refused without the kbn-xsrf header, 200 with per-object errors (an existing object
without overwrite is a conflict; a reference to an object neither in the file nor stored is
missing_references; a type it does not know is unsupported_type)."""
from __future__ import annotations

import email.parser
import email.policy
import json
from urllib.parse import parse_qs, urlsplit

from tests.json_stub import JsonStub

TYPES = ("dashboard", "visualization", "index-pattern")


class FakeKibana(JsonStub):
    def __init__(self, api_key: str | None = None):
        super().__init__()
        self.api_key = api_key
        self.objects: dict[tuple[str, str], dict] = {}
        self.imports: list[list[dict]] = []   # the objects of each accepted upload

    def route(self, method, path, headers, body):
        lower = {k.lower(): v for k, v in headers.items()}
        if self.api_key and lower.get("authorization") != f"ApiKey {self.api_key}":
            return 401, {"statusCode": 401, "error": "Unauthorized", "message": "[security_exception] unable to authenticate"}
        url = urlsplit(path)
        parts = url.path.strip("/").split("/")
        if method == "GET" and parts[:2] == ["api", "saved_objects"] and len(parts) == 4:
            found = self.objects.get((parts[2], parts[3]))
            if found is None:
                return 404, {"statusCode": 404, "error": "Not Found", "message": f"Saved object [{parts[2]}/{parts[3]}] not found"}
            return 200, {**found, "version": "WzEsMV0=", "namespaces": ["default"], "updated_at": "2026-12-02T10:00:00.000Z"}
        if method == "POST" and url.path == "/api/saved_objects/_import":
            if "kbn-xsrf" not in lower:
                return 400, {"statusCode": 400, "error": "Bad Request", "message": "Request must contain a kbn-xsrf header."}
            overwrite = parse_qs(url.query).get("overwrite") == ["true"]
            return self._import(_uploaded(lower.get("content-type", ""), body), overwrite)
        return 404, {"statusCode": 404, "error": "Not Found", "message": "Not Found"}

    def _import(self, text: str | None, overwrite: bool):
        if text is None:
            return 400, {"statusCode": 400, "error": "Bad Request", "message": "[request body.file]: expected value of type [Stream]"}
        objects = [json.loads(line) for line in text.splitlines() if line.strip()]
        present = {(o["type"], o["id"]) for o in objects} | set(self.objects)
        errors, done = [], []
        for obj in objects:
            key = (obj["type"], obj["id"])
            if obj["type"] not in TYPES:
                errors.append({"id": obj["id"], "type": obj["type"], "error": {"type": "unsupported_type"}})
            elif key in self.objects and not overwrite:
                errors.append({"id": obj["id"], "type": obj["type"], "error": {"type": "conflict"}})
            elif missing := [r for r in obj.get("references", []) if (r["type"], r["id"]) not in present]:
                errors.append({"id": obj["id"], "type": obj["type"], "error": {
                    "type": "missing_references", "references": [{"type": r["type"], "id": r["id"]} for r in missing]}})
            else:
                done.append(obj)
        for obj in done:
            self.objects[(obj["type"], obj["id"])] = {k: obj[k] for k in ("id", "type", "attributes", "references")}
        self.imports.append(done)
        answer = {"success": not errors, "successCount": len(done),
                  "successResults": [{"type": o["type"], "id": o["id"], "overwrite": overwrite} for o in done]}
        if errors:
            answer["errors"] = errors
        return 200, answer


def _uploaded(content_type: str, body) -> str | None:
    """The `file` part of a multipart/form-data body."""
    if not isinstance(body, bytes) or "multipart/form-data" not in content_type:
        return None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            return part.get_payload(decode=True).decode()
    return None
