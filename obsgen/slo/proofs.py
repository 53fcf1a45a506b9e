"""promtool unit tests derived from an SLO's definition, for one region.

Scenarios, each a phase list of per-step good and bad events at a steady total rate:
- outage: a clean history as long as the longest alert window, then every request fails until
  each tier has fired, then clean again until the pages have cleared. Checked one step before
  and at every change of the firing set: each tier fires exactly at the step the workbook
  arithmetic predicts (simulate.outage_detection_steps), pages clear as their short window recovers.
- slow burns at 2x and 0.9x the budget: 2x opens the tickets whose factor is under 2 and no page;
  0.9x opens nothing.
- zero traffic: every window's error ratio and burn rate is recorded as 0, never NaN.
- with a low-traffic guard: a total outage below `min_events` alerts nothing.
- the faults of real scrapes (obsgen/slo/faults.py): failed scrapes at every phase, Prometheus
  down, a target down with and without a reset, churn, a long-lived series appearing, and a
  failed scrape before a total outage.
"""
from __future__ import annotations

from fractions import Fraction

from obsgen import duration, names, sli_fixtures
from obsgen.model import SLO, Region
from obsgen.policy import burn_rates
from obsgen.slo import alerts, faults, native, recording, scrapes, simulate
from obsgen.slo.simulate import RATE, Traffic, rate_for, steps_of
from obsgen.slo.windows import spell


def values(incs) -> str:
    """A counter in promtool's expanding notation from per-step increments (index 0 = start)."""
    return scrapes.promtool_values(_cumulative(incs))


def input_series(slo: SLO, traffic: Traffic, le_spelling: int) -> list[dict] | None:
    found = sli_fixtures.series(slo.sli, le_spelling)
    if found is None:
        return None
    pick = {
        "good": traffic.good,
        "bad": traffic.bad,
        "total": tuple(g + b for g, b in zip(traffic.good, traffic.bad)),
    }
    threshold = sli_fixtures.native_threshold(slo.sli)
    if threshold is not None:
        return [{"series": s, "values": v} for s, v in native.merge(
            [(s, role, _cumulative(pick[role])) for s, role in found], threshold)]
    return [{"series": s, "values": values(pick[role])} for s, role in found]


def _cumulative(incs) -> list[Fraction]:
    total, samples = Fraction(0), []
    for inc in incs:
        total += inc
        samples.append(total)
    return samples


def expected(slo: SLO, region: Region, rows) -> list[dict]:
    return [{"exp_labels": alerts.expected_labels(slo, bw, region),
             "exp_annotations": alerts.burn_annotations(slo, bw, region)} for bw in rows]


def _at(k: int, region: Region) -> str:
    return spell(k * duration.seconds(region.evaluation_interval)) if k else "0s"


def scenario(slo: SLO, region: Region, name: str, traffic: Traffic, checkpoints, le_spelling: int = 0) -> dict | None:
    series = input_series(slo, traffic, le_spelling)
    if series is None:
        return None
    rows, budget = slo.burn_windows, Fraction(repr(slo.error_budget_in(region.name)))
    checks = []
    for k in sorted(set(checkpoints)):
        fired, close = simulate.firing(traffic, k, rows, budget, region.evaluation_interval, slo.min_events)
        if not close:
            checks.append({"eval_time": _at(k, region), "alertname": names.SLO_BURN_ALERT,
                           "exp_alerts": expected(slo, region, fired)})
    return {"name": f"{slo.id} in {region.name}: {name}", "interval": region.evaluation_interval,
            "input_series": series, "alert_rule_test": checks}


def _changes(traffic, rows, budget, step, min_events, start, end) -> list[int]:
    """Steps where the firing set changes, and the step before each."""
    out, last = [], None
    for k in range(start, end + 1):
        now = simulate.firing(traffic, k, rows, budget, step, min_events)[0]
        if last is not None and now != last:
            out += [k - 1, k]
        last = now
    return out


def outage(slo: SLO, region: Region) -> dict | None:
    """History as long as the longest page window (tickets then see a partial window: the
    simulation says what they do), so the test stays a few hundred evaluations long."""
    step, rows, rate = region.evaluation_interval, slo.burn_windows, rate_for(slo, region)
    budget = Fraction(repr(slo.error_budget_in(region.name)))
    pages = [bw for bw in rows if bw.tier == "page"] or list(rows)
    history = max(steps_of(bw.long, step) for bw in pages)
    detect = {bw: simulate.outage_detection_steps(bw, budget, step) for bw in pages}
    shorts = [steps_of(bw.short, step) for bw in pages]
    lasting = max([*detect.values(), *shorts]) + 1
    traffic = Traffic.of([(history, rate, 0), (lasting, 0, rate), (max(shorts) + 2, rate, 0)])
    checkpoints = _changes(traffic, rows, budget, step, slo.min_events, history, traffic.steps)
    for bw, d in detect.items():   # the simulation agrees with the workbook's arithmetic
        k = history + d
        assert bw in simulate.firing(traffic, k, rows, budget, step, slo.min_events)[0], (bw, d)
        assert bw not in simulate.firing(traffic, k - 1, rows, budget, step)[0], (bw, d)
        checkpoints += [k - 1, k]
    return scenario(slo, region, "a total outage pages when the workbook predicts, and the page clears after recovery",
                    traffic, checkpoints)


def steady_burn(slo: SLO, region: Region, times: Fraction, name: str, le_spelling: int) -> dict | None:
    step, rows, rate = region.evaluation_interval, slo.burn_windows, rate_for(slo, region)
    bad = Fraction(rate) * times * Fraction(repr(slo.error_budget_in(region.name)))
    if sli_fixtures.native_threshold(slo.sli) is not None:   # a histogram counts whole requests
        rate, bad = rate * bad.denominator, bad * bad.denominator
    # Steady from the start, every window holds the same ratio at every step: a short span
    # past the page windows' short windows shows it.
    pages = [bw for bw in rows if bw.tier == "page"] or list(rows)
    span = max(steps_of(bw.short, step) for bw in pages) + 1
    traffic = Traffic.of([(span, rate - bad, bad)])
    checkpoints = [1, span] + [steps_of(bw.short, step) for bw in pages]
    return scenario(slo, region, name, traffic, checkpoints, le_spelling)


def low_traffic(slo: SLO, region: Region) -> dict | None:
    step, rows = region.evaluation_interval, slo.burn_windows
    longest = max(steps_of(bw.long, step) for bw in rows if bw.tier == "page")
    rate = Fraction(slo.min_events - 1, longest)
    if sli_fixtures.native_threshold(slo.sli) is not None:   # a histogram counts whole requests
        rate = Fraction((slo.min_events - 1) // longest)
        if not rate:
            return None
    traffic = Traffic.of([(longest + 1, 0, rate)])
    checkpoints = [steps_of(bw.long, step) for bw in rows if bw.tier == "page"] + [longest + 1]
    return scenario(slo, region, f"a total outage under {slo.min_events} requests per window alerts nothing",
                    traffic, checkpoints)


def zero_traffic(slo: SLO, region: Region) -> dict | None:
    series = input_series(slo, Traffic.of([(10, 0, 0)]), 0)
    if series is None:
        return None
    labels = recording.identity(slo, region.name)
    exprs = []
    for st in recording.steps(slo, region)[1:]:
        for name in (names.error_ratio(st.window), names.burn_rate(st.window)):
            exprs.append((name, 0))
    exprs.append((names.BUDGET_REMAINING, 1))
    return {
        "name": f"{slo.id} in {region.name}: zero traffic records 0, never NaN",
        "interval": region.evaluation_interval,
        "input_series": series,
        "promql_expr_test": [
            {"expr": recording.own(slo, name), "eval_time": _at(10, region),
             "exp_samples": [{"labels": sli_fixtures.text(name, labels), "value": value}]}
            for name, value in exprs
        ],
    }


def series_vanish(slo: SLO, region: Region) -> dict | None:
    """Traffic for 10 steps, then none: the absent alert waits out the lookback and its `for`."""
    series = input_series(slo, Traffic.of([(10, RATE, 0)]), 0)
    if series is None:
        return None
    for s in series:
        s["values"] += " _x60"
    lookback, hold = 5 * 60, duration.seconds(burn_rates.ABSENT_FOR)
    step = duration.seconds(region.evaluation_interval)
    quiet = int((10 * step + hold) // step)                       # gone, but not yet for long enough
    fires = int((10 * step + lookback + hold) // step) + 2         # past the lookback and the for
    rule = alerts.absent_rule(slo, region)
    labels = dict(sorted({**{k: v for k, v in recording.identity(slo, region.name).items()}, **rule["labels"]}.items()))
    return {
        "name": f"{slo.id} in {region.name}: the absent alert fires once the SLI's series are gone for {burn_rates.ABSENT_FOR}",
        "interval": region.evaluation_interval,
        "input_series": series,
        "alert_rule_test": [
            {"eval_time": _at(quiet, region), "alertname": names.SLO_ABSENT_ALERT, "exp_alerts": []},
            {"eval_time": _at(fires, region), "alertname": names.SLO_ABSENT_ALERT,
             "exp_alerts": [{"exp_labels": labels, "exp_annotations": rule["annotations"]}]},
        ],
    }


def tests(slo: SLO, region: Region) -> list[dict]:
    found = [
        outage(slo, region),
        steady_burn(slo, region, Fraction(2), "a steady 2x burn opens tickets and never pages", 1),
        steady_burn(slo, region, Fraction(9, 10), "a steady 0.9x burn never alerts", 0),
        zero_traffic(slo, region),
    ]
    if slo.min_events > 1:
        found.append(low_traffic(slo, region))
    if slo.absent_alert:
        found.append(series_vanish(slo, region))
    return [t for t in found if t is not None] + faults.tests(slo, region)


def test_file(slo: SLO, region: Region) -> dict | None:
    found = tests(slo, region)
    if not found:
        return None
    return {
        "rule_files": [f"../rules/{names.slo_rules_file(slo.id).rsplit('/', 1)[-1]}"],
        "evaluation_interval": region.evaluation_interval,
        "tests": found,
    }
