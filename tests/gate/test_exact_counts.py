"""The gate's raw counts (obsgen/gate/exact.py) against a real Prometheus, 2 and 3 alike: every
count equals the increase computed here sample by sample, for instants on and off the
evaluation grid, across a reset inside a tile (several samples on each side of it), a 3-minute
hole, a series that appears, and samples off the whole second."""
from __future__ import annotations

import pytest

from obsgen import duration
from obsgen.gate import exact
from obsgen.localprom import LocalPrometheus
from obsgen.model import EventRatio
from tests.gate import synthetic

pytestmark = [pytest.mark.tool("prometheus"), pytest.mark.prometheus_versions("2", "3")]

B = synthetic.END - 7200          # one 2-hour block
H, M = 3600, 60
LOOKBACK = 3600


def _series() -> dict[str, list[tuple[float, int]]]:
    """(time, value) per series `s`, every 15 s."""
    steady = [(B + 15 * k + (k * 37 % 1000) / 1000, 10 * k) for k in range(460)]
    reset = []
    for k in range(460):
        t = B + 15 * k
        # the process restarts between B+1h+30s and B+1h+45s: two samples before it in the
        # minute tile (B+1h, B+1h+1m] and two after
        reset.append((t, 10 * k if t <= B + H + 30 else 4 + 10 * (k - 242)))
    # restarts twice, 40 minutes apart: a window holding both is counted again in finer tiles
    twice = [(B + 15 * k, 10 * k if k <= 250 else (3 + 5 * (k - 250) if k <= 410 else 1 + 5 * (k - 410)))
             for k in range(460)]
    hole = [(B + 15 * k, 7 * k) for k in range(460) if not B + H + 10 * M <= B + 15 * k < B + H + 13 * M]
    late = [(B + 15 * k, 1000 + 3 * k) for k in range(460) if B + 15 * k >= B + H + 20 * M]
    return {"steady": steady, "reset": reset, "twice": twice, "hole": hole, "late": late}


@pytest.fixture(scope="module")
def prom(tmp_path_factory, prometheus_version):
    tmp = tmp_path_factory.mktemp("exact-counts")
    lines = ["# TYPE exact_requests counter"]
    for s, points in _series().items():
        lines += [f'exact_requests_total{{s="{s}"}} {v} {t:.3f}' for t, v in points]
    path = tmp / "exact.om"
    path.write_text("\n".join(lines) + "\n# EOF\n")
    server = LocalPrometheus(tmp / "prom")
    server.import_openmetrics([path])
    server.start()
    yield server
    server.stop()


def _truth(points, at: float, window: str) -> float:
    end, start = round(at * 1000), round(at * 1000) - round(duration.seconds(window) * 1000)
    ms = [(round(t * 1000), v) for t, v in points]
    before = [v for t, v in ms if start - LOOKBACK * 1000 < t <= start]
    chain = before[-1:] + [v for t, v in ms if start < t <= end]
    return sum(b - a if b >= a else b for a, b in zip(chain, chain[1:]))


ATS = {
    "on the minute": B + H + 30 * M,
    "7.5 s past the minute": B + H + 30 * M + 7.5,
    "1 ms past the minute, just after the reset": B + H + 4 * M + 0.001,
    "1 ms before the minute": B + H + 41 * M - 0.001,
    "a window starting inside the hole": B + H + 16 * M + 20,
    "a window starting in the reset's tile": B + H + 5 * M + 40,
}


@pytest.mark.parametrize("at", ATS.values(), ids=list(ATS))
@pytest.mark.parametrize("window", ["5m", "30m", "1h"])
def test_raw_counts_equal_the_increase_of_the_samples(prom, at, window):
    """At every tile size the gate may use, each count not flagged equals the truth; in tiles
    of the evaluation interval (the last resort) none is flagged."""
    sli = EventRatio(total="exact_requests_total", errors='exact_requests_total{s=~"reset|late"}')
    want = {s: _truth(points, at, window) for s, points in _series().items()}
    sizes = exact.tiles(window, "1m")
    flagged_at = {}
    for tile in sizes:
        c = exact.counts(sli, window, ("s",), at, tile, "1h")
        got = {s.labels["s"]: s.value for s in prom.query(c.total, at)}
        flagged = {s.labels["s"] for s in prom.query(c.inexact, at)}
        flagged_at[tile] = flagged
        assert set(want) - set(got) <= {"late"} and (at < B + H + 20 * M or "late" in set(got) | flagged)
        assert {s: v for s, v in got.items() if s not in flagged} == {s: want[s] for s in got if s not in flagged}
        bad = {s.labels["s"]: s.value for s in prom.query(c.errors, at)}
        assert {s: v for s, v in bad.items() if s not in flagged} == {
            s: (v if s in ("reset", "late") else 0) for s, v in got.items() if s not in flagged}
    assert flagged_at[sizes[-1]] == set()
    if window == "1h" and at > B + H + 45 * M:
        assert "twice" in flagged_at[sizes[0]]          # two resets in one tile: counted again


def test_a_window_with_two_resets_is_counted_again_in_finer_tiles(prom):
    at = B + H + 50 * M
    whole = exact.counts(EventRatio(total='exact_requests_total{s="twice"}', errors='exact_requests_total{s="x"}'),
                         "1h", (), at, "1h", "1h")
    assert [s.value for s in prom.query(whole.inexact, at)] == [1.0]
