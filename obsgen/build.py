"""Render the whole generated tree in memory: {path under generated/: bytes}."""
from __future__ import annotations

from typing import Callable

from obsgen import names, serialize
from obsgen.model import Estate, Region
from obsgen.render import alert_tests, global_rules, prometheus_config, prometheus_rules
from obsgen.render import grafana
from obsgen.render import alertmanager
from obsgen.slo import render as slo_render

# Renderers per region and for the global view. Later targets append themselves here.
# Each returns {path: document}; a document is a dict (YAML, or JSON for *.json) or bytes.
REGION_RENDERERS: list[Callable[[Estate, Region], dict]] = [
    prometheus_config.render,
    prometheus_rules.render,
    alert_tests.render,
    alertmanager.render,
    grafana.render_region,
    slo_render.render,
    slo_render.render_tests,
]
GLOBAL_RENDERERS: list[Callable[[Estate], dict]] = [
    global_rules.render,
    slo_render.render_global,
    prometheus_config.render_global,
    alertmanager.render_global,
    grafana.render_global,
]


def render_tree(estate: Estate) -> dict[str, bytes]:
    tree: dict[str, bytes] = {}
    for region in estate.regions:
        for renderer in REGION_RENDERERS:
            for path, doc in renderer(estate, region).items():
                _put(tree, f"{names.region_dir(region.name)}/{path}", doc)
    for renderer in GLOBAL_RENDERERS:
        for path, doc in renderer(estate).items():
            _put(tree, f"{names.GLOBAL_DIR}/{path}", doc)
    return dict(sorted(tree.items()))


def _put(tree: dict[str, bytes], path: str, doc) -> None:
    if path in tree:
        raise RuntimeError(f"two renderers wrote {path}")
    if isinstance(doc, bytes):
        tree[path] = doc
    elif path.endswith(".json"):
        tree[path] = serialize.to_json(doc)
    else:
        tree[path] = serialize.to_yaml(doc)
from obsgen.render import pipelines as _logs; REGION_RENDERERS += [_logs.render_fluentbit, _logs.render_kubernetes, _logs.render_loki_rules, _logs.render_loki_retention, _logs.render_elasticsearch]  # noqa: E402
