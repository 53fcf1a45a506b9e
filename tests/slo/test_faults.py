"""The SLO counts under the faults of real scrapes: the oracle against the truth, the generated
fault proofs under promtool, and the rules that came before them failing those proofs."""
from __future__ import annotations

import pytest

from obsgen import names, promtool, serialize
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import counts, faults, recording
from obsgen.slo.scrapes import booked, truth

from tests.slo.fixtures import AVAILABILITY, LATENCY, SUCCESS, region, slo, write

SLIS = [("errors over total", AVAILABILITY), ("good over total on two metrics", SUCCESS), ("latency", LATENCY)]


def _scenarios(sli):
    setup = faults.Setup(slo(sli=sli), region(), 15)
    return [(name, sc) for name, sc, _ in faults.scenarios(setup)], setup


@pytest.mark.parametrize("sli", [s[1] for s in SLIS], ids=[s[0] for s in SLIS])
def test_every_fault_books_every_event_once_and_only_new_series_first_scrapes_are_missed(sli):
    """Over a whole scenario the booked counts equal the events, less what a replaced pod counted
    after its last scrape and its successor before its first (the bound the README states); no
    step books more than the events since the last real sample, so no lifetime value is booked."""
    found, setup = _scenarios(sli)
    for name, sc in found:
        scr = sc.scrapes()
        steps = (sc.n - 1) * setup.scrape // setup.step
        got, real = booked(scr, setup.step, setup.lookback, steps), truth(scr, setup.step, steps)
        rate = faults.proof_rate(setup)
        missed = rate * (sum(1 for p in sc.processes if not p.lifetime) + sum(1 for p in sc.processes if p.last < sc.n - 1))
        assert sum(got.bad) <= sum(real.bad), name
        assert sum(got.good) + sum(got.bad) + missed >= sum(real.good) + sum(real.bad), name
        assert sum(got.good) + sum(got.bad) <= sum(real.good) + sum(real.bad), name
        longest_gap = 31   # steps: the 30-minute outage, plus the step it ends in
        peak = max(g + b for g, b in zip(real.good, real.bad))
        assert max(g + b for g, b in zip(got.good, got.bad)) <= peak * longest_gap, name


def test_a_replaced_pod_loses_one_scrape_of_its_own_traffic_and_one_of_its_successors():
    found, setup = _scenarios(AVAILABILITY)
    sc = dict(found)[next(n for n, _ in found if n.startswith("pods replaced"))]
    scr = sc.scrapes()
    steps = (sc.n - 1) * setup.scrape // setup.step
    got, real = booked(scr, setup.step, setup.lookback, steps), truth(scr, setup.step, steps)
    rate = faults.proof_rate(setup)
    assert sum(real.good) + sum(real.bad) - sum(got.good) - sum(got.bad) == 4 * rate   # two pods replaced


def _old_delta(selector, step, lookback, by=(), value=None):
    """The base rule before it bridged faults: the last sample minus the one an interval back."""
    return f"(sum(({selector} - {selector} offset {step}) >= 0 or {selector}) or vector(0))"


@pytest.mark.tool("promtool")
@pytest.mark.prometheus_versions("2", "3")
@pytest.mark.parametrize("sli", [s[1] for s in SLIS], ids=[s[0] for s in SLIS])
def test_the_fault_proofs_pass_under_promtool(tmp_path, sli):
    s, r = slo(sli=sli), region()
    result = promtool.test_rules([write(tmp_path, s, r, faults.tests(s, r))])
    assert result.ok, result.output


@pytest.mark.tool("promtool")
def test_the_base_rule_that_booked_lifetimes_fails_the_fault_proofs(tmp_path, monkeypatch):
    s, r = slo(), region()
    tests = faults.tests(s, r)
    monkeypatch.setattr(counts, "_delta", _old_delta)
    result = promtool.test_rules([write(tmp_path, s, r, tests)])
    assert not result.ok
    for scenario in ("a failed scrape at each phase", "a target down 10 minutes without a reset",
                     "a long-lived series appears", "a failed scrape, then a total outage"):
        assert scenario in result.output, scenario


def _tiles_test(tmp_path, reading):
    """The window rules alone, fed base tiles with a three-minute hole where the rules did not
    run: a window sums the tiles there are, once each."""
    s, r = slo(), region()
    rules = [rule for rule in recording.rules(s, r) if not rule["record"].endswith("1m")]
    path = tmp_path / "windows.yml"
    path.write_bytes(serialize.to_yaml(group_file("t", rules, r.evaluation_interval)))
    labels = recording.identity(s, r.name)

    def text(name):
        return name + "{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}"

    tiles = "10+0x9 _ _ _ 40 10+0x20"     # 10 per minute; the evaluation after the hole carried 40
    inputs = [{"series": text(names.requests_count("1m")), "values": tiles},
              {"series": text(names.errors_count("1m")), "values": "0+0x34"},
              {"series": text(names.evaluations_count("1m")), "values": "1+0x9 _ _ _ 1+0x21"}]
    expect = [("5m", "14m", 10 + 40, 2), ("5m", "12m", 10 + 10, 2), ("30m", "30m", 26 * 10 + 40, 27)]
    checks = [{"expr": f'{reading(name(w))}', "eval_time": t, "exp_samples": [{"labels": text(name(w)), "value": v}]}
              for w, t, total, evals in expect
              for name, v in ((names.requests_count, total), (names.evaluations_count, evals))]
    test = {"rule_files": [str(path)], "evaluation_interval": "1m",
            "tests": [{"interval": "1m", "input_series": inputs, "promql_expr_test": checks}]}
    out = tmp_path / "windows.test.yml"
    out.write_bytes(serialize.to_yaml(test))
    return promtool.test_rules([out])


@pytest.mark.tool("promtool")
@pytest.mark.prometheus_versions("2", "3")
def test_a_hole_in_the_rule_evaluations_is_summed_once_never_filled_from_a_neighbour(tmp_path):
    result = _tiles_test(tmp_path, lambda name: name)
    assert result.ok, result.output


@pytest.mark.tool("promtool")
def test_windows_that_read_tiles_with_an_instant_offset_count_a_neighbour_twice(tmp_path, monkeypatch):
    def instant(series, at_seconds, spacing):
        from obsgen.slo.windows import spell

        offset = f" offset {spell(at_seconds)}" if at_seconds else ""
        return f"(sum({series}{offset}) or vector(0))"

    monkeypatch.setattr(recording, "tile", instant)
    result = _tiles_test(tmp_path, lambda name: name)
    assert not result.ok
