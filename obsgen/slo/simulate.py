"""The alert policy's arithmetic on per-step event counts: what the rules must do, computed
independently of PromQL with exact fractions. The generated promtool tests expect its answers.

Time is counted in evaluation steps: step k is the evaluation at k * E; `good[k]`, `bad[k]` are
the events between steps k-1 and k. A window of n steps at step k holds steps k-n+1 .. k (fewer
at the start of the data).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction

from obsgen import duration
from obsgen.model import SLO, BurnWindow, Region

AMBIGUOUS = Fraction(1, 10**9)   # closer than this to a threshold, float rounding may decide


@dataclass(frozen=True)
class Traffic:
    good: tuple[Fraction, ...]   # index 0 is the sample at time 0 (no events)
    bad: tuple[Fraction, ...]

    @classmethod
    def of(cls, phases) -> "Traffic":
        """phases: [(steps, good per step, bad per step)]."""
        good, bad = [Fraction(0)], [Fraction(0)]
        for steps, g, b in phases:
            good += [Fraction(g)] * steps
            bad += [Fraction(b)] * steps
        return cls(tuple(good), tuple(bad))

    @property
    def steps(self) -> int:
        return len(self.good) - 1

    @cached_property
    def _cumulative(self) -> tuple[list[Fraction], list[Fraction]]:
        bad, total = [Fraction(0)], [Fraction(0)]
        for g, b in zip(self.good[1:], self.bad[1:]):
            bad.append(bad[-1] + b)
            total.append(total[-1] + g + b)
        return bad, total

    def window(self, k: int, n: int) -> tuple[Fraction, Fraction]:
        """(bad, total) events in the n steps ending at step k."""
        bad, total = self._cumulative
        lo = max(0, k - n)
        return bad[k] - bad[lo], total[k] - total[lo]


def steps_of(window: str, step: str) -> int:
    return int(duration.seconds(window) // duration.seconds(step))


RATE = 1000   # requests per evaluation step in every proof scenario (raised to clear a low-traffic guard)


def rate_for(slo: SLO, region: Region) -> int:
    shortest_long = min(steps_of(bw.long, region.evaluation_interval) for bw in slo.burn_windows)
    return max(RATE, -(-slo.min_events // shortest_long) * 2)


def burn(traffic: Traffic, k: int, n: int, budget: Fraction) -> Fraction:
    bad, total = traffic.window(k, n)
    return bad / total / budget if total else Fraction(0)


def firing(traffic: Traffic, k: int, rows, budget: Fraction, step: str, min_events: int = 0):
    """(rows firing at step k, whether any comparison is too close to call)."""
    out, close = [], False
    for row in rows:
        factor = Fraction(repr(float(row.factor)))
        long_n, short_n = steps_of(row.long, step), steps_of(row.short, step)
        burns = (burn(traffic, k, long_n, budget), burn(traffic, k, short_n, budget))
        close |= any(abs(b - factor) < AMBIGUOUS * factor for b in burns)
        ok = all(b > factor for b in burns)
        if min_events:
            ok = ok and traffic.window(k, long_n)[1] >= min_events
        if ok:
            out.append(row)
    return tuple(out), close


def outage_detection_steps(row: BurnWindow, budget: Fraction, step: str) -> int:
    """The workbook arithmetic: a total outage after a clean full window burns the long window
    past `factor` once the outage has lasted factor * budget * long; the first evaluation after."""
    long_n = steps_of(row.long, step)
    return math.floor(Fraction(repr(float(row.factor))) * budget * long_n) + 1
