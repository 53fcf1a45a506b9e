"""Route test cases from the model: representative alerts and the receivers they must reach.

Expectations come from `Destination.takes`, a Python reading of the channel table; amtool then
proves that Alertmanager's reading of the generated routes (matchers, order, `continue`) agrees."""
from __future__ import annotations

from dataclasses import dataclass

from obsgen import names
from obsgen.model import Estate, Region, applies
from obsgen.render.alertmanager import policy
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
