"""Every Elasticsearch body and Kubernetes object obsgen renders type-checks (tsc --noEmit)
against the official clients' types (@elastic/elasticsearch estypes, @kubernetes/client-node
models), and a document with a wrong field does not."""
from __future__ import annotations

import copy
import json

import pytest
import yaml

from obsgen import names
from tests.pipelines.node import check

pytestmark = pytest.mark.tool("node")

KINDS = (("/elasticsearch/index_template/", "index_template", json.loads), ("/elasticsearch/ilm_policy/", "ilm_policy", json.loads),
         ("/elasticsearch/ingest_pipeline/", "ingest_pipeline", json.loads),
         (f"/{names.FLUENT_BIT_STATEFULSET_FILE}", "k8s_statefulset", yaml.safe_load),
         (f"/{names.FLUENT_BIT_SERVICE_FILE}", "k8s_service", yaml.safe_load))


def _bodies(tree) -> list[dict]:
    out = []
    for path, raw in sorted(tree.items()):
        for mark, kind, parse in KINDS:
            if mark in path:
                out.append({"kind": kind, "name": path, "body": parse(raw)})
    return out


def _container(s):
    return s["spec"]["template"]["spec"]["containers"][0]


# (sentence id, kind of the good document broken, how)
WRONG = [
    ("a misspelt ILM phase", "ilm_policy", lambda p: p["policy"]["phases"].update(hott=p["policy"]["phases"].pop("hot"))),
    ("a misspelt delete action", "ilm_policy", lambda p: p["policy"]["phases"]["delete"].update(actions={"delet": {}})),
    ("an unknown mapping field type", "index_template",
     lambda t: next(iter(t["template"]["mappings"]["properties"].values())).update(type="keywrd")),
    ("number_of_shards given as a list", "index_template", lambda t: t["template"]["settings"]["index"].update(number_of_shards=[3])),
    ("index_pattern instead of index_patterns", "index_template", lambda t: t.update(index_pattern=t.pop("index_patterns"))),
    ("a template priority that is not a number", "index_template", lambda t: t.update(priority="high")),
    ("a misspelt grok processor", "ingest_pipeline", lambda p: p["processors"].append({"grokk": {"field": "message", "patterns": ["%{WORD:w}"]}})),
    ("grok patterns given as one string", "ingest_pipeline",
     lambda p: next(x for x in p["processors"] if "grok" in x)["grok"].update(patterns="%{WORD:w}")),
    ("a geoip processor with an unknown option", "ingest_pipeline",
     lambda p: p["processors"].append({"geoip": {"field": "clientip", "databse": "GeoLite2-City.mmdb"}})),
    ("on_failure given as one processor, not a list", "ingest_pipeline", lambda p: p.update(on_failure=p["on_failure"][0])),
    ("a fingerprint method that is not a string", "ingest_pipeline",
     lambda p: p["processors"].append({"fingerprint": {"fields": ["user_email"], "method": 256}})),
    ("StatefulSet replicas given as text", "k8s_statefulset", lambda s: s["spec"].update(replicas="three")),
    ("a misspelt containerPort", "k8s_statefulset", lambda s: _container(s)["ports"][0].update(containerPrt=_container(s)["ports"][0].pop("containerPort"))),
    ("a volume claim template without its metadata nesting", "k8s_statefulset",
     lambda s: s["spec"]["volumeClaimTemplates"][0].update(name="storage")),
    ("a Service port given as text", "k8s_service", lambda v: v["spec"]["ports"][0].update(port="forward")),
]


@pytest.fixture(scope="module")
def verdicts(tree):
    """One tsc run for the rendered bodies and every deliberately wrong one."""
    good = _bodies(tree)
    wrong = []
    for sentence, kind, breaker in WRONG:
        doc = copy.deepcopy(next(b["body"] for b in good if b["kind"] == kind))
        breaker(doc)
        wrong.append({"kind": kind, "name": sentence, "body": doc})
    results = check("types", good + wrong)
    return good, {r["name"]: r for r in results}


def test_every_rendered_document_type_checks_against_the_official_clients(verdicts):
    good, results = verdicts
    assert len(good) >= 6, "no documents rendered: this test would prove nothing"
    assert {b["kind"] for b in good} == {kind for _, kind, _ in KINDS}
    assert [(b["name"], results[b["name"]]["errors"]) for b in good if not results[b["name"]]["ok"]] == []


@pytest.mark.parametrize("sentence", [pytest.param(s, id=s) for s, _, _ in WRONG])
def test_tsc_rejects(sentence, verdicts):
    _, results = verdicts
    assert not results[sentence]["ok"]
    assert all(e["message"].startswith("TS") for e in results[sentence]["errors"])
