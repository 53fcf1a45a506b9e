"""Elasticsearch: the ILM policies, ingest pipelines and composable index templates a region's
cluster takes (generated/<region>/elasticsearch/), sent with the official `elasticsearch` client
(its typed APIs; retries on 429/502/503/504, timeouts and lost connections; the
`compatible-with` media types; API key or basic auth). Policies and pipelines go first:
templates name them. A pipeline's salt is a placeholder `${ENV}` in generated/; it is filled in
from the environment here, and never printed. With a corpus folder, every pipeline is then run on
its samples with `_ingest/pipeline/_simulate` (by id once sent; inline in a dry run): any mismatch
fails the apply."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from obsgen.apply.base import CREATE, UNCHANGED, UPDATE, Change
from obsgen.apply.es_client import ElasticsearchClient

POLICY_DIR, TEMPLATE_DIR = "elasticsearch/ilm_policy", "elasticsearch/index_template"
PIPELINE_DIR = "elasticsearch/ingest_pipeline"
_PLACEHOLDER = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")


class SecretMissing(RuntimeError):
    pass


class ElasticsearchApplier:
    name = "elasticsearch"
    env_prefix = "OBSGEN_ELASTICSEARCH"
    auth_scheme = "ApiKey"

    def default_url(self, estate, region) -> str | None:
        return region.elasticsearch_url

    def connect(self, url: str, credentials) -> ElasticsearchClient:
        return ElasticsearchClient(url, credentials)

    def verify(self, changes, client, corpus_dir: Path | None, dry_run: bool) -> list[str]:
        if corpus_dir is None or not corpus_dir.is_dir():
            return []
        return simulate(changes, client, corpus_dir, dry_run)

    def plan(self, region_dir: Path, client) -> list[Change]:
        # Secrets first: filled in (or refused) before any request, so that no error can echo them.
        pipelines = [(name, fill_secrets(body)) for name, body in _documents(region_dir / PIPELINE_DIR)]
        client.extra_secrets.extend(_salts(pipelines))
        client.get("/")   # who answers: the client refuses a server that is not Elasticsearch, before any write
        changes = []
        for name, body in _documents(region_dir / POLICY_DIR):
            path = f"/_ilm/policy/{name}"
            current = client.get(path)
            live = (current or {}).get(name, {})
            changes.append(Change("ilm policy", name, _action(current is not None, body, live), "PUT", path, body))
        for name, body in pipelines:
            path = f"/_ingest/pipeline/{name}"
            current = client.get(path)
            live = (current or {}).get(name, {})
            changes.append(Change("ingest pipeline", name, _action(current is not None, body, live), "PUT", path, body))
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


def fill_secrets(value, environ=None):
    """The body with every `${ENV}` replaced by the environment's value; a missing one stops the
    apply (a pipeline hashing with an empty salt would be worse than none)."""
    environ = os.environ if environ is None else environ
    if isinstance(value, dict):
        return {k: fill_secrets(v, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_secrets(v, environ) for v in value]
    if isinstance(value, str):
        def one(m):
            secret = environ.get(m.group(1))
            if not secret:
                raise SecretMissing(f"the environment variable {m.group(1)} (a pipeline's salt) is not set")
            return secret
        return _PLACEHOLDER.sub(one, value)
    return value


def _salts(pipelines) -> list[str]:
    """The filled-in secret values, for scrubbing error messages."""
    return [salt for _, body in pipelines for proc in body.get("processors", [])
            if (salt := next(iter(proc.values())).get("salt"))]


def simulate(changes, client, corpus_dir: Path, dry_run: bool) -> list[str]:
    """Run each pipeline on its corpus; the lines that say what differs ([] when all agree)."""
    from obsgen.render.pipelines import corpus
    from obsgen import names

    corpora = corpus.load_dir(corpus_dir)
    problems = []
    for change in changes:
        if change.kind != "ingest pipeline":
            continue
        meta = change.body.get("_meta", {})
        samples = corpora.get(meta.get("pipeline"))
        if not samples:
            continue
        prefix = f"{meta.get('stream')}-{meta.get('region')}"   # LogIndex.prefix of the source region
        docs = corpus.docs(samples, f"{prefix}-simulate")
        if dry_run:
            answer = client.post("/_ingest/pipeline/_simulate", {"pipeline": change.body, "docs": docs})
        else:
            answer = client.post(f"/_ingest/pipeline/{change.name}/_simulate", {"docs": docs})
        problems += [f"pipeline {change.name}: {p}" for p in corpus.mismatches(samples, answer, names.failed_index(prefix))]
    return problems
