"""Counters as Prometheus stores them, faults and all, and what the base window books from them.

The proofs under faults need scrape-level input: a sample every scrape interval, a staleness
marker where a scrape failed, nothing where Prometheus was down, counters that reset, series
that come and go. `booked` is the oracle: what the base rule (obsgen/slo/counts.py `deltas`)
books at each evaluation, computed exactly (whole numbers) from the stored samples alone. `truth`
is what happened. The generated promtool tests expect the oracle's numbers; the Python tests
hold the oracle to the truth within the bounds the README states.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from obsgen.slo.simulate import Traffic

STALE = "stale"      # a failed scrape: Prometheus writes a staleness marker
GAP = None           # no sample at all: Prometheus was not running, or the series did not exist


@dataclass(frozen=True)
class Series:
    """One input series: its promtool text, its role in the SLI (good, bad, or total = good +
    bad), its stored sample at every scrape (a number, STALE or GAP), and the events that truly
    happened at every scrape."""

    text: str
    role: str
    samples: tuple
    events: tuple


@dataclass(frozen=True)
class Scrapes:
    interval: int                  # seconds between scrapes
    series: tuple[Series, ...]


def _last(samples, interval: int, lo: float, hi: float):
    """The newest real sample with time in (lo, hi], or None. (Where a range is closed on the
    left, Prometheus 2, a sample at lo is the same sample `before` finds: the booking is alike.)"""
    i = min(int(hi // interval), len(samples) - 1)
    while i >= 0 and i * interval > lo:
        v = samples[i]
        if v is not GAP and v != STALE:
            return v
        i -= 1
    return None


def increase(series: Series, t: int, step: int, lookback: int, interval: int):
    """What the base rule books for one series at the evaluation at time t."""
    new = _last(series.samples, interval, t - step, t)
    before = _last(series.samples, interval, t - step - lookback, t - step)
    if new is None or before is None:
        return 0
    return new - before if new >= before else new


def _combine(by: dict, roles: set[str]) -> tuple:
    """(good, bad) from per-role sums, as the SLI's rules combine them."""
    total = by["total"] if "total" in roles else by["good"] + by["bad"]
    bad = by["bad"] if "bad" in roles else max(total - by["good"], 0)
    return total - bad, bad


def booked(scrapes: Scrapes, step: int, lookback: int, evaluations: int) -> Traffic:
    """Per evaluation step, the good and bad events the base rules book (step 0 books none)."""
    roles = {s.role for s in scrapes.series}
    good, bad = [0], [0]
    for k in range(1, evaluations + 1):
        by = dict.fromkeys(("good", "bad", "total"), 0)
        for s in scrapes.series:
            by[s.role] += increase(s, k * step, step, lookback, scrapes.interval)
        g, b = _combine(by, roles)
        good.append(g)
        bad.append(b)
    return Traffic(tuple(good), tuple(bad))


def truth(scrapes: Scrapes, step: int, evaluations: int) -> Traffic:
    """Per evaluation step, the events that happened in it (each scrape's events at its time)."""
    roles = {s.role for s in scrapes.series}
    per = step // scrapes.interval
    good, bad = [0], [0]
    for k in range(1, evaluations + 1):
        by = dict.fromkeys(("good", "bad", "total"), 0)
        for s in scrapes.series:
            by[s.role] += sum(s.events[(k - 1) * per + 1: k * per + 1])
        g, b = _combine(by, roles)
        good.append(g)
        bad.append(b)
    return Traffic(tuple(good), tuple(bad))


def promtool_values(samples) -> str:
    """promtool's input notation: numbers, `stale`, `_` (no sample); equal steps folded as a+bxn."""
    out, i = [], 0
    while i < len(samples):
        v = samples[i]
        if v is GAP or v == STALE:
            out.append("_" if v is GAP else "stale")
            i += 1
            continue
        j = i
        while j + 1 < len(samples) and isinstance(samples[j + 1], (int, Fraction)) and samples[j + 1] >= samples[j] and \
                (j == i or samples[j + 1] - samples[j] == samples[i + 1] - samples[i]):
            j += 1
        out.append(_num(v) if j == i else f"{_num(v)}+{_num(samples[i + 1] - v)}x{j - i}")
        i = j + 1
    return " ".join(out)


def _num(x) -> str:
    x = Fraction(x)
    return str(x.numerator) if x.denominator == 1 else repr(float(x))
