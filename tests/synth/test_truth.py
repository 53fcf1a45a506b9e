"""Ground truth against hand computation (pure, no Prometheus)."""

import pytest

from obsgen.synth import DAY, HOUR, Counts, Diurnal, ErrorCounter, Gap, Incident, Latency, LatencyCounts, Scenario
from obsgen.synth import all_series, bucket_series, counts, histogram_count_series, increase, latency_counts
from obsgen.synth import sample_value, select, stream, stream_samples

END = 1_700_006_400  # a multiple of 2h, like a TSDB block boundary
STEP = 60


def flat(duration=10 * STEP, **kw):
    kw.setdefault("rate", 1.0)
    st = stream("req_total", {"svc": "a"}, **kw)
    return Scenario(end=END, duration=duration, streams=(st,), step=STEP), st


def values(sc, st, series_index=0):
    ser = all_series(st)[series_index]
    s = stream_samples(sc, st, sc.timestamps(), (ser,))
    return list(zip(s.ts, s.values[ser]))


def test_flat_rate_counter_values_and_totals():
    sc, st = flat(error_ratio=0.1)
    ok = values(sc, st, 0)
    assert ok[0] == (sc.start, 0)
    assert [v for _, v in ok] == [54 * k for k in range(11)]  # 0.9 req/s * 60 s per step
    assert counts(sc, [st], sc.start, sc.end).requests == 600
    assert counts(sc, [st], sc.start, sc.end).errors == 60
    assert counts(sc, [st], sc.end - 3 * STEP, sc.end).requests == 180
    assert counts(sc, [st], sc.end, sc.end).requests == 0


def test_rounding_carries_the_remainder():
    sc, st = flat(rate=1 / 7)  # 8.571... events per 60s step
    v = [x for _, x in values(sc, st)]
    steps = [b - a for a, b in zip(v, v[1:])]
    assert set(steps) == {8, 9}
    assert v[-1] == round(600 / 7)  # the total never drifts from the expected count


def test_counter_reset_restarts_from_zero_and_loses_nothing():
    reset = END - 4 * STEP
    sc, st = flat(resets=(reset,))
    v = dict(values(sc, st))
    assert v[reset - STEP] == 300
    assert v[reset] == 60  # the new process counted the one step since the last scrape
    assert v[reset + STEP] == 120
    # Hand sum of increments: 5 steps before, then 60 (reset: the new value itself), then 4 x 60.
    assert counts(sc, [st], sc.start, sc.end).requests == 300 + 60 + 4 * 60
    assert counts(sc, [st], reset, sc.end).requests == 4 * 60
    assert counts(sc, [st], reset - STEP, reset).requests == 60


def test_gap_hides_samples_but_counter_keeps_counting():
    gap = Gap(END - 6 * STEP, 3 * STEP)  # samples at -6, -5, -4 steps are missing
    sc, st = flat(gaps=(gap,))
    v = dict(values(sc, st))
    assert len(v) == 11 - 3
    assert gap.start not in v and v[gap.start + 3 * STEP] == 420
    assert counts(sc, [st], sc.start, sc.end).requests == 600
    # A window starting inside the gap only sees increments between its visible samples.
    assert counts(sc, [st], gap.start + STEP, sc.end).requests == 3 * 60
    assert sample_value(sc, st, all_series(st)[0], gap.start) is None


def test_reset_during_gap_loses_the_unscraped_events():
    gap = Gap(END - 6 * STEP, 3 * STEP)
    sc, st = flat(gaps=(gap,), resets=(END - 4 * STEP,))
    v = dict(values(sc, st))
    assert v[END - 7 * STEP] == 180
    assert v[END - 3 * STEP] == 120  # restarted after the -5 scrape; events until then were never scraped
    assert counts(sc, [st], sc.start, sc.end).requests == 180 + 120 + 3 * 60


def test_late_series_starts_at_zero():
    sc, st = flat(starts_at=END - 2 * STEP)
    assert values(sc, st) == [(END - 2 * STEP, 0), (END - STEP, 60), (END, 120)]
    assert counts(sc, [st], sc.start, sc.end).requests == 120


def test_incident_error_ratio_and_burn_rate():
    outage = Incident(END - 5 * STEP, 2 * STEP, error_ratio=1.0)
    sc, st = flat(error_ratio=0.01, rate=10.0, incidents=(outage,))
    c = counts(sc, [st], sc.start, sc.end)
    assert c.requests == 6000
    assert c.errors == 8 * 6 + 2 * 600
    assert counts(sc, [st], outage.start + STEP, outage.end).error_ratio == 1.0
    assert Incident.burning(0, 60, burn_rate=14.4, objective=0.999).error_ratio == pytest.approx(0.0144)


def test_error_counter_outcome():
    sc, st = flat(error_ratio=0.25, outcome=ErrorCounter("req_errors_total"))
    total, errors = all_series(st)
    assert (total.name, errors.name) == ("req_total", "req_errors_total")
    assert counts(sc, [st], sc.start, sc.end) == Counts(requests=600, errors=150)
    assert increase(sc, st, errors, sc.start, sc.end) == 150


def test_diurnal_shape_keeps_daily_mean_and_swing():
    st = stream("req_total", {}, rate=100.0, diurnal=Diurnal(peak_to_trough=10, peak_hour_utc=15))
    sc = Scenario(end=END, duration=DAY, streams=(st,), step=STEP)
    assert counts(sc, [st], sc.start, sc.end).requests == 100 * DAY
    peak = sc.end - (sc.end % DAY) + 15 * HOUR - DAY
    trough = peak - 12 * HOUR
    at_peak = counts(sc, [st], peak, peak + STEP).requests
    at_trough = counts(sc, [st], trough, trough + STEP).requests
    assert at_peak / at_trough == pytest.approx(10, rel=0.01)


def test_histogram_buckets_and_latency_shift():
    lat = Latency("lat_seconds", (0.1, 0.5), (0.5, 0.9))
    slow = Incident(END - 4 * STEP, 2 * STEP, latency_shares=(0.0, 0.2))
    sc, st = flat(rate=10.0, latency=lat, incidents=(slow,))
    b1, b5, inf, cnt, total = (bucket_series(st, 0.1), bucket_series(st, 0.5), bucket_series(st, float("inf")),
                               histogram_count_series(st), all_series(st)[-1])
    s = stream_samples(sc, st, sc.timestamps())
    for i in range(len(s.ts)):
        assert s.values[b1][i] <= s.values[b5][i] <= s.values[inf][i] == s.values[cnt][i]
    # 8 normal steps with half of 600 requests under 0.1s, 2 incident steps with none.
    assert latency_counts(sc, [st], 0.1, sc.start, sc.end) == LatencyCounts(under=8 * 300, total=6000)
    assert latency_counts(sc, [st], 0.5, slow.start, slow.end).under == 2 * 120
    # _sum: uniform inside buckets, overflow at twice the last bound; kept to the millisecond.
    assert increase(sc, st, total, sc.start, sc.start + STEP) == pytest.approx(600 * (0.5 * 0.05 + 0.4 * 0.3 + 0.1 * 1.0))


def test_select_and_windows_must_be_on_grid():
    a = stream("req_total", {"svc": "a"}, rate=1.0)
    b = stream("req_total", {"svc": "b"}, rate=2.0)
    sc = Scenario(end=END, duration=HOUR, streams=(a, b), step=STEP)
    assert select(sc, svc="b") == (b,)
    assert counts(sc, select(sc, "req_total"), sc.start, sc.end).requests == 3 * HOUR
    with pytest.raises(ValueError):
        counts(sc, [a], sc.start + 1, sc.end)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"resets": (END - 30,)},
        {"incidents": (Incident(END - 600, 300), Incident(END - 400, 300))},
        {"gaps": (Gap(END - 90, 60),)},
    ],
)
def test_invalid_streams_are_rejected(kwargs):
    with pytest.raises(ValueError):
        flat(**kwargs)


def test_counter_name_needs_total_suffix():
    with pytest.raises(ValueError):
        stream("requests", {}, rate=1.0)
