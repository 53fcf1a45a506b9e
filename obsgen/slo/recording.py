"""An SLO's recording rules in one region: exact window counts, ratios of sums, metadata.

Every series carries the SLO's identity {slo, service, region} plus its own labels. Rules are
listed in dependency order; they run in one group, so each rule sees the samples the rules
before it recorded at the same evaluation (windows.py relies on this for exact tiling).
"""
from __future__ import annotations

from obsgen import duration, names, promql
from obsgen.model import SLO, Region
from obsgen.slo import windows
from obsgen.slo.counts import deltas


def identity(slo: SLO, region_name: str) -> dict[str, str]:
    return dict(sorted({**slo.labels, names.SLO: slo.name, names.SERVICE: slo.service, names.REGION: region_name}.items()))


def own(slo: SLO, name: str) -> str:
    """A selector of one of this SLO's recorded series."""
    return promql.selector(name, [f"{names.SERVICE}={promql.quote(slo.service)}", f"{names.SLO}={promql.quote(slo.name)}"])


def steps(slo: SLO, region: Region) -> tuple[windows.Step, ...]:
    return windows.plan([*slo.alert_windows, slo.period], region.evaluation_interval)


def number(value: float) -> str:
    """A float as PromQL reads it back exactly: 0.005, 14.4, 2592000."""
    return repr(int(value)) if float(value).is_integer() else repr(float(value))


def tile(series: str, at_seconds: float, spacing: str) -> str:
    """The one sample of a recorded series written at the evaluation `at_seconds` ago, or 0.

    A range just shorter than the spacing of the evaluations holds exactly that sample, both
    where a range is closed on the left (Prometheus 2) and where it is open (3), and at any
    phase between the rule that wrote it and the rule that reads it. An evaluation that did
    not run leaves no sample: the tile counts 0, never a neighbour's sample twice (an instant
    selector would reach back five minutes). `sum` drops the identity labels the rule sets again.
    """
    return f"(sum({written_at(series, at_seconds, spacing)}) or vector(0))"


def written_at(series: str, at_seconds: float, spacing: str) -> str:
    width = windows.spell(duration.seconds(spacing) - 0.001)
    offset = f" offset {windows.spell(at_seconds)}" if at_seconds else ""
    return f"last_over_time({series}[{width}]{offset})"


def window_sum(series: str, step: windows.Step, spacing: str, by: tuple[str, ...] = ()) -> str:
    """The source window's tiles at offsets 0, w, 2w, ...: each exact, missing ones 0."""
    width = duration.seconds(step.source)
    if by:
        return grouped_window_sum(series, step, spacing, by)
    return " + ".join(tile(series, k * width, spacing) for k in range(step.terms))


def grouped_window_sum(series: str, step: windows.Step, spacing: str, by: tuple[str, ...]) -> str:
    """Per label set, the sum of the tiles it has: each tile tagged with its offset so that `or`
    keeps them all, then summed by the SLO's labels. A label set missing from a tile (no traffic
    then, or not yet existing) adds nothing there, and is not dropped from the window, as it
    would be from a `+` of per-tile vectors."""
    width = duration.seconds(step.source)
    parts = [f'label_replace({written_at(series, k * width, spacing)}, "{names.TILE}", "{k}", "", "")'
             for k in range(step.terms)]
    return f"sum by ({', '.join(by)}) ({union(parts)})"


def union(parts: list[str]) -> str:
    """`a or b or ...` as a balanced tree (Prometheus matches a chain's whole left side again at
    every `or`); the parts carry distinct labels, so the result is the same."""
    while len(parts) > 1:
        parts = [f"({parts[i]} or {parts[i + 1]})" if i + 1 < len(parts) else parts[i] for i in range(0, len(parts), 2)]
    return parts[0]


def evaluated(slo: SLO, base: str) -> str:
    """1 when this evaluation recorded both base counts; absent (a 0 tile) when it did not run
    or a base rule failed. Summed like the counts, it says how much of each window they hold.
    Per label set for a per-label SLO: 1 where that set recorded its counts."""
    errors, requests = (written_at(own(slo, name(base)), 0, base) for name in (names.errors_count, names.requests_count))
    grouping = f" by ({', '.join(slo.group_by)})" if slo.group_by else ""
    return f"count{grouping}({errors} and {requests})"


def ratio(errors: str, requests: str) -> str:
    """errors / requests, and 0 (never NaN) when there were no requests."""
    return f"({errors} / ({requests} > 0)) or ({requests} * 0)"


def rules(slo: SLO, region: Region) -> list[dict]:
    labels = identity(slo, region.name)
    plan = steps(slo, region)
    base = plan[0]
    out = []

    def record(name: str, expr: str) -> None:
        promql.assert_parses(expr)
        out.append({"record": name, "expr": expr, "labels": dict(labels)})

    errors, total = deltas(slo.sli, base.window, region.counter_lookback, slo.group_by)
    record(names.errors_count(base.window), errors)
    record(names.requests_count(base.window), total)
    record(names.evaluations_count(base.window), evaluated(slo, base.window))
    for step in plan[1:]:
        for name in (names.errors_count, names.requests_count, names.evaluations_count):
            record(name(step.window), window_sum(own(slo, name(step.source)), step, base.window, slo.group_by))
    budget = slo.error_budget_in(region.name)
    for step in plan[1:]:
        w = step.window
        record(names.error_ratio(w), ratio(own(slo, names.errors_count(w)), own(slo, names.requests_count(w))))
        record(names.burn_rate(w), f"{own(slo, names.error_ratio(w))} / {number(budget)}")
    record(names.OBJECTIVE, f"vector({number(round(slo.objective_in(region.name) / 100, 12))})")
    record(names.ERROR_BUDGET, f"vector({number(budget)})")
    record(names.PERIOD_SECONDS, f"vector({slo.period_seconds})")
    record(names.BUDGET_REMAINING, f"1 - {own(slo, names.burn_rate(slo.period))}")
    return out
