"""Ground truth for the gate's figures, from the synthetic counters alone (no Prometheus maths)."""
from __future__ import annotations

from obsgen import duration
from obsgen.model import EventRatio, LatencyThreshold
from obsgen.synth import counts, latency_counts, select
from tests.gate import synthetic

_STREAMS = {   # SLO id -> (counter name, labels) of its streams
    "api-availability": ("http_requests_total", {"service": "api"}),
    "api-latency": ("http_requests_total", {"service": "api"}),
    "jobs-success": ("jobs_total", {}),
    "sparse-availability": ("sparse_requests_total", {}),
    "ghost-availability": ("ghost_requests_total", {}),
}


def window_counts(scenarios, slo, region: str, end: int, window: str) -> tuple[int, int]:
    """(errors, requests) of the SLO in the region over the grid window [end - window, end]."""
    scenario = scenarios[region]
    name, labels = _STREAMS[slo.id]
    streams = select(scenario, name, **labels)
    t0 = max(scenario.start, end - int(duration.seconds(window)))
    if isinstance(slo.sli, LatencyThreshold):
        lc = latency_counts(scenario, streams, slo.sli.threshold, t0, end)
        return lc.total - lc.under, lc.total
    assert isinstance(slo.sli, EventRatio)
    c = counts(scenario, streams, t0, end)
    return c.errors, c.requests


def grid_end(recorded_at: float, end: int = None) -> int:
    """The last raw sample a recording evaluated at `recorded_at` saw (samples every STEP, ending at END)."""
    end = synthetic.END if end is None else end
    behind = end - recorded_at
    steps = -(-int(behind * 1000) // (synthetic.STEP * 1000))   # ceil
    return end - steps * synthetic.STEP
