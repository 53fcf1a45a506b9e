"""Rules deployed three hours ago: the recorded series cover the short windows only, so the gate
reads the longer ones from the raw counters, says so, and still matches the ground truth."""
from __future__ import annotations

from dataclasses import replace

import pytest

from obsgen.gate.result import RAW, RECORDED
from tests.gate import synthetic
from tests.gate.gaterun import config_for, run
from tests.gate.truth import grid_end, window_counts

pytestmark = pytest.mark.tool("prometheus")


@pytest.fixture(scope="module")
def small(estate):
    return replace(estate, slos=tuple(s for s in estate.slos if s.id == "api-availability"))


def _north(small, young_prom, at):
    evaluation = run(small, config_for({"north": young_prom.url}, region_label=False), at,
                     selection=__import__("obsgen.gate.evaluate", fromlist=["Selection"]).Selection(regions=("north",)))
    (result,) = evaluation.results
    return result


# Exact raw counts (obsgen/gate/exact.py): the same figures under Prometheus 2 and 3.
@pytest.mark.prometheus_versions("2", "3")
def test_windows_older_than_the_rules_come_from_the_raw_counters(small, young_prom, scenarios):
    r = _north(small, young_prom, synthetic.END)
    sources = {b.window: b.source for b in r.burn_rates}
    assert sources == {"5m": RECORDED, "30m": RECORDED, "1h": RECORDED, "2h": RECORDED,
                       "6h": RAW, "1d": RAW}
    assert r.period_source == RAW
    assert "recorded series not whole over 6h, the period" in r.source_note
    assert "recorded series hold 180 of the 360 evaluations of 6h (50.0% missing)" in r.source_note
    errors, requests = window_counts(scenarios, small.slos[0], "north", synthetic.END, "1d")
    assert (r.errors, r.requests) == (errors, requests)


# Exact raw counts (obsgen/gate/exact.py): the same figures under Prometheus 2 and 3.
@pytest.mark.prometheus_versions("2", "3")
def test_the_young_recorded_period_count_is_wrong_and_not_used(small, young_prom, scenarios):
    (sample,) = young_prom.query("slo:sli_requests:increase1d", at=synthetic.END)
    truth = window_counts(scenarios, small.slos[0], "north", grid_end(
        young_prom.query("timestamp(slo:sli_requests:increase1d)", at=synthetic.END)[0].value), "1d")[1]
    assert sample.value < truth / 4          # three hours of a day
    assert _north(small, young_prom, synthetic.END).requests == window_counts(
        scenarios, small.slos[0], "north", synthetic.END, "1d")[1]


def test_before_the_rules_existed_everything_comes_from_the_raw_counters(small, young_prom, scenarios):
    at = synthetic.END - 4 * 3600
    r = _north(small, young_prom, at)
    assert r.period_source == RAW and {b.source for b in r.burn_rates} == {RAW}
    for b in r.burn_rates:
        errors, requests = window_counts(scenarios, small.slos[0], "north", at, b.window)
        assert abs(b.error_ratio - errors / requests) < 1e-12
