"""The PromQL the gate sends: pure builders, each checked by parsing.

Recorded series: one query per endpoint returns every SLO's counts over every window at once.
The raw-counter fallback tags each SLO's counts with two labels of its own so that one query
per window and endpoint still answers for every SLO that needs it.
"""
from __future__ import annotations

from obsgen import duration, names, promql
from obsgen.slo.counts import counts

TAG_SLO = "obsgen_gate_slo"     # the SLO id a raw-counter result belongs to
TAG_PART = "obsgen_gate_part"   # "errors" | "total"
TAG_WINDOW = "obsgen_gate_window"
ALERTS = "ALERTS"               # Prometheus's own series of pending and firing alerts
ERRORS, TOTAL = "errors", "total"


def checked(expr: str) -> str:
    """The expression as written, once it parses. (The parser's canonical form is not sent:
    it prints regex escapes such as le=~"0\\.5" back unescaped.)"""
    promql.parse(expr)
    return expr


def region_matcher(regions) -> str:
    regions = sorted(regions)
    if len(regions) == 1:
        return f"{names.REGION}={promql.quote(regions[0])}"
    return f"{names.REGION}=~{promql.quote(promql.regex_alternatives(regions))}"


def recorded(windows, regions) -> str:
    """One query for everything recorded: every SLO's error and request counts over each window
    (alert windows and periods), and the SLO alerts firing (Prometheus's ALERTS series;
    recorded series have no alertstate label, which =~"|firing" lets through)."""
    wanted = [name(w) for w in windows for name in (names.errors_count, names.requests_count)]
    pattern = promql.regex_alternatives([*wanted, ALERTS])
    return checked(promql.selector("", [f"__name__=~{promql.quote(pattern)}", 'alertstate=~"|firing"',
                                        f'{names.SLO}!=""', region_matcher(regions)]))


def coverage(windows, bases: dict[str, str]) -> str:
    """Which SLOs' recorded series cover each window at the instant: the SLO engine sums every
    window from tiles of its base window (the region's evaluation interval), zero-filling tiles
    older than the rules, so a window is covered only when the base series already existed one
    window ago. `bases` maps each region to its base window. One query for every window."""
    parts = []
    for window in sorted(set(windows), key=duration.seconds):
        for region, base in sorted(bases.items()):
            w, e = _seconds(window), _seconds(base)
            if w <= e:
                continue
            inner = promql.selector(names.requests_count(base), [region_matcher([region])])
            offset = "" if w == e else f" offset {_duration(w - e)}"
            probe = f"present_over_time({inner}[{base}]{offset})"
            parts.append(f'label_replace({probe}, "{TAG_WINDOW}", {promql.quote(window)}, "", "")')
    return checked(" or ".join(parts)) if parts else ""


def raw_counts(slos, window: str, by: tuple[str, ...]) -> str:
    """Errors and totals over `window` straight from each SLO's raw counters, all in one query."""
    parts = []
    for slo in sorted(slos, key=lambda s: s.id):
        errors, total = counts(slo.sli, window, by)
        parts.append(_tag(errors, slo.id, ERRORS))
        parts.append(_tag(total, slo.id, TOTAL))
    return checked(" or ".join(parts))


def _tag(expr: str, slo_id: str, part: str) -> str:
    inner = f'label_replace({expr}, "{TAG_SLO}", {promql.quote(slo_id)}, "", "")'
    return f'label_replace({inner}, "{TAG_PART}", "{part}", "", "")'


def _seconds(window: str) -> int:
    return int(duration.seconds(window))


def _duration(seconds: int) -> str:
    return duration.format_seconds(seconds)
