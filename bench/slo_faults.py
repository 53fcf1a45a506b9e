"""The fault scenarios of issues 8 and 15, as synthetic histories, shared by the SLO benches.

Each scenario is one job (its own series, its own rules for every tool), so one Prometheus holds
them all. A failed scrape is a missing sample: every rule compared here reads raw counters through
range selectors only (last_over_time, rate, increase), which skip Prometheus's staleness markers,
so a marker and no sample read the same (the promtool proofs in tests/slo use real markers).
"Prometheus down" is no sample for the job's series and no evaluation of the job's rule groups in
that span (the level-by-level backfill skips those steps).

The reference is what the processes truly served (obsgen.synth.served): it includes what a pod
served after its last scrape or before its first, and never the lifetime value counters already
held before the history.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from obsgen.synth import DAY, HOUR, Gap, Incident, OutcomeLabel, Stream, stream

MIN = 60
METRIC = "http_requests_total"
OUTCOME = OutcomeLabel(label="code", ok="200", error="500")
LIFETIME = (50_000_000, 1_650_000)   # requests, errors a long-lived process already counted (3.3%)
FAILED_SCRAPES = 0.001               # the share of scrapes failing in "failed-churn"
LONGEST_WINDOW = DAY + HOUR + 43 * MIN   # Pyrra's 1d window (1d1h43m), the longest window read


@dataclass(frozen=True)
class Fault:
    key: str                                   # the job label of its series
    title: str
    streams: tuple[Stream, ...]
    focus: tuple[int, int]                     # where the windows are read
    down: tuple[tuple[int, int], ...] = ()     # Prometheus down: [start, end), no samples, no evaluations
    outage: tuple[int, int] | None = None      # a genuine incident alerts are due for
    note: str = ""


@dataclass(frozen=True)
class Base:
    """What every scenario's traffic looks like before its faults."""

    rate: float = 20.0
    diurnal: object = None
    error_ratio: float = 0.0005
    incidents: tuple[Incident, ...] = ()
    extra: dict = field(default_factory=dict)

    def stream(self, job: str, instance: str, **kw) -> Stream:
        args = dict(rate=self.rate, error_ratio=self.error_ratio, incidents=self.incidents, outcome=OUTCOME)
        if self.diurnal is not None:
            args["diurnal"] = self.diurnal
        args.update(kw)
        return stream(METRIC, {"job": job, "instance": instance}, **args)


def _off_grid(t: int, seconds: int) -> int:
    return t - t % MIN + seconds


def failed_scrape_gaps(rng: random.Random, first: int, last: int) -> tuple[Gap, ...]:
    """One missing sample at each grid minute in [first, last] with probability FAILED_SCRAPES."""
    return tuple(Gap(t, MIN) for t in range(first, last + 1, MIN) if rng.random() < FAILED_SCRAPES)


def scenarios(start: int, end: int, n: int, base: Base, at: int, resets: bool = False) -> list[Fault]:
    """The scenarios, n targets each (pods: n at a time); the local faults begin at `at` (on the grid)."""
    out = []
    last_day = (end - 2 * DAY, end)

    def steady(job, i, **kw):
        r = (end - (5 + i % 20) * DAY - (i * 7 % 60) * MIN,) if resets and end - (5 + i % 20) * DAY > start else ()
        return base.stream(job, f"i-{i}", resets=kw.pop("resets", r), **kw)

    out.append(Fault("none", "no faults", tuple(steady("none", i) for i in range(n)), last_day))

    rng = random.Random(8)
    pods = []
    for i in range(n):
        change = [start] + [_off_grid(d + (i * 37 * MIN) % DAY, 1 + (17 + i) % 59) for d in range(start - start % DAY + DAY, end, DAY)]
        for k, (a, b) in enumerate(zip(change, change[1:] + [None])):
            first = a + (-(a - end)) % MIN
            last = (b if b is not None else end + 1) - 1
            last -= (last - end) % MIN
            pods.append(base.stream("failed-churn", f"i-{i}-{k}", starts_at=a if k else None, ends_at=b,
                                    gaps=failed_scrape_gaps(rng, first, last)))
    out.append(Fault("failed-churn", "0.1% of scrapes failing, pods replaced daily", tuple(pods), last_day))

    pods = []
    for i in range(n):
        phase = (i * 7 * MIN) % HOUR + 29
        change = [start] + [t for t in range(start - start % HOUR + phase, end, HOUR) if t > start]
        for k, (a, b) in enumerate(zip(change, change[1:] + [None])):
            pods.append(base.stream("hourly-pods", f"i-{i}-{k}", starts_at=a if k else None, ends_at=b))
    out.append(Fault("hourly-pods", "pods replaced hourly", tuple(pods), last_day))

    down = ((at, at + 3 * MIN), (at + 2 * HOUR, at + 2 * HOUR + 6 * MIN), (at + 4 * HOUR, at + 4 * HOUR + 30 * MIN))
    gaps = tuple(Gap(a, b - a) for a, b in down)
    out.append(Fault("prom-down", "Prometheus down 3, 6 and 30 minutes (no samples, no evaluations)",
                     tuple(steady("prom-down", i, gaps=gaps) for i in range(n)),
                     (at - HOUR, down[-1][1] + LONGEST_WINDOW + HOUR), down=down))

    ten = (at, at + 10 * MIN)
    out.append(Fault("target-down", "targets down 10 minutes, no reset",
                     tuple(steady("target-down", i, gaps=(Gap(at, 10 * MIN),)) for i in range(n)),
                     (at - HOUR, ten[1] + LONGEST_WINDOW + HOUR), note="all n targets of the job at once"))
    out.append(Fault("target-down-reset", "targets down 10 minutes, restarted from zero",
                     tuple(s for i in range(n) for s in (
                         base.stream("target-down-reset", f"i-{i}", ends_at=at),
                         base.stream("target-down-reset", f"i-{i}", starts_at=ten[1] - 30))),
                     (at - HOUR, ten[1] + LONGEST_WINDOW + HOUR),
                     note="all n targets; the processes serve nothing while down"))
    out.append(Fault("long-lived", "a long-lived series appears (5e7 requests, 3.3% errors already counted)",
                     (*(steady("long-lived", i) for i in range(n)),
                      base.stream("long-lived", "newly-scraped", starts_at=at, lifetime=LIFETIME)),
                     (at - HOUR, at + LONGEST_WINDOW + HOUR)))
    fail, outage = at - 10 * MIN, (at, at + 30 * MIN)
    out.append(Fault("lifetime-outage",
                     "counters at 5e7 requests / 3.3% errors, a failed scrape, 10 minutes later a 30-minute total outage",
                     tuple(base.stream("lifetime-outage", f"i-{i}", lifetime=LIFETIME, gaps=(Gap(fail, MIN),),
                                       incidents=(*base.incidents, Incident(at, 30 * MIN, error_ratio=1.0)))
                           for i in range(n)),
                     (fail - HOUR, outage[1] + LONGEST_WINDOW + HOUR), outage=outage))
    return out
