"""Alertmanager configuration per region, and for the global Alertmanager.

Each region's Alertmanager notifies that region's channels (seed 6.2 regional_alert_managers).
The global one takes the alerts of the regions that feed the global view, routed per region to
that region's channels; an isolated region's alerts never reach it (seed 1.3, 7), and should one
arrive it is dropped by an explicit route that a route test proves."""
from __future__ import annotations

import dataclasses

from obsgen import names
from obsgen.model import Estate, Region
from obsgen.policy import alertmanager as policy
from obsgen.render.alertmanager import routing, secrets
from obsgen.render.alertmanager.cases import document, global_cases, isolated_cases, region_cases


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
    # Everything else: the global ruler's alerts (region="global") and any alert without a
    # region, to the global view's channels; office-hours channels follow the sun (any feeding
    # region's business hours).
    audience = global_audience(estate)
    dests = routing.destinations(estate, audience)
    routes.append({"receiver": names.AM_UNROUTED,
                   "routes": routing.routes(dests, names.GLOBAL_REGION, [i["name"] for i in intervals])})
    receivers += routing.receivers(dests, audience, names.GLOBAL_REGION)
    return {
        "global": {"resolve_timeout": policy.RESOLVE_TIMEOUT},
        "route": _root(routes),
        "inhibit_rules": routing.inhibit_rules(),
        "receivers": receivers,
        "time_intervals": intervals,
    }


def global_audience(estate: Estate) -> Region:
    """The global view as routing sees a region: its own channels, notifications without user
    data (it spans regions whose data may not leave them), alerts of no particular region."""
    return dataclasses.replace(estate.global_regions[0], name=names.GLOBAL_REGION,
                               channels=estate.global_view.channels, anonymize_alerts=True)


def render_global(estate: Estate) -> dict[str, dict]:
    if estate.global_view is None:
        return {}
    cases = [c for r in estate.global_regions for c in region_cases(estate, r, r.name)]
    cases += [c for r in estate.regions if not r.feeds_global for c in isolated_cases(estate, r)]
    cases += global_cases(estate, global_audience(estate))
    return {
        names.alertmanager_file(): global_config(estate),
        names.alertmanager_routes_test_file(): document(cases),
        names.alertmanager_secrets_file(): secrets.manifest([*estate.global_regions, global_audience(estate)]),
    }
