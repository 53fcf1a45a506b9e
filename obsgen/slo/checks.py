"""The SLO engine's own checks of an SLO definition (called from obsgen/load/validate.py `_slo`)."""
from __future__ import annotations

from obsgen import duration, names
from obsgen.model import BurnWindow, applies
from obsgen.slo import fixtures

RESERVED = {names.SLO, names.SERVICE, names.SEVERITY, names.TIER, names.WINDOW, names.SHORT_WINDOW}


def check(c, s) -> None:
    what = f"slo {s.service}/{s.name}"
    for key in s.labels:
        if key in RESERVED:
            c.fail(s, what, f"labels: label {key!r} is set by obsgen")
    if s.alerting is not None:
        if isinstance(s.alerting, (str, BurnWindow)) or not s.alerting:
            c.fail(s, what, f"alerting must be a non-empty tuple of BurnWindow, got {s.alerting!r}")
        for row in s.alerting:
            _row(c, s, what, row)
    rows = s.burn_windows
    windows = {s.period, *(w for row in rows for w in (row.long, row.short))}
    for region in c.estate.regions:
        if not applies(s, region):
            continue
        step = duration.seconds(region.evaluation_interval)
        for window in sorted(windows, key=duration.seconds):
            if duration.seconds(window) % step:
                c.fail(s, what, f"window {window} is not a multiple of region {region.name}'s evaluation interval {region.evaluation_interval}")
        budget = s.error_budget_in(region.name)
        for row in rows:
            if row.factor * budget >= 1:
                c.fail(s, what, f"in {region.name} the {row.long}/{row.short} alert needs an error ratio over "
                                f"{row.factor} x {budget:g} >= 1 and could never fire: lower its factor or raise the objective")
    try:
        fixtures.series(s.sli)
    except ValueError as exc:
        c.fail(s, what, f"cannot derive test series from the SLI's selectors: {exc}")


def _row(c, s, what, row) -> None:
    if not isinstance(row, BurnWindow):
        c.fail(s, what, f"alerting: expected BurnWindow, got {row!r}")
    if not isinstance(row.tier, str) or not row.tier:
        c.fail(s, what, f"alerting: tier must be a name like page or ticket, got {row.tier!r}")
    for field in ("long", "short", "period"):
        c.duration(s, what, f"alerting {field} window", getattr(row, field))
    if duration.seconds(row.short) >= duration.seconds(row.long):
        c.fail(s, what, f"alerting: short window {row.short} must be shorter than long window {row.long}")
    if isinstance(row.factor, bool) or not isinstance(row.factor, (int, float)) or row.factor <= 0:
        c.fail(s, what, f"alerting: factor must be a positive number, got {row.factor!r}")
