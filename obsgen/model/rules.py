"""Hand-written alert and recording rules, and the example cases that prove the alerts."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from obsgen.errors import Site
from obsgen.site import caller_site

SEVERITIES = ("critical", "warning", "info")


@dataclass(frozen=True)
class AlertCase:
    """One promtool unit test of an alert: input series, and whether it fires at `at`.

    `series` maps a series selector to promtool's expanding notation, e.g.
    {'up{job="kubernetes-nodes",instance="n1"}': "1 1 0x10"}; `interval` is the step.
    `labels` are the labels the alert carries from its expression when it fires."""

    name: str
    series: Mapping[str, str]
    at: str
    fires: bool
    labels: Mapping[str, str] = field(default_factory=dict)
    interval: str = "1m"
    site: Site = field(default_factory=caller_site, compare=False, repr=False)


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    for_: str
    severity: str
    summary: str
    group: str                              # critical | warning | business | ...
    runbook: str | None = None
    regions: tuple[str, ...] | None = None  # None: every region
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    cases: tuple[AlertCase, ...] = ()
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "alert"


@dataclass(frozen=True)
class Recording:
    """A regional recording rule, evaluated by each region's own Prometheus."""

    name: str
    expr: str
    group: str
    regions: tuple[str, ...] | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "recording rule"


@dataclass(frozen=True)
class GlobalRecording:
    """A recording rule for the Thanos ruler. Its selectors are narrowed to the regions that
    feed the global view when rendered, so an isolated region's series never enter it."""

    name: str
    expr: str
    group: str
    labels: Mapping[str, str] = field(default_factory=dict)
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "global recording rule"


@dataclass(frozen=True)
class GlobalAlert:
    """An alerting rule for the Thanos ruler. `per_region`: one rule per region that feeds the
    global view, its selectors narrowed to that region (a region's absence is seen from outside
    it); otherwise one rule over the feeding regions, labelled with the global region value."""

    name: str
    expr: str
    for_: str
    severity: str
    summary: str
    group: str
    per_region: bool = False
    runbook: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "global alert"
