"""One SLO dashboard per service, generated from the SLO definitions: its queries read only the
SLO engine's recorded series (names from obsgen/names.py), so dashboards and alerts agree.

Per SLO, a row: the SLI over the period against the objective, the budget remaining, the burn
rate at every alert window with each window pair's threshold drawn, and the alerts' state.
Panel ids derive from the SLO's name (names.slo_panel_id), so the alerts can link to them.
"""
from __future__ import annotations

from collections import defaultdict

from obsgen import names, promql
from obsgen.duration import seconds
from obsgen.model import SLO, Estate
from obsgen.model.dashboard import Dashboard, Link, Panel, Query, Row, Threshold

RED, ORANGE, YELLOW, GREEN = "red", "orange", "yellow", "green"
TIER_COLORS = {"page": RED, "ticket": ORANGE}


def slo_dashboards(estate: Estate, regions: tuple[str, ...]) -> tuple[Dashboard, ...]:
    """The services' dashboards for a Grafana showing `regions`."""
    by_service: dict[str, list[SLO]] = defaultdict(list)
    for slo in estate.slos:
        shown = slo.regions is None or set(slo.regions) & set(regions)
        # An SLO may be defined apart for some regions (another period where retention is short):
        # a Grafana shows the definition of the first region it shows.
        if shown and all(other.name != slo.name for other in by_service[slo.service]):
            by_service[slo.service].append(slo)
    return tuple(service_dashboard(service, tuple(sorted(slos, key=lambda s: s.name)), regions)
                 for service, slos in sorted(by_service.items()))


def service_dashboard(service: str, slos: tuple[SLO, ...], regions_shown: tuple[str, ...]) -> Dashboard:
    regions = None if any(s.regions is None for s in slos) else tuple(
        sorted({r for s in slos for r in s.regions}))
    return Dashboard(
        name=f"slo-{service}",
        title=f"SLOs: {service}",
        description=f"Service level objectives of {service}, from the SLO engine's recorded series.",
        tags=("slo", service),
        rows=tuple(_row(slo, regions_shown) for slo in slos),
        regions=regions,
        region_labelled=True,
    )


def objective(slo: SLO, regions_shown: tuple[str, ...]) -> float:
    """The objective as a ratio where the regions shown share one, else the SLO's default (the
    per-region objectives are then drawn as the objective series)."""
    shown = {slo.objective_in(r) for r in regions_shown if slo.regions is None or r in slo.regions}
    return round((shown.pop() if len(shown) == 1 else slo.objective) / 100, 12)


def _row(slo: SLO, regions_shown: tuple[str, ...]) -> Row:
    title = f"{slo.name}: {slo.objective:g}% over {slo.period}"
    if slo.objective_overrides:
        title += " (" + ", ".join(f"{r} {o:g}%" for r, o in sorted(slo.objective_overrides.items())) + ")"
    return Row(title, (_sli(slo, objective(slo, regions_shown)), _budget(slo), _burn(slo), _alerts(slo)), height=8)


def series(name: str, slo: SLO) -> str:
    return promql.selector(name, [f"{names.SLO}={promql.quote(slo.name)}",
                                  f"{names.SERVICE}={promql.quote(slo.service)}"])


def _sli(slo: SLO, target: float) -> Panel:
    return Panel(
        title=f"SLI over {slo.period}",
        description=slo.description,
        queries=(Query(f"1 - {series(names.error_ratio(slo.period), slo)}", "{{region}}"),
                 Query(series(names.OBJECTIVE, slo), "objective {{region}}")),
        unit="percentunit",
        thresholds=(Threshold(None, RED), Threshold(target, GREEN)),
        draw_thresholds=True,
        links=(Link("Runbook", slo.runbook),) if slo.runbook else (),
        id=names.slo_panel_id(slo.name, "sli"),
    )


def _budget(slo: SLO) -> Panel:
    return Panel(
        title="Error budget remaining",
        queries=(Query(series(names.BUDGET_REMAINING, slo), "{{region}}"),),
        type="stat",
        unit="percentunit",
        thresholds=(Threshold(None, RED), Threshold(0, YELLOW), Threshold(0.25, GREEN)),
        id=names.slo_panel_id(slo.name, "budget"),
    )


def _burn(slo: SLO) -> Panel:
    windows = slo.burn_windows
    spans = sorted({w for bw in windows for w in (bw.short, bw.long)}, key=seconds)
    steps = {}
    for bw in sorted(windows, key=lambda w: w.factor):
        steps[bw.factor] = TIER_COLORS.get(bw.tier, RED)
    return Panel(
        title="Burn rate per alert window",
        description="; ".join(f"{w.tier}: {w.long} and {w.short} above {w.factor:g}x" for w in windows),
        queries=tuple(Query(series(names.burn_rate(w), slo), f"{w} {{{{region}}}}") for w in spans),
        unit="suffix:x",
        thresholds=(Threshold(None, GREEN), *(Threshold(f, c) for f, c in sorted(steps.items()))),
        draw_thresholds=True,
        min=0,
        links=(Link("Runbook", slo.runbook),) if slo.runbook else (),
        id=names.slo_panel_id(slo.name, "burn"),
    )


def _alerts(slo: SLO) -> Panel:
    alerts = promql.selector("ALERTS", [f"{names.SLO}={promql.quote(slo.name)}",
                                        f"{names.SERVICE}={promql.quote(slo.service)}",
                                        'alertstate="firing"'])
    return Panel(
        title="Alerts firing",
        queries=(Query(f"max by ({names.REGION}, {names.SEVERITY}, {names.WINDOW}) ({alerts})",
                       f"{{{{region}}}} {{{{severity}}}} {{{{{names.WINDOW}}}}}"),),
        type="state-timeline",
        unit="none",
        thresholds=(Threshold(None, GREEN), Threshold(1, RED)),
        id=names.slo_panel_id(slo.name, "alerts"),
    )
