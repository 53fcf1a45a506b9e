"""Every figure the gate reports matches the ground truth of the synthetic counters within 0.01
percentage points, whether read from recorded series or raw counters, per region and global."""
from __future__ import annotations

import pytest

from obsgen import duration
from obsgen.gate.result import RAW, RECORDED
from tests.gate import synthetic
from tests.gate.gaterun import config_for, run
from tests.gate.truth import grid_end, window_counts

pytestmark = pytest.mark.tool("prometheus")

TOLERANCE = 1e-4   # 0.01 percentage points, as a fraction
FEEDING = ("north", "south")


def _recorded_end(prom) -> int:
    stamps = {s.value for s in prom.query("timestamp(slo:sli_requests:increase1m)", at=synthetic.END)}
    assert len(stamps) == 1, "every recording shares one evaluation phase"
    return grid_end(stamps.pop())


def _end_for(source: str, recorded_end: int) -> int:
    return recorded_end if source == RECORDED else synthetic.END


def _expected(scenarios, slo, region, source, window, recorded_end, sources=None):
    """Truth over the window the figure covers: a recording's last evaluation, or the instant.
    Globally, each feeding region's part over the window its own figure covers."""
    if region == "global":
        parts = [_expected(scenarios, slo, name, sources[name], window, recorded_end) for name in FEEDING]
        return sum(p[0] for p in parts), sum(p[1] for p in parts)
    return window_counts(scenarios, slo, region, _end_for(source, recorded_end), window)


MODES = {
    "each region read from its own endpoint": dict(thanos=False),
    "the feeding regions read from one Thanos-style endpoint": dict(thanos=True),
}


@pytest.fixture(scope="module", params=list(MODES), ids=list(MODES))
def evaluation(request, prom, estate):
    urls = {"north": prom.url, "south": prom.url, "island": prom.url, "thanos": prom.url}
    return run(estate, config_for(urls, **MODES[request.param]), synthetic.END)


def test_the_gate_evaluated_every_slo_in_every_region_and_globally(evaluation, estate):
    got = {(r.slo_id, r.region) for r in evaluation.results}
    want = {(s.id, r.name) for s in estate.slos for r in estate.regions if s.regions is None or r.name in s.regions}
    want |= {(s.id, "global") for s in estate.slos if s.regions is None}
    assert got == want
    assert not evaluation.problems


def test_period_figures_match_the_ground_truth(evaluation, estate, scenarios, prom):
    recorded_end = _recorded_end(prom)
    slos = {s.id: s for s in estate.slos}
    checked = 0
    for r in evaluation.results:
        slo = slos[r.slo_id]
        if r.requests is None:
            assert r.slo_id == "ghost-availability", f"{r.slo_id} in {r.region} read no data: {r.reason}"
            continue
        sources = {x.region: x.period_source for x in evaluation.results if x.slo_id == r.slo_id}
        errors, requests = _expected(scenarios, slo, r.region, r.period_source, slo.period, recorded_end, sources)
        assert (r.errors, r.requests) == (errors, requests), f"{r.slo_id} in {r.region} ({r.period_source})"
        if requests == 0:
            continue
        budget = slo.error_budget_in(r.region if r.region != "global" else "north")
        ratio = errors / requests
        assert abs(r.sli - (1 - ratio)) < TOLERANCE
        assert abs(r.budget_remaining - (1 - ratio / budget)) < TOLERANCE
        minutes = budget * duration.seconds(slo.period) / 60
        assert abs(r.budget_remaining_minutes - (1 - ratio / budget) * minutes) < TOLERANCE * minutes
        assert abs(r.period_burn_rate - ratio / budget) < TOLERANCE
        checked += 1
    assert checked >= 9


def test_burn_rates_at_every_alert_window_match_the_ground_truth(evaluation, estate, scenarios, prom):
    recorded_end = _recorded_end(prom)
    slos = {s.id: s for s in estate.slos}
    sources = set()
    checked = 0
    by = {(r.slo_id, r.region): r for r in evaluation.results}
    for r in evaluation.results:
        if r.requests is None or r.requests < 1000:
            continue
        slo = slos[r.slo_id]
        budget = slo.error_budget_in(r.region if r.region != "global" else "north")
        assert [b.window for b in r.burn_rates] == ["5m", "30m", "1h", "2h", "6h", "1d"]
        for b in r.burn_rates:
            parts = {name: {x.window: x.source for x in by[(r.slo_id, name)].burn_rates}[b.window]
                     for name in FEEDING} if r.region == "global" else None
            errors, requests = _expected(scenarios, slo, r.region, b.source, b.window, recorded_end, parts)
            ratio = errors / requests
            assert abs(b.error_ratio - ratio) < TOLERANCE, f"{r.slo_id} {r.region} {b.window} ({b.source})"
            assert abs(b.rate - ratio / budget) < TOLERANCE / budget
            sources.add((b.window, b.source))
            checked += 1
    assert checked >= 6 * 10
    # Rules as old as the history: every window is read from the recorded series, whole.
    assert {source for _, source in sources} == {RECORDED}


def test_global_figures_sum_errors_over_requests_of_the_feeding_regions_only(evaluation):
    by = {(r.slo_id, r.region): r for r in evaluation.results}
    g = by[("api-availability", "global")]
    north, south = by[("api-availability", "north")], by[("api-availability", "south")]
    assert g.requests == north.requests + south.requests
    assert g.errors == north.errors + south.errors
    island = by[("api-availability", "island")]
    assert g.requests != north.requests + south.requests + island.requests


def test_recorded_figures_are_what_the_slo_engine_recorded(prom, evaluation):
    """The gate reads the engine's period counts as they are (no maths of its own on them)."""
    engine = {(s.labels["service"], s.labels["slo"], s.labels["region"]): s.value
              for s in prom.query("slo:sli_requests:increase1d", at=synthetic.END)}
    compared = 0
    for r in evaluation.results:
        if r.region != "global" and r.period_source == RECORDED:
            assert r.requests == engine[(r.service, r.slo, r.region)]
            compared += 1
    assert compared >= 9
