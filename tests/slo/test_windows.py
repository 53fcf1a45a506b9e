"""Each window is built from shorter recorded windows that tile it exactly, and reads few samples."""
from __future__ import annotations

import re

import pytest

from obsgen import duration
from obsgen.policy import burn_rates
from obsgen.slo import recording, windows
from obsgen.slo.simulate import outage_detection_steps

from tests.slo.fixtures import region, slo

WORKBOOK_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"]
PLANS = [
    ("a 30-day SLO at a 1m evaluation interval", WORKBOOK_WINDOWS + ["30d"], "1m"),
    ("a 28-day SLO at a 1m evaluation interval", WORKBOOK_WINDOWS + ["28d"], "1m"),
    ("a 30-day SLO at a 15s evaluation interval", WORKBOOK_WINDOWS + ["30d"], "15s"),
    ("a 7-day SLO with a 90m window at 30s", ["5m", "90m", "7d"], "30s"),
]


@pytest.mark.parametrize("wanted,base", [p[1:] for p in PLANS], ids=[p[0] for p in PLANS])
def test_every_window_is_an_exact_tiling_of_shorter_recorded_windows(wanted, base):
    plan = windows.plan(wanted, base)
    built = {plan[0].window: plan[0]}
    assert plan[0].source is None and plan[0].window == base
    for step in plan[1:]:
        assert step.source in built, f"{step.window} sums {step.source}, recorded later or never"
        assert step.terms * duration.seconds(step.source) == duration.seconds(step.window)
        built[step.window] = step
    assert set(wanted) <= set(built)


@pytest.mark.parametrize("wanted,base", [p[1:] for p in PLANS], ids=[p[0] for p in PLANS])
def test_no_rule_reads_more_than_a_few_hundred_samples(wanted, base):
    """promtool refuses queries over 10,000 samples; a raw 30d window at 1m would be 43,200."""
    for step in windows.plan(wanted, base)[1:]:
        assert step.terms <= 240, step


def test_windows_read_each_tile_through_a_range_just_shorter_than_an_evaluation():
    """An instant selector reaches back five minutes: where an evaluation did not run it would
    count a neighbour's tile twice. A range of E - 1 ms holds exactly the one tile written then."""
    s, r = slo(), region()
    windows = [rule for rule in recording.rules(s, r) if "increase" in rule["record"] or "count" in rule["record"]][3:]
    assert windows
    for rule in windows:
        ranges = re.findall(r"\[([^\]]+)\]", rule["expr"])
        assert ranges and set(ranges) == {"59s999ms"}, rule
        assert " offset " not in re.sub(r"\[59s999ms\] offset", "", rule["expr"]), rule


@pytest.mark.parametrize("seconds,text", [(270, "4m30s"), (7.5, "7s500ms"), (86400 * 29, "29d"), (5400, "1h30m")])
def test_durations_are_spelled_as_prometheus_reads_them(seconds, text):
    assert windows.spell(seconds) == text
    assert duration.seconds(text) == seconds


FACTORS = [
    ("a 30-day period keeps the workbook's factors", "30d", [14.4, 6, 3, 1]),
    ("a 28-day period scales them by 28/30", "28d", [13.44, 5.6, 2.8, 0.933333]),
    ("a 7-day period scales them by 7/30", "7d", [3.36, 1.4, 0.7, 0.233333]),
]


@pytest.mark.parametrize("period,factors", [f[1:] for f in FACTORS], ids=[f[0] for f in FACTORS])
def test_factors_are_scaled_to_the_period_so_each_row_keeps_its_budget_share(period, factors):
    rows = slo(period=period).burn_windows
    assert [r.factor for r in rows] == factors
    for row, workbook in zip(rows, burn_rates.WORKBOOK):
        assert row.budget_share == pytest.approx(workbook.budget_share, rel=1e-5)


DETECTION = [
    ("99.5%, 1h at 14.4: 4.32 minutes, so the 5th", 99.5, 0, 5),
    ("99.5%, 6h at 6: 10.8 minutes, so the 11th", 99.5, 1, 11),
    ("99.9%, 1h at 14.4: 0.864 minutes, so the 1st", 99.9, 0, 1),
    ("95%, 1h at 14.4: 43.2 minutes, so the 44th", 95.0, 0, 44),
    ("99%, 1h at 14.4: exactly 8.64 minutes, so the 9th", 99.0, 0, 9),
]


@pytest.mark.parametrize("objective,row,steps", [d[1:] for d in DETECTION], ids=[d[0] for d in DETECTION])
def test_a_total_outage_is_detected_when_the_workbook_arithmetic_says(objective, row, steps):
    from fractions import Fraction

    s = slo(objective=objective)
    budget = Fraction(repr(s.error_budget_in("alpha")))
    assert outage_detection_steps(s.burn_windows[row], budget, "1m") == steps
