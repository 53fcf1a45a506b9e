"""The release policy as a table: what the gate read -> pass, warn, fail or cannot-evaluate."""
from __future__ import annotations

from dataclasses import replace

import pytest

from obsgen.gate.collect import Facts
from obsgen.gate.decide import slo_result
from obsgen.gate.result import CANNOT_EVALUATE, FAIL, PASS, RECORDED, WARN, FiringAlert
from obsgen.model import SLO, EventRatio
from obsgen.model.release import ReleasePolicy

SLO_99_5 = SLO("api", "availability", 99.5, EventRatio(total="t", errors="e"), "test SLO")   # 30d, workbook policy
DEFAULT = ReleasePolicy()
HEALTHY = {w: 0.0005 for w in ("5m", "30m", "1h", "2h", "6h", "1d", "3d")}   # burn 0.1 everywhere


def facts(errors=1_000, requests=1_000_000, ratios=None, firing=()):
    """Counts per alert window from error ratios over a million requests, and the period's."""
    f = Facts(period="30d", firing=list(firing))
    f.counts = {w: (r * 1_000_000, 1_000_000, RECORDED) for w, r in {**HEALTHY, **(ratios or {})}.items()}
    if requests is not None:
        f.counts["30d"] = (errors, requests, RECORDED)
    return f


PAGE = FiringAlert("SLOBurnRateCritical", "critical", "page", "1h")
TICKET = FiringAlert("SLOBurnRateWarning", "warning", "ticket", "1d")

CASES = {
    "a healthy SLO with most of its budget left passes":
        (DEFAULT, facts(), PASS, "80.0% of the budget left"),
    "an exhausted error budget fails":
        (DEFAULT, facts(errors=6_000), FAIL, "error budget exhausted"),
    "a period burn rate of exactly 1 freezes releases":
        (DEFAULT, facts(errors=5_000), FAIL, "error budget exhausted"),
    "a page-level burn in both of its windows fails with budget left":
        (DEFAULT, facts(ratios={"1h": 0.08, "5m": 0.08}), FAIL, "page-level burn active: burn rate 16.0 over 1h"),
    "a fast burn in the long window only is over and passes":
        (DEFAULT, facts(ratios={"1h": 0.08, "5m": 0.001}), PASS, "no fast burn"),
    "a firing page alert fails even when the windows have calmed":
        (DEFAULT, facts(firing=[PAGE]), FAIL, "alert SLOBurnRateCritical is firing"),
    "a ticket-level burn warns":
        (DEFAULT, facts(ratios={"1d": 0.02, "2h": 0.02}), WARN, "ticket-level burn active"),
    "a firing ticket alert warns":
        (DEFAULT, facts(firing=[TICKET]), WARN, "alert SLOBurnRateWarning is firing"),
    "a policy may ignore ticket-level burns":
        (replace(DEFAULT, on_burn={"page": "fail", "ticket": "ignore"}), facts(firing=[TICKET]), PASS, "no fast burn"),
    "a policy may only warn on page-level burns":
        (replace(DEFAULT, on_burn={"page": "warn", "ticket": "warn"}), facts(firing=[PAGE]), WARN, "page-level"),
    "a policy may warn when little budget is left":
        (replace(DEFAULT, warn_budget_below=0.5), facts(errors=3_000), WARN, "only 40.0% of the error budget left"),
    "a lower freeze threshold fails before the budget is gone":
        (replace(DEFAULT, freeze_at_period_burn_rate=0.5), facts(errors=3_000), FAIL, "release freeze: burn rate over 30d is 0.60"),
    "no data cannot be evaluated":
        (DEFAULT, facts(errors=None, requests=None), CANNOT_EVALUATE, "no data"),
    "no data may become a warning for one SLO, by policy":
        (replace(DEFAULT, no_data_overrides={"api-availability": "warn"}), facts(errors=None, requests=None), WARN, "no data"),
    "too few events cannot be evaluated":
        (DEFAULT, facts(errors=0, requests=99), CANNOT_EVALUATE, "too few events: 99 requests over 30d (fewer than 100)"),
    "zero requests are too few events even with no minimum":
        (replace(DEFAULT, min_events=0), facts(errors=0, requests=0), CANNOT_EVALUATE, "too few events"),
    "the worst finding decides and its reason is given":
        (DEFAULT, facts(errors=6_000, firing=[TICKET]), FAIL, "error budget exhausted"),
}


@pytest.mark.parametrize("policy, read, decision, reason", CASES.values(), ids=list(CASES))
def test_policy(policy, read, decision, reason):
    r = slo_result(policy, SLO_99_5, "north", read, at=0.0)
    assert r.decision == decision, r.reason
    assert reason in r.reason
    assert "\n" not in r.reason


def test_an_slo_min_events_larger_than_the_policy_makes_500_requests_too_few():
    slo = replace(SLO_99_5, min_events=1000)
    r = slo_result(DEFAULT, slo, "north", facts(errors=0, requests=500), at=0.0)
    assert (r.decision, r.reason) == (CANNOT_EVALUATE, "too few events: 500 requests over 30d (fewer than 1000)")


def test_budget_maths_follows_the_workbook():
    r = slo_result(DEFAULT, SLO_99_5, "north", facts(errors=1_250), at=0.0)
    assert r.sli == pytest.approx(0.99875)
    assert r.budget_remaining == pytest.approx(0.75)
    assert r.budget_minutes == pytest.approx(0.005 * 30 * 24 * 60)          # 216 minutes
    assert r.budget_remaining_minutes == pytest.approx(0.75 * 216)
    assert r.period_burn_rate == pytest.approx(0.25)
    assert {b.window: b.rate for b in r.burn_rates}["1h"] == pytest.approx(0.1)
    assert {b.window: b.tier for b in r.burn_rates} == {"5m": "page", "1h": "page", "30m": "page", "6h": "page",
                                                       "2h": "ticket", "1d": "ticket", "3d": "ticket"}


def test_no_data_never_passes_whatever_the_policy_says():
    """The policy's validation refuses no_data='pass'; the maths would not pass it anyway."""
    for policy in (DEFAULT, replace(DEFAULT, no_data="warn")):
        r = slo_result(policy, SLO_99_5, "north", facts(errors=None, requests=None), at=0.0)
        assert r.decision != PASS
