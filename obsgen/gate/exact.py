"""Exact event counts over a window from the raw counters, alike under Prometheus 2 and 3.

`increase()` extrapolates to the window's edges, and Prometheus 3's ranges are open on the left,
so the same data gives different counts under 2 and 3. The gate counts instead, per series,
what the SLO engine's base rule books (obsgen/slo/counts.py `deltas`), with no extrapolation:
the window (t - W, t] is cut into tiles ending at t, and each tile counts its newest sample
minus the newest sample at or before the tile's start (found up to the look-back L back;
staleness markers are not samples). A window thus counts from the last sample at or before its
start, a hole shorter than L is bridged and its increase booked once, and a series with no
earlier sample counts from its first sample (its smallest in the tile).

A counter that went down reset. A tile whose first sample is below the one before it counts its
newest sample (the increase since the reset). A tile with a reset inside counts its increase up
to the reset (its largest sample, the last before the reset, minus the sample before the tile)
plus its newest sample. That is exact when the tile holds one reset and the counter did not
climb, after it, above where it was before it; a tile where that is not sure (`resets()` counts
more, or the newest sample is the largest) is flagged. So the gate first counts each window as
one tile, the newest sample minus the one before the window, flagged wherever a series reset
(in the window or the look-back before it) or has no sample before the window; only flagged
windows are counted again in finer tiles (about 120 per window), then in tiles of the
evaluation interval, as the SLO engine does.

Subqueries step on multiples of their step in absolute time, not on t: the tiles' selectors
read `offset -d`, d = t mod tile, so that the steps a, a - tile, ... (a = t - d) read the tiles
ending at t, t - tile, ...
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from obsgen import duration, promql, sli_selectors
from obsgen.model import EventRatio, LatencyThreshold, NativeLatencyThreshold, RawRatio
from obsgen.slo import counts as slo_counts

MAX_TILES = 120     # the middle level's tiles per window


@dataclass(frozen=True)
class Counts:
    errors: str
    total: str
    inexact: str    # per `by` label set, present where a tile may be miscounted; '' when never


def tiles(window: str, step: str) -> tuple[str, ...]:
    """The tile sizes to count `window` in, coarsest first: the window itself, about
    MAX_TILES tiles, and the evaluation interval `step` (each cutting the window exactly)."""
    w = _ms(window)
    e = math.gcd(w, _ms(step))
    out = [w]
    k = -(-(w // e) // MAX_TILES)
    while (w // e) % k:
        k += 1
    for size in (k * e, e):
        if size < out[-1]:
            out.append(size)
    return tuple(duration.format_ms(s) for s in out)


def counts(sli, window: str, by: tuple[str, ...], at: float, tile: str, lookback: str) -> Counts:
    """Errors and total over `window` ending at `at`, summed `by`, in tiles of `tile`; the errors
    of a label set with requests and no error series are 0. A raw expression (RawRatio) is the
    user's own, read with its `$window` as written."""
    t = _Tiles(window, at, tile, lookback)
    if isinstance(sli, EventRatio):
        total = t.increase(sli.total, by)
        zero = t.zero(sli.total, by)
        part = sli.errors if sli.errors is not None else sli.good
        flagged = [sli.total] if _subset(part, sli.total) else [sli.total, part]
        if sli.errors is not None:
            return Counts(f"({t.increase(sli.errors, by)} or {zero})", total, t.flags(flagged, by))
        good = f"({t.increase(sli.good, by)} or {zero})"
        return Counts(f"({total} - {good})", total, t.flags(flagged, by))
    if isinstance(sli, LatencyThreshold):
        extra = [sli.matchers] if sli.matchers else []
        le = f"le=~{promql.quote(promql.regex_alternatives(sli_selectors.le_values(sli.threshold)))}"
        count = promql.selector(f"{sli.histogram}_count", extra)
        bucket = promql.selector(f"{sli.histogram}_bucket", [*extra, le])
        total = t.increase(count, by)
        good = f"({t.increase(bucket, by)} or {t.zero(count, by)})"
        return Counts(f"({total} - {good})", total, t.flags([count, bucket], by))   # one process resets both
    if isinstance(sli, NativeLatencyThreshold):
        # Two counts read from each histogram sample, each booked as a counter. max_over_time and
        # min_over_time skip histograms: a reset inside a tile or a new series' first tile is
        # flagged and, in the evaluation interval's tiles, booked as the SLO engine books it.
        h = sli_selectors.native_selector(sli)
        total = t.increase(h, by, lambda x: f"histogram_count({x})")
        good = f"({t.increase(h, by, lambda x: slo_counts.native_good(sli, x))} or {t.zero(h, by)})"
        return Counts(f"({total} - {good})", total, t.flags([h], by, native=True))
    assert isinstance(sli, RawRatio)
    errors, total = slo_counts.counts(sli, window, by)
    return Counts(errors, total, "")


class _Tiles:
    def __init__(self, window: str, at: float, tile: str, lookback: str):
        w, e = _ms(window), _ms(tile)
        assert w % e == 0, (window, tile)
        self.window, self.step, self.lookback = w, e, _ms(lookback)
        self.shift = 0 if e == w else round(at * 1000) % e
        self.span = w + self.shift - 1           # (a - W, a] + d: exactly W / tile steps, under 2 and 3

    def _range(self, selector: str, fn: str, length: int) -> str:
        shift = f" offset -{duration.format_ms(self.shift)}" if self.shift else ""
        return f"{fn}({selector}[{duration.format_ms(length)}]{shift})"

    def _before(self, selector: str) -> str:
        return f"last_over_time({selector}[{duration.format_ms(self.lookback)}] offset {duration.format_ms(self.step - self.shift)})"

    def _summed(self, per_tile: str, by: tuple[str, ...], fn: str = "sum_over_time") -> str:
        grouping = f" by ({', '.join(by)})" if by else ""
        if self.step == self.window:
            return f"{'sum' if fn == 'sum_over_time' else 'count'}{grouping} ({per_tile})"
        return f"sum{grouping} ({fn}({per_tile}[{duration.format_ms(self.span)}:{duration.format_ms(self.step)}]))"

    def increase(self, selector: str, by: tuple[str, ...], value=None) -> str:
        """`value` reads a count from a native histogram sample (None: the sample is the count)."""
        e = self.step
        v = value or (lambda x: x)
        if e == self.window:
            # One tile: the newest sample minus the one before the window, exact for every
            # series that did not reset and has a sample before the window; `flags` names the rest.
            return self._summed(f"({v(self._range(selector, 'last_over_time', e))} - {v(self._before(selector))})", by)
        new, before = v(self._range(selector, "last_over_time", e)), v(self._before(selector))
        if value is not None:   # as the SLO engine books it; see counts()
            return self._summed(f"((({new} - {before}) >= 0) or ({new} and {before}))", by)
        top, bottom = (self._range(selector, fn, e) for fn in ("max_over_time", "min_over_time"))
        # A tile's range may hold the sample `before` found at its start (Prometheus 2 closes
        # ranges on the left): it is then never above the tile's samples, nor a reset.
        within = self._range(selector, "resets", e)
        steady = f"((({new} - {before}) unless ({within} > 0)) unless ({bottom} < {before}))"
        # `- 0`: last_over_time keeps the metric name under Prometheus 2; every branch drops it, so
        # that a series is one series across the steps of the subquery.
        at_start = f"((({new} - 0) unless ({within} > 0)) and ({bottom} < {before}))"
        inside = f"((clamp_min({top} - {before}, 0) + {new}) and ({within} > 0))"
        tile = f"({steady} or {at_start} or {inside} or ({new} - {bottom}))"
        return self._summed(tile, by)

    def flags(self, selectors, by: tuple[str, ...], native: bool = False) -> str:
        """Per label set, how many series' tiles may be miscounted. The window as one tile: a
        reset in it or in the look-back before it, or a series with no sample before it. Finer
        tiles: two resets or more, one reset after which the newest sample is the largest, one
        reset besides one at the tile's start (or just before it: counted within the look-back,
        to be safe), or a reset in a series with no sample before the tile."""
        parts = []
        for selector in selectors:
            e = self.step
            if e == self.window:
                around = self._range(selector, "resets", e + self.lookback)
                new = self._range(selector, "last_over_time", e)
                parts.append(self._summed(f"(({around} > 0) or ({new} unless {self._before(selector)}))", by,
                                          "count_over_time"))
                continue
            new, top = self._range(selector, "last_over_time", e), self._range(selector, "max_over_time", e)
            within = self._range(selector, "resets", e)
            if native:
                parts.append(self._summed(f"(({within} > 0) or ({new} unless {self._before(selector)}))", by,
                                          "count_over_time"))
                continue
            around = self._range(selector, "resets", e + self.lookback)
            flag = (f"(({within} > 1) or (({within} == 1) and (({new} >= {top}) or ({around} > 1)))"
                    f" or (({within} > 0) unless {self._before(selector)}))")
            parts.append(self._summed(flag, by, "count_over_time"))
        return " or ".join(f"({p})" for p in parts)

    def zero(self, selector: str, by: tuple[str, ...]) -> str:
        """0 for each label set whose series have a sample in the window."""
        grouping = f" by ({', '.join(by)})" if by else ""
        return f"(count{grouping} (last_over_time({selector}[{duration.format_ms(self.window)}])) * 0)"


def _subset(part: str, whole: str) -> bool:
    """Whether every series `part` selects is one of `whole`'s (same name, more matchers): a
    flag on `whole`'s series then covers `part`'s."""
    try:
        (name, mine), (their_name, theirs) = promql.selector_parts(part), promql.selector_parts(whole)
    except ValueError:
        return False
    return name == their_name and set(theirs) <= set(mine)


def _ms(text: str) -> int:
    return round(duration.seconds(text) * 1000)
