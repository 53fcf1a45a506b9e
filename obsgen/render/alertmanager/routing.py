"""Which alerts go to which channels: the region's routes as data, then as Alertmanager routes.

A destination is one step of the routing: the alerts it takes, the channels that receive them,
and whether routing goes on after it. In order:
1. the Watchdog, to the dead-man's switch alone (stops);
2. a team's alerts (team="compliance"), to that team alone (stops);
3. escalation: a critical alert still firing and unsilenced after the channel's delay reaches the
   on-call lead (its group_wait is the delay: an alert resolved or silenced sooner is never sent);
   goes on;
4. alert groups (business), goes on (a business alert is also routed by its severity);
5. SLO tiers, then 6. severities: stop."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from obsgen import names
from obsgen.model import SEVERITIES, Channel, Estate, Region, applies
from obsgen.policy import alertmanager as policy
from obsgen.render.alertmanager.receivers import receiver


@dataclass(frozen=True)
class Destination:
    stem: str                             # receiver name stem: group-business, slo-page, severity-critical
    matchers: tuple[str, ...]             # Alertmanager matchers
    channels: tuple[Channel, ...]
    goes_on: bool                         # `continue`: later destinations may also take the alert
    group_by: tuple[str, ...]
    alertnames: frozenset[str] | None = None  # group and Watchdog destinations: the alerts taken
    slo_severity: str | None = None       # SLO destinations: the tier's severity
    severity: str | None = None           # severity and escalation destinations
    team: str | None = None               # team destinations
    timings: tuple[tuple[str, str], ...] = ()  # group_wait, group_interval, repeat_interval overrides

    def takes(self, labels: Mapping[str, str]) -> bool:
        """The same decision as `matchers`, in Python: the route tests' expectations."""
        if self.alertnames is not None:
            return labels.get(names.ALERTNAME) in self.alertnames
        if self.team is not None:
            return labels.get(names.TEAM) == self.team
        if self.slo_severity is not None:
            return bool(labels.get(names.SLO)) and labels.get(names.SEVERITY) == self.slo_severity
        return labels.get(names.SEVERITY) == self.severity

    def parts(self) -> list[tuple[str, tuple[Channel, ...], bool]]:
        """(receiver stem, channels, business hours only): office-hours channels first."""
        office = tuple(c for c in self.channels if c.business_hours_only)
        always = tuple(c for c in self.channels if not c.business_hours_only)
        out = []
        if office:
            out.append((f"{self.stem}-business-hours", office, True))
        if always:
            out.append((self.stem, always, False))
        return out


def destinations(estate: Estate, region: Region) -> list[Destination]:
    out = []
    switch = tuple(c for c in region.channels if c.watchdog)
    if switch:
        out.append(Destination("deadmans-switch", (f'{names.ALERTNAME}="{names.WATCHDOG_ALERT}"',), switch, False,
                               policy.GROUP_BY, alertnames=frozenset({names.WATCHDOG_ALERT}),
                               timings=policy.WATCHDOG_TIMINGS))
    for team in sorted({t for c in region.channels for t in c.teams}):
        channels = tuple(c for c in region.channels if team in c.teams)
        out.append(Destination(f"team-{team}", (f'{names.TEAM}="{team}"',), channels, False, policy.GROUP_BY,
                               team=team))
    for delay in sorted({c.escalate_after for c in region.channels if c.escalate_after}):
        channels = tuple(c for c in region.channels if c.escalate_after == delay)
        out.append(Destination(f"escalation-{delay}", (f'{names.SEVERITY}="critical"',), channels, True,
                               policy.GROUP_BY, severity="critical",
                               timings=(("group_wait", delay), ("repeat_interval", policy.ESCALATION_REPEAT))))
    for group in sorted({g for c in region.channels for g in c.groups}):
        alerts = frozenset(a.name for a in estate.alerts if a.group == group and applies(a, region))
        channels = tuple(c for c in region.channels if group in c.groups)
        if alerts:
            regex = "|".join(sorted(alerts))  # alert names are [A-Za-z0-9_]: no regex escaping
            out.append(Destination(f"group-{group}", (f'{names.ALERTNAME}=~"{regex}"',), channels, True,
                                   policy.GROUP_BY, alertnames=alerts))
    for tier, severity in policy.TIER_SEVERITY.items():
        channels = tuple(c for c in region.channels if tier in c.slo_tiers)
        if channels:
            out.append(Destination(f"slo-{tier}", (f'{names.SLO}=~".+"', f'{names.SEVERITY}="{severity}"'),
                                   channels, False, policy.SLO_GROUP_BY, slo_severity=severity))
    for severity in SEVERITIES:
        channels = tuple(c for c in region.channels if severity in c.severities)
        if channels:
            out.append(Destination(f"severity-{severity}", (f'{names.SEVERITY}="{severity}"',), channels, False,
                                   policy.GROUP_BY, severity=severity))
    return out


def expected_receivers(dests: list[Destination], labels: Mapping[str, str], prefix: str | None = None) -> list[str]:
    """The receivers an alert with `labels` reaches, in route order."""
    out = []
    for dest in dests:
        if dest.takes(labels):
            out += [names.am_receiver(stem, prefix) for stem, _, _ in dest.parts()]
            if not dest.goes_on:
                break
    return out or [names.AM_UNROUTED]


def routes(dests: list[Destination], prefix: str | None = None, office_hours: list[str] | None = None) -> list[dict]:
    """`office_hours`: the time intervals office-hours channels keep (default: the region's own)."""
    out = []
    for dest in dests:
        parts = dest.parts()
        for i, (stem, _, office) in enumerate(parts):
            route = {"receiver": names.am_receiver(stem, prefix), "matchers": list(dest.matchers)}
            if dest.group_by != policy.GROUP_BY:
                route["group_by"] = list(dest.group_by)
            route.update(dest.timings)
            if office:
                route["active_time_intervals"] = office_hours or [names.am_business_hours(prefix)]
            if dest.goes_on or i < len(parts) - 1:
                route["continue"] = True
            out.append(route)
    return out


def receivers(dests: list[Destination], region: Region, prefix: str | None = None) -> list[dict]:
    return [receiver(names.am_receiver(stem, prefix), channels, region)
            for dest in dests for stem, channels, _ in dest.parts()]


def business_hours(region: Region, prefix: str | None = None) -> dict:
    start, end = region.business_hours.split("-")
    return {
        "name": names.am_business_hours(prefix),
        "time_intervals": [{
            "times": [{"start_time": start, "end_time": end}],
            "weekdays": list(policy.BUSINESS_DAYS),
            "location": region.timezone,
        }],
    }


def inhibit_rules() -> list[dict]:
    return [
        {
            "source_matchers": [f'{names.SEVERITY}="critical"'],
            "target_matchers": [f'{names.SEVERITY}="warning"'],
            "equal": list(policy.INHIBIT_EQUAL),
        },
        {
            "source_matchers": [f'{names.SLO}=~".+"', f'{names.SEVERITY}="critical"'],
            "target_matchers": [f'{names.SLO}=~".+"', f'{names.SEVERITY}="warning"'],
            "equal": list(policy.SLO_INHIBIT_EQUAL),
        },
    ]
