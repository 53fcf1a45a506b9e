"""What the demo's synthetic history tells: policy as data, each figure with what it means.

Budgets are spent in multiples of each SLO's own error budget, so the story holds whatever
objective an SLO (or a region's override) promises.
"""
from __future__ import annotations

from dataclasses import dataclass

from obsgen.synth.model import DAY, HOUR


@dataclass(frozen=True)
class Burn:
    """An incident: `burn_rate` times the sustainable error ratio, from `ago` before the end
    of the history for `duration` seconds."""

    ago: int
    duration: int
    burn_rate: float


@dataclass(frozen=True)
class Role:
    name: str
    says: str                      # one line for the demo's output
    burn: Burn | None = None


STEADY = Role("steady", "steady traffic, a fifth of the budget spent")
# 4x for the last 30 hours: above the ticket tier's 3x over 1d and 2h (a warning), below the
# page tier's 6x over 6h and 14.4x over 1h.
SLOW_BURN = Role("slow burn", "burning 4x for the last 30 hours (ticket-level: warn)",
                 Burn(ago=30 * HOUR, duration=30 * HOUR, burn_rate=4))
# 12x for 3 days, a week ago: 3/30 x 12 = 120% of a 30-day budget on top of the steady fifth.
ATE_BUDGET = Role("ate its budget", "a 3-day incident at 12x a week ago ate the whole budget (fail)",
                  Burn(ago=10 * DAY, duration=3 * DAY, burn_rate=12))

# Roles in the order of the region table; regions beyond it are steady.
ROLES = (STEADY, SLOW_BURN, ATE_BUDGET, STEADY)

HISTORY = 30 * DAY
STEP = 60                      # seconds between samples, like a 1-minute scrape
BASELINE_BURN = 0.2            # steady traffic spends a fifth of the budget over the period
PEAK_TO_TROUGH = 10.0          # diurnal: the busiest hour has 10x the quietest's traffic
PEAK_HOUR_LOCAL = 14           # traffic peaks at 14:00 in the region's own time zone
# Requests per second, the daily mean of the stable track: enough for the canary's 2% to pass
# the policy's minimum events in a 30-minute stage window even at the quietest hour.
RATE = 200.0
# The canary: 2% of traffic on track="canary", three times the baseline's error ratio and a
# slower latency tail; the baseline is track="stable" (rules/release.py's canary labels).
CANARY_SHARE = 0.02
CANARY_WORSE = 3.0
TRACK_LABEL, CANARY, BASELINE = "track", "canary", "stable"
# Latency: P(latency > b) = bad x (threshold / b)^TAIL: `bad` above the SLO's threshold, a
# Pareto-like tail below it. Bucket bounds are these fractions of the threshold.
TAIL = 2.0
BOUNDS = (0.1, 0.25, 0.5, 1.0, 2.5)


def role_of(index: int) -> Role:
    return ROLES[index] if index < len(ROLES) else STEADY
