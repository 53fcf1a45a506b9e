"""One region's Loki ruler rules: the log alerts as a Prometheus-format rule file of LogQL
alerting rules, evaluated by the region's own Loki (its logs never leave it for alerting)."""
from __future__ import annotations

from collections import defaultdict

from obsgen import names
from obsgen.logs import plan
from obsgen.model import Estate, Region
from obsgen.model.pipeline import LogAlert


def render(estate: Estate, region: Region) -> dict[str, dict]:
    if plan.collector(estate, region) is None:
        return {}
    groups: dict[str, list[dict]] = defaultdict(list)
    for alert in plan.log_alerts(estate, region):
        groups[alert.group].append(rule(alert, region, plan.alert_logql(estate, alert)))
    if not groups:
        return {}
    return {names.loki_rules_file(): {"groups": [
        {"name": names.log_rule_group(group), "interval": region.evaluation_interval, "rules": rules}
        for group, rules in sorted(groups.items())
    ]}}


def rule(alert: LogAlert, region: Region, expr: str) -> dict:
    body = {"alert": alert.name, "expr": expr}
    if alert.for_ != "0s":
        body["for"] = alert.for_
    body["labels"] = dict(sorted({**alert.labels, names.SEVERITY: alert.severity, names.REGION: region.name}.items()))
    body["annotations"] = dict(sorted({"summary": alert.summary, "title": alert.title, **alert.annotations}.items()))
    return body
