"""promtool tests of an SLO's rules on the ordinary faults of real scrapes, for one region.

Each scenario is scrape-level input (obsgen/slo/scrapes.py): processes serving at half the
error budget whose counters already hold a long history worse than the objective, so that
booking a lifetime value anywhere would show, and page. Each test expects, at its checkpoints,
the window counts the oracle books and the alerts that follow from them. A test is only
generated when those alerts are the ones the true events call for.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from obsgen import duration, names, sli_fixtures
from obsgen.model import SLO, Region
from obsgen.slo import native, recording, simulate
from obsgen.slo.scrapes import GAP, STALE, Scrapes, Series, booked, truth

LIFETIME = 50_000_000          # requests a long-lived process counted before the test starts
SCRAPES = (15, 30)             # scrape intervals (seconds) the failed-scrape test runs at


class FaultProofError(AssertionError):
    """The rules' counts would alert otherwise than the true events call for."""


@dataclass(frozen=True)
class Setup:
    slo: SLO
    region: Region
    scrape: int = 15

    @property
    def step(self) -> int:
        return int(duration.seconds(self.region.evaluation_interval))

    @property
    def lookback(self) -> int:
        return int(duration.seconds(self.region.counter_lookback))

    @property
    def budget(self) -> Fraction:
        return Fraction(repr(self.slo.error_budget_in(self.region.name)))

    def at(self, minute: float, phase: int = 0) -> int:
        """The scrape index `phase` scrapes after the minute."""
        return round(minute * 60) // self.scrape + phase


@dataclass
class Process:
    """A scrape target: its series (one per SLI role) exist from scrape `first` to `last`."""

    name: str
    first: int
    last: int
    good: list
    bad: list
    lifetime: bool = True            # counters hold a long history; else started at zero just before `first`
    resets: set = field(default_factory=set)   # scrapes before which the counters restarted at zero

    def events(self, role: str, i: int) -> int:
        return {"good": self.good[i], "bad": self.bad[i], "total": self.good[i] + self.bad[i]}[role]

    def lifetime_value(self, role: str, budget: Fraction) -> int:
        bad = int(LIFETIME * min(Fraction(1, 2), 20 * budget))
        return {"bad": bad, "good": LIFETIME - bad, "total": LIFETIME}[role]


class Scenario:
    def __init__(self, setup: Setup, minutes: int):
        self.setup, self.n = setup, minutes * 60 // setup.scrape + 1
        self.processes: list[Process] = []
        self.faults: list[tuple[str, int, int]] = []

    def quiet(self, name: str, first: int = 0, last: int | None = None, lifetime: bool = True) -> Process:
        """A process at half the error budget, every request a whole number."""
        rate = proof_rate(self.setup)
        errors = math.floor(rate * self.setup.budget / 2)
        last = self.n - 1 if last is None else last
        on = [first < i <= last or (i == first and not lifetime) for i in range(self.n)]
        p = Process(name, first, last, [rate - errors if x else 0 for x in on], [errors if x else 0 for x in on], lifetime)
        self.processes.append(p)
        return p

    def scrapes(self) -> Scrapes:
        roles = sli_fixtures.series(self.setup.slo.sli)
        out = []
        for p in self.processes:
            for text, role in roles:
                samples, value = [], 0
                for i in range(self.n):
                    if i < p.first or i > p.last:
                        samples.append(GAP)
                        continue
                    if i == p.first:
                        value = p.lifetime_value(role, self.setup.budget) if p.lifetime else p.events(role, i)
                    else:
                        value = p.events(role, i) if i in p.resets else value + p.events(role, i)
                    samples.append(value)
                events = tuple(0 if i < p.first or (i == p.first and p.lifetime) else p.events(role, i)
                               for i in range(self.n))
                out.append(Series(_labelled(text, p.name), role, self._faulted(samples), events))
        return Scrapes(self.setup.scrape, tuple(out))

    def _faulted(self, samples: list) -> tuple:
        out = list(samples)
        for kind, first, last in self.faults:
            for i in range(first, last + 1):
                if out[i] is not GAP:
                    out[i] = STALE if kind == "down" and i == first or kind == "stale" else GAP
        return tuple(out)


def _labelled(text: str, instance: str) -> str:
    extra = f'instance="{instance}"'
    return f"{text[:-1]},{extra}}}" if text.endswith("}") else f"{text}{{{extra}}}"


def proof_rate(setup: Setup) -> int:
    """Requests per scrape: enough for one error per scrape at half the budget, and for the
    low-traffic guard."""
    per_step = setup.step // setup.scrape
    return max(1000, math.ceil(2 / setup.budget), -(-simulate.rate_for(setup.slo, setup.region) // per_step))


# The scenarios: each returns (name, scenario, checkpoints in evaluation steps).

def failed_scrapes(setup: Setup):
    phases = setup.step // setup.scrape
    sc = Scenario(setup, 10 * phases + 15)
    sc.quiet("a")
    minutes = [10 * (p + 1) for p in range(phases)]
    for p, m in enumerate(minutes):
        sc.faults.append(("stale", setup.at(m, p), setup.at(m, p)))
    name = f"a failed scrape at each phase of a {setup.scrape}s scrape books no lifetime and no increase twice"
    return name, sc, _around(setup, minutes, 3)


def prometheus_restarts(setup: Setup):
    sc = Scenario(setup, 75)
    sc.quiet("a")
    gaps = [(10, 3), (20, 6), (35, 30)]
    for start, minutes in gaps:
        sc.faults.append(("gap", setup.at(start), setup.at(start + minutes) - 1))
    name = "Prometheus down 3, 6 and 30 minutes: the increase across each gap is booked once, after it"
    return name, sc, _around(setup, [m for s, d in gaps for m in (s, s + d)], 2)


def target_down(setup: Setup, restarts: bool):
    sc = Scenario(setup, 30)
    p = sc.quiet("a")
    first, last = setup.at(10), setup.at(20) - 1
    sc.faults.append(("down", first, last))
    if restarts:
        for i in range(first, last + 1):
            p.good[i] = p.bad[i] = 0
        p.resets.add(last + 1)
    how = "and restarts, counting from zero" if restarts else "without a reset"
    return f"a target down 10 minutes {how}: the increase across it is booked once", sc, _around(setup, [10, 20], 2)


def churn(setup: Setup):
    sc = Scenario(setup, 50)
    sc.quiet("pod-a", last=setup.at(20) - 1)
    sc.quiet("pod-b", first=setup.at(20), last=setup.at(40) - 1, lifetime=False)
    sc.quiet("pod-c", first=setup.at(40), lifetime=False)
    for p in sc.processes[:-1]:
        sc.faults.append(("stale", p.last, p.last))   # the old pod's last scrape failed as it went
    name = "pods replaced (hourly churn, compressed): new series count from their first sample, old ones stop"
    return name, sc, _around(setup, [20, 40], 2)


def long_lived_appears(setup: Setup):
    sc = Scenario(setup, 35)
    sc.quiet("a")
    sc.quiet("long-lived", first=setup.at(20))
    name = "a long-lived series appears (a new scrape job): its lifetime value is not booked"
    return name, sc, _around(setup, [20], 3)


def fault_then_outage(setup: Setup):
    """A failed scrape, then a total outage: the fastest page fires at the step the workbook
    arithmetic says, as without the fault (a booked lifetime would dilute the burn and hide the
    outage). The history is that page's long window, so the test stays short."""
    slo, step = setup.slo, setup.region.evaluation_interval
    pages = [bw for bw in slo.burn_windows if bw.tier == "page"] or list(slo.burn_windows)
    first = min(pages, key=lambda bw: simulate.steps_of(bw.long, step))
    history = simulate.steps_of(first.long, step)
    detect = simulate.outage_detection_steps(first, setup.budget, step)
    short = simulate.steps_of(first.short, step)
    lasting = max(detect, short) + 1
    steps = history + lasting + short + 2
    per = setup.step // setup.scrape
    sc = Scenario(setup, -(-steps * setup.step // 60))
    p = sc.quiet("a")
    sc.faults.append(("stale", 5 * per, 5 * per))
    for i in range(history * per + 1, (history + lasting) * per + 1):
        p.bad[i] += p.good[i]
        p.good[i] = 0
    points = {5, 6, 7, history, history + detect - 1, history + detect, history + lasting + short + 1}
    return ("a failed scrape, then a total outage: the fastest page fires when the workbook arithmetic says",
            sc, sorted(points), first, history + detect)


def _around(setup: Setup, minutes, after: int) -> list[int]:
    per = 60 // setup.step if setup.step <= 60 else 1
    steps = [int(m * 60 // setup.step) for m in minutes]
    return sorted({k + d for k in steps for d in range(0, after + 1)} | {max(steps) + after + per})


def scenarios(setup: Setup):
    name, sc, points, page, due = fault_then_outage(setup)
    got = booked(sc.scrapes(), setup.step, setup.lookback, due)
    fired = simulate.firing(got, due, setup.slo.burn_windows, setup.budget,
                            setup.region.evaluation_interval, setup.slo.min_events)[0]
    if page not in fired:
        raise FaultProofError(f"{setup.slo.id} in {setup.region.name}: after a failed scrape the "
                              f"{page.long} page does not fire when the workbook arithmetic says")
    return [failed_scrapes(setup), prometheus_restarts(setup), target_down(setup, False),
            target_down(setup, True), churn(setup), long_lived_appears(setup), (name, sc, points)]


def checked_windows(slo: SLO, region: Region) -> list[str]:
    """The windows each checkpoint reads: the base, every page window and the period."""
    plan = recording.steps(slo, region)
    pages = {w for bw in slo.burn_windows if bw.tier == "page" for w in (bw.long, bw.short)}
    return [st.window for st in plan if st.window in pages | {plan[0].window, slo.period}]


@dataclass(frozen=True)
class Outcome:
    """What a scenario stores and books, and what fires at each checkpoint: the same for every
    region whose budget, intervals and look-back are the same, so computed once for them."""

    series: tuple[tuple[str, str], ...]          # (promtool text, values)
    checks: tuple[tuple[int, tuple], ...]        # (step, firing rows), ambiguous steps left out
    windows: dict                                # (step, window) -> (errors, requests, evaluations)


def outcome(setup: Setup, name: str, sc: Scenario, checkpoints, windows) -> Outcome:
    slo, region = setup.slo, setup.region
    scr = sc.scrapes()
    evaluations = (sc.n - 1) * setup.scrape // setup.step
    got = booked(scr, setup.step, setup.lookback, evaluations)
    real = truth(scr, setup.step, evaluations)
    rows = slo.burn_windows
    checks, counted = [], {}
    for k in sorted({min(k, evaluations) for k in checkpoints}):
        fired, close = simulate.firing(got, k, rows, setup.budget, region.evaluation_interval, slo.min_events)
        due, close_too = simulate.firing(real, k, rows, setup.budget, region.evaluation_interval, slo.min_events)
        if close or close_too:
            continue
        if fired != due:
            raise FaultProofError(f"{slo.id} in {region.name}, {name}: at step {k} the counts fire "
                                  f"{[r.long for r in fired]} where the events call for {[r.long for r in due]}")
        checks.append((k, fired))
        for window in windows:
            n = simulate.steps_of(window, region.evaluation_interval)
            bad, total = got.window(k, n)
            counted[(k, window)] = (bad, total, min(n, k + 1))
    return Outcome(native.written(slo.sli, scr.series), tuple(checks), counted)


def promtool_test(setup: Setup, name: str, done: Outcome) -> dict:
    slo, region = setup.slo, setup.region
    labels = recording.identity(slo, region.name)
    alerts_checks, expr_checks = [], []
    for k, fired in done.checks:
        alerts_checks.append({"eval_time": _at(k, setup), "alertname": names.SLO_BURN_ALERT,
                              "exp_alerts": _expected(slo, region, fired)})
        for (at, window), (bad, total, evaluations) in done.windows.items():
            if at != k:
                continue
            for series, value in ((names.errors_count(window), bad), (names.requests_count(window), total),
                                  (names.evaluations_count(window), evaluations)):
                expr_checks.append({"expr": recording.own(slo, series), "eval_time": _at(k, setup),
                                    "exp_samples": [{"labels": sli_fixtures.text(series, labels), "value": _yaml(value)}]})
    return {"name": f"{slo.id} in {region.name}: {name}", "interval": f"{setup.scrape}s",
            "input_series": [{"series": text, "values": values} for text, values in done.series],
            "alert_rule_test": alerts_checks, "promql_expr_test": expr_checks}


def _expected(slo, region, rows) -> list[dict]:
    from obsgen.slo import alerts

    return [{"exp_labels": alerts.expected_labels(slo, bw, region),
             "exp_annotations": alerts.burn_annotations(slo, bw, region)} for bw in rows]


def _at(k: int, setup: Setup) -> str:
    from obsgen.slo.windows import spell

    return spell(k * setup.step) if k else "0s"


def _yaml(x) -> int | float:
    x = Fraction(x)
    return x.numerator if x.denominator == 1 else float(x)


def tests(slo: SLO, region: Region) -> list[dict]:
    """Every fault scenario for the SLO in the region; none for an SLI whose input is opaque."""
    if sli_fixtures.series(slo.sli) is None:
        return []
    step = int(duration.seconds(region.evaluation_interval))
    out = []
    for scrape in SCRAPES:
        if step % scrape:
            continue
        setup = Setup(slo, region, scrape)
        for name, done in _outcomes(setup):
            out.append(promtool_test(setup, name, done))
    return out


def _outcomes(setup: Setup) -> list[tuple[str, Outcome]]:
    slo, region = setup.slo, setup.region
    key = (repr(slo.sli), setup.budget, slo.burn_windows, slo.min_events, slo.period, setup.scrape,
           region.evaluation_interval, region.counter_lookback)
    if key not in _DONE:
        windows = tuple(checked_windows(slo, region))
        found = scenarios(setup) if setup.scrape == SCRAPES[0] else [failed_scrapes(setup)]
        _DONE[key] = [(name, outcome(setup, name, sc, points, windows)) for name, sc, points in found]
    return _DONE[key]


_DONE: dict[tuple, list[tuple[str, Outcome]]] = {}   # one per SLO shape: regions alike share it
