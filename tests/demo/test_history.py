"""The demo's synthetic history is derived from the estate's own SLOs, and tells its story:
figures are read back through each SLO's own selectors from the synthesized series."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from obsgen import sli_fixtures
from obsgen.demo import story
from obsgen.demo.history import histories
from obsgen.load import load_estate
from obsgen.model import applies
from obsgen.model.slo import EventRatio, LatencyThreshold
from obsgen.sli_selectors import le_values
from obsgen.synth import all_series, sample_value

ROOT = Path(__file__).resolve().parents[2]
END = 1_795_000_000 // 60 * 60


@pytest.fixture(scope="module")
def estate():
    return load_estate(ROOT)


@pytest.fixture(scope="module")
def month(estate):
    """The real 30 days: the synth harness's counts are closed-form, so reading two samples
    per series is cheap; nothing is written."""
    return {h.region: h for h in histories(estate, END)}


def _holds(value: str, op: str, pattern: str) -> bool:
    if op in ("=", "!="):
        return (value == pattern) == (op == "=")
    return (re.fullmatch(pattern, value) is not None) == (op == "=~")


def selected(scenario, selector: str, track: str | None = None, t0=None, t1=None) -> int:
    """The increase over [t0, t1] (default: the whole history) of every synthesized series the
    selector matches."""
    t0, t1 = scenario.start if t0 is None else t0, scenario.end if t1 is None else t1
    name, matchers = sli_fixtures.matchers_of(selector)
    total = 0
    for stream in scenario.streams:
        if track and stream.label_dict[story.TRACK_LABEL] != track:
            continue
        for series in all_series(stream):
            labels = dict(series.labels)
            if series.name == name and all(_holds(labels.get(k, ""), op, p) for k, op, p in matchers):
                total += sample_value(scenario, stream, series, t1) - sample_value(scenario, stream, series, t0)
    return total


def bad_ratio(scenario, slo, track=None, t0=None, t1=None) -> float:
    sli = slo.sli
    which = (track, t0, t1)
    if isinstance(sli, EventRatio):
        total = selected(scenario, sli.total, *which)
        if sli.errors is not None:
            return selected(scenario, sli.errors, *which) / total
        return 1 - selected(scenario, sli.good, *which) / total
    assert isinstance(sli, LatencyThreshold)
    extra = f",{sli.matchers}" if sli.matchers else ""
    le = "|".join(le_values(sli.threshold))
    count = selected(scenario, f"{sli.histogram}_count{{{extra[1:]}}}", *which)
    return 1 - selected(scenario, f'{sli.histogram}_bucket{{le=~"{le}"{extra}}}', *which) / count


def test_every_slo_of_every_region_is_synthesized_from_its_own_selectors(estate, month):
    for region in estate.regions:
        wanted = sorted(s.id for s in estate.slos if applies(s, region))
        assert month[region.name].slos == tuple(wanted) and month[region.name].skipped == ()
    assert len(estate.slos) >= 4


def period_burn(estate, month, region, slo) -> float:
    return bad_ratio(month[region].scenario, slo) / slo.error_budget_in(region)


def test_a_steady_region_spends_about_a_fifth_of_each_budget(estate, month):
    canary_extra = (1 + story.CANARY_SHARE * story.CANARY_WORSE) / (1 + story.CANARY_SHARE)
    for slo in estate.slos:
        burn = period_burn(estate, month, "us-east", slo)
        assert burn == pytest.approx(story.BASELINE_BURN * canary_extra, rel=0.02), slo.id


def test_the_region_that_ate_its_budget_burned_more_than_all_of_it(estate, month):
    region = estate.regions[story.ROLES.index(story.ATE_BUDGET)].name
    for slo in estate.slos:
        assert period_burn(estate, month, region, slo) > 1.2, slo.id


def test_the_slow_burn_burns_between_the_ticket_and_the_page_factors_over_the_last_day(estate):
    region = estate.region(estate.regions[story.ROLES.index(story.SLOW_BURN)].name)
    day = histories(estate, END, duration=86_400)[estate.regions.index(region)]
    for slo in estate.slos:
        burn = bad_ratio(day.scenario, slo) / slo.error_budget_in(region.name)
        assert 3 < burn < 6, slo.id


def test_the_canary_is_worse_than_its_baseline(estate, month):
    scenario = month["us-east"].scenario
    for slo in estate.slos:
        canary, stable = (bad_ratio(scenario, slo, story.CANARY), bad_ratio(scenario, slo, story.BASELINE))
        assert canary == pytest.approx(story.CANARY_WORSE * stable, rel=0.05), slo.id


def test_traffic_peaks_ten_times_its_trough_at_the_regions_afternoon(estate):
    history = histories(estate, END, duration=86_400)[0]
    stream = history.scenario.streams[0]
    assert stream.diurnal.peak_to_trough == story.PEAK_TO_TROUGH
    assert stream.diurnal.peak_hour_utc in (18.0, 19.0)   # 14:00 in New York, daylight saving or not


def test_the_history_is_the_same_for_the_same_end(estate):
    assert histories(estate, END) == histories(estate, END)
