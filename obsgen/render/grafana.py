"""Grafana for one region (over its Prometheus) and for the global view (over Thanos Query):
dashboards, then the data source and dashboard provider provisioning files."""
from __future__ import annotations

from obsgen import names
from obsgen.dashboards import check, house, provisioning
from obsgen.dashboards.build import build
from obsgen.dashboards.slo import slo_dashboards
from obsgen.dashboards.targets import Target, global_target, offered, region_target
from obsgen.model import Estate, Region, applies
from obsgen.model.dashboard import Dashboard
from obsgen.model.grafanalib import from_grafanalib


def dashboards(estate: Estate, target: Target) -> tuple[Dashboard, ...]:
    """Every dashboard of the estate: written, imported from grafanalib, and generated from SLOs."""
    return (
        *estate.dashboards,
        *(from_grafanalib(g) for g in estate.grafanalib_dashboards),
        *slo_dashboards(estate, target.regions),
    )


def render_region(estate: Estate, region: Region) -> dict[str, object]:
    target = region_target(region)
    return _render(target, [d for d in dashboards(estate, target) if applies(d, region)])


def render_global(estate: Estate) -> dict[str, object]:
    target = global_target(estate)
    if target is None:
        return {}
    return _render(target, [d for d in dashboards(estate, target) if d.in_global and offered(target, d.regions)])


def _render(target: Target, chosen: list[Dashboard]) -> dict[str, object]:
    docs = house.apply([(d.name, build(d, target)) for d in chosen], target)
    files: dict[str, object] = {}
    for name, doc in docs.items():
        found = check.problems(doc)
        if found:
            raise RuntimeError(f"dashboard {name} for {target.name}: " + "; ".join(found))
        files[names.grafana_dashboard_file(name)] = doc
    files[names.GRAFANA_DATASOURCES_FILE] = provisioning.datasources(target)
    files[names.GRAFANA_PROVIDERS_FILE] = provisioning.providers(target)
    return files
