"""What one gate evaluation found: frozen data, no IO. Reporters (obsgen/gate/report/) render it.

Every ratio is a fraction (0.0015, not 0.15%); every instant is Unix seconds (UTC); every
duration is seconds unless the field says minutes. A figure that could not be read is None,
never 0. This module only grows: fields are added, never renamed or removed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from obsgen.errors import EXIT_CANNOT_EVALUATE, EXIT_FAIL, EXIT_OK

# --- decisions and exit statuses ---------------------------------------------------------------
Decision = Literal["pass", "warn", "fail", "cannot-evaluate"]
PASS: Decision = "pass"
WARN: Decision = "warn"
FAIL: Decision = "fail"
CANNOT_EVALUATE: Decision = "cannot-evaluate"

# Worst first: the overall decision is the worst of its parts.
SEVERITY_ORDER: tuple[Decision, ...] = (CANNOT_EVALUATE, FAIL, WARN, PASS)

# A warning lets the release go on (exit 0) and is reported; cannot-evaluate is never 0.
EXIT_STATUS: dict[str, int] = {PASS: EXIT_OK, WARN: EXIT_OK, FAIL: EXIT_FAIL,
                               CANNOT_EVALUATE: EXIT_CANNOT_EVALUATE}

# Where a figure came from.
Source = Literal["recorded", "raw", "none"]
RECORDED: Source = "recorded"   # the SLO engine's recording rules (names.error_ratio(...) etc.)
RAW: Source = "raw"             # computed from the raw counters (obsgen/slo/counts.py): rules too young
NO_SOURCE: Source = "none"      # neither answered


def worst(decisions) -> Decision:
    """The worst decision of an iterable; an empty one passes."""
    found = set(decisions)
    for decision in SEVERITY_ORDER:
        if decision in found:
            return decision
    return PASS


def iso(instant: float) -> str:
    """2026-11-26T13:30:00Z."""
    return datetime.fromtimestamp(instant, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- one SLO in one region ---------------------------------------------------------------------
@dataclass(frozen=True)
class Hole:
    """A stretch of a window that neither the recorded series nor the raw counters cover."""

    window: str                   # the window it lies in, e.g. "30d"
    start: float                  # Unix seconds
    end: float
    share: float                  # fraction of the window it is (0.0667: 2 days of 30)
    at_start: bool = False        # it begins where the window begins: the history is younger

    @property
    def text(self) -> str:
        return f"{iso(self.start)} to {iso(self.end)} ({self.share:.1%} of {self.window})"


@dataclass(frozen=True)
class BurnRate:
    """The burn rate over one window: error ratio / error budget (1 spends the budget exactly
    in one period). `tier` is the alert tier whose long or short window this is (page, ticket),
    None for the period itself."""

    window: str                   # Prometheus duration as in the policy: "5m", "1h", "30d"
    error_ratio: float | None
    rate: float | None
    source: Source
    tier: str | None = None
    note: str = ""                # why the figure is absent (a hole), or how it was read


@dataclass(frozen=True)
class FiringAlert:
    """An SLO alert Prometheus reports as firing (ALERTS{alertstate="firing"}) at the instant."""

    alertname: str
    severity: str                 # critical | warning
    tier: str | None              # page | ticket, from the SLO's burn-rate policy; None if unknown
    window: str | None = None     # the long window of the pair, from the alert's `window` label


@dataclass(frozen=True)
class SLOResult:
    """One SLO in one region (or globally: region == names.GLOBAL_REGION)."""

    slo_id: str                   # "<service>-<name>", the SLO's `id`
    slo: str                      # the SLO's name (the `slo` label)
    service: str
    region: str                   # a region name, or "global"
    objective: float              # percent, e.g. 99.5 (the region's override if any)
    period: str                   # "30d"
    at: float                     # the instant evaluated (Unix seconds), sent as `time=` with every query
    # Over the period:
    sli: float | None             # good ratio, e.g. 0.9987
    error_ratio: float | None     # 1 - sli
    errors: float | None          # error events counted over the period
    requests: float | None        # all events over the period
    budget_remaining: float | None            # fraction of the error budget left; negative when overspent
    budget_remaining_minutes: float | None    # the same as minutes of full outage left in the period
    budget_minutes: float                     # the whole budget as minutes (error budget x period)
    period_burn_rate: float | None            # error_ratio / error budget over the period
    burn_rates: tuple[BurnRate, ...]          # one per alert window (long and short), shortest first
    firing: tuple[FiringAlert, ...]           # SLO alerts firing now
    decision: Decision
    reason: str                               # one line: why this decision
    source: Source                            # recorded series, raw counters, or none
    source_note: str = ""                     # e.g. "recorded series cover 2h of 30d; computed from raw counters"
    endpoint: str = ""                        # the endpoint's name (region or "thanos"); never a credential
    freeze: bool = False                      # the policy freezes releases (period burn rate >= threshold)
    period_source: Source = "none"            # where the period's counts came from (`source` sums up all figures)
    holes: tuple[Hole, ...] = ()              # stretches no source covers (then cannot-evaluate, or warm-up)
    newest_sample: float | None = None        # Unix seconds of the raw counters' newest sample (None: none found)
    warm_up: str = ""                         # non-empty: the period is not whole and the policy's warm-up applies
    groups: tuple = ()                        # a per-label SLO (SLO.group_by): one obsgen.gate.groups.GroupResult per label set
    label_sets: int | None = None             # a per-label SLO: how many label sets were read (None: not per-label)

    @property
    def alert_firing(self) -> bool:
        return bool(self.firing)

    @property
    def is_global(self) -> bool:
        return self.region == "global"


# --- canary ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CanaryCheck:
    """One criterion of a canary stage, e.g. error rate < 0.1%, or canary <= 1.5x baseline."""

    criterion: str                # "error rate" | "p95 latency" | "error rate vs baseline" | "rollback"
    value: float | None           # the canary's figure (ratio, or seconds for latency)
    limit: float                  # the threshold it is held to (absolute; for relative: baseline x factor)
    passed: bool | None           # None: could not evaluate
    text: str                     # "0.08% < 0.1%"


@dataclass(frozen=True)
class CanaryResult:
    """The canary against its baseline for one SLO in one region over the stage's window."""

    slo_id: str
    service: str
    region: str
    stage: str                    # the stage's name, e.g. "internal"
    window: str                   # the stage's window, e.g. "30m"
    at: float
    canary_selector: str          # 'track="canary"'
    baseline_selector: str        # 'track="stable"'
    canary_events: float | None
    baseline_events: float | None
    canary_error_rate: float | None
    baseline_error_rate: float | None
    canary_p95: float | None      # seconds; None when the SLO has no latency histogram
    baseline_p95: float | None
    checks: tuple[CanaryCheck, ...]
    decision: Decision
    reason: str
    rollback: bool = False        # the canary's error rate crossed the rollback threshold
    endpoint: str = ""


# --- the requests made (for --verbose) ----------------------------------------------------------
@dataclass(frozen=True)
class RequestLog:
    """One HTTP request to a Prometheus-compatible endpoint. Holds no credential: `url` is the
    endpoint's base URL without user info, `params` the query parameters only."""

    endpoint: str                 # the endpoint's name
    url: str                      # e.g. http://127.0.0.1:9090/api/v1/query
    method: str                   # GET | POST
    query: str
    at: float | None              # the `time` parameter sent
    status: int | None            # HTTP status; None when no response (refused, timeout)
    outcome: str                  # "ok" | "timeout" | "unreachable" | "http 500" | "bad response" | "partial response" | ...
    duration_seconds: float
    attempt: int = 1              # 1 for the first try, then retries
    series: int | None = None     # result vector length
    warnings: tuple[str, ...] = ()


# --- budget burn-down over the period (for --html) --------------------------------------------
@dataclass(frozen=True)
class BurnDown:
    """The budget remaining of one SLO in one region over the period, from one range query
    (filled only when asked for, e.g. by --html)."""

    slo_id: str
    region: str
    step_seconds: float
    points: tuple[tuple[float, float], ...]   # (Unix seconds, budget remaining fraction), oldest first


# --- the whole evaluation ---------------------------------------------------------------------
@dataclass(frozen=True)
class EndpointProblem:
    """An endpoint that could not be read; every result depending on it is cannot-evaluate."""

    endpoint: str
    outcome: str                  # as RequestLog.outcome
    message: str                  # one line, no credential


@dataclass(frozen=True)
class Evaluation:
    mode: str                     # "gate" | "status" | "canary"
    at: float                     # the instant evaluated, Unix seconds
    results: tuple[SLOResult, ...]            # regions first (sorted by region, service, slo), then global
    canaries: tuple[CanaryResult, ...]
    decision: Decision
    reason: str                               # one line summary of the overall decision
    requests: tuple[RequestLog, ...] = ()
    problems: tuple[EndpointProblem, ...] = ()
    regions: tuple[str, ...] = ()             # the regions evaluated
    policy: str = ""                          # the release policy's name
    wall_seconds: float = 0.0
    burndowns: tuple[BurnDown, ...] = ()

    @property
    def exit_status(self) -> int:
        return EXIT_STATUS[self.decision]

    @property
    def at_iso(self) -> str:
        return iso(self.at)
