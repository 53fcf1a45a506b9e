"""The budget maths and the release policy: pure functions from what was read to a decision.

Budget maths after the SRE workbook (ch. 2 and 5): error budget = 1 - objective; burn rate =
error ratio / error budget; budget remaining = 1 - errors / (error budget x requests).
"""
from __future__ import annotations

from dataclasses import replace

from obsgen import names
from obsgen.gate.collect import Facts
from obsgen.gate.result import (CANNOT_EVALUATE, FAIL, NO_SOURCE, PASS, RAW, WARN, BurnRate,
                                SLOResult, worst)
from obsgen.gate.windows import burn_windows, seconds
from obsgen.model.release import ReleasePolicy


def slo_result(policy: ReleasePolicy, slo, region: str, facts: Facts, at: float, endpoint: str = "",
               objective: float | None = None) -> SLOResult:
    objective = slo.objective_in(region) if objective is None else objective
    budget = round(1 - objective / 100, 12)
    period_seconds = seconds(slo.period)
    budget_minutes = budget * period_seconds / 60
    errors, requests = facts.errors, facts.requests
    error_ratio = errors / requests if errors is not None and requests else None
    remaining = None if error_ratio is None else 1 - error_ratio / budget
    period_rate = None if error_ratio is None else error_ratio / budget
    rates = _burn_rates(slo, facts, budget)
    decision, reason, freeze = decide(policy, slo, facts, rates, remaining, period_rate)
    sources = {facts.period_source, *(src for _, src in facts.ratios.values())} - {NO_SOURCE}
    source = RAW if RAW in sources else (sources.pop() if sources else NO_SOURCE)
    return SLOResult(
        slo_id=slo.id, slo=slo.name, service=slo.service, region=region, objective=objective,
        period=slo.period, at=at,
        sli=None if error_ratio is None else 1 - error_ratio, error_ratio=error_ratio,
        errors=errors, requests=requests,
        budget_remaining=remaining,
        budget_remaining_minutes=None if remaining is None else remaining * budget_minutes,
        budget_minutes=budget_minutes, period_burn_rate=period_rate,
        burn_rates=rates, firing=tuple(facts.firing), decision=decision, reason=reason,
        source=source, source_note=_source_note(facts), endpoint=endpoint, freeze=freeze,
        period_source=facts.period_source,
    )


def decide(policy: ReleasePolicy, slo, facts: Facts, rates: tuple[BurnRate, ...],
           remaining: float | None, period_rate: float | None) -> tuple[str, str, bool]:
    """(decision, one-line reason, release freeze) for one SLO in one region."""
    if facts.requests is None:
        return policy.no_data_decision(slo.id), f"no data: no requests recorded over {slo.period}", False
    minimum = max(1, policy.min_events_for(slo))
    if facts.requests < minimum or remaining is None:
        return (policy.no_data_decision(slo.id),
                f"too few events: {facts.requests:.0f} requests over {slo.period} (fewer than {minimum})", False)
    found: list[tuple[str, str]] = []
    freeze = period_rate is not None and period_rate >= policy.freeze_at_period_burn_rate
    if policy.fail_when_budget_exhausted and remaining <= 0:
        found.append((FAIL, f"error budget exhausted: {remaining:.1%} left over {slo.period}; releases frozen"))
    if freeze:
        found.append((FAIL, f"release freeze: burn rate over {slo.period} is {period_rate:.2f} "
                            f"(>= {policy.freeze_at_period_burn_rate:g}), {max(remaining, 0):.1%} of the budget left"))
    for tier in ("page", "ticket"):
        action = policy.on_burn.get(tier, "ignore")
        if action == "ignore":
            continue
        why = active_burn(slo, tier, facts.firing, rates)
        if why:
            found.append((FAIL if action == "fail" else WARN, f"{tier}-level burn active: {why}"))
    if policy.warn_budget_below is not None and remaining < policy.warn_budget_below:
        found.append((WARN, f"only {remaining:.1%} of the error budget left (warn below {policy.warn_budget_below:.0%})"))
    if not found:
        return PASS, f"{remaining:.1%} of the budget left, burn rate over {slo.period} {period_rate:.2f}, no fast burn", freeze
    decision = worst(d for d, _ in found)
    return decision, next(r for d, r in found if d == decision), freeze


def active_burn(slo, tier: str, firing, rates: tuple[BurnRate, ...]) -> str:
    """Why a burn of this tier is active ('' when it is not): its alert fires, or both windows
    of one of its pairs burn above the pair's factor at the instant."""
    for alert in firing:
        if alert.tier == tier:
            return f"alert {alert.alertname} is firing"
    by_window = {r.window: r.rate for r in rates}
    for bw in burn_windows(slo):
        if bw.tier != tier:
            continue
        long, short = by_window.get(bw.long), by_window.get(bw.short)
        if long is not None and short is not None and long > bw.factor and short > bw.factor:
            return f"burn rate {long:.1f} over {bw.long} and {short:.1f} over {bw.short} (> {bw.factor:g})"
    return ""


def _burn_rates(slo, facts: Facts, budget: float) -> tuple[BurnRate, ...]:
    tiers = {}
    for bw in burn_windows(slo):
        for w in (bw.long, bw.short):
            tiers.setdefault(w, bw.tier)
    out = []
    for window in sorted(tiers, key=seconds):
        ratio, source = facts.ratios.get(window, (None, NO_SOURCE))
        out.append(BurnRate(window=window, error_ratio=ratio, rate=None if ratio is None else ratio / budget,
                            source=source, tier=tiers[window]))
    return tuple(out)


def _source_note(facts: Facts) -> str:
    raw = sorted((w for w, (_, src) in facts.ratios.items() if src == RAW), key=seconds)
    if facts.period_source == RAW:
        raw = ["the period", *raw]
    if not raw:
        return ""
    young = " (rules deployed less than a window ago)" if facts.uncovered else ""
    return f"recorded series do not cover {', '.join(raw)}{young}: computed from the raw counters"


def global_result(policy: ReleasePolicy, slo, regional: list[tuple[SLOResult, Facts | None]], at: float) -> SLOResult:
    """Globally over the regions that feed the global view: at each window, the sum of their
    errors over the sum of their requests (a window counts only when every region has it)."""
    facts = Facts(period=slo.period)
    read = [f for _, f in regional if f is not None]
    if regional and len(read) == len(regional):
        for window in set.intersection(*(set(f.counts) for f in read)):
            parts = [f.counts[window] for f in read]
            source = RAW if any(src == RAW for *_, src in parts) else parts[0][2]
            facts.counts[window] = (sum(e for e, _, _ in parts), sum(r for _, r, _ in parts), source)
        facts.uncovered = sorted({w for f in read for w in f.uncovered})
    result = slo_result(policy, slo, names.GLOBAL_REGION, facts, at, endpoint="", objective=slo.objective)
    cannot = [r for r, _ in regional if r.decision == CANNOT_EVALUATE and r.requests is None]
    if cannot and facts.requests is None:
        first = cannot[0]
        return replace(result, decision=CANNOT_EVALUATE, reason=f"no figures from {first.region}: {first.reason}")
    return result
