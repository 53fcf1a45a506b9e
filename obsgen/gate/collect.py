"""Read what one endpoint knows about the SLOs of the regions it serves: few queries, no maths.

Recorded series first (one query per window, one for the period counts, one for alerts); for
every SLO and region they do not answer, the raw counters (one query per window).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from obsgen import duration, names
from obsgen.gate import queries
from obsgen.gate.http import Client
from obsgen.gate.result import NO_SOURCE, RAW, RECORDED, FiringAlert
from obsgen.gate.windows import alert_windows, burn_windows
from obsgen.model import applies

Key = tuple[str, str]   # (SLO id, region)
_TIER = getattr(names, "TIER", "tier")   # burn alerts carry their tier (page | ticket)


@dataclass
class Facts:
    """What was read for one SLO in one region."""

    ratios: dict[str, tuple[float | None, str]] = field(default_factory=dict)   # window -> (ratio, source)
    errors: float | None = None
    requests: float | None = None
    period_source: str = NO_SOURCE
    firing: list[FiringAlert] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)   # windows the recorded series do not cover yet


def collect(client: Client, slos, regions, at: float) -> dict[Key, Facts]:
    """`regions`: the Region objects this endpoint answers for. Raises QueryError."""
    region_names = [r.name for r in regions]
    wanted = {(s.id, r.name): s for s in slos for r in regions if applies(s, r)}
    facts: dict[Key, Facts] = {key: Facts() for key in wanted}
    if not facts:
        return facts
    index = _Index(wanted.values())
    in_scope = sorted({s.id: s for s in wanted.values()}.values(), key=lambda s: s.id)

    windows = sorted({w for s in in_scope for w in alert_windows(s)}, key=duration.seconds)
    periods = sorted({s.period for s in in_scope}, key=duration.seconds)
    ratio_names = {names.error_ratio(w): w for w in windows}
    for sample in client.query(queries.recorded(windows, periods, region_names), at):
        key = index.key(sample.labels)
        if key not in facts:
            continue
        name, f, period = sample.labels.get("__name__"), facts[key], wanted[key].period
        if name == queries.ALERTS:
            f.firing.append(_firing(wanted[key], sample.labels))
        elif name in ratio_names:
            f.ratios[ratio_names[name]] = (_finite(sample.value), RECORDED)
        elif name == names.errors_count(period):
            f.errors = _finite(sample.value)
        elif name == names.requests_count(period):
            f.requests = _finite(sample.value)
    for key, f in facts.items():
        f.firing.sort(key=lambda a: (a.alertname, a.severity, a.window or ""))
        if f.requests is not None and f.errors is not None:
            f.period_source = RECORDED
        else:
            f.errors = f.requests = None

    _uncovered(client, wanted, facts, index, windows, regions, at)
    ep = client.endpoint
    by_region = ep.thanos or ep.region_label or ep.region is None or len(regions) > 1
    _fallback(client, wanted, facts, windows, at, by_region=by_region, only_region=ep.region)
    return facts


def _uncovered(client, wanted, facts, index, windows, regions, at) -> None:
    """Forget recorded figures of windows the recorded series do not cover yet (rules deployed
    less than a window ago): the raw counters answer for those instead."""
    if not any(f.period_source == RECORDED or f.ratios for f in facts.values()):
        return
    periods = {s.period for s in wanted.values()}
    bases = {r.name: r.evaluation_interval for r in regions}
    expr = queries.coverage(set(windows) | periods, bases)
    if not expr:
        return
    covered: set[tuple[Key, str]] = set()
    for sample in client.query(expr, at):
        key = index.key(sample.labels)
        if key in facts:
            covered.add((key, sample.labels.get(queries.TAG_WINDOW, "")))
    for key, f in facts.items():
        slo = wanted[key]
        base = duration.seconds(bases[key[1]])
        for window in list(f.ratios):
            if f.ratios[window][1] == RECORDED and duration.seconds(window) > base and (key, window) not in covered:
                del f.ratios[window]
                f.uncovered.append(window)
        if f.period_source == RECORDED and (key, slo.period) not in covered:
            f.errors = f.requests = None
            f.period_source = NO_SOURCE
            f.uncovered.append(slo.period)


def _fallback(client, wanted, facts, windows, at, by_region: bool, only_region: str | None) -> None:
    """Raw counters for every (SLO, region, window) the recorded series left unanswered. The
    periods go first: an SLO whose raw counters hold nothing over its period is not asked again."""
    by = (names.REGION,) if by_region else ()
    periods = sorted({s.period for s in wanted.values()}, key=duration.seconds)
    silent: set[str] = set()
    for window in [*periods, *(w for w in windows if w not in periods)]:
        missing = {}
        for key, slo in wanted.items():
            f = facts[key]
            if slo.id in silent:
                continue
            if window == slo.period and f.period_source == NO_SOURCE:
                missing[slo.id] = slo
            elif window in alert_windows(slo) and window not in f.ratios:
                missing[slo.id] = slo
        if not missing:
            continue
        counts: dict[Key, dict[str, float]] = {}
        for sample in client.query(queries.raw_counts(missing.values(), window, by), at):
            slo_id = sample.labels.get(queries.TAG_SLO)
            region = sample.labels.get(names.REGION) if by_region else only_region
            part = sample.labels.get(queries.TAG_PART)
            if slo_id and region and part and (slo_id, region) in wanted:
                counts.setdefault((slo_id, region), {})[part] = sample.value
        for key, slo in wanted.items():
            if slo.id not in missing:
                continue
            got = counts.get(key, {})
            errors, total = _finite(got.get(queries.ERRORS)), _finite(got.get(queries.TOTAL))
            f = facts[key]
            if window == slo.period and f.period_source == NO_SOURCE:
                if total is not None:
                    f.errors, f.requests, f.period_source = (errors or 0.0), total, RAW
            if window in alert_windows(slo) and window not in f.ratios:
                ratio = None if not total else (errors or 0.0) / total
                f.ratios[window] = (ratio, RAW if total is not None else NO_SOURCE)
        if window in periods:
            answered = {k[0] for k in counts}
            silent |= {slo_id for slo_id in missing if slo_id not in answered
                       and all(facts[k].period_source == NO_SOURCE
                               and all(src == NO_SOURCE for _, src in facts[k].ratios.values())
                               for k in wanted if k[0] == slo_id)}


class _Index:
    """Find the SLO a series belongs to from its {slo, service, region} labels."""

    def __init__(self, slos):
        self._by = {}
        for slo in slos:
            self._by[(slo.service, slo.name)] = slo.id
            self._by[(slo.service, slo.id)] = slo.id

    def key(self, labels) -> Key | None:
        slo_id = self._by.get((labels.get(names.SERVICE, ""), labels.get(names.SLO, "")))
        region = labels.get(names.REGION)
        return (slo_id, region) if slo_id and region else None


def _firing(slo, labels) -> FiringAlert:
    severity = labels.get(names.SEVERITY, "")
    window = labels.get(names.WINDOW)
    tiers = {bw.tier for bw in burn_windows(slo) if bw.severity == severity and (window is None or bw.long == window)}
    tier = labels.get(_TIER) or (tiers.pop() if len(tiers) == 1 else None)
    return FiringAlert(alertname=labels.get("alertname", ""), severity=severity, tier=tier, window=window)


def _finite(value) -> float | None:
    if value is None or math.isnan(value) or math.isinf(value):
        return None
    return float(value)
