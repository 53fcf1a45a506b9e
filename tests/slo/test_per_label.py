"""Per-label SLOs: one SLO's counts, burn rates and alerts per value of its group_by labels.

The table is five routes of one service, each with its own fault, all in one promtool run: the
counts recorded per route must be the true events of that route, whatever happens to the others.
The truth is computed here from the per-minute events; the alerts from it by the policy's own
arithmetic (obsgen/slo/simulate.py), not from PromQL.
"""
from __future__ import annotations

from fractions import Fraction

import pytest

from obsgen import duration, names, promtool, serialize, sli_fixtures
from obsgen.errors import DefinitionError
from obsgen.load import load_estate
from obsgen.model import EventRatio
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import alerts, recording, simulate

from tests.foundation.estate_builder import write_estate
from tests.slo.fixtures import region, slo

MINUTES = 60
SLI = EventRatio(total='http_requests_total{service="api"}', errors='http_requests_total{service="api",status=~"5.."}')


def per_minute(good: int, bad: int, **changes) -> list[tuple[int, int]]:
    """(good, bad) events of minutes 0..MINUTES (minute 0: none); `changes` maps "from_to" to (good, bad)."""
    out = [(0, 0)] + [(good, bad)] * MINUTES
    for span, events in changes.items():
        lo, hi = (int(x) for x in span.split("_"))
        for m in range(lo, hi + 1):
            out[m] = events
    return out


# (sentence id, route, events per minute, how the counters are stored: a function of the
# cumulative counts giving each minute's sample, a number, "stale" or "_").
def steady(values, m):
    return values[m]


def resets_at_20(values, m):
    """The process restarted just before minute 20: its counter holds only what came after."""
    return values[m] - values[19] if m >= 20 else values[m]


def stale_10_to_14(values, m):
    return "stale" if 10 <= m <= 14 else values[m]


def appears_at_30(values, m):
    """A new pod: no series before minute 30, then its counter from 0."""
    return "_" if m < 30 else values[m] - values[30]


def never_failed(values, m):
    """A route with no error series at all (no 5xx since the process started)."""
    return values[m]


def gone_after_40(values, m):
    return values[m] if m <= 40 else ("stale" if m == 41 else "_")


ROUTES = [
    ("a route that keeps serving", "a", per_minute(200, 1), steady),
    ("a route whose process restarts (counter reset) and then burns at 50% errors", "b",
     per_minute(100, 0, **{"40_60": (50, 50)}), resets_at_20),
    ("a route whose scrapes fail for five minutes", "c", per_minute(300, 1), stale_10_to_14),
    ("a route that appears half-way", "d", per_minute(400, 1), appears_at_30),
    ("a route that goes away", "e", per_minute(80, 0), gone_after_40),
    ("a route that never failed has no error series: it counts 0 errors, not none", "f", per_minute(150, 0), never_failed),
]


def events_of(route, lo: int, hi: int) -> tuple[int, int]:
    """(errors, requests) a route truly served in minutes lo+1..hi, as its stored counters can
    show them (a series that appears counts from its first sample)."""
    _, name, events, store = route
    errors = requests = 0
    for m in range(lo + 1, hi + 1):
        if store is appears_at_30 and m <= 30 or store is gone_after_40 and m > 40:
            continue
        errors += events[m][1]
        requests += sum(events[m])
    return errors, requests


def stored(route) -> list[dict]:
    _, name, events, store = route
    out = []
    for status, part in (("200", 0), ("500", 1))[:1 if store is never_failed else 2]:
        cumulative, total = [], 0
        for good_bad in events:
            total += good_bad[part]
            cumulative.append(total)
        samples = [store(cumulative, m) for m in range(MINUTES + 1)]
        out.append({"series": f'http_requests_total{{service="api",route="{name}",status="{status}",instance="x"}}',
                    "values": " ".join(str(v) for v in samples)})
    return out


def traffic(route):
    _, _, events, store = route
    good, bad = [], []
    for m, (g, b) in enumerate(events):
        present = not (store is appears_at_30 and m <= 30 or store is gone_after_40 and m > 40)
        good.append(Fraction(g if present else 0))
        bad.append(Fraction(b if present else 0))
    return simulate.Traffic(tuple(good), tuple(bad))


CHECKS = [(60, "1h"), (30, "30m"), (60, "5m"), (35, "5m"), (60, "30m")]   # windows holding each fault whole


@pytest.mark.tool("promtool")
@pytest.mark.prometheus_versions("2", "3")
def test_each_route_counts_its_own_events_exactly_and_only_the_burning_route_pages(tmp_path):
    s, r = slo(SLI, group_by=("route",), max_series=10), region()
    rules = tmp_path / "rules.yml"
    rules.write_bytes(serialize.to_yaml(group_file("t", recording.rules(s, r) + alerts.rules(s, r), r.evaluation_interval)))
    identity = recording.identity(s, r.name)
    exprs = []
    for at, window in CHECKS:
        for route in ROUTES:
            errors, requests = events_of(route, at - int(duration.seconds(window)) // 60, at)
            labels = {**identity, "route": route[1]}
            if not requests:
                continue
            for name, value in ((names.errors_count(window), errors), (names.requests_count(window), requests)):
                exprs.append({"expr": sli_fixtures.text(name, {"slo": s.name, "service": s.service, "route": route[1]}),
                              "eval_time": f"{at}m",
                              "exp_samples": [{"labels": sli_fixtures.text(name, labels), "value": value}]})
    budget = Fraction(repr(s.error_budget_in(r.name)))
    firing = []
    for route in ROUTES:
        rows, close = simulate.firing(traffic(route), MINUTES, s.burn_windows, budget, r.evaluation_interval)
        assert not close
        firing += [{"exp_labels": {**alerts.expected_labels(s, bw, r), "route": route[1]},
                    "exp_annotations": alerts.burn_annotations(s, bw, r)} for bw in rows]
    assert {a["exp_labels"]["route"] for a in firing} == {"b"}   # the table's story: only b burns
    test = {"rule_files": [str(rules)], "evaluation_interval": "1m", "tests": [{
        "interval": "1m",
        "input_series": [series for route in ROUTES for series in stored(route)],
        "promql_expr_test": exprs,
        "alert_rule_test": [{"eval_time": f"{MINUTES}m", "alertname": names.SLO_BURN_ALERT, "exp_alerts": firing}],
    }]}
    path = tmp_path / "per-label.test.yml"
    path.write_bytes(serialize.to_yaml(test))
    result = promtool.test_rules([path])
    assert result.ok, result.output


def test_the_truth_table_is_not_trivial():
    """Each fault changes what a naive sum over the stored samples would give."""
    b = ROUTES[1]
    assert events_of(b, 0, 60) != (0, 0)
    assert resets_at_20([0] * 19 + [190, 200], 20) == 10
    assert events_of(ROUTES[3], 0, 60)[1] == 30 * 401 and events_of(ROUTES[4], 0, 60)[1] == 40 * 80


HEAD = "from obsgen.model import SLO, EventRatio\n"


def slo_def(sli: str, **over) -> str:
    fields = {"service": "'api'", "name": "'availability'", "objective": "99.5", "sli": sli, "description": "'d'"}
    fields.update(over)
    return HEAD + "X = SLO(" + ", ".join(f"{k}={v}" for k, v in fields.items()) + ")\n"


ROUTED = "EventRatio(total='http_requests_total{route=~\"a|b|c\"}', errors='http_requests_total{code=~\"5..\"}')"
BAD = [
    ("more listed label sets than max_series", slo_def(ROUTED, group_by="('route',)", max_series="2"),
     "its selectors list 3 label sets, over max_series=2"),
    ("group_by without max_series", slo_def(ROUTED, group_by="('route',)"), "group_by needs max_series"),
    ("max_series without group_by", slo_def(ROUTED, max_series="5"), "give group_by too"),
    ("a label obsgen sets", slo_def(ROUTED, group_by="('slo',)", max_series="5"), "set by obsgen"),
    ("a string where a tuple belongs", slo_def(ROUTED, group_by="'route'", max_series="5"), "tuple"),
    ("a label also fixed in labels", slo_def(ROUTED, group_by="('team',)", max_series="5", labels="{'team': 'x'}"),
     "also in labels"),
]


@pytest.mark.parametrize("text,words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_bad_per_label_slo_is_refused_naming_file_line_and_slo(tmp_path, text, words):
    root = write_estate(tmp_path, extra={"rules/slos.py": text})
    with pytest.raises(DefinitionError) as err:
        load_estate(root)
    line = err.value.one_line()
    assert line.startswith("rules/slos.py:2:") and "slo api/availability" in line and words in line, line


def test_listed_label_sets_within_the_bound_and_open_ones_load(tmp_path):
    for sli in (ROUTED, "EventRatio(total='http_requests_total{route=~\"a.*\"}', errors='http_requests_total{code=\"500\"}')"):
        root = write_estate(tmp_path / str(len(sli)), extra={"rules/slos.py": slo_def(sli, group_by="('route',)", max_series="3")})
        (slo_found,) = [x for x in load_estate(root).slos if x.service == "api"]
        assert slo_found.group_by == ("route",)
