"""Exact event counts over a window from the raw counters, alike under Prometheus 2 and 3.

`increase()` extrapolates to the window's edges, and Prometheus 3's ranges are open on the left,
so the same data gives different counts under 2 and 3. The gate books instead what the SLO
engine's base rule books (obsgen/slo/counts.py `deltas`), tile by tile, with no extrapolation:
the window (t - W, t] is cut into tiles of the evaluation interval E ending at t, t - E, ...,
and each tile counts, per series, its newest sample minus the newest sample at or before the
tile's start (found up to the look-back L back; staleness markers are not samples). So a
window counts from the last sample at or before its start, a hole shorter than L is bridged
and its increase booked once, and a series with no earlier sample counts from its first.

A counter that went down in a tile reset. A tile counts then its increase up to the reset
(its largest sample, which is the last before the reset, minus the sample before the tile) plus
the value after it: exact for one reset per tile however often the target is scraped. A series
with no sample before a tile (new, or back after more than L) counts from its first sample in
the tile (its smallest, unless it also reset there).

Subqueries step on multiples of their step in absolute time, not on t: the tiles' selectors
read `offset -d`, d = t mod E, so that the steps a, a - E, ... (a = t - d) read the tiles
ending at t, t - E, ...
"""
from __future__ import annotations

import math

from obsgen import duration, promql, sli_selectors
from obsgen.model import EventRatio, LatencyThreshold, RawRatio
from obsgen.slo import counts as slo_counts


def counts(sli, window: str, by: tuple[str, ...], at: float, step: str, lookback: str) -> tuple[str, str]:
    """(errors, total) over `window` ending at `at`, summed `by`; the errors of a window with
    requests and no error series are 0. A raw expression (RawRatio) is the user's own."""
    tiles = _Tiles(window, at, step, lookback)
    if isinstance(sli, EventRatio):
        total = tiles.increase(sli.total, by)
        if sli.errors is not None:
            return _zero_if_absent(tiles.increase(sli.errors, by), total), total
        return f"({total} - {_zero_if_absent(tiles.increase(sli.good, by), total)})", total
    if isinstance(sli, LatencyThreshold):
        extra = [sli.matchers] if sli.matchers else []
        le = f"le=~{promql.quote(promql.regex_alternatives(sli_selectors.le_values(sli.threshold)))}"
        total = tiles.increase(promql.selector(f"{sli.histogram}_count", extra), by)
        good = tiles.increase(promql.selector(f"{sli.histogram}_bucket", [*extra, le]), by)
        return f"({total} - {_zero_if_absent(good, total)})", total
    assert isinstance(sli, RawRatio)
    return slo_counts.counts(sli, window, by)


class _Tiles:
    def __init__(self, window: str, at: float, step: str, lookback: str):
        w, e = _ms(window), _ms(step)
        e = math.gcd(w, e)                      # tiles that cut the window exactly
        d = round(at * 1000) % e
        self.lookback = _ms(lookback)
        self.step, self.shift = e, d
        self.span = w + d - 1                   # (a - W, a] + d: exactly W / E steps, under 2 and 3

    def increase(self, selector: str, by: tuple[str, ...]) -> str:
        e, d = self.step, self.shift
        shift = f" offset -{_text(d)}" if d else ""
        # A tile's range may hold the sample `before` found at its start (Prometheus 2 closes
        # ranges on the left): new - before is then 0, and it is never above the tile's samples.
        new = f"last_over_time({selector}[{_text(e)}]{shift})"
        top = f"max_over_time({selector}[{_text(e)}]{shift})"
        before = f"last_over_time({selector}[{_text(self.lookback)}] offset {_text(e - d)})"
        bottom = f"min_over_time({selector}[{_text(e)}]{shift})"
        tile = f"(({new} - {before}) >= 0 or (clamp_min({top} - {before}, 0) + {new}) or ({new} - {bottom}))"
        grouping = f" by ({', '.join(by)})" if by else ""
        return f"sum{grouping} (sum_over_time({tile}[{_text(self.span)}:{_text(e)}]))"


def _zero_if_absent(expr: str, total: str) -> str:
    return f"({expr} or {total} * 0)"


def _ms(text: str) -> int:
    return round(duration.seconds(text) * 1000)


def _text(ms: int) -> str:
    out = []
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        if ms >= size:
            out.append(f"{ms // size}{unit}")
            ms %= size
    return "".join(out) or "0s"
