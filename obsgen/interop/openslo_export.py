"""The estate's SLOs as OpenSLO v1 documents (`obsgen export openslo`): one SLO document each,
SLI inline, one inline AlertPolicy per burn-rate row. What OpenSLO has no field for (regions,
per-region objectives, min_events, the short window, the runbook, an obsgen name shared by
per-region variants) is kept in `metadata.annotations` under `obsgen.dev/`, which
`obsgen import openslo` reads back. A RawRatio has no OpenSLO form: exit 2 naming the SLO."""
from __future__ import annotations

from obsgen import duration, promql
from obsgen.interop.openslo import ANNOTATION, API, SHORT_DIVISOR
from obsgen.interop.source import ImportProblem
from obsgen.model import SLO, EventRatio, LatencyThreshold, NativeLatencyThreshold


def documents(slos) -> list[dict]:
    seen: dict[str, int] = {}
    docs = []
    for slo in slos:
        seen[slo.id] = seen.get(slo.id, 0) + 1
        docs.append(_slo(slo, seen[slo.id]))
    return docs


def _source(query: str) -> dict:
    return {"metricSource": {"type": "Prometheus", "spec": {"query": query}}}


def _indicator(slo: SLO) -> dict:
    sli = slo.sli
    if isinstance(sli, EventRatio):
        counted = {"bad": _source(sli.errors)} if sli.errors is not None else {"good": _source(sli.good)}
        ratio = {"counter": True, **counted, "total": _source(sli.total)}
    elif isinstance(sli, LatencyThreshold):
        m = [sli.matchers] if sli.matchers else []
        le = f'le="{sli.threshold:g}"' if isinstance(sli.threshold, float) else f'le="{sli.threshold}"'
        ratio = {"counter": True,
                 "good": _source(promql.selector(f"{sli.histogram}_bucket", [*m, le])),
                 "total": _source(promql.selector(f"{sli.histogram}_count", m))}
    else:
        why = ("a native histogram has no _bucket series for a ratioMetric" if isinstance(sli, NativeLatencyThreshold)
               else "its expressions use obsgen's $window")
        raise ImportProblem(slo.site, f"slo {slo.service}/{slo.name}", "sli",
                            f"{type(sli).__name__} has no OpenSLO v1 form ({why})")
    return {"metadata": {"name": f"{slo.name}-sli"}, "spec": {"ratioMetric": ratio}}


def _slo(slo: SLO, nth: int) -> dict:
    ann = {ANNOTATION + "name": slo.name}
    if slo.regions is not None:
        ann[ANNOTATION + "regions"] = ",".join(slo.regions)
    if slo.objective_overrides:
        ann[ANNOTATION + "objective-overrides"] = ",".join(f"{k}={v!r}" for k, v in sorted(slo.objective_overrides.items()))
    if slo.min_events:
        ann[ANNOTATION + "min-events"] = str(slo.min_events)
    if slo.runbook:
        ann[ANNOTATION + "runbook"] = slo.runbook
    if slo.group_by:
        ann[ANNOTATION + "group-by"] = ",".join(slo.group_by)
        ann[ANNOTATION + "max-series"] = str(slo.max_series)
    meta = {"name": slo.id if nth == 1 else f"{slo.id}-{nth}", "displayName": slo.description,
            "annotations": dict(sorted(ann.items()))}
    if slo.labels:
        meta["labels"] = dict(sorted(slo.labels.items()))
    spec = {"description": slo.description, "service": slo.service, "indicator": _indicator(slo),
            "timeWindow": [{"duration": slo.period, "isRolling": True}], "budgetingMethod": "Occurrences",
            "objectives": [{"displayName": slo.name, "targetPercent": slo.objective}]}
    policies = [_policy(slo, row, i) for i, row in enumerate(slo.alerting or ())]
    if slo.absent_alert and policies:
        policies[0]["spec"]["alertWhenNoData"] = True
    elif slo.absent_alert:   # the workbook policy (no alertPolicies): OpenSLO has nowhere else to say it
        meta["annotations"][ANNOTATION + "absent-alert"] = "true"
    if policies:
        spec["alertPolicies"] = policies
    return {"apiVersion": API, "kind": "SLO", "metadata": meta, "spec": spec}


def _policy(slo: SLO, row, i: int) -> dict:
    if row.period != slo.period:
        raise ImportProblem(slo.site, f"slo {slo.service}/{slo.name}", "alerting",
                            f"row {i}: stated for {row.period}, the SLO's period is {slo.period}")
    ann = {}
    if duration.seconds(row.short) * SHORT_DIVISOR != duration.seconds(row.long):
        ann = {"annotations": {ANNOTATION + "short-window": row.short}}
    cond = {"kind": "AlertCondition", "metadata": {"name": f"{slo.name}-{row.tier}-{row.long}", **ann},
            "spec": {"severity": row.tier,
                     "condition": {"kind": "burnrate", "op": "gte", "threshold": row.factor, "lookbackWindow": row.long}}}
    return {"kind": "AlertPolicy", "metadata": {"name": f"{slo.name}-{row.tier}-{row.long}"},
            "spec": {"alertWhenBreaching": True, "conditions": [cond]}}
