"""`obsgen gate --json`: the evaluation as one JSON document with a stable schema.

The schema is gate-result.schema.json beside this file, documented in docs/gate-json.md.
Within SCHEMA_VERSION fields are only ever added. Ratios are fractions, objectives percent,
instants both ISO 8601 UTC and Unix seconds. A figure that could not be read is null, never 0;
so is a non-finite one (JSON has no NaN or Infinity).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from obsgen.gate.result import (BurnDown, BurnRate, CanaryCheck, CanaryResult, EndpointProblem,
                                Evaluation, FiringAlert, Hole, RequestLog, SLOResult, iso)

SCHEMA_VERSION = 1
SCHEMA_FILE = Path(__file__).with_name("gate-result.schema.json")


def render(evaluation: Evaluation) -> str:
    return json.dumps(document(evaluation), indent=2, sort_keys=True, allow_nan=False) + "\n"


def document(e: Evaluation) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "mode": e.mode,
        "at": iso(e.at),
        "at_unix": _num(e.at),
        "decision": e.decision,
        "exit_status": e.exit_status,
        "reason": e.reason,
        "policy": e.policy,
        "regions": list(e.regions),
        "results": [_slo(r) for r in e.results],
        "canaries": [_canary(c) for c in e.canaries],
        "problems": [_problem(p) for p in e.problems],
        "requests": {
            "count": len(e.requests),
            "seconds": _num(sum(r.duration_seconds for r in e.requests)),
            "log": [_request(r) for r in e.requests],
        },
        "wall_seconds": _num(e.wall_seconds),
        "burndowns": [_burndown(b) for b in e.burndowns],
    }


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value


def _slo(r: SLOResult) -> dict:
    return {
        "slo_id": r.slo_id, "slo": r.slo, "service": r.service, "region": r.region,
        "global": r.is_global, "objective": r.objective, "period": r.period,
        "sli": _num(r.sli), "error_ratio": _num(r.error_ratio),
        "errors": _num(r.errors), "requests": _num(r.requests),
        "budget_remaining": _num(r.budget_remaining),
        "budget_remaining_minutes": _num(r.budget_remaining_minutes),
        "budget_minutes": _num(r.budget_minutes),
        "period_burn_rate": _num(r.period_burn_rate),
        "burn_rates": [_burn(b) for b in r.burn_rates],
        "alert_firing": r.alert_firing,
        "firing": [_firing(a) for a in r.firing],
        "decision": r.decision, "reason": r.reason, "freeze": r.freeze,
        "source": r.source, "source_note": r.source_note, "endpoint": r.endpoint,
        "period_source": r.period_source, "holes": [_hole(h) for h in r.holes],
        "newest_sample": _num(r.newest_sample), "warm_up": r.warm_up,
        "groups": [_group(g) for g in r.groups], "label_sets": r.label_sets,
    }


def _group(g) -> dict:
    return {"labels": dict(g.labels), "errors": _num(g.errors), "requests": _num(g.requests),
            "error_ratio": _num(g.error_ratio), "budget_remaining": _num(g.budget_remaining),
            "period_burn_rate": _num(g.period_burn_rate), "firing": [_firing(a) for a in g.firing],
            "decision": g.decision, "reason": g.reason}


def _hole(h: Hole) -> dict:
    return {"window": h.window, "start": _num(h.start), "end": _num(h.end), "start_iso": iso(h.start),
            "end_iso": iso(h.end), "share": _num(h.share), "at_start": h.at_start}


def _burn(b: BurnRate) -> dict:
    return {"window": b.window, "tier": b.tier, "error_ratio": _num(b.error_ratio),
            "rate": _num(b.rate), "source": b.source, "note": b.note}


def _firing(a: FiringAlert) -> dict:
    return {"alertname": a.alertname, "severity": a.severity, "tier": a.tier, "window": a.window}


def _canary(c: CanaryResult) -> dict:
    return {
        "slo_id": c.slo_id, "service": c.service, "region": c.region, "stage": c.stage,
        "window": c.window, "canary_selector": c.canary_selector,
        "baseline_selector": c.baseline_selector,
        "canary_events": _num(c.canary_events), "baseline_events": _num(c.baseline_events),
        "canary_error_rate": _num(c.canary_error_rate),
        "baseline_error_rate": _num(c.baseline_error_rate),
        "canary_p95_seconds": _num(c.canary_p95), "baseline_p95_seconds": _num(c.baseline_p95),
        "checks": [_check(k) for k in c.checks],
        "decision": c.decision, "reason": c.reason, "rollback": c.rollback, "endpoint": c.endpoint,
    }


def _check(k: CanaryCheck) -> dict:
    return {"criterion": k.criterion, "value": _num(k.value), "limit": _num(k.limit),
            "passed": k.passed, "text": k.text}


def _problem(p: EndpointProblem) -> dict:
    return {"endpoint": p.endpoint, "outcome": p.outcome, "message": p.message}


def _request(r: RequestLog) -> dict:
    return {"endpoint": r.endpoint, "url": r.url, "method": r.method, "query": r.query,
            "at_unix": _num(r.at), "status": r.status, "outcome": r.outcome,
            "seconds": _num(r.duration_seconds), "attempt": r.attempt, "series": r.series,
            "warnings": list(r.warnings)}


def _burndown(b: BurnDown) -> dict:
    points = [[t, v] for t, v in b.points if math.isfinite(t) and math.isfinite(v)]
    return {"slo_id": b.slo_id, "region": b.region, "step_seconds": _num(b.step_seconds),
            "points": points}
