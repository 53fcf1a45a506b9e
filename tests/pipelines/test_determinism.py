"""The log pipeline renderers are pure: same estate, same bytes; and no renderer asks a
region's name (the region table's attributes decide every difference)."""
from __future__ import annotations

import re
from pathlib import Path

from obsgen.load import load_estate
from tests.pipelines.conftest import pipeline_tree
from tests.pipelines.node import ROOT

RENDERERS = ROOT / "obsgen" / "render" / "pipelines"
LOG_DIRS = ("/fluent-bit/", "/loki/", "/elasticsearch/", "/elastalert/", "/kibana/")


def test_two_builds_give_the_same_bytes(tree):
    assert tree and all(any(d in p for d in LOG_DIRS) for p in tree)
    assert pipeline_tree(load_estate(ROOT)) == tree


def test_the_committed_tree_matches_a_fresh_build(tree):
    stale = [p for p, b in tree.items()
             if not (ROOT / "generated" / p).is_file() or (ROOT / "generated" / p).read_bytes() != b]
    assert stale == [], "run `obsgen build` and commit generated/"


def test_no_pipeline_renderer_names_a_region(estate):
    names = [r.name for r in estate.regions]
    for path in sorted(Path(RENDERERS).glob("*.py")):
        text = path.read_text()
        found = [n for n in names if re.search(rf"['\"]{re.escape(n)}['\"]", text)]
        assert found == [], f"{path.name} names {found}"


def test_no_pipeline_file_leans_on_yaml_aliases(tree):
    """A dict shared between two places is written as &id001/*id001: legal, but unreadable."""
    assert [p for p, b in tree.items() if p.endswith((".yaml", ".yml")) and b"&id0" in b] == []
