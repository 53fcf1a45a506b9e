"""Checks of alerts and recording rules, regional and global."""
from __future__ import annotations

from obsgen import promql
from obsgen.model import SEVERITIES, Alert, Estate
from obsgen.validate import safety
from obsgen.validate.patterns import ALERT_NAME, LABEL_NAME, METRIC_NAME, URL


def alerts(c, estate: Estate) -> None:
    for alert in estate.alerts:
        check(c, alert)
    c.unique(estate.alerts, lambda a: a.name, lambda a: f"alert {a.name}")


def recordings(c, estate: Estate) -> None:
    for rec in estate.recordings:
        recording(c, rec, f"recording rule {rec.name}")
        c.regions(rec, f"recording rule {rec.name}", rec.regions)
    c.unique(estate.recordings, _recording_key, lambda r: f"recording rule {r.name}")
    seen = {}
    for rec in estate.global_recordings:
        what = f"global recording rule {rec.name}"
        recording(c, rec, what)
        if _recording_key(rec) in seen:
            c.fail(rec, what, f"defined twice (also at {c.site(seen[_recording_key(rec)])})")
        seen[_recording_key(rec)] = rec


def recording(c, rec, what: str) -> None:
    metric_name(c, rec, what, rec.name)
    c.text(rec, what, "group", rec.group)
    safety.group(c, rec, what, rec.group)
    c.rule_expr(rec, what, "expr", rec.expr)
    c.labels(rec, what, rec.labels)


def _recording_key(rec) -> tuple:
    return rec.name, tuple(sorted(rec.labels.items()))


def metric_name(c, obj, what, name) -> None:
    if not isinstance(name, str) or not METRIC_NAME.match(name):
        c.fail(obj, what, f"invalid metric name {name!r}")


def check(c, a: Alert) -> None:
    what = f"alert {a.name}"
    if not isinstance(a.name, str) or not ALERT_NAME.match(a.name):
        c.fail(a, f"alert {a.name!r}", "name must be letters, digits and underscores")
    c.rule_expr(a, what, "expr", a.expr)
    if a.for_ != "0s":
        c.duration(a, what, "for_", a.for_)
    if a.severity not in SEVERITIES:
        c.fail(a, what, f"unknown severity {a.severity!r} (one of {', '.join(SEVERITIES)})")
    c.text(a, what, "summary", a.summary)
    c.text(a, what, "group", a.group)
    safety.group(c, a, what, a.group)
    if a.runbook is not None and not URL.match(a.runbook):
        c.fail(a, what, f"runbook is not an http(s) URL: {a.runbook!r}")
    c.regions(a, what, a.regions)
    c.labels(a, what, a.labels)
    for key, value in a.annotations.items():
        if not LABEL_NAME.match(str(key)) or not isinstance(value, str):
            c.fail(a, what, f"annotations: invalid entry {key!r}: {value!r}")
    for case in a.cases:
        cwhat = f"{what} case {case.name!r}"
        c.duration(case, cwhat, "at", case.at)
        c.duration(case, cwhat, "interval", case.interval)
        if not case.series:
            c.fail(case, cwhat, "has no input series")
        for series in case.series:
            if not promql.is_selector(series):
                c.fail(case, cwhat, f"input series is not a series selector: {series!r}")
        c.labels(case, cwhat, case.labels)
