"""The migration proof: an imported Sloth SLO under obsgen's rules and Sloth's own rules for the
same spec, in one promtool run on the same synthetic counters whose true counts are known.

Traffic is 10x between day (08:00-20:00) and night; errors are 1 a minute by day, none by night,
plus incidents. The figures read back are the 30-day error ratio (obsgen's, Sloth's, the truth)
and each alert's first firing instant, `min_over_time(timestamp(ALERTS{...})[...])`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
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


def truth(errors: list[int], total: list[int], end_minute: int, window_minutes: int) -> Fraction:
    lo = max(0, end_minute - window_minutes)
    return Fraction(sum(errors[lo:end_minute]), sum(total[lo:end_minute]))


def input_series(slo, errors: list[int], total: list[int]) -> list[dict]:
    """Two series, one counting as an error and one as good; each counts as total."""
    from obsgen import sli_fixtures

    (bad, _), (good, _) = sli_fixtures.series(slo.sli)[:2]
    return [{"series": bad, "values": values(errors)},
            {"series": good, "values": values([t - e for e, t in zip(errors, total)])}]


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
              evaluation_interval: str) -> Path:
    doc = {"rule_files": [str(p) for p in rule_files], "evaluation_interval": evaluation_interval, "tests": [{
        "interval": "1m",
        "input_series": series,
        "promql_expr_test": [{"expr": e, "eval_time": f"{minutes}m", "exp_samples": [{"labels": "{}", "value": v}]}
                             for e, v in exprs],
    }]}
    path = tmp / "migration.test.yml"
    path.write_bytes(serialize.to_yaml(doc))
    return path
