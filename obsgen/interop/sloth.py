"""Sloth specs in: `prometheus/v1` files and the Kubernetes `PrometheusServiceLevel` CRD.

Spec: slok/sloth pkg/prometheus/api/v1/v1.go and pkg/kubernetes/api/sloth/v1/types.go (same
fields, snake_case in the file form, camelCase in the CRD). Sloth has no period field (its CLI
default, 30d, is `--period` here) and one alert policy, the workbook's, which is obsgen's too.

| Sloth | obsgen |
|---|---|
| events `sum(rate(SEL[{{.window}}]))` over `sum(rate(TOTAL[...]))` | EventRatio(errors=SEL, total=TOTAL) |
| events `sum(rate(TOTAL[w])) - sum(rate(GOOD[w]))` as the error query | EventRatio(good=GOOD, total=TOTAL) |
| events `sum(rate(H_count{m}[w])) - sum(rate(H_bucket{le="T",m}[w]))` | LatencyThreshold(H, T, m) |
| any other events query | RawRatio with `$window` for `{{.window}}` |
| raw `error_ratio_query` | RawRatio(errors=the ratio, total=`vector(1)`): the mean of the ratio over evaluations |
| labels (service, SLO, alerting) | SLO.labels (a key obsgen sets itself is kept as `sloth_<key>`) |
| page_alert / ticket_alert | the workbook's page rows (severity critical) / ticket rows (warning); `disable` drops them |
| alerting.annotations.runbook / runbook_url | SLO.runbook |
| alert name, per-tier labels, other annotations | not carried: obsgen names and routes its alerts; a note each |
| `interval` (rule group intervals) | not carried: the region's evaluation_interval; a note |
| `ManagedPrometheusServiceLevel` (Sloth's unreleased Google Managed Prometheus CRD) | as the CRD; its rule target a note |
| `AlertWindows` (custom burn windows, `--windows`) | SLO.alerting rows and period: factor = errorBudgetPercent/100 x period / longWindow, Sloth's formula |
"""
from __future__ import annotations

from dataclasses import replace

from obsgen import duration
from obsgen.errors import Site
from obsgen.interop import shapes
from obsgen.interop.imported import URL, Imported, Note, check_sli, labels, slug
from obsgen.interop.source import Doc, ImportProblem, Node
from obsgen.model import SLO, EventRatio, LatencyThreshold, RawRatio
from obsgen.policy.burn_rates import WORKBOOK, BurnWindow

SPEC_VERSION = "prometheus/v1"
CRD_API = "sloth.slok.dev/v1"
CRD_KIND = "PrometheusServiceLevel"
MANAGED_KIND = "ManagedPrometheusServiceLevel"   # the CRD's fields, rules for Google Managed Prometheus (slok/sloth d4617fc)
WINDOWS_KIND = "AlertWindows"
_WINDOW_ROWS = (("page", "quick", "critical"), ("page", "slow", "critical"),
                ("ticket", "quick", "warning"), ("ticket", "slow", "warning"))

_SNAKE = {"error_query": "error_query", "total_query": "total_query", "error_ratio_query": "error_ratio_query",
          "page_alert": "page_alert", "ticket_alert": "ticket_alert", "slo_plugins": "slo_plugins"}
_CAMEL = {"error_query": "errorQuery", "total_query": "totalQuery", "error_ratio_query": "errorRatioQuery",
          "page_alert": "pageAlert", "ticket_alert": "ticketAlert", "slo_plugins": "sloPlugins"}
TIERS = {"page_alert": "page", "ticket_alert": "ticket"}


def convert(node: Node, period: str = "30d", windows: tuple[BurnWindow, ...] | None = None) -> list[Imported]:
    """Every SLO of one Sloth document; ImportProblem at the first field obsgen cannot map.
    `windows`: the burn rows of a Sloth AlertWindows document (alert_windows), else the workbook's."""
    top = Doc(node, "sloth spec")
    kind = top.get("kind")
    if kind == WINDOWS_KIND:
        top.fail("kind", f"is Sloth's {WINDOWS_KIND} (burn windows, no SLO): give it with --windows")
    if kind in (CRD_KIND, MANAGED_KIND):
        top.only({"apiVersion", "kind", "metadata", "spec", "status"})
        if top.get("apiVersion") != CRD_API:
            top.fail("apiVersion", f"must be {CRD_API!r} for kind {kind}")
        name = (top.sub("metadata") or top).get("name", str, "")
        spec, keys, form = top.sub("spec", required=True), _CAMEL, f"Sloth {kind}"
        spec.obj = f"{kind} {name}".strip()
        spec.only({"service", "labels", "slos", "sloPlugins"})
    else:
        top.only({"version", "service", "labels", "slos", "slo_plugins"})
        if top.get("version") != SPEC_VERSION:
            top.fail("version", f"must be {SPEC_VERSION!r} (a Sloth spec) or kind {CRD_KIND}")
        spec, keys, form = top, _SNAKE, f"Sloth {SPEC_VERSION}"
    _no_plugins(spec, keys["slo_plugins"])
    service = slug(spec.need("service", str), spec.where("service"), spec.obj, spec.field("service"))
    common = _label_sources(spec, "labels")
    slos = spec.items("slos")
    if not slos:
        spec.fail("slos", "is required: a spec with no SLOs imports nothing")
    out = [_slo(Doc(item, f"slo {service}/?"), service, common, keys, form, period, windows) for item in slos]
    if kind == MANAGED_KIND:
        note = Note(top.where("kind"), "kind", f"{MANAGED_KIND}'s rule target (Google Managed Prometheus Rules) not "
                                               "carried: obsgen writes each region's rule files (or PrometheusRule objects)")
        out = [replace(i, notes=(note, *i.notes)) for i in out]
    return out


def _no_plugins(doc: Doc, key: str) -> None:
    if doc.node_of(key) is not None and doc.get(key) not in (None, {}, []):
        doc.fail(key, "cannot be mapped (Sloth plugins run Go code obsgen does not have)")


def _label_sources(doc: Doc, key: str) -> dict:
    values = doc.strings(key)
    child = doc.node_of(key)
    return {k: (v, child.value[k].site, f"{doc.field(key)}.{k}") for k, v in values.items()}


def _slo(doc: Doc, service: str, common: dict, keys: dict, form: str, period: str, windows) -> Imported:
    name = slug(doc.need("name", str), doc.where("name"), doc.obj, doc.field("name"))
    doc.obj = f"slo {service}/{name}"
    doc.only({"name", "id", "description", "objective", "labels", "sli", "alerting", "plugins", "interval"})
    _no_plugins(doc, "plugins")
    objective = doc.need("objective", (int, float))
    if not 0 < objective < 100:
        doc.fail("objective", f"must be a percentage between 0 and 100, got {objective!r}")
    notes: list[Note] = []
    if doc.node_of("interval") is not None:
        notes.append(Note(doc.where("interval"), doc.field("interval"),
                          "rule group intervals not carried: obsgen evaluates every SLO at its region's "
                          "evaluation_interval (its windows are sums of exact counts at that step)"))
    sli = _sli(doc.sub("sli", required=True), keys)
    merged = {**common, **_label_sources(doc, "labels")}
    alerting = doc.sub("alerting")
    rows, runbook = windows or WORKBOOK, None
    if alerting is not None:
        rows, runbook, alert_labels = _alerting(alerting, keys, notes, windows or WORKBOOK)
        merged.update(alert_labels)
    slo = SLO(
        service=service, name=name, objective=objective, sli=sli, period=period,
        description=doc.get("description", str) or f"{service} {name} (imported from {form})",
        labels=labels(merged, doc.obj, "sloth_", notes),
        alerting=None if rows == WORKBOOK else rows,
        runbook=runbook,
        site=doc.site,
    )
    return Imported(slo, form, tuple(notes))


def _sli(doc: Doc, keys: dict):
    kinds = [k for k in ("events", "raw", "plugin") if doc.node_of(k) is not None]
    doc.only({"events", "raw", "plugin"})
    if len(kinds) != 1:
        doc.fail(kinds[1] if kinds else "events", "give exactly one of events, raw or plugin")
    if kinds[0] == "plugin":
        doc.fail("plugin", "cannot be mapped (a Sloth SLI plugin is Go code obsgen does not have; "
                           "write its queries as events)")
    body = doc.sub(kinds[0], required=True)
    if kinds[0] == "raw":
        body.only({keys["error_ratio_query"]})
        ratio = _query(body, keys["error_ratio_query"])
        sli = RawRatio(errors=f"({shapes.with_window(ratio, '$window')})", total="vector(1)")
        check_sli(sli, body.where(keys["error_ratio_query"]), doc.obj, body.field(keys["error_ratio_query"]))
        return sli
    body.only({keys["error_query"], keys["total_query"]})
    errors_q, total_q = _query(body, keys["error_query"]), _query(body, keys["total_query"])
    errors_t, total_t = shapes.parse(errors_q), shapes.parse(total_q)
    total = shapes.counter(total_t)
    sli = None
    if total is not None:
        if (sel := shapes.counter(errors_t)) is not None:
            sli = EventRatio(total=total, errors=sel)
        elif (lat := shapes.latency(errors_t)) is not None and shapes.same(total, lat.count_selector):
            sli = LatencyThreshold(histogram=lat.histogram, threshold=lat.threshold, matchers=lat.matchers)
        elif (pair := shapes.difference(errors_t)) is not None and shapes.same(pair[0], total):
            sli = EventRatio(total=total, good=pair[1])
    if sli is None:
        sli = RawRatio(errors=shapes.with_window(errors_q, "$window").strip(), total=shapes.with_window(total_q, "$window").strip())
    check_sli(sli, body.where(keys["error_query"]), doc.obj, body.field(keys["error_query"]))
    return sli


def _query(doc: Doc, key: str) -> str:
    query = doc.need(key, str)
    if not shapes.has_template(query):
        doc.fail(key, "has no {{.window}}: obsgen evaluates it over each of its windows")
    try:
        shapes.parse(query)
    except ValueError as exc:
        doc.fail(key, f"is not valid PromQL ({' '.join(str(exc).split())})")
    return query


def _alerting(doc: Doc, keys: dict, notes: list[Note], policy: tuple[BurnWindow, ...]):
    doc.only({"name", "labels", "annotations", keys["page_alert"], keys["ticket_alert"]})
    if doc.get("name"):
        notes.append(Note(doc.where("name"), doc.field("name"),
                          f"alert name {doc.get('name')!r} not carried: obsgen's burn alerts are all "
                          "SLOErrorBudgetBurn, told apart by their slo, service, tier and window labels"))
    runbook = None
    annotations = doc.strings("annotations")
    for key, value in annotations.items():
        site, fld = doc.node_of("annotations").value[key].site, f"{doc.field('annotations')}.{key}"
        if key in ("runbook", "runbook_url") and URL.match(value):
            runbook = value
        else:
            notes.append(Note(site, fld, "annotation not carried: obsgen writes its own summary and description"))
    kept = []
    for key in (keys["page_alert"], keys["ticket_alert"]):
        tier = TIERS[next(k for k, v in keys.items() if v == key)]
        alert = doc.sub(key)
        if alert is not None:
            alert.only({"disable", "labels", "annotations"})
            if alert.get("disable", bool, False):
                continue
            for kind in ("labels", "annotations"):
                for k, v in alert.strings(kind).items():
                    if kind == "labels" and k == "severity" and v == ("critical" if tier == "page" else "warning"):
                        continue
                    site, fld = alert.node_of(kind).value[k].site, f"{alert.field(kind)}.{k}"
                    notes.append(Note(site, fld, f"{tier} {kind[:-1]} {k}={v!r} not carried: obsgen sets severity "
                                                 f"{'critical' if tier == 'page' else 'warning'} and tier={tier}, "
                                                 "and routes by them to the region's channels"))
        kept += [row for row in policy if row.tier == tier]
    if not kept:
        doc.fail(keys["ticket_alert"], "page and ticket alerts are both disabled: obsgen alerts on every SLO "
                                       "(keep one of them)")
    return tuple(kept), runbook, _label_sources(doc, "labels")


def alert_windows(node: Node) -> tuple[str, tuple[BurnWindow, ...]]:
    """Sloth's `AlertWindows` document (slok/sloth pkg/prometheus/alertwindows/v1): the SLO period
    and its four burn rows. A row spending P% of the period's budget in its long window alerts at
    P/100 x period / longWindow, computed as Sloth's getBurnRateFactor does (internal/alert/window.go)."""
    top = Doc(node, f"Sloth {WINDOWS_KIND}")
    top.only({"apiVersion", "kind", "metadata", "spec"})
    if top.get("kind") != WINDOWS_KIND:
        top.fail("kind", f"must be {WINDOWS_KIND!r} (Sloth's custom burn windows)")
    if top.get("apiVersion") != CRD_API:
        top.fail("apiVersion", f"must be {CRD_API!r} for kind {WINDOWS_KIND}")
    spec = top.sub("spec", required=True)
    spec.only({"sloPeriod", "page", "ticket"})
    period = _duration(spec, "sloPeriod")
    hours = lambda text: duration.seconds(text) / 3600
    rows = []
    for tier, speed, severity in _WINDOW_ROWS:
        row = spec.sub(tier, required=True).sub(speed, required=True)
        row.only({"errorBudgetPercent", "shortWindow", "longWindow"})
        percent = row.need("errorBudgetPercent", (int, float))
        if not 0 < percent <= 100:
            row.fail("errorBudgetPercent", f"must be a percentage above 0 and at most 100, got {percent!r}")
        short, long = _duration(row, "shortWindow"), _duration(row, "longWindow")
        if duration.seconds(short) >= duration.seconds(long):
            row.fail("shortWindow", f"{short} must be shorter than longWindow {long}")
        factor = percent * hours(period) / 100 / hours(long)
        rows.append(BurnWindow(tier, long=long, short=short, factor=factor, severity=severity, period=period))
    return period, tuple(rows)


def _duration(doc: Doc, key: str) -> str:
    text = doc.need(key, str)
    if not duration.is_duration(text):
        doc.fail(key, f"{text!r} is not a duration (like 5m, 6h, 30d)")
    return text
