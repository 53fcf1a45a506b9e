"""Each SLO's error budget remaining over its period, for the HTML report: one range query per
endpoint and period on the SLO engine's recorded budget series."""
from __future__ import annotations

from dataclasses import replace

from obsgen import duration, names, promql
from obsgen.gate import queries
from obsgen.gate.http import Client, QueryError
from obsgen.gate.result import BurnDown, Evaluation

POINTS = 120


def with_burndowns(evaluation: Evaluation, plan, *, clock, make_client=Client) -> Evaluation:
    """The evaluation with its burn-down curves; a curve that cannot be read is left out."""
    wanted = {(r.slo_id, r.region): r for r in evaluation.results if not r.is_global}
    curves, logs = [], list(evaluation.requests)
    for endpoint, served in plan:
        served_names = [r.name for r in served]
        periods = sorted({r.period for r in wanted.values() if r.region in served_names}, key=duration.seconds)
        client = make_client(endpoint, clock=clock, on_request=logs.append)
        try:
            for period in periods:
                span = duration.seconds(period)
                step = max(60, int(span / POINTS) // 60 * 60)
                expr = promql.selector(names.BUDGET_REMAINING, [queries.region_matcher(served_names)])
                try:
                    series = client.query_range(expr, evaluation.at - span, evaluation.at, step)
                except QueryError:
                    continue
                for s in series:
                    key = _key(wanted, s.labels)
                    if key is not None and wanted[key].period == period:
                        curves.append(BurnDown(slo_id=key[0], region=key[1], step_seconds=step, points=s.points))
        finally:
            client.close()
    curves.sort(key=lambda c: (c.region, c.slo_id))
    return replace(evaluation, burndowns=tuple(curves), requests=tuple(logs))


def _key(wanted, labels):
    region, slo, service = labels.get(names.REGION), labels.get(names.SLO), labels.get(names.SERVICE)
    for slo_id, r in wanted:
        result = wanted[(slo_id, r)]
        if r == region and result.service == service and slo in (result.slo, result.slo_id):
            return slo_id, r
    return None
