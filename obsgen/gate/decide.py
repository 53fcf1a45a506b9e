"""The budget maths and the release policy: pure functions from what was read to a decision.

Budget maths after the SRE workbook (ch. 2 and 5): error budget = 1 - objective; burn rate =
error ratio / error budget; budget remaining = 1 - errors / (error budget x requests).
"""
from __future__ import annotations

from dataclasses import replace

from obsgen import duration, names
from obsgen.gate.collect import Facts
from obsgen.gate.result import (CANNOT_EVALUATE, FAIL, NO_SOURCE, PASS, RAW, WARN, BurnRate,
                                SLOResult, iso, worst)
from obsgen.gate.windows import seconds
from obsgen.model.release import ReleasePolicy
from obsgen.policy import burn_rates


def slo_result(policy: ReleasePolicy, slo, region: str, facts: Facts, at: float, endpoint: str = "",
               objective: float | None = None) -> SLOResult:
    objective = slo.objective_in(region) if objective is None else objective
    budget = burn_rates.error_budget(objective)
    period_seconds = seconds(slo.period)
    budget_minutes = budget * period_seconds / 60
    warm_up = warming_up(policy, facts)
    blind = blind_reason(policy, slo, facts, at, warm_up)
    if blind.startswith(("partial answer", "stale data")):
        # Stale data or a partial answer: no figure is what happened.
        facts = replace(facts, counts={})
    elif not warm_up:
        # A window with a hole has no figure: what it would show is not what happened.
        facts = _without_holes(facts)
    errors, requests = facts.errors, facts.requests
    error_ratio = errors / requests if errors is not None and requests else None
    remaining = None if error_ratio is None else 1 - error_ratio / budget
    period_rate = None if error_ratio is None else error_ratio / budget
    rates = _burn_rates(slo, facts, budget)
    decision, reason, freeze = decide(policy, slo, facts, rates, remaining, period_rate)
    if blind and facts.requests is None and not facts.firing:
        freeze = False
    if blind:
        decision, reason = CANNOT_EVALUATE, blind
    elif warm_up:
        if decision == PASS:
            decision = WARN
        reason = f"{warm_up}; {reason}"
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
        period_source=facts.period_source, holes=tuple(facts.holes), newest_sample=facts.newest,
        warm_up=warm_up,
    )


def warming_up(policy: ReleasePolicy, facts: Facts) -> str:
    """The warm-up statement when the policy allows one and every hole is only history younger
    than its window (no hole in the middle, none at the end); '' otherwise."""
    if getattr(policy, "period_not_whole", "cannot-evaluate") != "warm-up" or not facts.holes:
        return ""
    if not all(h.at_start for h in facts.holes) or facts.partial:
        return ""
    first = max(h.end for h in facts.holes)
    longest = max(facts.holes, key=lambda h: seconds(h.window))
    return (f"warm-up: data begins {iso(first)}, {1 - longest.share:.1%} of {longest.window}; "
            f"judged on what there is")


def blind_reason(policy: ReleasePolicy, slo, facts: Facts, at: float, warm_up: str = "") -> str:
    """Why the gate cannot judge what it read ('' when it can): a partial answer, stale data,
    or a hole neither the recorded series nor the raw counters cover."""
    if facts.partial:
        return f"partial answer: it lacks {', '.join(facts.partial[:3])}" + (
            f" and {len(facts.partial) - 3} more" if len(facts.partial) > 3 else "")
    if facts.freshness_known and slo.id not in getattr(policy, "allow_silence", ()) and facts.requests is not None:
        limit = duration.seconds(getattr(policy, "max_sample_age", "5m"))
        if facts.newest is None:
            return (f"stale data: no raw sample of the SLI's requests in the look-back before {iso(at)}; "
                    f"silence is not zero errors")
        age = at - facts.newest
        if age > limit:
            return (f"stale data: newest raw sample at {iso(facts.newest)}, {duration.format_seconds(round(age))} "
                    f"before {iso(at)} (allowed {duration.format_seconds(limit)})")
    if facts.holes and not warm_up:
        hole = sorted(facts.holes, key=lambda h: (h.window != facts.period, -seconds(h.window)))[0]
        if hole.at_start:
            what = "period not whole" if hole.window == facts.period else f"{hole.window} window not whole"
            return (f"{what}: no data from {iso(hole.start)} to {iso(hole.end)} ({hole.share:.1%} of "
                    f"{hole.window}); neither the recorded series nor the raw counters reach back")
        return (f"hole in the data: nothing from {iso(hole.start)} to {iso(hole.end)} ({hole.share:.1%} of "
                f"{hole.window}) in the recorded series or the raw counters")
    return ""


def _without_holes(facts: Facts) -> Facts:
    if not facts.holes:
        return facts
    holey = {h.window for h in facts.holes}
    return replace(facts, counts={w: c for w, c in facts.counts.items() if w not in holey})


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
    for bw in slo.burn_windows:
        if bw.tier != tier:
            continue
        long, short = by_window.get(bw.long), by_window.get(bw.short)
        if long is not None and short is not None and long > bw.factor and short > bw.factor:
            return f"burn rate {long:.1f} over {bw.long} and {short:.1f} over {bw.short} (> {bw.factor:g})"
    return ""


def _burn_rates(slo, facts: Facts, budget: float) -> tuple[BurnRate, ...]:
    tiers = {}
    for bw in slo.burn_windows:
        for w in (bw.long, bw.short):
            tiers.setdefault(w, bw.tier)
    out = []
    for window in sorted(tiers, key=seconds):
        ratio, source = facts.ratios.get(window, (None, NO_SOURCE))
        holes = facts.holes_in(window)
        note = f"hole {holes[0].text}" if holes and source == NO_SOURCE else ""
        out.append(BurnRate(window=window, error_ratio=ratio, rate=None if ratio is None else ratio / budget,
                            source=source, tier=tiers[window], note=note))
    return tuple(out)


def _source_note(facts: Facts) -> str:
    raw = sorted((w for w, (_, src) in facts.ratios.items() if src == RAW), key=seconds)
    if not raw:
        return ""
    why = sorted({facts.shortfall[w] for w in raw if w in facts.shortfall})
    shown = ["the period" if w == facts.period else w for w in raw]
    return (f"recorded series not whole over {', '.join(shown)} ({'; '.join(why)}): "
            f"computed from the raw counters")


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
        facts.shortfall = {w: why for f in read for w, why in f.shortfall.items()}
        facts.holes = [h for f in read for h in f.holes]
        facts.partial = [p for f in read for p in f.partial]
    result = slo_result(policy, slo, names.GLOBAL_REGION, facts, at, endpoint="", objective=slo.objective)
    cannot = [r for r, _ in regional if r.decision == CANNOT_EVALUATE and r.requests is None]
    if cannot and facts.requests is None:
        first = cannot[0]
        return replace(result, decision=CANNOT_EVALUATE, reason=f"no figures from {first.region}: {first.reason}")
    # A region the gate could not see whole leaves the global figure blind too.
    blind = [(r, reason) for r, f in regional if f is not None
             for reason in [blind_reason(policy, slo, f, at, r.warm_up)] if reason]
    if blind or len(read) < len(regional):
        r, reason = blind[0] if blind else (next(r for r, f in regional if f is None), "not read")
        return replace(result, decision=CANNOT_EVALUATE, reason=f"{r.region} cannot be seen whole: {reason}")
    warm = [r for r, _ in regional if r.warm_up]
    if warm and not result.warm_up:
        return replace(result, warm_up=warm[0].warm_up, decision=max_warn(result.decision),
                       reason=f"{warm[0].region}: {warm[0].warm_up}; {result.reason}")
    return result


def max_warn(decision: str) -> str:
    """Never better than warn (a warm-up is reported, not passed silently)."""
    return WARN if decision == PASS else decision
