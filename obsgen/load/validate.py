"""Validate the collected estate once; renderers then trust it."""
from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from obsgen import duration, names, promql
from obsgen.errors import DefinitionError, Site
from obsgen.load import safety, types
from obsgen.slo import checks as slo_checks
from obsgen.model import SEVERITIES, Alert, Estate, EventRatio, LatencyThreshold, NativeLatencyThreshold, RawRatio, Region

_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_ALERT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_HOURS = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_HOST_PORT = re.compile(r"^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):\d{1,5}$")
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_RESERVED_LABELS = {names.REGION}


class Checker:
    def __init__(self, estate: Estate, root: Path):
        self.estate = estate
        self.root = root
        self.region_names = {r.name for r in estate.regions}

    current: object = None

    def fail(self, obj, what: str, message: str):
        raise DefinitionError(self.site(obj), what, message)

    def site(self, obj) -> Site:
        site = getattr(obj, "site", None) or Site("<unknown>", 0)
        try:
            return Site(str(Path(site.file).resolve().relative_to(self.root)), site.line)
        except ValueError:
            return site

    # --- shared field checks -------------------------------------------------------------
    def text(self, obj, what, field, value):
        if not isinstance(value, str) or not value.strip():
            self.fail(obj, what, f"{field} must be a non-empty string, got {value!r}")
        if "\n" in value and field not in ("expr", "description"):
            self.fail(obj, what, f"{field} must be one line, got {value!r}")

    def duration(self, obj, what, field, value):
        if not duration.is_duration(value):
            self.fail(obj, what, f"{field} is not a Prometheus duration (like 5m, 1h30m, 30d): {value!r}")

    def expr(self, obj, what, field, value):
        try:
            tree = promql.parse(value)
        except ValueError as exc:
            self.fail(obj, what, f"{field} is not valid PromQL ({exc}): {value!r}")
        safety.regexes(self, obj, what, field, value, tree)
        return tree

    def rule_expr(self, obj, what, field, value):
        """An expression a rule evaluates: valid PromQL giving an instant vector or a scalar."""
        tree = self.expr(obj, what, field, value)
        safety.result_type(self, obj, what, field, value, tree)

    def labels(self, obj, what, labels, field="labels"):
        for key, value in labels.items():
            if not isinstance(key, str) or not _LABEL_NAME.match(key) or key.startswith("__"):
                self.fail(obj, what, f"{field}: invalid label name {key!r}")
            if key in _RESERVED_LABELS:
                self.fail(obj, what, f"{field}: label {key!r} is set by obsgen from the region table")
            if not isinstance(value, str) or "\n" in value or not value:
                self.fail(obj, what, f"{field}: label {key} must be a one-line non-empty string, got {value!r}")

    def regions(self, obj, what, regions):
        if regions is None:
            return
        if isinstance(regions, str) or not isinstance(regions, (tuple, list)) or not regions:
            self.fail(obj, what, f"regions must be a non-empty tuple of region names, got {regions!r}")
        for name in regions:
            if name not in self.region_names:
                self.fail(obj, what, f"unknown region {name!r} (known: {', '.join(sorted(self.region_names))})")

    def unique(self, objs, key, what_of):
        """Names unique per kind and region: two definitions clash when they share a name and a region."""
        for region in self.estate.regions:
            counts = Counter(key(o) for o in objs if o.regions is None or region.name in o.regions)
            for obj in objs:
                if counts.get(key(obj), 0) > 1 and (obj.regions is None or region.name in obj.regions):
                    dupes = [o for o in objs if key(o) == key(obj)]
                    self.fail(dupes[-1], what_of(dupes[-1]), f"defined twice for region {region.name} (also at {self.site(dupes[0])})")


def validate(estate: Estate, root: Path) -> None:
    """Types first (obsgen/load/types.py), then every check of every kind. An exception other
    than DefinitionError from here on is obsgen's own bug, and surfaces as one."""
    c = Checker(estate, root)
    types.check_all((*estate.regions, *estate.global_views, *estate.alerts, *estate.recordings,
                     *estate.global_recordings, *estate.slos, *estate.others), c.site)
    _validate(estate, c)


def _validate(estate: Estate, c: Checker) -> None:
    if not estate.regions:
        raise DefinitionError(Site("rules", 0), "estate", "no Region is defined under rules/ "
                              "(a Region(...) held by a module-level name, list, tuple or dict)")
    for region in estate.regions:
        c.current = region
        _region(c, region)
    dupes = [n for n, k in Counter(r.name for r in estate.regions).items() if k > 1]
    if dupes:
        twice = [r for r in estate.regions if r.name == dupes[0]][-1]
        first = [r for r in estate.regions if r.name == dupes[0]][0]
        c.fail(twice, f"region {dupes[0]}", f"defined twice (also at {c.site(first)})")
    if len(estate.global_views) > 1:
        c.fail(estate.global_views[1], "global view", "more than one GlobalView is defined")
    if estate.global_view is not None:
        gv = estate.global_view
        for field in ("query_url", "alertmanager_url"):
            if not _URL.match(str(getattr(gv, field))):
                c.fail(gv, "global view", f"{field} is not an http(s) URL: {getattr(gv, field)!r}")
        for field in ("retention_raw", "retention_5m", "retention_1h"):
            c.duration(gv, "global view", field, getattr(gv, field))
    for alert in estate.alerts:
        c.current = alert
        _alert(c, alert)
    c.unique(estate.alerts, lambda a: a.name, lambda a: f"alert {a.name}")
    for region in estate.regions:
        c.current = region
        safety.region(c, region)
        safety.channels(c, region)
    safety.residency(c, estate)
    for rec in estate.recordings:
        _recording(c, rec, f"recording rule {rec.name}")
        c.regions(rec, f"recording rule {rec.name}", rec.regions)
    c.unique(estate.recordings, _recording_key, lambda r: f"recording rule {r.name}")
    seen = {}
    for rec in estate.global_recordings:
        what = f"global recording rule {rec.name}"
        _recording(c, rec, what)
        if _recording_key(rec) in seen:
            c.fail(rec, what, f"defined twice (also at {c.site(seen[_recording_key(rec)])})")
        seen[_recording_key(rec)] = rec
    for slo in estate.slos:
        c.current = slo
        _slo(c, slo)
    c.unique(estate.slos, lambda s: s.id, lambda s: f"slo {s.id}")
    safety.retention(c, estate)
    kind_checks = _kind_checks()
    for obj in estate.others:
        c.current = obj
        for cls, check in kind_checks.items():
            if isinstance(obj, cls):
                check(estate, obj, c)
    _cross_checks(c, estate)


def _recording(c: Checker, rec, what: str) -> None:
    c.current = rec
    _metric_name(c, rec, what, rec.name)
    c.text(rec, what, "group", rec.group)
    safety.group(c, rec, what, rec.group)
    c.rule_expr(rec, what, "expr", rec.expr)
    c.labels(rec, what, rec.labels)


def _recording_key(rec) -> tuple:
    return rec.name, tuple(sorted(rec.labels.items()))


def _metric_name(c, obj, what, name):
    if not isinstance(name, str) or not _METRIC_NAME.match(name):
        c.fail(obj, what, f"invalid metric name {name!r}")


def _lookback(c: Checker, r: Region, what: str) -> None:
    """The SLO base window bridges failed scrapes and restarts up to the look-back: it must reach
    past at least two scrapes and past one evaluation, or a single failed scrape loses counts."""
    try:
        look, scrape, step = (duration.seconds(v) for v in (r.counter_lookback, r.scrape_interval, r.evaluation_interval))
    except (ValueError, TypeError):
        return
    if look < max(2 * scrape, step):
        c.fail(r, what, f"counter_lookback {r.counter_lookback} must be at least two scrape intervals and one "
                        f"evaluation interval ({duration.format_seconds(max(2 * scrape, step))})")


def _region(c: Checker, r: Region):
    what = f"region {r.name}"
    if not isinstance(r.name, str) or not _SLUG.match(r.name):
        c.fail(r, f"region {r.name!r}", "name must be lower-case letters, digits and dashes")
    for field in ("provider", "cloud_region", "residency", "cross_border", "audit_retention"):
        c.text(r, what, field, getattr(r, field))
    for field in ("prometheus_url", "alertmanager_url"):
        value = getattr(r, field)
        if not isinstance(value, str) or not _URL.match(value):
            c.fail(r, what, f"{field} is not an http(s) URL: {value!r}")
    if r.grafana_url is not None and not _URL.match(str(r.grafana_url)):
        c.fail(r, what, f"grafana_url is not an http(s) URL: {r.grafana_url!r}")
    for field in ("scrape_interval", "evaluation_interval", "retention", "counter_lookback"):
        c.duration(r, what, field, getattr(r, field))
    _lookback(c, r, what)
    if not isinstance(r.isolated, bool):
        c.fail(r, what, f"isolated must be True or False, got {r.isolated!r}")
    try:
        ZoneInfo(r.timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        c.fail(r, what, f"unknown time zone {r.timezone!r}")
    if not isinstance(r.business_hours, str) or not _HOURS.match(r.business_hours):
        c.fail(r, what, f"business_hours must look like 09:00-17:00, got {r.business_hours!r}")
    if r.isolated and r.thanos_sidecars:
        c.fail(r, what, "an isolated region cannot have thanos_sidecars: the global view would read them")
    for address in r.thanos_sidecars:
        if not _HOST_PORT.match(address) or not 0 < int(address.rsplit(":", 1)[1]) < 65536:
            c.fail(r, what, f"thanos_sidecars: {address!r} is not host:port (Thanos Query dials it over gRPC)")
    if len(set(r.thanos_sidecars)) != len(r.thanos_sidecars):
        c.fail(r, what, f"thanos_sidecars lists a sidecar twice: {r.thanos_sidecars!r}")
    if not r.channels:
        c.fail(r, what, "has no notification channel")
    for ch in r.channels:
        c.text(ch, f"{what} channel", "kind", ch.kind)
        c.text(ch, f"{what} channel {ch.kind}", "target", ch.target)
        if ch.secret_env is not None and not _ENV_NAME.match(ch.secret_env):
            c.fail(ch, f"{what} channel {ch.target}", f"secret_env must name an environment variable, got {ch.secret_env!r}")
        for sev in ch.severities:
            if sev not in SEVERITIES:
                c.fail(ch, f"{what} channel {ch.target}", f"unknown severity {sev!r} (one of {', '.join(SEVERITIES)})")


def _alert(c: Checker, a: Alert):
    what = f"alert {a.name}"
    if not isinstance(a.name, str) or not _ALERT_NAME.match(a.name):
        c.fail(a, f"alert {a.name!r}", "name must be letters, digits and underscores")
    c.rule_expr(a, what, "expr", a.expr)
    if a.for_ != "0s":
        c.duration(a, what, "for_", a.for_)
    if a.severity not in SEVERITIES:
        c.fail(a, what, f"unknown severity {a.severity!r} (one of {', '.join(SEVERITIES)})")
    c.text(a, what, "summary", a.summary)
    c.text(a, what, "group", a.group)
    safety.group(c, a, what, a.group)
    if a.runbook is not None and not _URL.match(a.runbook):
        c.fail(a, what, f"runbook is not an http(s) URL: {a.runbook!r}")
    c.regions(a, what, a.regions)
    c.labels(a, what, a.labels)
    for key, value in a.annotations.items():
        if not _LABEL_NAME.match(str(key)) or not isinstance(value, str):
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


def _slo(c: Checker, s):
    what = f"slo {s.service}/{s.name}"
    for field in ("service", "name"):
        value = getattr(s, field)
        if not isinstance(value, str) or not _SLUG.match(value):
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
    if s.runbook is not None and not _URL.match(s.runbook):
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
        _metric_name(c, s, what, sli.histogram)
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
    slo_checks.check(c, s)
    safety.slo(c, s)


def _kind_checks() -> dict[type, object]:
    """Checks of the kinds later layers add, each `check(estate, obj, checker)`. Imported here,
    not at module load, because those layers import the model and the loader themselves."""
    from obsgen.dashboards.checks import CHECKS as dashboards
    from obsgen.gate.policy_check import ReleasePolicy, check as release
    from obsgen.render.pipelines.checks import CHECKS as pipelines

    return {ReleasePolicy: release, **dashboards, **pipelines}


def _cross_checks(c: Checker, estate: Estate) -> None:
    """Checks across kinds, once every object is known to be well formed on its own."""
    from obsgen.render.alertmanager.checks import region as alertmanager_region

    for region in estate.regions:
        c.current = region
        alertmanager_region(c, region)  # Alertmanager 0.25's demands on channels and routes
