"""Render the whole generated tree in memory: {path under generated/: bytes}."""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable

from obsgen import names, serialize
from obsgen.errors import ObsgenError
from obsgen.model import Estate, Region
from obsgen.render import (
    alert_tests, alertmanager, global_rules, grafana, pipelines, prometheus_config, prometheus_rules, thanos,
)
from obsgen.render import prometheus_operator
from obsgen.slo import render as slo_render

# Each renderer is pure and returns {path: document}; a document is a dict or list (YAML, or
# JSON for *.json), or bytes written as they are.
REGION_RENDERERS: list[Callable[[Estate, Region], dict]] = [
    prometheus_config.render,
    prometheus_rules.render,
    alert_tests.render,
    slo_render.render,
    slo_render.render_tests,
    prometheus_operator.render,   # a region with rule_format "both": the rule files as PrometheusRule objects
    alertmanager.render,
    grafana.render_region,
    pipelines.render_fluentbit,
    pipelines.render_kubernetes,
    pipelines.render_loki_rules,
    pipelines.render_loki_retention,
    pipelines.render_elasticsearch,
    pipelines.render_elastalert,
    pipelines.render_kibana,
    thanos.render,
]
GLOBAL_RENDERERS: list[Callable[[Estate], dict]] = [
    global_rules.render,
    slo_render.render_global,
    thanos.render_global,
    alertmanager.render_global,
    grafana.render_global,
]


MAX_NAME_BYTES = 255     # one path component (Linux NAME_MAX)
MAX_PATH_BYTES = 1024    # a whole path under generated/, well inside PATH_MAX


class BuildError(ObsgenError):
    """Rendered paths that cannot be written as they are: one line, exit 2. The loader's checks
    name the definition; this is the last guard, naming the renderer."""


def render_documents(estate: Estate) -> dict[str, object]:
    """{path under generated/: document}, before serialization."""
    docs: dict[str, object] = {}
    owner: dict[str, str] = {}
    for region in estate.regions:
        for renderer in REGION_RENDERERS:
            for path, doc in renderer(estate, region).items():
                _put(docs, owner, f"{names.region_dir(region.name)}/{path}", doc, renderer)
    for renderer in GLOBAL_RENDERERS:
        for path, doc in renderer(estate).items():
            _put(docs, owner, f"{names.GLOBAL_DIR}/{path}", doc, renderer)
    _no_file_is_a_directory(docs, owner)
    return dict(sorted(docs.items()))


def render_tree(estate: Estate, workers: int | None = None,
                progress: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """{path under generated/: bytes}. Large estates render and serialize their regions in
    forked worker processes, one region a task (the bytes are the same: each document is pure
    and the result is sorted by path); `workers=1` keeps everything in this process."""
    workers = workers or _workers(estate)
    if workers <= 1:
        return {path: to_bytes(path, doc) for path, doc in render_documents(estate).items()}
    global _ESTATE
    _ESTATE = estate   # inherited by the forked workers, never pickled
    docs: dict[str, object] = {}
    owner: dict[str, str] = {}
    tree: dict[str, bytes] = {}
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        jobs = [pool.apply_async(_render_region, (i,)) for i in range(len(estate.regions))]
        for renderer in GLOBAL_RENDERERS:
            for path, doc in renderer(estate).items():
                _put(docs, owner, f"{names.GLOBAL_DIR}/{path}", doc, renderer)
        for job in jobs:
            name, rendered = job.get()
            for path, who, data in rendered:
                problem = path_problem(path)
                if problem:
                    raise BuildError(f"{who}: generated path {path!r} {problem}")
                if path in owner:
                    raise BuildError(f"{who} and {owner[path]} both write {path}: rename one of the definitions")
                owner[path] = who
                docs[path] = None
                tree[path] = data
            if progress:
                progress(f"region {name} rendered")
    _ESTATE = None
    _no_file_is_a_directory(docs, owner)
    tree.update((path, to_bytes(path, doc)) for path, doc in docs.items() if doc is not None)
    return dict(sorted(tree.items()))


PARALLEL_FROM = 40    # SLO x region pairs from which forking workers pays for itself
_ESTATE: Estate | None = None


def _workers(estate: Estate) -> int:
    pairs = len(estate.slos) * len(estate.regions)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(cores, len(estate.regions)) if pairs >= PARALLEL_FROM else 1


def _render_region(index: int) -> tuple[str, list[tuple[str, str, bytes]]]:
    region = _ESTATE.regions[index]
    out = []
    for renderer in REGION_RENDERERS:
        who = f"{renderer.__module__}.{renderer.__name__}"
        for path, doc in renderer(_ESTATE, region).items():
            full = f"{names.region_dir(region.name)}/{path}"
            out.append((full, who, to_bytes(full, doc)))
    return region.name, out


def to_bytes(path: str, doc) -> bytes:
    if isinstance(doc, bytes):
        return doc
    if path.endswith(".json"):
        return serialize.to_json(doc)
    return serialize.to_yaml(doc)


def _put(docs: dict[str, object], owner: dict[str, str], path: str, doc, renderer) -> None:
    who = f"{renderer.__module__}.{renderer.__name__}"
    problem = path_problem(path)
    if problem:
        raise BuildError(f"{who}: generated path {path!r} {problem}")
    if path in docs:
        raise BuildError(f"{who} and {owner[path]} both write {path}: rename one of the definitions")
    docs[path] = doc
    owner[path] = who


def path_problem(path: str) -> str | None:
    """Why `path` may not be written under the output directory, or None."""
    parts = path.split("/")
    if "\0" in path:
        return "holds a NUL character"
    if path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return "would leave the output directory (absolute, empty, '.' or '..' component)"
    if parts[0] == names.MANIFEST or any(p.startswith(f".{names.GENERATED}.") for p in parts):
        return "is a name obsgen keeps for itself"
    if any(len(p.encode()) > MAX_NAME_BYTES for p in parts):
        return f"has a component longer than {MAX_NAME_BYTES} bytes"
    if len(path.encode()) > MAX_PATH_BYTES:
        return f"is longer than {MAX_PATH_BYTES} bytes"
    return None


def _no_file_is_a_directory(docs: dict[str, object], owner: dict[str, str]) -> None:
    dirs = {}
    for path in docs:
        parts = path.split("/")
        for i in range(1, len(parts)):
            dirs.setdefault("/".join(parts[:i]), path)
    for path in docs:
        if path in dirs:
            raise BuildError(f"{owner[path]} writes the file {path}, but {owner[dirs[path]]} writes "
                             f"{dirs[path]} inside it: rename one of the definitions")
