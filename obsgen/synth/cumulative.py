"""Expected cumulative counts of a stream, rounded to integers.

A stream is split into disjoint *components* whose per-second rates are
fixed fractions of the request rate within each segment of its incident
timeline:

    ok, err, bucket_0 .. bucket_n (bucket_n = above the last bound), sum_ms

The expected count of a component since the scenario start is a closed-form
integral, so the integer count at any timestamp is ``round(expected)``:
random access, no carried state, and totals are exact by construction
(this is rounding with a carried remainder, evaluated directly).
Keeping components disjoint means every derived series (totals, cumulative
``le`` buckets, ``_count``) is a sum of monotone integers and stays
consistent after subtracting a reset origin.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

from obsgen.synth.model import DAY, HOUR, Latency, Stream

OK = 0
ERR = 1
FIRST_BUCKET = 2


@dataclass(frozen=True)
class Timeline:
    origin: int
    rate: float
    amplitude: float
    peak_seconds: float
    seg_starts: tuple[int, ...]
    seg_base: tuple[float, ...]
    seg_acc: tuple[tuple[float, ...], ...]
    seg_factors: tuple[tuple[float, ...], ...]

    @property
    def n_components(self) -> int:
        return len(self.seg_factors[0])


def n_buckets(latency: Latency | None) -> int:
    """Disjoint latency buckets including the overflow above the last bound."""
    return 0 if latency is None else len(latency.bounds) + 1


def sum_component(stream: Stream) -> int | None:
    return None if stream.latency is None else FIRST_BUCKET + n_buckets(stream.latency)


def _mean_ms(bounds: tuple[float, ...], shares: tuple[float, ...]) -> float:
    # Uniform within each bucket; the overflow counts as twice the last bound.
    total, lower, below = 0.0, 0.0, 0.0
    for bound, share in zip(bounds, shares):
        total += (share - below) * (lower + bound) / 2.0
        lower, below = bound, share
    total += (1.0 - below) * 2.0 * bounds[-1]
    return total * 1000.0


def _factors(error_ratio: float, latency: Latency | None, shares: tuple[float, ...] | None) -> tuple[float, ...]:
    factors = [1.0 - error_ratio, error_ratio]
    if latency is not None:
        shares = shares or latency.shares
        below = 0.0
        for share in shares:
            factors.append(share - below)
            below = share
        factors.append(1.0 - below)
        factors.append(_mean_ms(latency.bounds, shares))
    return tuple(factors)


def _segments(stream: Stream, origin: int) -> list[tuple[int, tuple[float, ...]]]:
    baseline = _factors(stream.error_ratio, stream.latency, None)
    segments = [(origin, baseline)]
    for inc in stream.incidents:
        if inc.end <= origin:
            continue
        err = stream.error_ratio if inc.error_ratio is None else inc.error_ratio
        during = _factors(err, stream.latency, inc.latency_shares)
        start = max(inc.start, origin)
        if start == segments[-1][0]:
            segments[-1] = (start, during)
        else:
            segments.append((start, during))
        segments.append((inc.end, baseline))
    return segments


def integrated_rates(tl: Timeline, ts: Sequence[float]) -> list[float]:
    """Expected requests in ``[origin, t]`` for each ``t``."""
    rate, origin = tl.rate, tl.origin
    if tl.amplitude == 0.0:
        return [rate * (t - origin) for t in ts]
    w = 2.0 * math.pi / DAY
    swing, peak = tl.amplitude / w, tl.peak_seconds
    # Reducing the phase modulo a day first keeps sin() arguments small and exact.
    s0 = math.sin(w * ((origin - peak) % DAY))
    return [rate * ((t - origin) + swing * (math.sin(w * ((t - peak) % DAY)) - s0)) for t in ts]


def build_timeline(stream: Stream, origin: int) -> Timeline:
    """Piecewise-constant component fractions with their accumulated counts."""
    partial = Timeline(
        origin=origin,
        rate=stream.rate,
        amplitude=stream.diurnal.amplitude,
        peak_seconds=stream.diurnal.peak_hour_utc * HOUR,
        seg_starts=(),
        seg_base=(),
        seg_acc=(),
        seg_factors=(),
    )
    segments = _segments(stream, origin)
    starts = tuple(s for s, _ in segments)
    bases = tuple(integrated_rates(partial, starts))
    accs = [tuple(0.0 for _ in segments[0][1])]
    for i in range(1, len(segments)):
        span = bases[i] - bases[i - 1]
        accs.append(tuple(a + f * span for a, f in zip(accs[-1], segments[i - 1][1])))
    return Timeline(
        origin=origin,
        rate=partial.rate,
        amplitude=partial.amplitude,
        peak_seconds=partial.peak_seconds,
        seg_starts=starts,
        seg_base=bases,
        seg_acc=tuple(accs),
        seg_factors=tuple(f for _, f in segments),
    )


def _segment_runs(tl: Timeline, ts: Sequence[int]) -> list[tuple[int, int, int]]:
    """(segment, lo, hi) runs of sorted timestamps ``ts[lo:hi]`` in one segment."""
    runs: list[tuple[int, int, int]] = []
    lo = 0
    while lo < len(ts):
        seg = bisect_right(tl.seg_starts, ts[lo]) - 1
        if seg < 0:
            raise ValueError(f"timestamp {ts[lo]} is before the timeline origin {tl.origin}")
        nxt = tl.seg_starts[seg + 1] if seg + 1 < len(tl.seg_starts) else None
        hi = len(ts) if nxt is None else bisect_right(ts, nxt - 1, lo)
        runs.append((seg, lo, hi))
        lo = hi
    return runs


def cumulative_counts(tl: Timeline, ts: Sequence[int]) -> list[list[int]]:
    """Integer count of every component at each (sorted) timestamp; column-wise."""
    cols: list[list[int]] = [[] for _ in range(tl.n_components)]
    for seg, lo, hi in _segment_runs(tl, ts):
        base = tl.seg_base[seg]
        ds = [x - base for x in integrated_rates(tl, ts[lo:hi])]
        for col, acc, f in zip(cols, tl.seg_acc[seg], tl.seg_factors[seg]):
            if f == 0.0:
                col.extend([int(acc + 0.5)] * (hi - lo))
            else:
                # int() floors here: every term is >= 0 (d can be -1e-12 noise at most).
                half = acc + 0.5
                col.extend([int(half + f * d) for d in ds])
    return cols
