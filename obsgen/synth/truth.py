"""Ground truth, computed from the synthetic samples without Prometheus.

A window ``[t0, t1]`` is closed and must sit on the scenario's grid, which is
what a Prometheus 2.x range selector ``[t1 - t0]`` evaluated at ``t1`` covers.
The increase of a series is the sum of increments between consecutive visible
samples in the window. Resets are known from the model rather than guessed
from a decrease: after a restart the increment is the new value itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from obsgen.synth.model import Scenario, Stream
from obsgen.synth.series import (
    Series,
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

