"""Alertmanager configuration per region, and for the global Alertmanager.

Each region's Alertmanager notifies that region's channels (seed 6.2 regional_alert_managers).
The global one takes the alerts of the regions that feed the global view, routed per region to
that region's channels; an isolated region's alerts never reach it (seed 1.3, 7), and should one
arrive it is dropped by an explicit route that a route test proves."""
from __future__ import annotations

from obsgen import names
from obsgen.model import Estate, Region
from obsgen.render.alertmanager import policy, routing, secrets
from obsgen.render.alertmanager.cases import document, isolated_cases, region_cases


def _root(routes: list[dict]) -> dict:
    return {
        "receiver": names.AM_UNROUTED,
        "group_by": list(policy.GROUP_BY),
        "group_wait": policy.GROUP_WAIT,
        "group_interval": policy.GROUP_INTERVAL,
        "repeat_interval": policy.REPEAT_INTERVAL,
        "routes": routes,
    }


def config(estate: Estate, region: Region) -> dict:
    dests = routing.destinations(estate, region)
    return {
        "global": {"resolve_timeout": policy.RESOLVE_TIMEOUT},
        "route": _root(routing.routes(dests)),
        "inhibit_rules": routing.inhibit_rules(),
        "receivers": [{"name": names.AM_UNROUTED}, *routing.receivers(dests, region)],
        "time_intervals": [routing.business_hours(region)],
    }


def render(estate: Estate, region: Region) -> dict[str, dict]:
    return {
        names.alertmanager_file(): config(estate, region),
        names.alertmanager_routes_test_file(): document(region_cases(estate, region)),
        names.alertmanager_secrets_file(): secrets.manifest([region]),
    }


def global_config(estate: Estate) -> dict:
    isolated = [r for r in estate.regions if not r.feeds_global]
    routes, receivers, intervals = [], [{"name": names.AM_UNROUTED}], []
    if isolated:
        regex = "|".join(sorted(r.name for r in isolated))
        routes.append({"receiver": names.AM_ISOLATED_DROPPED, "matchers": [f'{names.REGION}=~"{regex}"']})
        receivers.append({"name": names.AM_ISOLATED_DROPPED})
    for region in estate.global_regions:
        dests = routing.destinations(estate, region)
        routes.append({"receiver": names.AM_UNROUTED, "matchers": [f'{names.REGION}="{region.name}"'],
                       "routes": routing.routes(dests, region.name)})
        receivers += routing.receivers(dests, region, region.name)
        intervals.append(routing.business_hours(region, region.name))
    return {
        "global": {"resolve_timeout": policy.RESOLVE_TIMEOUT},
        "route": _root(routes),
        "inhibit_rules": routing.inhibit_rules(),
        "receivers": receivers,
        "time_intervals": intervals,
    }


def render_global(estate: Estate) -> dict[str, dict]:
    if estate.global_view is None:
        return {}
    cases = [c for r in estate.global_regions for c in region_cases(estate, r, r.name)]
    cases += [c for r in estate.regions if not r.feeds_global for c in isolated_cases(estate, r)]
    return {
        names.alertmanager_file(): global_config(estate),
        names.alertmanager_routes_test_file(): document(cases),
        names.alertmanager_secrets_file(): secrets.manifest(list(estate.global_regions)),
    }
