"""An SLO's multiwindow, multi-burn-rate alerts in one region (policy: obsgen/policy/burn_rates.py).

An alert fires while both its long and its short window burn faster than the row's factor, and,
with a low-traffic guard, while the long window holds at least `min_events` requests.
"""
from __future__ import annotations

from obsgen import names, sli_selectors
from obsgen.model import SLO, BurnWindow, Region
from obsgen.policy import burn_rates
from obsgen.slo import counts
from obsgen.slo.recording import identity, number, own
from obsgen.slo.windows import spell


def burn_expr(slo: SLO, bw: BurnWindow) -> str:
    factor = number(bw.factor)
    expr = (f"{own(slo, names.burn_rate(bw.long))} > {factor}"
            f" and {own(slo, names.burn_rate(bw.short))} > {factor}")
    if slo.min_events:
        expr += f" and {own(slo, names.requests_count(bw.long))} >= {slo.min_events}"
    return expr


def burn_labels(bw: BurnWindow) -> dict[str, str]:
    return {names.SEVERITY: bw.severity, names.TIER: bw.tier, names.WINDOW: bw.long, names.SHORT_WINDOW: bw.short}


def links(slo: SLO) -> dict[str, str]:
    notes = {"dashboard": names.slo_panel_path(slo.service, slo.name, "burn")}
    if slo.runbook:
        notes["runbook_url"] = slo.runbook
    return notes


def burn_annotations(slo: SLO, bw: BurnWindow, region: Region) -> dict[str, str]:
    lasts = spell(round(slo.period_seconds / bw.factor / 60) * 60 or 60)
    share = f"{bw.budget_share * 100:.3g}%"
    return dict(sorted({
        "summary": f"{slo.service} {slo.name} in {region.name} burns its error budget over {number(bw.factor)}x",
        "description": (
            f"Errors over the last {bw.long} and {bw.short} exceed {number(bw.factor)} times the "
            f"{slo.error_budget_in(region.name) * 100:.4g}% budget of the {slo.objective_in(region.name):g}% objective: "
            f"{share} of the {slo.period} budget spent in {bw.long}; at this rate it is gone in {lasts}."
        ),
        **links(slo),
    }.items()))


def burn_rule(slo: SLO, bw: BurnWindow, region: Region) -> dict:
    return {
        "alert": names.SLO_BURN_ALERT,
        "expr": burn_expr(slo, bw),
        "labels": dict(sorted({**burn_labels(bw), names.REGION: region.name}.items())),
        "annotations": burn_annotations(slo, bw, region),
    }


def absent_labels(slo: SLO, region: Region) -> dict[str, str]:
    return dict(sorted({**identity(slo, region.name), names.SEVERITY: burn_rates.ABSENT_SEVERITY}.items()))


def absent_rule(slo: SLO, region: Region) -> dict:
    sli = sli_selectors.source(slo.sli).replace("$window", region.evaluation_interval)
    return {
        "alert": names.SLO_ABSENT_ALERT,
        "expr": f"absent(sum({sli}))",
        "for": burn_rates.ABSENT_FOR,
        "labels": absent_labels(slo, region),
        "annotations": dict(sorted({
            "summary": f"{slo.service} {slo.name} in {region.name} has no SLI series",
            "description": f"The series behind this SLO have been gone for {burn_rates.ABSENT_FOR}: its error ratio is unknown.",
            **links(slo),
        }.items())),
    }


def rules(slo: SLO, region: Region) -> list[dict]:
    out = [burn_rule(slo, bw, region) for bw in slo.burn_windows]
    if slo.absent_alert:
        out.append(absent_rule(slo, region))
    return out


def expected_labels(slo: SLO, bw: BurnWindow, region: Region) -> dict[str, str]:
    """The labels a firing burn alert carries: the series identity plus the rule's labels."""
    return dict(sorted({**identity(slo, region.name), **burn_labels(bw)}.items()))


__all__ = ["rules", "burn_rule", "absent_rule", "expected_labels", "burn_annotations"]
