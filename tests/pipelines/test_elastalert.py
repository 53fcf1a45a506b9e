"""The generated ElastAlert 2 rules are the seed's three log alerts for every region whose logs a
cluster stores, go to the source region's Alertmanager with the labels the metric alerts' routes
read, and are valid ElastAlert 2 rules, checked two ways:

- in this process, with ElastAlert 2's own rule schema (tests/data/elastalert2-2.19.0/schema.yaml,
  jsonschema Draft 7 as ElastAlert runs it) and the required options its loader, rule types and
  Alertmanager alerter declare (elastalert2 2.19.0: loaders.py, ruletypes.py, alerters/alertmanager.py);
- by ElastAlert 2's own config and rule loader, run in its separate virtualenv (elastalert2 pins
  elasticsearch 7.10.1, obsgen the official client 9), `tool("elastalert2")`.

Deliberately broken rules are refused both ways."""
from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from obsgen import names
from obsgen.logs import plan
from tests.conftest import VENV_TOOLS

HERE = Path(__file__).resolve().parent
SCHEMA = jsonschema.Draft7Validator(yaml.safe_load((HERE.parent / "data" / "elastalert2-2.19.0" / "schema.yaml").read_text()))
# What elastalert2 2.19.0 requires beyond its schema (RulesLoader.required_locals, each rule type's
# and alerter's required_options, the config's required_globals and the file loader's).
RULE_REQUIRED = {"alert", "type", "name", "index"}
TYPE_REQUIRED = {"any": set(), "frequency": {"num_events", "timeframe"}}
ALERTER_REQUIRED = {"alertmanager": {"alertmanager_hosts"}}
CONFIG_REQUIRED = {"run_every", "es_host", "es_port", "writeback_index", "buffer_time"}


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


def problems(config: dict, rule: dict) -> list[str]:
    """Why ElastAlert 2 would refuse the rule (or its config), by its schema and required options."""
    found = [f"config lacks {k}" for k in sorted(CONFIG_REQUIRED - set(config))]
    found += [e.message for e in SCHEMA.iter_errors(rule)]
    found += [f"rule lacks {k}" for k in sorted(RULE_REQUIRED - set(rule))]
    if rule.get("type") not in TYPE_REQUIRED:
        found.append(f"rule type {rule.get('type')!r} is none obsgen emits")
    found += [f"{rule.get('type')} rule lacks {k}" for k in sorted(TYPE_REQUIRED.get(rule.get("type"), set()) - set(rule))]
    for alerter in rule.get("alert") or []:
        found += [f"{alerter} alerter lacks {k}" for k in sorted(ALERTER_REQUIRED.get(alerter, set()) - set(rule))]
    return found


def real_load(sets: list[tuple[dict, dict[str, dict]]]) -> list[dict]:
    """ElastAlert 2's own loader on each (config, rules): [{"loaded": n} or {"error": "..."}]."""
    run = subprocess.run([str(VENV_TOOLS["elastalert2"].with_name("python")), str(HERE / "elastalert_load.py")], capture_output=True, text=True,
                         input=json.dumps([{"config": c, "rules": r} for c, r in sets]), timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def test_every_generated_rule_fits_elastalert2s_schema_and_required_options(tree):
    found = _by_region(tree)
    assert set(found) == {"us-east", "eu-west", "cn-east"}
    for region, (config, rules) in found.items():
        assert len(rules) >= 3, region
        for name, rule in rules.items():
            assert problems(config, rule) == [], f"{region}: {name}"


@pytest.mark.tool("elastalert2")
def test_every_clusters_rules_load_with_elastalert2s_own_loader(tree):
    found = _by_region(tree)
    results = real_load(list(found.values()))
    assert results == [{"loaded": len(rules)} for _, rules in found.values()]


def test_the_seed_alerts_for_each_source_region_to_its_own_alertmanager(tree, estate):
    found = _by_region(tree)
    for storage, (_, rules) in found.items():
        for col in plan.stored_in(estate, estate.region(storage)):
            source = estate.region(col.region)
            mine = {k: r for k, r in rules.items() if r["alertmanager_labels"][names.REGION] == source.name}
            assert {r["alertmanager_alertname"] for r in mine.values()} == {a.name for a in estate.log_alerts}
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
    ("num_events that is not a whole number", lambda r: r.update(num_events="50")),
    ("an Alertmanager API version that does not exist", lambda r: r.update(alertmanager_api_version="v3")),
]


def _broken(tree, breaker) -> tuple[dict, dict]:
    config, rules = _by_region(tree)["eu-west"]
    rule = copy.deepcopy(rules["eu-west-HighLogErrorRate"])
    breaker(rule)
    return config, rule


@pytest.mark.parametrize("breaker", [pytest.param(f, id=s) for s, f in BROKEN])
def test_the_schema_and_required_options_refuse_a_broken_rule(tree, breaker):
    assert problems(*_broken(tree, breaker))


@pytest.mark.tool("elastalert2")
def test_elastalert2s_own_loader_refuses_every_broken_rule(tree):
    cases = [_broken(tree, f) for _, f in BROKEN]
    results = real_load([(config, {"broken": rule}) for config, rule in cases])
    for (sentence, _), result in zip(BROKEN, results):
        assert "broken.yaml" in result.get("error", ""), f"{sentence}: {result}"
