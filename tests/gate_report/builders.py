"""Small builders of gate Evaluations for the reporter tests: realistic figures, every decision,
and a label value that is hostile in every output format."""
from __future__ import annotations

from dataclasses import replace

from obsgen.gate.result import (BurnDown, BurnRate, CanaryCheck, CanaryResult, EndpointProblem,
                                Evaluation, FiringAlert, RequestLog, SLOResult, worst)

AT = 1_795_000_000.0   # 2026-11-18T..Z
HOSTILE = "<script>alert(1)</script>|*x*_\x1b[31m&amp;"
DAY = 86_400


def slo_result(region="eu-west", slo="availability", service="api", decision="pass", **kw) -> SLOResult:
    fields = dict(
        slo_id=f"{service}-{slo}", slo=slo, service=service, region=region, objective=99.5,
        period="30d", at=AT, sli=0.9987, error_ratio=0.0013, errors=1300.0, requests=1_000_000.0,
        budget_remaining=0.74, budget_remaining_minutes=159.84, budget_minutes=216.0,
        period_burn_rate=0.26,
        burn_rates=(BurnRate("5m", 0.001, 0.2, "recorded", "page"),
                    BurnRate("1h", 0.0015, 0.3, "recorded", "page"),
                    BurnRate("30d", 0.0013, 0.26, "recorded", None)),
        firing=(), decision=decision, reason=f"{decision}: budget 74.0% left", source="recorded",
        endpoint=region)
    fields.update(kw)
    return SLOResult(**fields)


def canary_result(decision="fail", **kw) -> CanaryResult:
    fields = dict(
        slo_id="api-availability", service="api", region="eu-west", stage="internal", window="30m",
        at=AT, canary_selector='track="canary"', baseline_selector='track="stable"',
        canary_events=5000.0, baseline_events=500_000.0, canary_error_rate=0.004,
        baseline_error_rate=0.001, canary_p95=0.42, baseline_p95=0.31,
        checks=(CanaryCheck("error rate", 0.004, 0.001, False, "0.40% >= 0.1%"),
                CanaryCheck("error rate vs baseline", 0.004, 0.0015, False, "0.40% >= 1.5 x 0.10%")),
        decision=decision, reason="canary error rate 0.40% exceeds 0.1%", endpoint="eu-west")
    fields.update(kw)
    return CanaryResult(**fields)


def burndown(slo_id="api-availability", region="eu-west", end=0.74, days=30) -> BurnDown:
    step = 6 * 3600
    n = days * DAY // step
    points = tuple((AT - (n - i) * step, 1 - (1 - end) * i / n) for i in range(n + 1))
    return BurnDown(slo_id, region, step, points)


def evaluation(results=(), canaries=(), problems=(), burndowns=(), **kw) -> Evaluation:
    decision = worst([*(r.decision for r in results), *(c.decision for c in canaries)])
    fields = dict(mode="gate", at=AT, results=tuple(results), canaries=tuple(canaries),
                  decision=decision, reason=f"{decision}: worst of {len(results)} SLOs",
                  requests=(RequestLog("eu-west", "http://127.0.0.1:9090/api/v1/query", "GET",
                                       "slo:burn_rate:ratio_rate5m", AT, 200, "ok", 0.012,
                                       series=3),),
                  problems=tuple(problems), regions=("eu-west", "us-east"), policy="default",
                  wall_seconds=0.25, burndowns=tuple(burndowns))
    fields.update(kw)
    return Evaluation(**fields)


def mixed() -> Evaluation:
    """Every decision, a global row, a canary, an unreachable endpoint, a hostile label value."""
    results = (
        slo_result("eu-west", "availability", decision="pass"),
        slo_result("eu-west", "latency", decision="warn", reason="ticket-level burn: 1d at 3.2x",
                   firing=(FiringAlert("SLOBurnTicket", "warning", "ticket", "1d"),)),
        slo_result("us-east", "availability", decision="fail", budget_remaining=-0.35,
                   budget_remaining_minutes=-75.6, period_burn_rate=1.35, freeze=True,
                   reason="error budget exhausted (-35.0% left)",
                   firing=(FiringAlert("SLOBurnPage", "critical", "page", "1h"),)),
        slo_result("ap-southeast", "availability", decision="cannot-evaluate", sli=None,
                   error_ratio=None, errors=None, requests=None, budget_remaining=None,
                   budget_remaining_minutes=None, period_burn_rate=None,
                   burn_rates=(BurnRate("5m", None, None, "none", "page"),), source="none",
                   reason="unreachable: connection refused"),
        slo_result("eu-west", HOSTILE, service="api", decision="fail",
                   reason=f"label {HOSTILE}", source="raw",
                   source_note=f"recorded series cover 2h of 30d ({HOSTILE})",
                   firing=(FiringAlert(HOSTILE, "critical", "page"),)),
        slo_result("global", "availability", decision="pass", endpoint="thanos"),
    )
    return evaluation(
        results, canaries=(canary_result(),),
        problems=(EndpointProblem("ap-southeast", "unreachable", "connection refused"),),
        burndowns=(burndown(), burndown(region="us-east", end=-0.35),
                   burndown(slo_id=f"api-{HOSTILE}", end=-0.1)))


def with_nonfinite() -> Evaluation:
    """An objective of 100% makes burn rates infinite; NaN can come back from a 0/0 query."""
    r = slo_result(objective=100.0, period_burn_rate=float("inf"), sli=float("nan"),
                   burn_rates=(BurnRate("5m", 0.0, float("inf"), "recorded", "page"),))
    return evaluation((r,), burndowns=(replace(burndown(), points=((AT, float("nan")), (AT + 60, 1.0))),))
