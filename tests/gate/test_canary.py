"""Canary mode against a real Prometheus: the seed's stage criteria, absolute and relative, the
rollback threshold, and too few events as cannot-evaluate."""
from __future__ import annotations

from dataclasses import replace

import pytest

from obsgen.gate.canary import CanaryStageError, evaluate_canary
from obsgen.gate import config as gate_config
from obsgen.gate.evaluate import Selection
from obsgen.gate.result import CANNOT_EVALUATE, FAIL, PASS, WARN
from obsgen.model.release import Canary, ReleasePolicy
from obsgen.synth import counts, select
from tests.gate import synthetic
from tests.gate.gaterun import config_for

import time

pytestmark = pytest.mark.tool("prometheus")

CANARY_SERVICES = ("shop", "cart", "pay", "feed")


def canary(prom, stage="internal", policy=None):
    estate = synthetic.canary_estate(**({"policy": policy} if policy else {}))
    selection = Selection(regions=("north",), services=CANARY_SERVICES)
    regions, _ = selection.choose(estate)
    plan = gate_config.plan(estate, regions, config_for({"north": prom.url}))
    return evaluate_canary(estate, plan, synthetic.END, stage, selection=selection, clock=time.monotonic)


@pytest.fixture(scope="module")
def stage1(prom):
    return {c.slo_id: c for c in canary(prom).canaries}


# Seed 5.3's table, for error-ratio and latency SLOs, both stages: (slo, stage) -> decision,
# rollback, and the criteria that miss. The halt (1.5x baseline) and rollback (2%) criteria hold
# the bad-event ratio of every kind; the stage ceiling holds error SLOs, p95 latency SLOs.
TABLE = {
    "error SLO, 6x its baseline, over stage 1's 0.1%: halt":
        ("shop-availability", "internal", FAIL, False, {"error rate", "error rate vs baseline"}),
    "error SLO, 6x its baseline, within stage 2's 0.5%: still halted by 1.5x":
        ("shop-availability", "beta", FAIL, False, {"error rate vs baseline"}),
    "error SLO as good as its baseline: stage 1 passes":
        ("cart-availability", "internal", PASS, False, set()),
    "error SLO as good as its baseline: stage 2 passes":
        ("cart-availability", "beta", PASS, False, set()),
    "error SLO at 3% errors: rollback in stage 1":
        ("pay-availability", "internal", FAIL, True, {"rollback", "error rate", "error rate vs baseline"}),
    "error SLO at 3% errors: rollback in stage 2":
        ("pay-availability", "beta", FAIL, True, {"rollback", "error rate", "error rate vs baseline"}),
    "latency SLO 10% slow, p95 over 500 ms: rollback and p95 miss in stage 1":
        ("shop-latency", "internal", FAIL, True, {"rollback", "error rate vs baseline", "p95 latency",
                                                  "p95 latency vs baseline"}),
    "latency SLO 10% slow, p95 under 1 s: rollback in stage 2":
        ("shop-latency", "beta", FAIL, True, {"rollback", "error rate vs baseline", "p95 latency vs baseline"}),
    "latency SLO slow 3x as often as its baseline, p95 fine: halt in stage 1 (the issue's case)":
        ("feed-latency", "internal", FAIL, False, {"error rate vs baseline"}),
    "latency SLO slow 3x as often as its baseline, p95 fine: halt in stage 2":
        ("feed-latency", "beta", FAIL, False, {"error rate vs baseline"}),
}


@pytest.fixture(scope="module")
def stages(prom):
    return {stage: {c.slo_id: c for c in canary(prom, stage=stage).canaries} for stage in ("internal", "beta")}


@pytest.mark.parametrize("slo, stage, decision, rollback, missed", TABLE.values(), ids=list(TABLE))
def test_seed_5_3_canary_table(stages, slo, stage, decision, rollback, missed):
    c = stages[stage][slo]
    assert c.decision == decision, c.reason
    assert c.rollback is rollback
    assert {k.criterion for k in c.checks if k.passed is False} == missed, [k.text for k in c.checks]
    assert c.window == {"internal": "30m", "beta": "2h"}[stage]


# Exact raw counts (obsgen/gate/exact.py): the same figures under Prometheus 2 and 3.
@pytest.mark.prometheus_versions("2", "3")
def test_latency_bad_event_ratio_matches_the_ground_truth(stages, scenarios):
    from obsgen.synth import latency_counts

    scenario = scenarios["north"]
    for stage, seconds in (("internal", 1800), ("beta", 7200)):
        c = stages[stage]["feed-latency"]
        for track, rate, events in (("canary", c.canary_error_rate, c.canary_events),
                                    ("stable", c.baseline_error_rate, c.baseline_events)):
            lc = latency_counts(scenario, select(scenario, "feed_requests_total", track=track), 0.5,
                                synthetic.END - seconds, synthetic.END)
            assert rate == (lc.total - lc.under) / lc.total
            assert events == lc.total


def test_the_relative_criterion_halts_a_canary_worse_than_1_5x_its_baseline(stage1):
    halt = {k.criterion: k for k in stage1["shop-availability"].checks}["error rate vs baseline"]
    assert halt.passed is False and halt.text.startswith("halt: ")
    assert halt.limit == stage1["shop-availability"].baseline_error_rate * 1.5
    ok = {k.criterion: k for k in stage1["cart-availability"].checks}["error rate vs baseline"]
    assert ok.passed is True


# Exact raw counts (obsgen/gate/exact.py): the same figures under Prometheus 2 and 3.
@pytest.mark.prometheus_versions("2", "3")
def test_canary_and_baseline_error_rates_match_the_ground_truth(stage1, scenarios):
    scenario = scenarios["north"]
    for service in ("shop", "cart", "pay"):
        c = stage1[f"{service}-availability"]
        for track, rate in (("canary", c.canary_error_rate), ("baseline", c.baseline_error_rate)):
            value = "stable" if track == "baseline" else "canary"
            truth = counts(scenario, select(scenario, f"{service}_requests_total", track=value),
                           synthetic.END - 1800, synthetic.END)
            assert rate == truth.errors / truth.requests
            assert (c.canary_events if track == "canary" else c.baseline_events) == truth.requests


def test_the_overall_canary_decision_is_the_worst_stage_check(prom):
    evaluation = canary(prom)
    assert evaluation.mode == "canary"
    assert evaluation.decision == FAIL and evaluation.exit_status == 1
    assert len(evaluation.requests) == 2   # counts by track, and p95 by track: every SLO at once


def test_too_few_canary_events_cannot_be_evaluated_not_passed(prom):
    policy = replace(synthetic.POLICY, canary=replace(Canary(), min_events=100_000))
    evaluation = canary(prom, policy=policy)
    assert {c.decision for c in evaluation.canaries} == {CANNOT_EVALUATE}
    assert all("too few events" in c.reason for c in evaluation.canaries)
    assert evaluation.exit_status == 3


def test_stage_2_has_its_own_window_and_limits(prom):
    by = {c.slo_id: c for c in canary(prom, stage="beta").canaries}
    shop = by["shop-availability"]
    assert shop.window == "2h"
    checks = {k.criterion: k for k in shop.checks}
    # 0.3% is within stage 2's 0.5%, but still 6x the baseline: the relative criterion halts it.
    assert checks["error rate"].passed and "< 0.500% (stage beta)" in checks["error rate"].text
    assert shop.decision == FAIL and shop.reason.startswith("halt: ")
    # Stage 2 allows a p95 up to 1 s; over 1.3x the baseline's it alerts the team (seed 5.3), and
    # 10% slow requests are a rollback whatever the kind.
    latency = by["shop-latency"]
    checks = {k.criterion: k for k in latency.checks}
    assert checks["p95 latency"].passed and not checks["p95 latency vs baseline"].passed
    assert latency.decision == FAIL and latency.rollback
    assert by["cart-availability"].decision == PASS


def test_an_unknown_stage_is_a_usage_error(prom):
    with pytest.raises(CanaryStageError, match="stages: internal, beta"):
        canary(prom, stage="gamma")


def test_policy_default_is_the_seed(prom):
    assert ReleasePolicy().canary.max_error_rate_vs_baseline == 1.5


CLI = {
    "a canary as good as its baseline lets the stage go on (exit 0)": ("cart", 0, "pass"),
    "a canary worse than its stage's criteria halts it (exit 1)": ("shop", 1, "fail"),
}


@pytest.mark.parametrize("service, status, decision", CLI.values(), ids=list(CLI))
def test_canary_from_the_command_line(prom, tmp_path, service, status, decision):
    import json

    from click.testing import CliRunner

    from obsgen.cli import main
    from tests.gate.estate_root import write_config, write_root

    root = write_root(tmp_path, canary=True)
    write_config(root / "gate.yml", {"north": prom.url})
    result = CliRunner().invoke(main, ["gate", "--root", str(root), "--config", str(root / "gate.yml"), "--region",
                                       "north", "--service", service, "--canary", "internal", "--at",
                                       str(synthetic.END), "--json"])
    assert result.exit_code == status, result.output
    doc = json.loads(result.stdout)
    assert doc["mode"] == "canary" and doc["decision"] == decision
    assert {c["stage"] for c in doc["canaries"]} == {"internal"}
