"""The migration proof's parts (tests/interop/test_sloth_migration.py): synthetic input whose true
counts are known, obsgen's rules for an imported Sloth SLO, and promtool test files.

Traffic is 10x between day (08:00-20:00) and night; errors are 1 a minute by day, none by night,
plus incidents; the home-wifi examples read satisfaction gauges of a few wifi clients instead.
The figures read back are obsgen's 30-day error ratio and each page's first firing instant,
`min_over_time(timestamp(ALERTS{...})[...])`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from obsgen import names, serialize
from obsgen.render.prometheus_rules import group_file
from obsgen.slo import alerts, recording

ROOT = Path(__file__).resolve().parents[2]
ANCHORS = ROOT / ".." / "shared" / "anchors" / "sloth"   # Sloth's generated rules, read in place
DAY_RATE, NIGHT_RATE = 2000, 200   # requests a minute


@dataclass(frozen=True)
class Incident:
    start_minute: int
    minutes: int
    errors_per_minute: int       # replaces the baseline's errors for its span


def minute_counts(minutes: int, incidents: tuple[Incident, ...]) -> tuple[list[int], list[int]]:
    """(errors, requests) booked in each minute 1..minutes."""
    errors, total = [], []
    for m in range(1, minutes + 1):
        day = 8 <= (m - 1) // 60 % 24 < 20
        t = DAY_RATE if day else NIGHT_RATE
        e = 1 if day else 0
        for inc in incidents:
            if inc.start_minute < m <= inc.start_minute + inc.minutes:
                e = min(inc.errors_per_minute, t)
        errors.append(e)
        total.append(t)
    return errors, total


def values(increments: list[int]) -> str:
    """promtool's expanding notation for a counter starting at 0 with these per-minute increments."""
    out, value, i = ["0"], 0, 0
    while i < len(increments):
        d, k = increments[i], 1
        while i + k < len(increments) and increments[i + k] == d:
            k += 1
        out.append(f"{value + d}+{d}x{k - 1}")
        value += d * k
        i += k
    return " ".join(out)


def obsgen_rules(tmp: Path, slo, region) -> Path:
    path = tmp / "obsgen.rules.yml"
    path.write_bytes(serialize.to_yaml(group_file(f"slo-{slo.id}", recording.rules(slo, region) + alerts.rules(slo, region),
                                                  region.evaluation_interval)))
    return path


def first_firing(selector: str, span_minutes: int) -> str:
    return f"min(min_over_time(timestamp({selector})[{span_minutes}m:1m]))"


def ratio_of(slo, window: str) -> str:
    return f"sum({recording.own(slo, names.error_ratio(window))})"


def test_file(tmp: Path, rule_files: list[Path], minutes: int, series: list[dict], exprs: list[tuple[str, float]],
              evaluation_interval: str, interval: str = "1m") -> Path:
    doc = {"rule_files": [str(p) for p in rule_files], "evaluation_interval": evaluation_interval, "tests": [{
        "interval": interval,
        "input_series": series,
        "promql_expr_test": [{"expr": e, "eval_time": f"{minutes}m", "exp_samples": [{"labels": "{}", "value": v}]}
                             for e, v in exprs],
    }]}
    path = tmp / "migration.test.yml"
    path.write_bytes(serialize.to_yaml(doc))
    return path


# --- every published example: the same proof, for each SLO (tests/interop/test_sloth_migration.py)
CLIENTS = 10            # wifi clients of the home-wifi examples, each a satisfaction gauge (promtool's
                        # sample limit stops Sloth's 6h subqueries over many more)


def step_counts(steps: int, step_minutes: int, incidents: tuple[Incident, ...]) -> tuple[list[int], list[int]]:
    """(errors, requests) booked in each step 1..steps of `step_minutes` (the day/night traffic)."""
    errors, total = minute_counts(steps * step_minutes, incidents)
    fold = lambda xs: [sum(xs[i:i + step_minutes]) for i in range(0, len(xs), step_minutes)]
    return fold(errors), fold(total)


def counter_series(slo, errors: list[int], total: list[int]) -> list[dict]:
    """The SLI's own fixture series (obsgen/sli_fixtures.py), each fed its role's counts."""
    from obsgen import sli_fixtures

    pick = {"bad": errors, "good": [t - e for e, t in zip(errors, total)], "total": total}
    return [{"series": s, "values": values(pick[role])} for s, role in sli_fixtures.series(slo.sli)]


def satisfaction(steps: int, step_minutes: int, incidents: tuple[Incident, ...]) -> list[list[float]]:
    """Each client's satisfaction ratio at steps 0..steps: 0.99, one client 0.7 by day, and in an
    incident 8 of the 10 clients at 0.05."""
    out = [[0.99] * (steps + 1) for _ in range(CLIENTS)]
    for k in range(steps + 1):
        minute = k * step_minutes
        if 8 <= (minute - 1) // 60 % 24 < 20:
            out[0][k] = 0.7
        for inc in incidents:
            if inc.start_minute < minute <= inc.start_minute + inc.minutes:
                for c in range(8):
                    out[c][k] = 0.05
    return out


def gauge_series(clients: list[list[float]]) -> list[dict]:
    def runs(xs):
        out, i = [], 0
        while i < len(xs):
            j = i
            while j + 1 < len(xs) and xs[j + 1] == xs[i]:
                j += 1
            out.append(f"{xs[i]!r}x{j - i}" if j > i else repr(xs[i]))
            i = j + 1
        return " ".join(out)

    return [{"series": f'unifipoller_client_satisfaction_ratio{{client="c{c}"}}', "values": runs(v)}
            for c, v in enumerate(clients)]


def period_rules(tmp: Path, slo, region) -> Path:
    """Only the rules the period's error ratio reads (the base counts, the windows it is summed
    from, its ratio): the same rules as the SLO's file, a fraction of the work over 30 days."""
    plan = {st.window: st for st in recording.steps(slo, region)}
    chain, window = set(), slo.period
    while window is not None:
        chain.add(window)
        window = plan[window].source
    wanted = {name(w) for w in chain for name in (names.errors_count, names.requests_count, names.evaluations_count)}
    wanted.add(names.error_ratio(slo.period))
    rules = [r for r in recording.rules(slo, region) if r["record"] in wanted]
    path = tmp / "obsgen.period.rules.yml"
    path.write_bytes(serialize.to_yaml(group_file(f"slo-{slo.id}", rules, region.evaluation_interval)))
    return path
