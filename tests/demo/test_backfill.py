"""The demo's recording-rule backfill: the generated rules, evaluated by a real Prometheus over a
short synthetic history, record exactly what the synth harness says happened."""
from __future__ import annotations

from pathlib import Path

import pytest

from obsgen import names
from obsgen.demo import story
from obsgen.demo.history import region_history
from obsgen.load import load_estate
from obsgen.localprom import LocalPrometheus, backfill, grid_steps, recording_levels
from obsgen.localprom.blocks import covering_block_seconds
from obsgen.slo import render as slo_render
from tests.demo.test_history import bad_ratio

ROOT = Path(__file__).resolve().parents[2]


def level(name, *exprs):
    return {"groups": [{"name": "g", "rules": [{"record": f"{name}{i}", "expr": e} for i, e in enumerate(exprs)]}]}


BASE = level("base", "sum(x_total - x_total offset 1m)")
STEPS = {
    "offsets of 5m and 1h on recorded windows: every 5 minutes":
        ([BASE, level("w", "base0 + base0 offset 1m"), level("v", 'w0{a="b"} offset 5m + w0 offset 1h')], 60,
         {"base0": 60, "w0": 300, "v0": 300}),
    "an offset of 90s: every 30s is no multiple of the interval, so every interval":
        ([BASE, level("w", "base0"), level("v", "w0 offset 90s")], 60, {"base0": 60, "w0": 60, "v0": 300}),
    "no offsets: every 5 minutes, the most an instant query's lookback allows":
        ([BASE, level("w", "sum_over_time(base0[4m30s])")], 60, {"base0": 60, "w0": 300}),
    "offsets of 1m on the level-0 deltas do not count: those are recorded every minute":
        ([BASE, level("w", "base0 + base0 offset 1m + base0 offset 2m"), level("v", "w0 offset 1d")], 60,
         {"base0": 60, "w0": 300, "v0": 300}),
    "a series read through a range at an offset of 1m is recorded every minute, the others stay coarse":
        ([BASE, level("e", "count(last_over_time(base0[59s999ms]))"),
          level("w", "last_over_time(e0[59s999ms] offset 1m) + last_over_time(base0[59s999ms] offset 5m)"),
          level("v", "last_over_time(w0[59s999ms] offset 10m)")], 60, {"base0": 60, "e0": 60, "w0": 300, "v0": 300}),
}


@pytest.mark.parametrize("levels,interval,expected", STEPS.values(), ids=STEPS.keys())
def test_each_series_is_recorded_on_a_grid_every_offset_that_reads_it_lands_on(levels, interval, expected):
    assert grid_steps(levels, interval) == expected


def test_blocks_cover_the_history_in_tsdb_block_ranges():
    assert covering_block_seconds(3 * 3600) == 6 * 3600
    assert covering_block_seconds(30 * 86400) == 486 * 3600


@pytest.mark.tool("prometheus")
def test_recorded_windows_match_the_synthetic_truth_exactly(tmp_path):
    estate = load_estate(ROOT)
    region = estate.regions[story.ROLES.index(story.SLOW_BURN)]
    end = 1_795_000_000 // 3600 * 3600
    history = region_history(estate, region, story.SLOW_BURN, end, duration=3 * 3600)
    levels = recording_levels(list(slo_render.render(estate, region).values()))
    with LocalPrometheus(tmp_path / "prom") as prom:
        prom.import_scenario(history.scenario, jobs=2)
        backfill(prom, levels, history.scenario.start, end, 60, tmp_path / "levels")
        recorded = {dict(s.labels)["slo"] + "/" + dict(s.labels)["service"]: s.value
                    for s in prom.query(names.error_ratio("1h"), at=end)}
        regions = {dict(s.labels)[names.REGION] for s in prom.query(names.error_ratio("1h"), at=end)}
    assert regions == {region.name}
    for slo in estate.slos:
        truth = bad_ratio(history.scenario, slo, t0=end - 3600, t1=end)
        assert recorded[f"{slo.name}/{slo.service}"] == pytest.approx(truth, abs=1e-12), slo.id
