"""Route test cases from the model: representative alerts and the receivers they must reach.

Expectations come from `Destination.takes`, a Python reading of the channel table; amtool then
proves that Alertmanager's reading of the generated routes (matchers, order, `continue`) agrees."""
from __future__ import annotations

from dataclasses import dataclass

from obsgen import names
from obsgen.model import SEVERITIES, Estate, Region, applies
from obsgen.policy import alertmanager as policy
from obsgen.render.alertmanager.routing import Destination, destinations, expected_receivers

# SLO burn-rate alerts are written by the SLO renderer; routing looks only at their labels.
SLO_ALERTNAME = "SLOErrorBudgetBurn"
EXAMPLE_SERVICE = "example-service"


@dataclass(frozen=True)
class RouteCase:
    name: str
    labels: dict[str, str]
    receivers: tuple[str, ...]

    def doc(self) -> dict:
        return {"name": self.name, "labels": self.labels, "receivers": list(self.receivers)}


def alert_label_sets(estate: Estate, region: Region) -> list[tuple[str, dict[str, str]]]:
    """(what, labels) of every alert the region's Prometheus can send, one SLO alert per tier."""
    sets = []
    for alert in estate.alerts:
        if applies(alert, region):
            labels = {**alert.labels, names.ALERTNAME: alert.name, names.SEVERITY: alert.severity,
                      names.REGION: region.name}
            sets.append((f"{alert.group} alert {alert.name} ({alert.severity})", labels))
    from obsgen.logs import plan  # log alerts: evaluated by the region's Loki ruler

    for log_alert in plan.log_alerts(estate, region):
        labels = {**log_alert.labels, names.ALERTNAME: log_alert.name, names.SEVERITY: log_alert.severity,
                  names.REGION: region.name}
        sets.append((f"log alert {log_alert.name} ({log_alert.severity})", labels))
    slos = [s for s in estate.slos if applies(s, region)] or [None]
    for tier, severity in policy.TIER_SEVERITY.items():
        for slo in slos:
            labels = {names.ALERTNAME: SLO_ALERTNAME, names.SLO: slo.name if slo else "any",
                      names.SERVICE: slo.service if slo else EXAMPLE_SERVICE,
                      names.SEVERITY: severity, names.REGION: region.name}
            sets.append((f"SLO {labels[names.SERVICE]}/{labels[names.SLO]} {tier} burn", labels))
    return [(what, dict(sorted(labels.items()))) for what, labels in sets]


def region_cases(estate: Estate, region: Region, prefix: str | None = None,
                 dests: list[Destination] | None = None) -> list[RouteCase]:
    dests = destinations(estate, region) if dests is None else dests
    return [RouteCase(f"{region.name}: {what}", labels, tuple(expected_receivers(dests, labels, prefix)))
            for what, labels in alert_label_sets(estate, region)]


def isolated_cases(estate: Estate, region: Region) -> list[RouteCase]:
    """On the global Alertmanager: an isolated region's alert, had it arrived, goes nowhere."""
    return [RouteCase(f"{region.name} (isolated): {what} is dropped", labels, (names.AM_ISOLATED_DROPPED,))
            for what, labels in alert_label_sets(estate, region)]


def document(cases: list[RouteCase]) -> dict:
    return {"cases": [c.doc() for c in cases]}


def global_label_sets(estate: Estate) -> list[tuple[str, dict[str, str]]]:
    """(what, labels) of every alert the global ruler sends, and of an alert with no region."""
    from obsgen.render.thanos.ruler import global_alerts, global_slo_alerts

    sets = []
    for path, doc in {**global_alerts(estate), **global_slo_alerts(estate)}.items():
        for rule in doc["groups"][0]["rules"]:
            labels = {**rule["labels"], names.ALERTNAME: rule["alert"]}
            if names.SLO_BURN_ALERT == rule["alert"]:
                labels.update({names.SLO: "any", names.SERVICE: EXAMPLE_SERVICE})
            sets.append((f"global ruler {rule['alert']} ({labels[names.REGION]}, {labels[names.SEVERITY]}"
                         f"{', ' + labels[names.WINDOW] if names.WINDOW in labels else ''})", labels))
    for severity in SEVERITIES:
        sets.append((f"an alert without a region ({severity})", {names.ALERTNAME: "NoRegionProbe", names.SEVERITY: severity}))
    return [(what, dict(sorted(labels.items()))) for what, labels in sets]


def global_cases(estate: Estate, audience: Region) -> list[RouteCase]:
    """On the global Alertmanager: a feeding region's label goes to that region's routes; the
    rest (region="global", no region) to the global view's channels."""
    feeding = {r.name: r for r in estate.global_regions}
    out = []
    for what, labels in global_label_sets(estate):
        region = feeding.get(labels.get(names.REGION, ""))
        source = region or audience
        prefix = region.name if region else names.GLOBAL_REGION
        out.append(RouteCase(f"global: {what}", labels, tuple(expected_receivers(destinations(estate, source), labels, prefix))))
    return out
