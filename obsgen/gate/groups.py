"""Per-label SLOs at the gate (SLO.group_by): each label set's figures, and the SLO's as their sum.

The SLO engine records a per-label SLO's counts once per label set. One query per endpoint reads
those series for every per-label SLO at once (and their firing alerts); the SLO's own figures
over each recorded window are then the sums over its label sets, and each label set is judged by
the release policy as an SLO of its own. The gate counts the label sets it reads: more than the
SLO's max_series is a note and a warning (the build refuses more only where the definition
lists the values).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from obsgen import names, promql
from obsgen.gate import queries
from obsgen.gate.collect import Facts, _firing, windows_of
from obsgen.gate.decide import slo_result
from obsgen.gate.result import FAIL, PASS, RECORDED, WARN, SLOResult, worst

Key = tuple[str, str]                 # (SLO id, region)
Group = tuple[tuple[str, str], ...]   # the label set: ((label, value), ...) in group_by order


@dataclass
class Read:
    """What one label set recorded: window -> [errors, requests, evaluations], and its alerts."""

    counts: dict
    firing: list


def grouped(slos) -> list:
    return sorted((s for s in slos if getattr(s, "group_by", ())), key=lambda s: s.id)


def query(slos, region_names) -> str:
    windows = sorted({w for s in slos for w in windows_of(s)}, key=_seconds)
    wanted = [name(w) for w in windows for name in (names.errors_count, names.requests_count, names.evaluations_count)]
    return queries.checked(promql.selector("", [
        f"__name__=~{promql.quote(promql.regex_alternatives([*wanted, queries.ALERTS]))}",
        'alertstate=~"|firing"',
        f"{names.SLO}=~{promql.quote(promql.regex_alternatives(sorted({s.name for s in slos})))}",
        queries.region_matcher(region_names)]))


def read(client, slos, regions, at: float) -> dict[Key, dict[Group, Read]]:
    """Every label set of every per-label SLO the endpoint answers for. Raises QueryError."""
    slos = grouped(slos)
    if not slos:
        return {}
    by_name = {(s.service, s.name): s for s in slos}
    parts = {}
    for s in slos:
        for w in windows_of(s):
            parts[names.errors_count(w)] = (w, 0)
            parts[names.requests_count(w)] = (w, 1)
            parts[names.evaluations_count(w)] = (w, 2)
    out: dict[Key, dict[Group, Read]] = {}
    for sample in client.query(query(slos, sorted(r.name for r in regions)), at):
        labels = sample.labels
        slo = by_name.get((labels.get(names.SERVICE, ""), labels.get(names.SLO, "")))
        region = labels.get(names.REGION)
        if slo is None or region is None:
            continue
        group = tuple((label, labels.get(label, "")) for label in slo.group_by)
        mine = out.setdefault((slo.id, region), {}).setdefault(group, Read({}, []))
        name = labels.get("__name__")
        if name == queries.ALERTS:
            mine.firing.append(dict(labels))
        elif name in parts:
            window, i = parts[name]
            mine.counts.setdefault(window, [None, None, None])[i] = sample.value
    return out


def summed(facts: Facts, groups: dict[Group, Read]) -> Facts:
    """The SLO's facts with each recorded window's counts the sum over its label sets (the
    recorded read keeps one label set's series per window, not their sum)."""
    counts = dict(facts.counts)
    for window, (_, _, source) in facts.counts.items():
        if source != RECORDED:
            continue
        parts = [g.counts.get(window, [None, None, None]) for g in groups.values()]
        errors = [e for e, r, _ in parts if e is not None and r is not None]
        requests = [r for e, r, _ in parts if e is not None and r is not None]
        counts[window] = (sum(errors), sum(requests), RECORDED) if requests else (None, None, RECORDED)
    return replace(facts, counts=counts)


@dataclass(frozen=True)
class GroupResult:
    """One label set of a per-label SLO, judged by the policy as an SLO of its own (recorded
    series only; a window they do not hold is None)."""

    labels: Group
    errors: float | None
    requests: float | None
    error_ratio: float | None
    budget_remaining: float | None
    period_burn_rate: float | None
    firing: tuple
    decision: str
    reason: str

    @property
    def text(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.labels)


def judged(policy, slo, region: str, whole: SLOResult, groups: dict[Group, Read], at: float) -> SLOResult:
    """The SLO's result with its label sets' results; a label set that fails or warns (with
    enough events to judge) makes the SLO fail or warn too; more label sets than max_series warns."""
    found = []
    for group in sorted(groups):
        g = groups[group]
        facts = Facts(period=slo.period, counts={w: (e, r, RECORDED) for w, (e, r, ev) in g.counts.items()
                                                  if e is not None and r is not None},
                      firing=[_firing(slo, labels) for labels in g.firing])
        r = slo_result(policy, slo, region, facts, at)
        found.append(GroupResult(group, r.errors, r.requests, r.error_ratio, r.budget_remaining, r.period_burn_rate,
                                 r.firing, r.decision, r.reason))
    decision, reason, notes = whole.decision, whole.reason, [whole.source_note] if whole.source_note else []
    bad = [g for g in found if g.decision in (FAIL, WARN) and g.requests]
    if bad:
        first = min(bad, key=lambda g: (g.decision != FAIL, g.labels))
        if worst([decision, first.decision]) != decision:
            decision, reason = first.decision, f"{first.text}: {first.reason}"
    if len(found) > slo.max_series:
        notes.append(f"{len(found)} label sets of {', '.join(slo.group_by)} read, over max_series={slo.max_series}")
        if decision in (PASS, WARN):
            decision, reason = WARN, f"{notes[-1]}; {reason}"
    return replace(whole, decision=decision, reason=reason, source_note="; ".join(notes),
                   groups=tuple(found), label_sets=len(found))


def _seconds(window: str) -> float:
    from obsgen.gate.windows import seconds

    return seconds(window)
