"""The release policy: when the gate lets a release (or a canary stage) go on. Data, no IO.

The defaults follow the SRE workbook's error-budget policy ("freeze releases when the budget
is spent", https://sre.google/workbook/error-budget-policy/) and the platform design's canary
criteria (seed section 5.3). The estate states its own policy in rules/release.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from obsgen.errors import Site
from obsgen.site import caller_site

NO_DATA_DECISIONS = ("cannot-evaluate", "warn")   # never "pass": no data is not good news
PERIOD_NOT_WHOLE_DECISIONS = ("cannot-evaluate", "warm-up")
BURN_DECISIONS = ("fail", "warn", "ignore")


@dataclass(frozen=True)
class CanaryStage:
    """One stage of a progressive canary: its traffic share and window, and what it must meet."""

    name: str
    window: str                      # the canary's observation window, e.g. "30m"
    traffic_percent: float
    max_error_rate: float            # fraction: 0.001 is 0.1%
    max_p95_seconds: float | None    # None: no latency criterion
    site: Site = field(default_factory=caller_site, compare=False, repr=False)


# Seed 5.3, canary_stages: stage_1_internal (1%, 30 minutes: error_rate < 0.1%, p95 < 500ms),
# stage_2_beta_users (5%, 2 hours: error_rate < 0.5%, p95 < 1s).
SEED_CANARY_STAGES = (
    CanaryStage("internal", window="30m", traffic_percent=1, max_error_rate=0.001, max_p95_seconds=0.5),
    CanaryStage("beta", window="2h", traffic_percent=5, max_error_rate=0.005, max_p95_seconds=1.0),
)


@dataclass(frozen=True)
class Canary:
    """How a canary is told from its baseline, and the criteria beyond each stage's own."""

    label: str = "track"             # the label that tells the two apart
    canary: str = "canary"
    baseline: str = "stable"
    stages: tuple[CanaryStage, ...] = SEED_CANARY_STAGES
    # Seed 5.3 monitoring_integration: "error_rate > threshold * 1.5 -> halt_canary".
    max_error_rate_vs_baseline: float = 1.5
    # Seed 5.3 monitoring_integration: "response_time > baseline * 1.3 -> alert_team" (a warning).
    warn_p95_vs_baseline: float = 1.3
    # Seed 5.3 rollback_configuration: "rollback_threshold: error_rate > 2%".
    rollback_error_rate: float = 0.02
    # Below this many events in the stage's window on either side, the answer is cannot-evaluate.
    min_events: int = 100
    # The SLO ids whose p95 the stages' absolute ceiling limits (the seed's "response_time_p95"
    # is the API's); other latency SLOs are held to their baseline only. None: every latency SLO.
    p95_slos: tuple[str, ...] | None = None
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    def stage(self, name: str) -> CanaryStage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)


@dataclass(frozen=True)
class ReleasePolicy:
    """Turns what the gate read into pass, warn, fail or cannot-evaluate per SLO and region."""

    name: str = "default"
    # Fail when the error budget over the period is spent (budget remaining <= 0).
    fail_when_budget_exhausted: bool = True
    # Freeze releases when the burn rate over the whole period is at or above this (1: the
    # budget is being spent exactly as fast as the period allows, or faster).
    freeze_at_period_burn_rate: float = 1.0
    # What an active burn of each tier does (SRE workbook ch. 5: page tier = 2%/5% of the budget
    # within hours, ticket tier = 10% within days). Active: its alert fires, or both of its
    # windows burn above the factor at the instant evaluated.
    on_burn: Mapping[str, str] = field(default_factory=lambda: {"page": "fail", "ticket": "warn"})
    # Warn when less than this share of the budget is left (None: never).
    warn_budget_below: float | None = None
    # No data for an SLO over the period: cannot-evaluate (exit 3), or warn where an SLO's
    # traffic is known to be sparse. Never pass.
    no_data: str = "cannot-evaluate"
    no_data_overrides: Mapping[str, str] = field(default_factory=dict)   # SLO id -> decision
    # Fewer requests than this over the period is too few to judge: treated like no data.
    # An SLO's own min_events applies when larger.
    min_events: int = 100
    # The raw counters' newest sample may be at most this old at the instant evaluated; older
    # (scraping stopped, --at past the data) is cannot-evaluate: silence is not zero errors.
    max_sample_age: str = "5m"
    # SLO ids whose counters may fall silent (sparse traffic, scale to zero): stale data is then
    # judged on what there is (min_events still applies).
    allow_silence: tuple[str, ...] = ()
    # Fewer days of data than the period (a new service, a retention shorter than the period):
    # cannot-evaluate, or "warm-up": judge what there is, never better than warn, and say so.
    period_not_whole: str = "cannot-evaluate"
    canary: Canary = field(default_factory=Canary)
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "release policy"

    def no_data_decision(self, slo_id: str) -> str:
        return self.no_data_overrides.get(slo_id, self.no_data)

    def min_events_for(self, slo) -> int:
        return max(self.min_events, getattr(slo, "min_events", 0) or 0)
