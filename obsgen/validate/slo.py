"""Checks of an SLO definition: its fields, its SLI, its alerting policy, and what the SLO
engine needs of it (windows that are whole evaluation intervals, alerts that can fire, test
series it can derive from the SLI's selectors)."""
from __future__ import annotations

import math
import re
from math import prod

from obsgen import duration, names, promql, sli_fixtures, sli_selectors
from obsgen.model import SEVERITIES, BurnWindow, Estate, EventRatio, LatencyThreshold, NativeLatencyThreshold, RawRatio, applies
from obsgen.validate import safety
from obsgen.validate.alert import metric_name
from obsgen.validate.patterns import LABEL_NAME, SLUG, URL

RESERVED = {names.SLO, names.SERVICE, names.SEVERITY, names.TIER, names.WINDOW, names.SHORT_WINDOW}
_LITERALS = re.compile(r"^[a-zA-Z0-9_:/-]+(\|[a-zA-Z0-9_:/-]+)*$")   # a|b|c: the values a regex lists (no "." or other metacharacters)


def slos(c, estate: Estate) -> None:
    for slo in estate.slos:
        check(c, slo)
    c.unique(estate.slos, lambda s: s.id, lambda s: f"slo {s.id}")


def check(c, s) -> None:
    what = f"slo {s.service}/{s.name}"
    for field in ("service", "name"):
        value = getattr(s, field)
        if not isinstance(value, str) or not SLUG.match(value):
            c.fail(s, what, f"{field} must be lower-case letters, digits and dashes, got {value!r}")
    c.text(s, what, "description", s.description)
    c.duration(s, what, "period", s.period)
    c.regions(s, what, s.regions)
    c.labels(s, what, s.labels)
    for region, objective in [(None, s.objective), *s.objective_overrides.items()]:
        if region is not None and region not in c.region_names:
            c.fail(s, what, f"objective_overrides: unknown region {region!r}")
        if (isinstance(objective, bool) or not isinstance(objective, (int, float)) or not 0 < objective < 100
                or objective < 1):
            c.fail(s, what, safety.objective_message(objective, region))
    if s.runbook is not None and not URL.match(s.runbook):
        c.fail(s, what, f"runbook is not an http(s) URL: {s.runbook!r}")
    if not isinstance(s.min_events, int) or s.min_events < 0:
        c.fail(s, what, f"min_events must be a whole number >= 0, got {s.min_events!r}")
    sli = s.sli
    if isinstance(sli, EventRatio):
        if (sli.errors is None) == (sli.good is None):
            c.fail(s, what, "an EventRatio SLI needs exactly one of errors= or good=")
        for field in ("total", "errors", "good"):
            value = getattr(sli, field)
            if value is not None and not promql.is_selector(value):
                c.expr(s, what, f"sli.{field}", value)
                c.fail(s, what, f"sli.{field} must be a plain series selector, got {value!r}")
    elif isinstance(sli, (LatencyThreshold, NativeLatencyThreshold)):
        metric_name(c, s, what, sli.histogram)
        if isinstance(sli.threshold, bool) or not isinstance(sli.threshold, (int, float)) or not 0 < sli.threshold < math.inf:
            c.fail(s, what, f"sli.threshold must be a positive number of seconds, got {sli.threshold!r}")
        if sli.matchers:
            c.expr(s, what, "sli.matchers", promql.selector(sli.histogram + "_count", [sli.matchers]))
    elif isinstance(sli, RawRatio):
        for field in ("errors", "total"):
            value = getattr(sli, field)
            if not isinstance(value, str) or "$window" not in value:
                c.fail(s, what, f"sli.{field} must be PromQL using $window, got {value!r}")
            c.expr(s, what, f"sli.{field}", value.replace("$window", "5m"))
    else:
        c.fail(s, what, f"unknown SLI kind {type(sli).__name__}")
    for window in s.alerting or ():
        for field in ("long", "short"):
            c.duration(s, what, f"alerting {field} window", getattr(window, field))
        if window.severity not in SEVERITIES:
            c.fail(s, what, f"alerting: unknown severity {window.severity!r}")
    _engine(c, s, what)
    safety.slo(c, s)


def _engine(c, s, what: str) -> None:
    """What the SLO engine needs: its own labels free, a well-formed policy, windows that are
    whole evaluation intervals in every region, alerts that can fire, derivable test series."""
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
        sli_fixtures.series(s.sli)
    except ValueError as exc:
        c.fail(s, what, f"cannot derive test series from the SLI's selectors: {exc}")
    grouping(c, s, what)


def grouping(c, s, what: str) -> None:
    """A per-label SLO: label names obsgen does not set itself, a declared bound on its label
    sets, and that bound not already exceeded by the values its selectors list."""
    if isinstance(s.group_by, str):
        c.fail(s, what, f"group_by must be a tuple of label names, got {s.group_by!r} (write ({s.group_by!r},))")
    if not s.group_by:
        if s.max_series:
            c.fail(s, what, "max_series bounds a per-label SLO's label sets: give group_by too")
        return
    for label in s.group_by:
        if not isinstance(label, str) or not LABEL_NAME.match(label) or label.startswith("__"):
            c.fail(s, what, f"group_by: {label!r} is not a label name")
        if label in RESERVED | {names.REGION, names.TIER, names.TILE}:
            c.fail(s, what, f"group_by: label {label!r} is set by obsgen")
        if label in s.labels:
            c.fail(s, what, f"group_by: label {label!r} is also in labels, which set it to one value")
    if len(set(s.group_by)) != len(s.group_by):
        c.fail(s, what, f"group_by names a label twice: {s.group_by!r}")
    if isinstance(s.max_series, bool) or not isinstance(s.max_series, int) or s.max_series < 1:
        c.fail(s, what, f"group_by needs max_series, the most label sets it may have (a whole number >= 1), "
                        f"got {s.max_series!r}")
    known = known_sets(s)
    if known is not None and known > s.max_series:
        c.fail(s, what, f"group_by {', '.join(s.group_by)}: its selectors list {known} label sets, "
                        f"over max_series={s.max_series}")


def known_sets(s) -> int | None:
    """How many label sets the SLI's request selector allows when it lists every group label's
    values (route="a", route=~"a|b|c"); None when any is open."""
    try:
        _, matchers = sli_fixtures.matchers_of(sli_selectors.source(s.sli))
    except ValueError:
        return None
    sizes = []
    for label in s.group_by:
        mine = [(op, v) for name, op, v in matchers if name == label]
        listed = [1 if op == "=" else len(v.split("|")) for op, v in mine
                  if op == "=" or (op == "=~" and _LITERALS.match(v))]
        if not listed:
            return None
        sizes.append(min(listed))
    return prod(sizes)


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
