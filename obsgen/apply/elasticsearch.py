"""Elasticsearch: the ILM policies and composable index templates a region's cluster takes
(generated/<region>/elasticsearch/). Policies go first: templates name them."""
from __future__ import annotations

import json
from pathlib import Path

from obsgen.apply.base import CREATE, UNCHANGED, UPDATE, Change

POLICY_DIR, TEMPLATE_DIR = "elasticsearch/ilm_policy", "elasticsearch/index_template"


class ElasticsearchApplier:
    name = "elasticsearch"
    env_prefix = "OBSGEN_ELASTICSEARCH"
    auth_scheme = "ApiKey"

    def default_url(self, estate, region) -> str | None:
        return region.elasticsearch_url

    def plan(self, region_dir: Path, client) -> list[Change]:
        changes = []
        for name, body in _documents(region_dir / POLICY_DIR):
            path = f"/_ilm/policy/{name}"
            current = client.get(path)
            live = (current or {}).get(name, {})
            changes.append(Change("ilm policy", name, _action(current is not None, body, live), "PUT", path, body))
        for name, body in _documents(region_dir / TEMPLATE_DIR):
            path = f"/_index_template/{name}"
            current = client.get(path)
            found = [t.get("index_template", {}) for t in (current or {}).get("index_templates", []) if t.get("name") == name]
            changes.append(Change("index template", name, _action(bool(found), body, found[0] if found else {}), "PUT", path, body))
        return changes


def _documents(folder: Path) -> list[tuple[str, dict]]:
    return [(p.stem, json.loads(p.read_text())) for p in sorted(folder.glob("*.json"))]


def _action(exists: bool, desired: dict, live: dict) -> str:
    if not exists:
        return CREATE
    return UNCHANGED if _contains(_normal(live), _normal(desired)) else UPDATE


def _normal(value):
    """Elasticsearch answers settings as strings and may spell `index.number_of_shards` flat;
    compare scalars as strings and dotted keys as nested ones."""
    if isinstance(value, dict):
        out: dict = {}
        for key, item in value.items():
            head, *rest = str(key).split(".")
            node = out
            for part in [head, *rest][:-1]:
                node = node.setdefault(part, {})
            leaf = [head, *rest][-1]
            normal = _normal(item)
            if isinstance(node.get(leaf), dict) and isinstance(normal, dict):
                node[leaf].update(normal)
            else:
                node[leaf] = normal
        return out
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _contains(live, desired) -> bool:
    """Everything obsgen sets is set so; what Elasticsearch adds on its own does not count."""
    if isinstance(desired, dict):
        return isinstance(live, dict) and all(k in live and _contains(live[k], v) for k, v in desired.items())
    return live == desired
