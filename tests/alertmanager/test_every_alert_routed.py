"""Every alert the estate can raise reaches a receiver with an integration, in every Alertmanager:
each alerting rule of the built tree (regional Prometheus rules, SLO rules, Loki log rules, the
global ruler's rules) with its labels, asked of `amtool config routes test`. The only receivers
without an integration an alert may reach are the ones the definitions name: an isolated
region's alerts on the global Alertmanager are dropped."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from obsgen import amtool, build, names

pytestmark = pytest.mark.tool("amtool")

_MATCHER = re.compile(r'\b(slo|service)="([^"]+)"')


@pytest.fixture(scope="module")
def built(estate, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built")
    for rel, data in build.render_tree(estate).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return out


def alert_rules(rule_file: Path) -> list[dict[str, str]]:
    """Each alerting rule's labels as Alertmanager sees them: the rule's labels, its name, and
    the slo/service its expression selects (SLO alerts carry those from their series)."""
    out = []
    for group in (yaml.safe_load(rule_file.read_text()) or {}).get("groups", []):
        for rule in group["rules"]:
            if "alert" in rule:
                labels = {**dict(_MATCHER.findall(rule["expr"])), **rule.get("labels", {}),
                          names.ALERTNAME: rule["alert"]}
                out.append(dict(sorted(labels.items())))
    return out


def raised_in(built: Path, where: str) -> list[dict[str, str]]:
    files = [*(built / where).glob("prometheus/rules/*.yml"), *(built / where).glob("loki/rules/*/*.yaml"),
             *(built / where).glob("thanos/rules*/*.yml")]
    return [labels for f in sorted(files) for labels in alert_rules(f)]


def _integrated(config: dict) -> set[str]:
    return {r["name"] for r in config["receivers"] if any(k.endswith("_configs") for k in r)}


def _unique(label_sets):
    return [dict(t) for t in sorted({tuple(sorted(s.items())) for s in label_sets})]


def test_every_alert_of_every_region_and_of_the_global_ruler_reaches_an_integration(estate, built):
    checked, problems = 0, []
    feeding = [r.name for r in estate.global_regions]
    isolated = [r.name for r in estate.regions if not r.feeds_global]
    by_source = {r.name: raised_in(built, r.name) for r in estate.regions}
    by_source[names.GLOBAL_REGION] = raised_in(built, names.GLOBAL_DIR)
    assert {a[names.ALERTNAME] for a in by_source[names.GLOBAL_REGION]} >= {"RegionDown", "Watchdog", "SLOErrorBudgetBurn"}
    assert {a[names.ALERTNAME] for a in by_source["us-east"]} >= {"Watchdog", "GDPRViolationDetected", "SLOErrorBudgetBurn"}
    alertmanagers = {r.name: [r.name] for r in estate.regions}
    alertmanagers[names.GLOBAL_REGION] = [*feeding, names.GLOBAL_REGION, *isolated]
    for where, sources in alertmanagers.items():
        config_file = built / where / names.alertmanager_file()
        config = yaml.safe_load(config_file.read_text())
        integrated = _integrated(config)
        for source in sources:
            for labels in _unique(by_source[source]):
                checked += 1
                got = amtool.route(config_file, labels)
                allowed = {names.AM_ISOLATED_DROPPED} if where == names.GLOBAL_REGION and source in isolated else integrated
                if not got or not set(got) <= allowed:
                    problems.append(f"{where} Alertmanager: {labels} -> {', '.join(got) or 'nothing'}")
    assert not problems, "\n".join(problems)
    assert checked > 150
