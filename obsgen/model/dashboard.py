"""Dashboards: what is asked of Prometheus (queries) apart from how it is laid out (rows).

A Panel names its queries and how to show them; a Row groups panels (the layout); a Dashboard
says where it is rendered. Uids, tags, links, time zone and data sources are not here: house
rules and the render target add them (obsgen/dashboards/house.py, targets.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from obsgen.errors import Site
from obsgen.site import caller_site

# Current Grafana panel types obsgen emits (the deprecated graph/singlestat are not among them).
PANEL_TYPES = ("timeseries", "stat", "gauge", "table", "state-timeline")


@dataclass(frozen=True)
class Query:
    """One PromQL query; `legend` is Grafana's legend template, e.g. "{{region}}"."""

    expr: str
    legend: str = ""
    instant: bool = False   # one value per series (tables, stats of a current state)


@dataclass(frozen=True)
class Threshold:
    """A colour step: from `value` upward the panel shows `color` (the base step has value None)."""

    value: float | None
    color: str


@dataclass(frozen=True)
class Link:
    """A link shown on a panel, e.g. the runbook."""

    title: str
    url: str


@dataclass(frozen=True)
class Panel:
    title: str
    queries: tuple[Query, ...]
    type: str = "timeseries"
    unit: str = "short"
    description: str = ""
    thresholds: tuple[Threshold, ...] = ()
    min: float | None = None
    max: float | None = None
    id: int | None = None        # None: numbered in layout order; set where links must stay stable
    draw_thresholds: bool = False  # timeseries: draw the thresholds as lines
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Row:
    """The layout: a titled row of panels sharing its width equally, `height` grid units tall."""

    title: str
    panels: tuple[Panel, ...]
    height: int = 8


@dataclass(frozen=True)
class Dashboard:
    name: str                                # slug; the uid and file name derive from it
    title: str
    rows: tuple[Row, ...]
    description: str = ""
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] | None = None   # regional Grafanas it is rendered for; None: every region
    in_global: bool = True                   # also rendered for the global Grafana over Thanos
    # Regional Prometheus series carry no region label (only recorded series do); the global
    # view's do. True when every query reads labelled series, so `region=~"$region"` applies in
    # regional Grafanas too (the SLO dashboards).
    region_labelled: bool = False
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "dashboard"

    @property
    def panels(self) -> tuple[Panel, ...]:
        return tuple(p for row in self.rows for p in row.panels)


@dataclass(frozen=True)
class GrafanalibDashboard:
    """A dashboard a team already wrote with grafanalib: obsgen converts it to a Dashboard and
    renders and checks it like the rest (grafanalib's own JSON fails today's schema)."""

    name: str
    dashboard: object                        # a grafanalib.core.Dashboard
    regions: tuple[str, ...] | None = None
    in_global: bool = True
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "grafanalib dashboard"
