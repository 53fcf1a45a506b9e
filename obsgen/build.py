"""Render the whole generated tree in memory: {path under generated/: bytes}."""
from __future__ import annotations

from typing import Callable

from obsgen import names, serialize
from obsgen.model import Estate, Region
from obsgen.render import (
    alert_tests, alertmanager, global_rules, grafana, pipelines, prometheus_config, prometheus_rules,
)
from obsgen.slo import render as slo_render

# Each renderer is pure and returns {path: document}; a document is a dict or list (YAML, or
# JSON for *.json), or bytes written as they are.
REGION_RENDERERS: list[Callable[[Estate, Region], dict]] = [
    prometheus_config.render,
    prometheus_rules.render,
    alert_tests.render,
    slo_render.render,
    slo_render.render_tests,
    alertmanager.render,
    grafana.render_region,
    pipelines.render_fluentbit,
    pipelines.render_kubernetes,
    pipelines.render_loki_rules,
    pipelines.render_loki_retention,
    pipelines.render_elasticsearch,
]
GLOBAL_RENDERERS: list[Callable[[Estate], dict]] = [
    global_rules.render,
    slo_render.render_global,
    prometheus_config.render_global,
    alertmanager.render_global,
    grafana.render_global,
]


def render_documents(estate: Estate) -> dict[str, object]:
    """{path under generated/: document}, before serialization."""
    docs: dict[str, object] = {}
    for region in estate.regions:
        for renderer in REGION_RENDERERS:
            for path, doc in renderer(estate, region).items():
                _put(docs, f"{names.region_dir(region.name)}/{path}", doc)
    for renderer in GLOBAL_RENDERERS:
        for path, doc in renderer(estate).items():
            _put(docs, f"{names.GLOBAL_DIR}/{path}", doc)
    return dict(sorted(docs.items()))


def render_tree(estate: Estate) -> dict[str, bytes]:
    return {path: to_bytes(path, doc) for path, doc in render_documents(estate).items()}


def to_bytes(path: str, doc) -> bytes:
    if isinstance(doc, bytes):
        return doc
    if path.endswith(".json"):
        return serialize.to_json(doc)
    return serialize.to_yaml(doc)


def _put(docs: dict[str, object], path: str, doc) -> None:
    if path in docs:
        raise RuntimeError(f"two renderers wrote {path}")
    docs[path] = doc
