"""Ground truth, computed from the synthetic samples without Prometheus.

A window ``[t0, t1]`` is closed and must sit on the scenario's grid, which is
what a Prometheus 2.x range selector ``[t1 - t0]`` evaluated at ``t1`` covers.
The increase of a series is the sum of increments between consecutive visible
samples in the window. Resets are known from the model rather than guessed
from a decrease: after a restart the increment is the new value itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from bisect import bisect_left, bisect_right
from typing import Iterable

from obsgen.synth.model import ErrorCounter, OutcomeLabel, Scenario, Stream
from obsgen.synth.cumulative import ERR, OK, cumulative_counts
from obsgen.synth.series import (
    Series,
    first_origin,
    timeline,
    bucket_series,
    histogram_count_series,
    request_and_error_series,
    stream_samples,
    visible,
)


@dataclass(frozen=True)
class Counts:
    requests: int
    errors: int

    @property
    def error_ratio(self) -> float | None:
        return None if self.requests == 0 else self.errors / self.requests

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.requests + other.requests, self.errors + other.errors)


@dataclass(frozen=True)
class LatencyCounts:
    under: int
    total: int

    @property
    def ratio(self) -> float | None:
        return None if self.total == 0 else self.under / self.total


def select(scenario: Scenario, name: str | None = None, **labels: str) -> tuple[Stream, ...]:
    """Streams with counter ``name`` (if given) and these exact label values."""
    return tuple(
        s
        for s in scenario.streams
        if (name is None or s.name == name) and all(s.label_dict.get(k) == v for k, v in labels.items())
    )


def _check_window(scenario: Scenario, t0: int, t1: int) -> None:
    if not (scenario.on_grid(t0) and scenario.on_grid(t1)) or t0 > t1:
        raise ValueError(f"window [{t0}, {t1}] must be ordered and on the {scenario.step}s grid ending at {scenario.end}")


def increases(scenario: Scenario, stream: Stream, series: tuple[Series, ...], t0: int, t1: int) -> dict[Series, int]:
    """Integer increase of each series over ``[t0, t1]`` (``_sum`` in its integer unit)."""
    _check_window(scenario, t0, t1)
    samples = stream_samples(scenario, stream, scenario.timestamps(t0, t1), series)
    restarted = [a != b for a, b in zip(samples.origins, samples.origins[1:])]
    totals = {}
    for s in series:
        vals = samples.values[s]
        totals[s] = sum(cur if reset else cur - prev for prev, cur, reset in zip(vals, vals[1:], restarted))
    return totals


def increase(scenario: Scenario, stream: Stream, series: Series, t0: int, t1: int) -> float:
    """Increase of one series over ``[t0, t1]`` in its natural unit (seconds for ``_sum``)."""
    return increases(scenario, stream, (series,), t0, t1)[series] / series.unit


def counts(scenario: Scenario, streams: Iterable[Stream], t0: int, t1: int) -> Counts:
    """Exact requests and errors counted by the streams' counters over ``[t0, t1]``."""
    total = Counts(0, 0)
    for st in streams:
        req, err = request_and_error_series(st)
        inc = increases(scenario, st, tuple(dict.fromkeys(req + err)), t0, t1)
        total += Counts(sum(inc[s] for s in req), sum(inc[s] for s in err))
    return total


def served(scenario: Scenario, streams: Iterable[Stream], spans: Iterable[tuple[int, int]]) -> list[Counts]:
    """Requests and errors the streams' processes truly served in each span (t0, t1].

    Unlike ``counts``, this is what happened, not what the samples show: it includes what a
    process served while it was not scraped (a gap, after its last scrape, before its first)
    and never a ``lifetime`` the counters held before the process started. Any time, on the
    grid or not; spans are clipped to each process's life [starts_at, ends_at).
    """
    spans = list(spans)
    totals = [[0, 0] for _ in spans]
    starts, ends = [a for a, _ in spans], [b for _, b in spans]
    ordered = starts == sorted(starts) and ends == sorted(ends)   # then each process reads its spans only
    for st in streams:
        if st.latency is not None or not isinstance(st.outcome, (OutcomeLabel, ErrorCounter)):
            raise ValueError("served counts counters only")
        lo = first_origin(scenario, st)
        hi = scenario.end if st.ends_at is None else min(scenario.end, st.ends_at)
        first, last = (bisect_left(ends, lo), bisect_right(starts, hi)) if ordered else (0, len(spans))
        live = [(i, min(max(spans[i][0], lo), hi), min(max(spans[i][1], lo), hi)) for i in range(first, last)]
        live = [(i, a, b) for i, a, b in live if a < b]
        if not live:
            continue
        points = sorted({t for _, a, b in live for t in (a, b)})
        cols = cumulative_counts(timeline(st, scenario.start), points)
        at = {t: (cols[OK][k], cols[ERR][k]) for k, t in enumerate(points)}
        for i, a, b in live:
            ok = at[b][0] - at[a][0]
            err = at[b][1] - at[a][1]
            totals[i][0] += ok + err
            totals[i][1] += err
    return [Counts(r, e) for r, e in totals]


def latency_counts(scenario: Scenario, streams: Iterable[Stream], le: float, t0: int, t1: int) -> LatencyCounts:
    """Requests at or under bucket bound ``le``, and all requests, per the histograms."""
    under = total = 0
    for st in streams:
        b, c = bucket_series(st, le), histogram_count_series(st)
        inc = increases(scenario, st, (b, c), t0, t1)
        under += inc[b]
        total += inc[c]
    return LatencyCounts(under, total)


def sample_value(scenario: Scenario, stream: Stream, series: Series, t: int) -> float | None:
    """The raw sample of ``series`` at grid time ``t`` (None when absent)."""
    if not scenario.on_grid(t) or not scenario.start <= t <= scenario.end or not visible(scenario, stream, t):
        return None
    return stream_samples(scenario, stream, (t,), (series,)).values[series][0] / series.unit

