"""Hand-written alert and recording rules for one region's Prometheus."""
from __future__ import annotations

from collections import defaultdict

from obsgen import names
from obsgen.model import Alert, Estate, Recording, Region, applies


def alert_rule(alert: Alert, region: Region) -> dict:
    rule = {"alert": alert.name, "expr": alert.expr}
    if alert.for_ != "0s":
        rule["for"] = alert.for_
    rule["labels"] = alert_labels(alert, region)
    rule["annotations"] = alert_annotations(alert)
    return rule


def alert_labels(alert: Alert, region: Region) -> dict:
    return dict(sorted({**alert.labels, names.SEVERITY: alert.severity, names.REGION: region.name}.items()))


def alert_annotations(alert: Alert) -> dict:
    notes = {"summary": alert.summary, **alert.annotations}
    if alert.runbook:
        notes["runbook_url"] = alert.runbook
    return dict(sorted(notes.items()))


def recording_rule(rec: Recording, region: Region) -> dict:
    return {
        "record": rec.name,
        "expr": rec.expr,
        "labels": dict(sorted({**rec.labels, names.REGION: region.name}.items())),
    }


def group_file(group: str, rules: list[dict], interval: str | None = None) -> dict:
    body = {"name": names.rule_group(group)}
    if interval:
        body["interval"] = interval
    body["rules"] = rules
    return {"groups": [body]}


def render(estate: Estate, region: Region) -> dict[str, dict]:
    """{path under the region's dir: rule file document} for the hand-written rules."""
    alerts: dict[str, list[dict]] = defaultdict(list)
    for alert in estate.alerts:
        if applies(alert, region):
            alerts[alert.group].append(alert_rule(alert, region))
    recordings: dict[str, list[dict]] = defaultdict(list)
    for rec in estate.recordings:
        if applies(rec, region):
            recordings[rec.group].append(recording_rule(rec, region))
    files = {}
    for group, rules in sorted(recordings.items()):
        files[names.rules_file(f"recording-{group}")] = group_file(f"recording-{group}", rules)
    for group, rules in sorted(alerts.items()):
        files[names.rules_file(f"alerts-{group}")] = group_file(f"alerts-{group}", rules)
    return files
