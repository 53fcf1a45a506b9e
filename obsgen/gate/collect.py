"""Read what one endpoint knows about the SLOs of the regions it serves: few queries, no maths.

One query reads every recorded count (each alert window and the period) and every firing SLO
alert; one more checks which recorded windows are old enough to be whole; for every SLO,
region and window they do not answer, the raw counters (one query per window).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from obsgen import names
from obsgen.gate import queries
from obsgen.gate.http import Client
from obsgen.gate.result import NO_SOURCE, RAW, RECORDED, FiringAlert
from obsgen.gate.windows import alert_windows, burn_windows, seconds
from obsgen.model import applies

Key = tuple[str, str]   # (SLO id, region)
_TIER = getattr(names, "TIER", "tier")   # burn alerts carry their tier (page | ticket)


@dataclass
class Facts:
    """What was read for one SLO in one region: error and request counts per window (every
    alert window and the period), where each came from, and the SLO alerts firing."""

    period: str = "30d"
    counts: dict[str, tuple[float | None, float | None, str]] = field(default_factory=dict)   # window -> (errors, requests, source)
    firing: list[FiringAlert] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)   # windows the recorded series do not cover yet

    @property
    def errors(self) -> float | None:
        return self.counts.get(self.period, (None, None, NO_SOURCE))[0]

    @property
    def requests(self) -> float | None:
        return self.counts.get(self.period, (None, None, NO_SOURCE))[1]

    @property
    def period_source(self) -> str:
        return self.counts.get(self.period, (None, None, NO_SOURCE))[2]

    @property
    def ratios(self) -> dict[str, tuple[float | None, str]]:
        """window -> (error ratio, source); None where no request was counted."""
        return {w: ((e or 0.0) / r if r else None, src) for w, (e, r, src) in self.counts.items()}

    def has(self, window: str) -> bool:
        return self.counts.get(window, (None, None, NO_SOURCE))[2] != NO_SOURCE


def collect(client: Client, slos, regions, at: float) -> dict[Key, Facts]:
    """`regions`: the Region objects this endpoint answers for. Raises QueryError."""
    region_names = [r.name for r in regions]
    wanted = {(s.id, r.name): s for s in slos for r in regions if applies(s, r)}
    facts: dict[Key, Facts] = {key: Facts(period=slo.period) for key, slo in wanted.items()}
    if not facts:
        return facts
    index = _Index(wanted.values())
    in_scope = sorted({s.id: s for s in wanted.values()}.values(), key=lambda s: s.id)

    windows = sorted({w for s in in_scope for w in windows_of(s)}, key=seconds)
    parts = {}
    for w in windows:
        parts[names.errors_count(w)], parts[names.requests_count(w)] = (w, 0), (w, 1)
    read: dict[Key, dict[str, list]] = {}
    for sample in client.query(queries.recorded(windows, region_names), at):
        key = index.key(sample.labels)
        if key not in facts:
            continue
        name = sample.labels.get("__name__")
        if name == queries.ALERTS:
            facts[key].firing.append(_firing(wanted[key], sample.labels))
        elif name in parts:
            window, i = parts[name]
            read.setdefault(key, {}).setdefault(window, [None, None])[i] = _finite(sample.value)
    for key, f in facts.items():
        f.firing.sort(key=lambda a: (a.alertname, a.severity, a.window or ""))
        for window, (errors, requests) in read.get(key, {}).items():
            if window in windows_of(wanted[key]) and errors is not None and requests is not None:
                f.counts[window] = (errors, requests, RECORDED)

    _uncovered(client, wanted, facts, index, windows, regions, at)
    ep = client.endpoint
    by_region = ep.thanos or ep.region_label or ep.region is None or len(regions) > 1
    _fallback(client, wanted, facts, at, by_region=by_region, only_region=ep.region)
    return facts


def windows_of(slo) -> tuple[str, ...]:
    """Every window the gate reads for an SLO: its alert windows and its period."""
    return tuple(sorted({*alert_windows(slo), slo.period}, key=seconds))


def _uncovered(client, wanted, facts, index, windows, regions, at) -> None:
    """Forget recorded counts of windows the recorded series do not cover yet (rules deployed
    less than a window ago): the raw counters answer for those instead."""
    if not any(src == RECORDED for f in facts.values() for *_, src in f.counts.values()):
        return
    bases = {r.name: r.evaluation_interval for r in regions}
    expr = queries.coverage(windows, bases)
    if not expr:
        return
    covered: set[tuple[Key, str]] = set()
    for sample in client.query(expr, at):
        key = index.key(sample.labels)
        if key in facts:
            covered.add((key, sample.labels.get(queries.TAG_WINDOW, "")))
    for key, f in facts.items():
        base = seconds(bases[key[1]])
        for window in list(f.counts):
            if f.counts[window][2] == RECORDED and seconds(window) > base and (key, window) not in covered:
                del f.counts[window]
                f.uncovered.append(window)


def _fallback(client, wanted, facts, at, by_region: bool, only_region: str | None) -> None:
    """Raw counters for every (SLO, region, window) the recorded series left unanswered, one
    query per window. The periods go first: an SLO whose raw counters hold nothing over its
    period is not asked again for shorter windows."""
    by = (names.REGION,) if by_region else ()
    periods = sorted({s.period for s in wanted.values()}, key=seconds)
    others = sorted({w for s in wanted.values() for w in windows_of(s)} - set(periods), key=seconds)
    silent: set[str] = set()
    for window in [*periods, *others]:
        missing = {slo.id: slo for key, slo in wanted.items()
                   if slo.id not in silent and window in windows_of(slo) and not facts[key].has(window)}
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
            if slo.id in missing and not facts[key].has(window):
                got = counts.get(key, {})
                errors, total = _finite(got.get(queries.ERRORS)), _finite(got.get(queries.TOTAL))
                if total is not None:
                    facts[key].counts[window] = (errors or 0.0, total, RAW)
        if window in periods:
            silent |= {slo_id for slo_id in missing
                       if not any(facts[k].counts for k in wanted if k[0] == slo_id)}


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
