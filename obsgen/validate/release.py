"""Checks of the release policy: one at most, its decisions, its canary stages."""
from __future__ import annotations

from obsgen.model.release import BURN_DECISIONS, NO_DATA_DECISIONS, PERIOD_NOT_WHOLE_DECISIONS, ReleasePolicy

TIERS = ("page", "ticket")


def check(estate, policy: ReleasePolicy, c) -> None:
    what = f"release policy {policy.name}"
    c.text(policy, what, "name", policy.name)
    if len(estate.release_policies) > 1:
        c.fail(estate.release_policies[1], what, "more than one ReleasePolicy is defined")
    if not _number(policy.freeze_at_period_burn_rate) or policy.freeze_at_period_burn_rate <= 0:
        c.fail(policy, what, f"freeze_at_period_burn_rate must be a number > 0, got {policy.freeze_at_period_burn_rate!r}")
    for tier, decision in policy.on_burn.items():
        if tier not in TIERS:
            c.fail(policy, what, f"on_burn: unknown tier {tier!r} (one of {', '.join(TIERS)})")
        if decision not in BURN_DECISIONS:
            c.fail(policy, what, f"on_burn[{tier!r}] must be one of {', '.join(BURN_DECISIONS)}, got {decision!r}")
    if policy.warn_budget_below is not None and not (_number(policy.warn_budget_below) and 0 < policy.warn_budget_below < 1):
        c.fail(policy, what, f"warn_budget_below must be a fraction between 0 and 1, got {policy.warn_budget_below!r}")
    slo_ids = {s.id for s in estate.slos}
    for slo_id, decision in [(None, policy.no_data), *policy.no_data_overrides.items()]:
        if decision not in NO_DATA_DECISIONS:
            c.fail(policy, what, f"no data may only become {' or '.join(NO_DATA_DECISIONS)}, never {decision!r}")
        if slo_id is not None and slo_id not in slo_ids:
            c.fail(policy, what, f"no_data_overrides: unknown SLO {slo_id!r}")
    if not isinstance(policy.min_events, int) or policy.min_events < 0:
        c.fail(policy, what, f"min_events must be a whole number >= 0, got {policy.min_events!r}")
    c.duration(policy, what, "max_sample_age", policy.max_sample_age)
    if policy.period_not_whole not in PERIOD_NOT_WHOLE_DECISIONS:
        c.fail(policy, what, f"period_not_whole must be one of {', '.join(PERIOD_NOT_WHOLE_DECISIONS)}, "
                             f"got {policy.period_not_whole!r}")
    for slo_id in policy.allow_silence:
        if slo_id not in slo_ids:
            c.fail(policy, what, f"allow_silence: unknown SLO {slo_id!r}")
    _canary(c, policy, what)


def _canary(c, policy: ReleasePolicy, what: str) -> None:
    canary = policy.canary
    for field in ("label", "canary", "baseline"):
        c.text(policy, what, f"canary.{field}", getattr(canary, field))
    c.labels(policy, what, {canary.label: canary.canary}, field="canary")
    if canary.canary == canary.baseline:
        c.fail(policy, what, "canary and baseline label values must differ")
    for field in ("max_error_rate_vs_baseline", "warn_p95_vs_baseline"):
        value = getattr(canary, field)
        if not _number(value) or value < 1:
            c.fail(policy, what, f"canary.{field} must be a factor >= 1, got {value!r}")
    if not _fraction(canary.rollback_error_rate):
        c.fail(policy, what, f"canary.rollback_error_rate must be a fraction between 0 and 1, got {canary.rollback_error_rate!r}")
    if not isinstance(canary.min_events, int) or canary.min_events < 1:
        c.fail(policy, what, f"canary.min_events must be a whole number >= 1, got {canary.min_events!r}")
    if canary.p95_slos is not None:
        known = {s.id for s in c.estate.slos}
        for slo_id in canary.p95_slos:
            if slo_id not in known:
                c.fail(policy, what, f"canary.p95_slos: unknown SLO {slo_id!r} (known: {', '.join(sorted(known))})")
    if not canary.stages:
        c.fail(policy, what, "canary has no stage")
    seen = set()
    for stage in canary.stages:
        swhat = f"{what} canary stage {stage.name!r}"
        c.text(stage, swhat, "name", stage.name)
        if stage.name in seen:
            c.fail(stage, swhat, "defined twice")
        seen.add(stage.name)
        c.duration(stage, swhat, "window", stage.window)
        if not _number(stage.traffic_percent) or not 0 < stage.traffic_percent <= 100:
            c.fail(stage, swhat, f"traffic_percent must be in (0, 100], got {stage.traffic_percent!r}")
        if not _fraction(stage.max_error_rate):
            c.fail(stage, swhat, f"max_error_rate must be a fraction between 0 and 1 (0.001 is 0.1%), got {stage.max_error_rate!r}")
        if stage.max_p95_seconds is not None and (not _number(stage.max_p95_seconds) or stage.max_p95_seconds <= 0):
            c.fail(stage, swhat, f"max_p95_seconds must be a positive number of seconds, got {stage.max_p95_seconds!r}")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fraction(value) -> bool:
    return _number(value) and 0 < value < 1
