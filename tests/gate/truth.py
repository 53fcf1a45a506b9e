"""Ground truth for the gate's figures, from the synthetic counters alone (no Prometheus maths)."""
from __future__ import annotations

from obsgen import duration
from obsgen.model import EventRatio, LatencyThreshold
from obsgen.synth import counts, latency_counts, select
from obsgen.synth.series import visible
from tests.gate import synthetic

LOOKBACK = 3600     # Region.counter_lookback's default

_STREAMS = {   # SLO id -> (counter name, labels) of its streams
    "api-availability": ("http_requests_total", {"service": "api"}),
    "api-latency": ("http_requests_total", {"service": "api"}),
    "jobs-success": ("jobs_total", {}),
    "sparse-availability": ("sparse_requests_total", {}),
    "ghost-availability": ("ghost_requests_total", {}),
}


def window_counts(scenarios, slo, region: str, end: int, window: str) -> tuple[int, int]:
    """(errors, requests) of the SLO in the region over the window ending at `end`."""
    scenario = scenarios[region]
    name, labels = _STREAMS[slo.id]
    streams = select(scenario, name, **labels)
    if isinstance(slo.sli, LatencyThreshold):
        lc = [latency_counts(scenario, (s,), slo.sli.threshold, window_start(scenario, s, end, window), end)
              for s in streams]
        return sum(c.total - c.under for c in lc), sum(c.total for c in lc)
    assert isinstance(slo.sli, EventRatio)
    c = [counts(scenario, (s,), window_start(scenario, s, end, window), end) for s in streams]
    return sum(x.errors for x in c), sum(x.requests for x in c)


def window_start(scenario, stream, end: int, window: str | int, lookback: int = LOOKBACK) -> int:
    """Where a count over the window starts: the stream's last visible sample at or before the
    window's start, found up to `lookback` back (a hole there is bridged, as the SLO engine's
    tiles and the gate's raw counts bridge it: what the counters counted across the hole is in
    the first sample after it); else the window's start (the count then starts at the first
    visible sample in it)."""
    w = window if isinstance(window, int) else int(duration.seconds(window))
    start = max(scenario.start, end - w)
    t = end - w
    while t > end - w - lookback and t >= scenario.start:
        if visible(scenario, stream, t):
            return t
        t -= scenario.step
    return start


def grid_end(recorded_at: float, end: int = None) -> int:
    """The last raw sample a recording evaluated at `recorded_at` saw (samples every STEP, ending at END)."""
    end = synthetic.END if end is None else end
    behind = end - recorded_at
    steps = -(-int(behind * 1000) // (synthetic.STEP * 1000))   # ceil
    return end - steps * synthetic.STEP
