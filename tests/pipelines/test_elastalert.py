"""The generated ElastAlert 2 rules load with ElastAlert 2's own loader (schema.yaml, rule type and
alerter modules: elastalert2 from PyPI, a test dependency), are the seed's three log alerts for
every region whose logs a cluster stores, and go to the source region's Alertmanager with the
labels the metric alerts' routes read. Deliberately broken rules are refused by the same loader."""
from __future__ import annotations

import copy

import pytest
import yaml
from elastalert.config import load_conf
from elastalert.loaders import FileRulesLoader
from elastalert.util import EAException

from obsgen import names
from obsgen.model.pipeline import LogAlert
from obsgen.logs import plan


def _load(tmp_path, config: dict, rules: dict[str, dict]):
    (tmp_path / "rules").mkdir(parents=True, exist_ok=True)
    conf_file = tmp_path / "config.yaml"
    conf_file.write_text(yaml.safe_dump({**config, "rules_folder": str(tmp_path / "rules")}))
    for name, body in rules.items():
        (tmp_path / "rules" / f"{name}.yaml").write_text(yaml.safe_dump(body))

    class Args:
        config = str(conf_file)
        debug = verbose = False
        es_debug = es_debug_trace = None
        rule = None
        silence = None
        start = end = None
        patience = None
        pin_rules = False
    conf = load_conf(Args())
    return conf["rules_loader"].load(conf)


def _by_region(tree) -> dict[str, tuple[dict, dict[str, dict]]]:
    out = {}
    for path, raw in tree.items():
        region, rest = path.split("/", 1)
        if rest.startswith("elastalert/"):
            config, rules = out.setdefault(region, ({}, {}))
            doc = yaml.safe_load(raw)
            if rest == "elastalert/config.yaml":
                config.update(doc)
            else:
                rules[rest.rsplit("/", 1)[1].removesuffix(".yaml")] = doc
    return out


def test_every_cluster_s_rules_load_with_elastalert2s_own_loader(tree, tmp_path):
    found = _by_region(tree)
    assert set(found) == {"us-east", "eu-west", "cn-east"}
    for region, (config, rules) in found.items():
        loaded = _load(tmp_path / region, config, rules)
        assert len(loaded) == len(rules) and len(rules) >= 3, region


def test_the_seed_alerts_for_each_source_region_to_its_own_alertmanager(tree, estate):
    found = _by_region(tree)
    for storage, (_, rules) in found.items():
        for col in plan.stored_in(estate, estate.region(storage)):
            source = estate.region(col.region)
            mine = {k: r for k, r in rules.items() if r["alertmanager_labels"][names.REGION] == source.name}
            assert {r["alertmanager_alertname"] for r in mine.values()} == {a.name for a in estate.of_type(LogAlert)}
            for r in mine.values():
                assert r["index"].endswith(f"-{source.name}"), r["index"]   # only the source's data stream
                assert r["alertmanager_hosts"] == [source.alertmanager_url]
    cn = found["cn-east"][1].values()
    assert all(r["alertmanager_hosts"] == [estate.region("cn-east").alertmanager_url] for r in cn)


def test_the_rules_say_what_the_seed_says(tree):
    rules = {k: v for _, (_, rs) in _by_region(tree).items() for k, v in rs.items()}
    high = rules["eu-west-HighLogErrorRate"]
    assert (high["type"], high["num_events"], high["timeframe"], high["filter"]) == ("frequency", 50, {"minutes": 5}, [{"term": {"level": "ERROR"}}])
    pay = rules["eu-west-FailedPaymentProcessing"]
    assert pay["type"] == "any" and {"match_phrase": {"message": "payment failed"}} in pay["filter"]
    assert pay["alertmanager_labels"]["severity"] == "critical"
    gdpr = rules["eu-west-GDPRViolationDetected"]
    assert gdpr["index"] == "audit-logs-eu-west" and {"term": {"consent": False}} in gdpr["filter"]
    assert gdpr["alertmanager_labels"]["team"] == "compliance"


BROKEN = [
    ("a misspelt rule type", lambda r: r.update(type="frequncy")),
    ("a frequency rule without num_events", lambda r: r.pop("num_events")),
    ("an alertmanager alert without hosts", lambda r: r.pop("alertmanager_hosts")),
    ("a timeframe that is not a time", lambda r: r.update(timeframe="5 minutes")),
    ("no index", lambda r: r.pop("index")),
]


@pytest.mark.parametrize("breaker", [pytest.param(f, id=s) for s, f in BROKEN])
def test_elastalert2_refuses_a_broken_rule(tree, tmp_path, breaker):
    config, rules = _by_region(tree)["eu-west"]
    rule = copy.deepcopy(rules["eu-west-HighLogErrorRate"])
    breaker(rule)
    with pytest.raises(EAException) as info:
        _load(tmp_path, config, {"broken": rule})
    assert "broken.yaml" in str(info.value)
