from __future__ import annotations

import pytest
import yaml

from obsgen import build, names
from obsgen.render import pipelines


@pytest.fixture(scope="session")
def estate(example_estate):
    return example_estate


RENDERERS = (pipelines.render_fluentbit, pipelines.render_kubernetes, pipelines.render_loki_rules,
             pipelines.render_loki_retention, pipelines.render_elasticsearch, pipelines.render_elastalert,
             pipelines.render_kibana)


def pipeline_tree(estate) -> dict[str, bytes]:
    """The log pipeline part of the generated tree, serialized as `obsgen build` does (the rest
    of the tree takes ten seconds to render and says nothing about logs)."""
    assert all(r in build.REGION_RENDERERS for r in RENDERERS), "a log pipeline renderer is not registered"
    tree: dict[str, bytes] = {}
    for region in estate.regions:
        for render in RENDERERS:
            for path, doc in render(estate, region).items():
                full = f"{names.region_dir(region.name)}/{path}"
                assert full not in tree, f"two renderers wrote {full}"
                tree[full] = build.to_bytes(full, doc)
    return dict(sorted(tree.items()))


@pytest.fixture(scope="session")
def tree(estate) -> dict[str, bytes]:
    return pipeline_tree(estate)


@pytest.fixture(scope="session")
def fluent_bit(tree, estate) -> dict[str, dict]:
    """{region name: parsed Fluent Bit config} for every region that has a collector."""
    out = {}
    for region in estate.regions:
        raw = tree.get(f"{names.region_dir(region.name)}/{names.FLUENT_BIT_FILE}")
        if raw is not None:
            out[region.name] = yaml.safe_load(raw)
    return out
