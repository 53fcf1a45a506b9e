"""Every Elasticsearch body obsgen renders type-checks (tsc --noEmit) against the official
client's request types, and a body with a wrong field does not."""
from __future__ import annotations

import copy
import json

import pytest

from tests.pipelines.node import check


def _bodies(tree) -> list[dict]:
    out = []
    for path, raw in sorted(tree.items()):
        for folder, kind in (("/elasticsearch/index_template/", "index_template"), ("/elasticsearch/ilm_policy/", "ilm_policy")):
            if folder in path:
                out.append({"kind": kind, "name": path, "body": json.loads(raw)})
    return out


def _misspell_phase(t, p):
    p["policy"]["phases"]["hott"] = p["policy"]["phases"].pop("hot")


def _unknown_mapping_type(t, p):
    next(iter(t["template"]["mappings"]["properties"].values()))["type"] = "keywrd"


def _shards_as_list(t, p):
    t["template"]["settings"]["index"]["number_of_shards"] = [3]


def _index_patterns_singular(t, p):
    t["index_pattern"] = t.pop("index_patterns")


def _delete_action_misspelt(t, p):
    p["policy"]["phases"]["delete"]["actions"] = {"delet": {}}


def _priority_as_text(t, p):
    t["priority"] = "high"


# (sentence id, how a good template t and policy p are broken)
WRONG = [
    ("a misspelt ILM phase", _misspell_phase),
    ("an unknown mapping field type", _unknown_mapping_type),
    ("number_of_shards given as a list", _shards_as_list),
    ("index_pattern instead of index_patterns", _index_patterns_singular),
    ("a misspelt delete action", _delete_action_misspelt),
    ("a priority that is not a number", _priority_as_text),
]


@pytest.fixture(scope="module")
def verdicts(tree):
    """One tsc run for the rendered bodies and every deliberately wrong one."""
    good = _bodies(tree)
    template = next(b["body"] for b in good if b["kind"] == "index_template")
    policy = next(b["body"] for b in good if b["kind"] == "ilm_policy")
    wrong = []
    for sentence, breaker in WRONG:
        t, p = copy.deepcopy(template), copy.deepcopy(policy)
        breaker(t, p)
        changed = "index_template" if t != template else "ilm_policy"
        wrong.append({"kind": changed, "name": sentence, "body": t if changed == "index_template" else p})
    results = check("es", good + wrong)
    return good, {r["name"]: r for r in results}


def test_every_rendered_body_type_checks_against_the_official_client(verdicts):
    good, results = verdicts
    assert len(good) >= 6, "no Elasticsearch bodies rendered: this test would prove nothing"
    assert {b["kind"] for b in good} == {"index_template", "ilm_policy"}
    assert [(b["name"], results[b["name"]]["errors"]) for b in good if not results[b["name"]]["ok"]] == []


@pytest.mark.parametrize("sentence", [pytest.param(s, id=s) for s, _ in WRONG])
def test_tsc_rejects(sentence, verdicts):
    _, results = verdicts
    assert not results[sentence]["ok"]
    assert all(e["message"].startswith("TS") for e in results[sentence]["errors"])
