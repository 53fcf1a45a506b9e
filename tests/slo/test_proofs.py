"""The generated promtool proofs pass under the real promtool, and can fail."""
from __future__ import annotations

import copy

import pytest

from obsgen import names, promtool
from obsgen.slo import proofs

from tests.slo.fixtures import LATENCY, SUCCESS, region, slo, write

CASES = [
    ("an errors/total SLO at 99.5% with an absent alert proves out", slo(absent_alert=True)),
    ("a good/total SLO on two metrics with a low-traffic guard proves out", slo(SUCCESS, 95.0, name="success", min_events=100)),
    ("a latency SLO over 28 days proves out", slo(LATENCY, 95.0, name="latency", period="28d")),
]


@pytest.mark.tool("promtool")
@pytest.mark.prometheus_versions("2", "3")
@pytest.mark.parametrize("s", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_generated_proofs_pass(tmp_path, s):
    result = promtool.test_rules([write(tmp_path, s, region())])
    assert result.ok, result.output


@pytest.mark.tool("promtool")
def test_proofs_at_a_30s_evaluation_interval_pass(tmp_path):
    result = promtool.test_rules([write(tmp_path, slo(objective=99.9), region(evaluation_interval="30s"))])
    assert result.ok, result.output


def _outage(s, r):
    return next(t for t in proofs.tests(s, r) if "outage" in t["name"])


def _mutations():
    """Each a (sentence, function changing the outage test) that makes a true proof false."""
    def page_one_step_early(test):
        checks = test["alert_rule_test"]
        first = next(i for i, c in enumerate(checks) if c["exp_alerts"])
        checks[first - 1]["exp_alerts"] = copy.deepcopy(checks[first]["exp_alerts"])

    def page_never_clears(test):
        checks = test["alert_rule_test"]
        last = checks[-1]
        last["exp_alerts"] = copy.deepcopy(max((c["exp_alerts"] for c in checks), key=len))

    def wrong_tier_label(test):
        checks = test["alert_rule_test"]
        firing = next(c for c in checks if c["exp_alerts"])
        labels = firing["exp_alerts"][0]["exp_labels"]
        labels[names.TIER] = {"page": "ticket", "ticket": "page"}[labels[names.TIER]]

    return [("a page expected one evaluation before the arithmetic allows", page_one_step_early),
            ("a page expected to stay after its short window recovered", page_never_clears),
            ("an alert expected with the other tier's label", wrong_tier_label)]


@pytest.mark.tool("promtool")
@pytest.mark.parametrize("mutate", [m[1] for m in _mutations()], ids=[m[0] for m in _mutations()])
def test_a_wrong_expectation_makes_promtool_fail(tmp_path, mutate):
    s, r = slo(), region()
    test = copy.deepcopy(_outage(s, r))
    mutate(test)
    result = promtool.test_rules([write(tmp_path, s, r, tests=[test])])
    assert not result.ok
    assert "FAILED" in result.output


def test_the_outage_proof_pages_exactly_when_the_workbook_predicts():
    """99.5%, 1h/5m at 14.4: 0.072 of an hour is 4.32 minutes, so the 5th minute pages."""
    s, r = slo(), region()
    checks = _outage(s, r)["alert_rule_test"]
    history = 360   # the longest page window, 6h of 1m steps
    at = {c["eval_time"]: {a["exp_labels"][names.WINDOW] for a in c["exp_alerts"]} for c in checks}
    assert "1h" not in at["6h4m"] and "1h" in at["6h5m"]
    assert "6h" not in at["6h10m"] and "6h" in at["6h11m"]   # 6 x 0.005 x 360 min = 10.8 min
    assert history == 360


def test_both_le_spellings_are_proven():
    s, r = slo(LATENCY, 95.0, name="latency"), region()
    series = [i["series"] for t in proofs.tests(s, r) for i in t["input_series"]]
    assert any('le="1"' in x for x in series) and any('le="1.0"' in x for x in series)
