"""The gate on a per-label SLO, against a real Prometheus holding one shop's routes: each route's
figures are its own true counts, the SLO's are their sum, a route that burns its budget fails the
SLO with the route named, and more routes than max_series is a warning with a note.

Routes (one day and three hours of history, the SLO's rules backfilled over all of it): `a`
healthy with a counter reset 5 hours ago, `b` a tenth of a's traffic at 2% errors against a
0.5% budget (the whole SLO stays within it), `c` appearing
6 hours ago. Truth from the synthetic counters alone (tests/gate/truth.py's counting).
"""
from __future__ import annotations

import pytest

from obsgen.gate import groups
from obsgen.gate.result import FAIL, RECORDED, WARN
from obsgen.model import SLO, Estate, EventRatio
from obsgen.synth import HOUR, Scenario, counts, select, stream
from tests.gate import synthetic
from tests.gate.gaterun import config_for, run
from tests.gate.truth import window_start

pytestmark = [pytest.mark.tool("prometheus"), pytest.mark.prometheus_versions("3")]

END = synthetic.END
SLI = EventRatio(total='shop_requests_total{service="shop"}', errors='shop_requests_total{service="shop",code=~"5.."}')
REGION = synthetic.REGIONS[0]


def shop(max_series: int) -> SLO:
    return SLO("shop", "availability", 99.5, SLI, "shop requests per route", period=synthetic.PERIOD,
               alerting=synthetic.ALERTING, regions=(REGION.name,), group_by=("route",), max_series=max_series)


def route(name: str, error_ratio: float, rate: float = 20.0, **kw):
    return stream("shop_requests_total", {"service": "shop", "route": name, "region": REGION.name}, rate=rate,
                  error_ratio=error_ratio, **kw)


SCENARIO = Scenario(end=END, duration=synthetic.HISTORY, streams=(
    route("a", 0.0005, resets=(END - 5 * HOUR,)),
    route("b", 0.02, rate=2.0),   # a small route: the SLO as a whole stays within its budget
    route("c", 0.001, starts_at=END - 6 * HOUR),
))


def truth(name: str, window: str) -> tuple[int, int]:
    (s,) = select(SCENARIO, "shop_requests_total", route=name)
    c = counts(SCENARIO, (s,), window_start(SCENARIO, s, END, window), END)
    return c.errors, c.requests


@pytest.fixture(scope="module")
def prom(tmp_path_factory, prometheus_version):
    from tests.gate.promfixture import start_prometheus

    server = start_prometheus(tmp_path_factory.mktemp("per-label"), Estate(regions=(REGION,), slos=(shop(10),)),
                              (REGION,), {REGION.name: SCENARIO})
    yield server
    server.stop()


def evaluate(prom, max_series: int):
    estate = Estate(regions=(REGION,), slos=(shop(max_series),), release_policies=(synthetic.POLICY,))
    (result,) = run(estate, config_for({REGION.name: prom.url}), END).results
    return result


def test_each_route_is_judged_on_its_own_true_counts_and_the_slo_on_their_sum(prom):
    result = evaluate(prom, max_series=10)
    assert result.label_sets == 3 and [g.labels for g in result.groups] == [(("route", r),) for r in "abc"]
    for g in result.groups:
        assert (g.errors, g.requests) == truth(g.labels[0][1], synthetic.PERIOD), g
    # The SLO's own figure: the label sets' recorded sums, or (a label set younger than the
    # window, as c is) the raw counters, which sum every route too.
    assert (result.errors, result.requests) == tuple(map(sum, zip(*(truth(r, synthetic.PERIOD) for r in "abc"))))
    # Over the last hour every route's recorded series are whole: the SLO's figure is their sum.
    errors, requests = map(sum, zip(*(truth(r, "1h") for r in "abc")))
    (hour,) = [b for b in result.burn_rates if b.window == "1h"]
    assert hour.source == RECORDED and hour.error_ratio == errors / requests, (hour, errors, requests)
    b = result.groups[1]
    assert result.budget_remaining > 0 and b.budget_remaining < 0
    assert b.decision == FAIL and result.decision == FAIL and result.reason.startswith("route=b: "), result.reason
    assert all(g.decision != FAIL for g in (result.groups[0], result.groups[2]))


def test_more_label_sets_than_max_series_is_a_note_and_a_warning(prom):
    result = evaluate(prom, max_series=2)
    assert "3 label sets of route read, over max_series=2" in result.source_note
    assert result.decision == FAIL   # route b still fails: a note never hides a failure
    calm = Estate(regions=(REGION,), slos=(shop(2),), release_policies=(synthetic.POLICY,))
    from obsgen.gate.decide import slo_result
    from obsgen.gate.collect import Facts

    facts = Facts(period=synthetic.PERIOD, counts={synthetic.PERIOD: (0.0, 1000.0, RECORDED)})
    passing = slo_result(synthetic.POLICY, calm.slos[0], REGION.name, facts, END)
    read = {(("route", r),): groups.Read({synthetic.PERIOD: [0.0, 100.0, 1440.0]}, []) for r in "abc"}
    judged = groups.judged(synthetic.POLICY, calm.slos[0], REGION.name, passing, read, END)
    assert judged.decision == WARN and judged.reason.startswith("3 label sets of route read, over max_series=2")
