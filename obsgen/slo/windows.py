"""How each window's counts are built from shorter recorded windows, so no rule reads much.

The base window is the region's evaluation interval E: its counts come from the raw counters
(obsgen/slo/counts.py `deltas`), recorded every E, so consecutive base samples tile time
exactly. Every longer window W is an offset sum of n samples of a shorter recorded window
w = W/n: w at t, t-w, ..., t-(n-1)w. Each recorded window is a sum over its own exact tiles,
so the offsets tile W exactly too.

Offsets, not sum_over_time over a range: an offset picks the latest sample at or before its
instant, so the tiling holds whatever the phase between the rule that records w and the rule
that reads it (rules backfilled level by level run at different phases), and whether a
Prometheus version closes a range on the left (2.x) or not (3.x).

The cheapest source wins (fewest terms), with 1h and 1d always available as rungs, so a 30-day
window reads 20 samples (10 offsets), never 43,200.
"""
from __future__ import annotations

from functools import lru_cache

from dataclasses import dataclass

from obsgen import duration

RUNGS = ("1h", "1d")          # intermediate windows recorded when a longer window needs them


@dataclass(frozen=True)
class Step:
    window: str               # the window recorded by this step, e.g. "30d"
    source: str | None        # the shorter recorded window it sums; None: the raw counters
    terms: int                # how many samples of the source it adds, at offsets 0, w, 2w, ...

    @property
    def seconds(self) -> int:
        return int(duration.seconds(self.window))


@lru_cache(maxsize=4096)
def spell(seconds: float) -> str:
    """A duration in Prometheus notation, milliseconds allowed: 270 -> "4m30s", 7.5 -> "7s500ms"."""
    ms = round(seconds * 1000)
    if ms <= 0:
        raise ValueError(f"not a positive duration: {seconds}")
    out = []
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        if ms >= size:
            out.append(f"{ms // size}{unit}")
            ms %= size
    return "".join(out)


def plan(windows, base: str) -> tuple[Step, ...]:
    """The steps recording `base` and every window in `windows` (plus rungs), shortest first.
    Every window must be a multiple of the base (validation checks it)."""
    e = int(duration.seconds(base))
    wanted = {int(duration.seconds(w)): w for w in sorted(windows, key=len)}
    top = max(wanted, default=e)
    for rung in RUNGS:
        s = int(duration.seconds(rung))
        if s % e == 0 and top > s and s not in wanted:
            wanted[s] = rung
    steps = [Step(base, None, 1)]
    built = {e: steps[0]}
    for s in sorted(wanted):
        if s == e:
            continue
        if s % e:
            raise ValueError(f"window {wanted[s]} is not a multiple of the evaluation interval {base}")
        best = min((Step(wanted[s], built[w].window, s // w) for w in built if s % w == 0), key=lambda st: st.terms)
        steps.append(best)
        built[s] = best
    return tuple(steps)
