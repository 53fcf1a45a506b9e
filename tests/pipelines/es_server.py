"""A recording stand-in for Elasticsearch on 127.0.0.1 (Elasticsearch cannot run here): it keeps
ILM policies, ingest pipelines and index templates, answers GET the way Elasticsearch does
(settings as strings, policies wrapped with version and modified_date, the X-Elastic-Product header
the official client insists on; a `compatible-with` media type other than 8 or 9 refused), runs
`_ingest/pipeline/_simulate` with tests/pipelines/ingest_sim.py, and records every request."""
from __future__ import annotations

import json
import re

from tests.json_stub import JsonStub
from tests.pipelines import ingest_sim


_COMPAT = re.compile(r"compatible-with=(\d+)")


class FakeElasticsearch(JsonStub):
    response_headers = {"X-Elastic-Product": "Elasticsearch"}

    def __init__(self):
        super().__init__()
        self.policies: dict = {}
        self.templates: dict = {}
        self.pipelines: dict = {}
        self.fail_with: tuple[int, dict] | None = None   # answer every request so, e.g. (401, {...})
        self.fail_next: list[tuple[int, dict]] = []      # answer the next requests so, one each

    def route(self, method, path, headers, body):
        if self.fail_next:
            return self.fail_next.pop(0)
        if self.fail_with:
            return self.fail_with
        for header in ("Accept", "Content-Type"):
            version = _COMPAT.search(headers.get(header, ""))
            if version and version.group(1) not in ("8", "9"):
                return 400, {"error": {"type": "media_type_header_exception",
                                       "reason": f"Invalid media-type value on headers [{header}]"}, "status": 400}
        if method == "GET" and path == "/":
            return 200, {"name": "stand-in", "cluster_name": "obsgen-test", "version": {"number": "9.1.0"},
                         "tagline": "You Know, for Search"}
        kind, _, name = path.lstrip("/").partition("/")
        if kind == "_ingest" and name.startswith("pipeline/"):
            name = name.removeprefix("pipeline/")
            if method == "POST" and name.endswith("_simulate"):
                return self._simulate(name.removesuffix("_simulate").rstrip("/"), body)
            store = self.pipelines
            if method == "PUT":
                store[name] = body
                return 200, {"acknowledged": True}
            if name not in store:
                return 404, {}
            return 200, {name: store[name]}
        if kind == "_ilm" and name.startswith("policy/"):
            store, name = self.policies, name.removeprefix("policy/")
        elif kind == "_index_template":
            store = self.templates
        else:
            return 400, {"error": {"type": "illegal_argument_exception", "reason": "unknown path"}}
        if method == "PUT":
            store[name] = body
            return 200, {"acknowledged": True}
        if name not in store:
            return 404, {"error": {"type": "resource_not_found_exception", "reason": name}}
        if store is self.policies:
            return 200, {name: {"version": 1, "modified_date": "2026-11-26T00:00:00.000Z", **store[name]}}
        return 200, {"index_templates": [{"name": name, "index_template": _as_es_returns(store[name])}]}


    def _simulate(self, name, body):
        pipeline = body.get("pipeline") if not name else self.pipelines.get(name)
        if pipeline is None:
            return 404, {"error": {"type": "resource_not_found_exception", "reason": f"pipeline [{name}] is missing"}}
        try:
            return 200, ingest_sim.simulate(pipeline, body["docs"], name or "_simulate_pipeline")
        except ingest_sim.ProcessorError as exc:
            return 200, {"docs": [{"error": {"type": exc.kind, "reason": str(exc)}}]}


def _as_es_returns(template: dict) -> dict:
    """Elasticsearch answers index settings as strings."""
    out = json.loads(json.dumps(template))
    index = out.get("template", {}).get("settings", {}).get("index", {})
    for key in ("number_of_shards", "number_of_replicas"):
        if key in index:
            index[key] = str(index[key])
    return out

