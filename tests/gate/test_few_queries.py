"""Few queries: with the recorded series whole over every window, each endpoint answers for every
SLO in one request, however many SLOs there are; windows they do not hold whole cost one raw
query per 100 SLO x region pairs, however many windows."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest

from obsgen import duration, names
from obsgen.gate import config as gate_config
from obsgen.gate import collect, queries
from obsgen.gate.collect import windows_of
from obsgen.gate.evaluate import evaluate
from obsgen.gate.http import Sample
from tests.gate import synthetic

SLOS = tuple(replace(synthetic.SLOS[0], service=f"svc{i:03d}") for i in range(100))


class RecordingPrometheus:
    """Answers as a Prometheus whose recorded series cover every window but `uncovered`."""

    calls: list[str] = []
    uncovered: tuple[str, ...] = ()

    def __init__(self, endpoint, clock, on_request):
        self.endpoint = endpoint

    def query(self, expr, at):
        RecordingPrometheus.calls.append(expr)
        region = self.endpoint.region
        out = []
        for slo in SLOS:
            ident = {names.SLO: slo.name, names.SERVICE: slo.service, names.REGION: region}
            if "{__name__=~" in expr:   # freshness and the history's start, beside the counts
                tag = {queries.TAG_SLO: slo.id, names.REGION: region}
                out.append(Sample({**tag, queries.TAG_PART: queries.NEWEST}, at))
                out.append(Sample({**tag, queries.TAG_PART: queries.START}, 1.0))
            for w in windows_of(slo):
                if "{__name__=~" in expr:
                    whole = duration.seconds(w) / 60
                    out.append(Sample({**ident, "__name__": names.errors_count(w)}, 1.0))
                    out.append(Sample({**ident, "__name__": names.requests_count(w)}, 1000.0))
                    out.append(Sample({**ident, "__name__": names.evaluations_count(w)},
                                      whole / 2 if w in self.uncovered else whole))
        return out

    def close(self):
        pass


# Raw-counter queries hold 100 SLO x region pairs each (collect.RAW_PAIRS): 100 SLOs of one
# region, 1 of them; 4 of them when a query holds 30 pairs.
@pytest.mark.parametrize("pairs, uncovered, per_endpoint", [
    (100, (), 1), (100, ("1d",), 2), (100, ("6h", "1d"), 2), (30, ("1d",), 5)],
    ids=["all windows recorded whole: one request", "one window not whole: one more",
         "two windows not whole: still one more", "30 pairs a query, one window not whole: 4 more"])
def test_requests_per_endpoint_do_not_grow_with_slos(monkeypatch, pairs, uncovered, per_endpoint):
    monkeypatch.setattr(collect, "RAW_PAIRS", pairs)
    estate = synthetic.estate(slos=SLOS)
    config = gate_config.GateConfig(endpoints={r.name: {"url": "http://gate.invalid"} for r in estate.regions})
    plan = gate_config.plan(estate, estate.regions, config)
    RecordingPrometheus.calls = []
    RecordingPrometheus.uncovered = uncovered
    started = time.process_time()
    evaluation = evaluate(estate, plan, 0.0, clock=time.monotonic, make_client=RecordingPrometheus, parallel=False)
    assert len(RecordingPrometheus.calls) == per_endpoint * len(plan)
    assert len(evaluation.results) == 100 * 3 + 100          # three regions, and globally
    assert time.process_time() - started < 10   # each query is parsed before it is sent
