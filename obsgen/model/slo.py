"""Service level objectives: what is measured (the SLI kinds) and what is promised."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Union

from obsgen import duration
from obsgen.errors import Site
from obsgen.policy import burn_rates
from obsgen.policy.burn_rates import BurnWindow
from obsgen.site import caller_site


@dataclass(frozen=True)
class EventRatio:
    """Bad (or good) events over all events, from counters. Each field is a vector selector,
    e.g. 'http_requests_total{service="api",status=~"5.."}'. Give `errors` or `good`."""

    total: str
    errors: str | None = None
    good: str | None = None


@dataclass(frozen=True)
class LatencyThreshold:
    """The share of requests slower than `threshold` seconds, from a classic histogram
    `<histogram>_bucket` / `<histogram>_count`. The `le` label matches "1" and "1.0" alike."""

    histogram: str
    threshold: float
    matchers: str = ""   # extra label matchers, e.g. 'service="api"'


@dataclass(frozen=True)
class NativeLatencyThreshold:
    """The share of requests slower than `threshold` seconds, from a native histogram
    `<histogram>` (one series per target, no _bucket/_count). Good requests are counted as
    histogram_fraction(-Inf, threshold) x histogram_count, rounded to a whole request: exact
    when `threshold` is a bucket boundary of the histogram's schema (a power of 2^(2^-schema),
    or a custom bucket bound), interpolated within its bucket otherwise. For Prometheus 3: 2.42
    evaluates the rules but ingests native histograms only behind a feature flag, and its promtool
    cannot read the generated proofs' histogram input (README, docs/coming-from.md)."""

    histogram: str
    threshold: float
    matchers: str = ""   # extra label matchers, e.g. 'service="api"'


@dataclass(frozen=True)
class RawRatio:
    """Escape hatch: expressions for the error and total counts over `$window`, e.g.
    'sum(increase(jobs_failed_total[$window]))'."""

    errors: str
    total: str


SLI = Union[EventRatio, LatencyThreshold, NativeLatencyThreshold, RawRatio]


@dataclass(frozen=True)
class SLO:
    service: str
    name: str
    objective: float                 # percent, e.g. 99.5
    sli: SLI
    description: str
    period: str = "30d"
    regions: tuple[str, ...] | None = None
    objective_overrides: Mapping[str, float] = field(default_factory=dict)   # region -> percent
    alerting: tuple[BurnWindow, ...] | None = None   # None: the SRE workbook policy
    runbook: str | None = None
    absent_alert: bool = False       # alert when the SLI's series vanish
    min_events: int = 0              # low-traffic guard: no burn alert below this many events in the long window
    labels: Mapping[str, str] = field(default_factory=dict)
    group_by: tuple[str, ...] = ()   # one SLO per value of these labels (e.g. ("route",)): counts, burn alerts and gate results carry them
    max_series: int = 0              # with group_by: the most label sets it may have (required); more is a build error when the
                                     # selectors list the values, and a gate note at run time
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "slo"

    @property
    def id(self) -> str:
        return f"{self.service}-{self.name}"

    @property
    def period_seconds(self) -> int:
        return int(duration.seconds(self.period))

    @cached_property
    def burn_windows(self) -> tuple[BurnWindow, ...]:
        """The alert policy with factors scaled to this SLO's period (obsgen/policy/burn_rates.py).
        Computed once per SLO: the gate asks for every SLO, region and window."""
        return burn_rates.windows_for(self.alerting, self.period)

    @cached_property
    def alert_windows(self) -> tuple[str, ...]:
        """Every long and short window its burn alerts read, once each, shortest first."""
        return tuple(sorted({w for row in self.burn_windows for w in (row.long, row.short)}, key=duration.seconds))

    def objective_in(self, region: str) -> float:
        return self.objective_overrides.get(region, self.objective)

    def error_budget_in(self, region: str) -> float:
        """The allowed error ratio, e.g. 0.005 for 99.5%."""
        return burn_rates.error_budget(self.objective_in(region))
