"""OpenSLO v1 in: SLO, SLI, DataSource, AlertPolicy, AlertCondition, AlertNotificationTarget, Service.

Spec: OpenSLO/OpenSLO README.md (v1). Every document of the input is read first, so an SLO may
name an SLI, DataSource, AlertPolicy or AlertCondition defined in any file of the input.

| OpenSLO v1 | obsgen |
|---|---|
| SLO `spec.service`, `metadata.name` | `SLO(service=, name=)`; several objectives: one SLO each, `NAME-<displayName>` (or `NAME-<target>`) |
| objective `target` (0-1) / `targetPercent` | `objective` (percent) |
| `timeWindow` rolling `duration` | `period` (d/h/w; `M`, `Q`, `Y` have no fixed length: exit 2) |
| `timeWindow` calendar-aligned (`calendar`, `isRolling: false`) | exit 2: obsgen measures rolling periods only |
| `budgetingMethod: Occurrences` | obsgen's only method (counted events); `Timeslices`, `RatioTimeslices`: exit 2 |
| ratioMetric `counter: true`, `good`/`bad` over `total`, each a selector or `sum(selector)` | `EventRatio(good=/errors=, total=)` |
| ratioMetric `good` `H_bucket{le="T",m}` over `total` `H_count{m}` | `LatencyThreshold(H, T, m)` |
| ratioMetric `counter: false` (numbers that go up and down) | `RawRatio(errors=BAD or TOTAL-GOOD, total=TOTAL)`: the values summed over evaluations |
| ratioMetric `raw` + `rawType` failure / success | `RawRatio(errors=(RAW) or 1-(RAW), total=vector(1))`: the ratio averaged over evaluations |
| thresholdMetric `histogram_quantile(Q, ... H_bucket{m} ...)`, `op: lt`/`lte`, `value: V` | `LatencyThreshold(H, V, m)` (note: Q is not carried; the target is the share of requests under V) |
| metricSource `type: Prometheus` or `metricSourceRef` to a Prometheus DataSource | read; anything else: exit 2 |
| AlertCondition `kind: burnrate`, `op: gt`/`gte`, `threshold`, `lookbackWindow`, severity page/ticket | `BurnWindow(tier, long=lookbackWindow, short=lookbackWindow/12, factor=threshold)` |
| AlertPolicy `alertWhenNoData: true` | `absent_alert=True` |
| `alertWhenResolved`, `alertAfter`, `notificationTargets`, Service, DataSource `connectionDetails` | not carried (a note each) |
"""
from __future__ import annotations

import re

from obsgen import duration, promql
from obsgen.errors import Site
from obsgen.interop import shapes
from obsgen.interop.imported import URL, Imported, Note, check_sli, labels, slug
from obsgen.interop.source import Doc, ImportProblem, Node
from obsgen.model import SLO, BurnWindow, EventRatio, LatencyThreshold, RawRatio

API = "openslo/v1"
SOURCE = "OpenSLO v1"
KINDS = ("SLO", "SLI", "DataSource", "AlertPolicy", "AlertCondition", "AlertNotificationTarget", "Service")
ANNOTATION = "obsgen.dev/"      # annotations obsgen's export writes and reads back
SHORT_DIVISOR = 12              # the workbook's short window is 1/12 of the long one
TIERS = {"page": ("page", "critical"), "critical": ("page", "critical"),
         "ticket": ("ticket", "warning"), "warning": ("ticket", "warning")}
_BUCKET = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)_bucket\b(\{[^}]*\})?")


def is_openslo(node: Node) -> bool:
    value = node.value if isinstance(node.value, dict) else {}
    return value.get("apiVersion") is not None and str(value["apiVersion"].value).startswith("openslo/")


class Catalog:
    """Every document of the input, by kind and metadata.name."""

    def __init__(self, nodes: list[Node]):
        self.docs: dict[str, dict[str, Doc]] = {k: {} for k in KINDS}
        self.order: list[Doc] = []
        for node in nodes:
            top = Doc(node, "document")
            kind = top.need("kind", str)
            name = (top.sub("metadata", required=True)).need("name", str)
            top.obj = f"{kind} {name}"
            if top.need("apiVersion", str) != API:
                top.fail("apiVersion", f"must be {API!r} (obsgen reads OpenSLO v1)")
            if kind not in KINDS:
                top.fail("kind", f"{kind!r} is not an OpenSLO v1 kind obsgen reads ({', '.join(KINDS)})")
            top.only({"apiVersion", "kind", "metadata", "spec"})
            if name in self.docs[kind]:
                top.fail("metadata", f"{kind} {name!r} defined twice (first at {self.docs[kind][name].site})")
            self.docs[kind][name] = top
            self.order.append(top)

    def ref(self, doc: Doc, key: str, kind: str) -> Doc:
        name = doc.need(key, str)
        found = self.docs[kind].get(name)
        if found is None:
            doc.fail(key, f"names {kind} {name!r}, which the input does not define")
        return found


def convert_all(nodes: list[Node], period: str = "30d") -> list[Imported]:
    catalog = Catalog(nodes)
    out: list[Imported] = []
    for service in catalog.docs["Service"].values():
        spec = service.sub("spec")
        if spec is not None:
            spec.only({"description"})
    for doc in catalog.order:
        if doc.get("kind") == "SLO":
            out += _slo(doc, catalog, period)
    return out


# ---- SLO -------------------------------------------------------------------------------------

def _slo(top: Doc, catalog: Catalog, default_period: str) -> list[Imported]:
    meta, spec = top.sub("metadata"), top.sub("spec", required=True)
    spec.obj = top.obj
    meta.only({"name", "displayName", "labels", "annotations"})
    spec.only({"description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod",
               "objectives", "alertPolicies"})
    notes: list[Note] = []
    name = slug(meta.need("name", str), meta.where("name"), top.obj, "metadata.name")
    notes_ann = meta.strings("annotations")
    name = notes_ann.get(ANNOTATION + "name", name)
    service = slug(spec.need("service", str), spec.where("service"), top.obj, "spec.service")
    if service in catalog.docs["Service"]:
        svc = catalog.docs["Service"][service].sub("spec")
        if svc is not None and svc.get("description"):
            notes.append(Note(svc.where("description"), "Service spec.description", "not carried: obsgen has no service object"))
    description = spec.get("description", str) or meta.get("displayName", str) or f"{service} {name}"
    method = spec.need("budgetingMethod", str)
    if method != "Occurrences":
        spec.fail("budgetingMethod", f"{method!r} cannot be honoured: obsgen counts events (Occurrences) only")
    period = _period(spec, default_period, notes)
    alerting, absent, runbook = _policies(spec, catalog, period, notes)
    runbook = notes_ann.get(ANNOTATION + "runbook", runbook)
    extra = _annotations(meta, notes_ann)
    absent = extra.pop("absent_alert", absent)
    slo_labels = labels({k: (v, meta.where("labels"), f"metadata.labels.{k}") for k, v in _labels(meta).items()},
                        top.obj, "openslo_", notes)
    objectives = spec.items("objectives")
    if not objectives:
        spec.fail("objectives", "is required (at least one)")
    out = []
    for i, node in enumerate(objectives):
        obj = Doc(node, top.obj)
        obj.only({"displayName", "op", "value", "target", "targetPercent", "indicator", "indicatorRef"},
                 "timeslices and composite weights have no obsgen equivalent")
        objective = _target(obj)
        sli_doc, where = _indicator(obj if (obj.node_of("indicator") or obj.node_of("indicatorRef")) else spec, catalog)
        sli = _sli(sli_doc, catalog, obj, notes)
        check_sli(sli, where.site, top.obj, where.field("indicator"))
        own = name if len(objectives) == 1 else _objective_name(name, obj, objective, i)
        slo = SLO(service=service, name=own, objective=objective, sli=sli, description=description, period=period,
                  alerting=alerting, runbook=runbook, absent_alert=absent, labels=slo_labels, site=obj.site, **extra)
        out.append(Imported(slo, SOURCE, tuple(notes)))
    return out


def _period(spec: Doc, default: str, notes: list[Note]) -> str:
    windows = spec.items("timeWindow")
    if not windows:
        notes.append(Note(spec.site, spec.field("timeWindow"), f"absent: obsgen's period {default}"))
        return default
    if len(windows) != 1:
        spec.fail("timeWindow", "must hold exactly one window")
    tw = Doc(windows[0], spec.obj)
    tw.only({"duration", "isRolling", "calendar"})
    if tw.node_of("calendar") is not None or not tw.get("isRolling", bool, False):
        tw.fail("calendar" if tw.node_of("calendar") is not None else "isRolling",
                "a calendar-aligned window cannot be honoured: obsgen measures a rolling period "
                "(write isRolling: true and a duration to measure the last N days)")
    text = tw.need("duration", str)
    m = re.fullmatch(r"(\d+)([mhdw])", text)
    if not m:
        tw.fail("duration", f"{text!r}: obsgen's period is whole minutes, hours, days or weeks (M, Q, Y vary in length)")
    n, unit = int(m.group(1)), m.group(2)
    return f"{n * 7}d" if unit == "w" else text


def _target(obj: Doc) -> float:
    target, percent = obj.get("target", (int, float)), obj.get("targetPercent", (int, float))
    if (target is None) == (percent is None):
        obj.fail("target", "give exactly one of target or targetPercent")
    if target is not None and not 0 < target < 1:
        obj.fail("target", f"must be in (0, 1), got {target}")
    if percent is not None and not 0 < percent < 100:
        obj.fail("targetPercent", f"must be in (0, 100), got {percent}")
    return round(target * 100, 10) if target is not None else float(percent)


def _objective_name(base: str, obj: Doc, objective: float, index: int) -> str:
    label = obj.get("displayName", str) or f"{objective:g}".replace(".", "-")
    part = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or str(index + 1)
    return slug(f"{base}-{part}", obj.where("displayName"), obj.obj, obj.field("displayName"))


def _indicator(holder: Doc, catalog: Catalog) -> tuple[Doc, Doc]:
    inline, ref = holder.node_of("indicator"), holder.node_of("indicatorRef")
    if (inline is None) == (ref is None):
        holder.fail("indicator", "give exactly one of indicator or indicatorRef")
    if ref is not None:
        return catalog.ref(holder, "indicatorRef", "SLI").sub("spec", required=True), holder
    doc = holder.sub("indicator")
    doc.only({"metadata", "spec"})
    return doc.sub("spec", required=True), holder


def _annotations(meta: Doc, ann: dict[str, str]) -> dict:
    """What obsgen's export keeps in metadata.annotations (regions, per-region objectives, min_events,
    a per-label SLO's group_by and max_series)."""
    out = {}
    if ANNOTATION + "regions" in ann:
        out["regions"] = tuple(r for r in ann[ANNOTATION + "regions"].split(",") if r)
    if ANNOTATION + "objective-overrides" in ann:
        try:
            out["objective_overrides"] = {k: float(v) for k, v in
                                          (p.split("=") for p in ann[ANNOTATION + "objective-overrides"].split(",") if p)}
        except ValueError:
            meta.fail("annotations", f"{ANNOTATION}objective-overrides must be region=percent,...")
    if ann.get(ANNOTATION + "absent-alert") == "true":
        out["absent_alert"] = True
    if ANNOTATION + "min-events" in ann:
        if not ann[ANNOTATION + "min-events"].isdigit():
            meta.fail("annotations", f"{ANNOTATION}min-events must be a whole number")
        out["min_events"] = int(ann[ANNOTATION + "min-events"])
    if ANNOTATION + "group-by" in ann:
        out["group_by"] = tuple(k for k in ann[ANNOTATION + "group-by"].split(",") if k)
        if not ann.get(ANNOTATION + "max-series", "").isdigit():
            meta.fail("annotations", f"{ANNOTATION}group-by needs {ANNOTATION}max-series, a whole number")
        out["max_series"] = int(ann[ANNOTATION + "max-series"])
    return out


def _labels(meta: Doc) -> dict[str, str]:
    raw = meta.get("labels", dict, {})
    out = {}
    for k, v in raw.items():
        if isinstance(v, list) and len(v) == 1:
            v = v[0]
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            meta.fail("labels", f"{k}: obsgen labels hold one string, got {v!r}")
        out[str(k)] = str(v)
    return out


# ---- SLI -------------------------------------------------------------------------------------

def _sli(spec: Doc, catalog: Catalog, objective: Doc, notes: list[Note]):
    spec.only({"description", "ratioMetric", "thresholdMetric"})
    if (spec.node_of("ratioMetric") is None) == (spec.node_of("thresholdMetric") is None):
        spec.fail("ratioMetric", "give exactly one of ratioMetric or thresholdMetric")
    if spec.node_of("thresholdMetric") is not None:
        return _threshold(spec.sub("thresholdMetric"), catalog, objective, notes)
    for key in ("op", "value"):
        if objective.node_of(key) is not None:
            objective.fail(key, "is only for a thresholdMetric")
    return _ratio(spec.sub("ratioMetric"), catalog, notes)


def _query(holder: Doc, key: str, catalog: Catalog, notes: list[Note]) -> str:
    part = holder.sub(key, required=True)
    part.only({"metricSource"})
    src = part.sub("metricSource", required=True)
    src.only({"metricSourceRef", "type", "spec"})
    kind = src.get("type", str)
    if src.node_of("metricSourceRef") is not None:
        ds = catalog.ref(src, "metricSourceRef", "DataSource").sub("spec", required=True)
        ds.only({"description", "type", "connectionDetails"})
        kind = kind or ds.need("type", str)
        if ds.node_of("connectionDetails") is not None:
            notes.append(Note(ds.where("connectionDetails"), f"{ds.obj} spec.connectionDetails",
                              "not carried: obsgen reads each region's own Prometheus (rules/regions.py)"))
        if ds.need("type", str).lower() != "prometheus":
            ds.fail("type", f"{ds.get('type')!r}: obsgen reads Prometheus data sources only")
    if not kind or kind.lower() != "prometheus":
        src.fail("type", f"{kind!r}: obsgen reads Prometheus data sources only")
    body = src.sub("spec", required=True)
    body.only({"query"})
    query = body.need("query", str).strip()
    try:
        promql.parse(query)
    except ValueError as exc:
        body.fail("query", f"is not valid PromQL ({' '.join(str(exc).split())})")
    return query


def _selector(holder: Doc, key: str, query: str) -> str:
    """SEL for a counter query SEL or sum(SEL): obsgen takes the increase and sums it itself."""
    inner = re.fullmatch(r"sum\s*\((.*)\)", query, re.S)
    candidate = inner.group(1).strip() if inner else query
    if not promql.is_selector(candidate):
        holder.sub(key).sub("metricSource").sub("spec").fail(
            "query", "a counter query must be a series selector or sum() of one (obsgen takes its increase)")
    return candidate


def _ratio(rm: Doc, catalog: Catalog, notes: list[Note]):
    rm.only({"counter", "good", "bad", "total", "rawType", "raw"})
    if rm.node_of("raw") is not None:
        for key in ("good", "bad", "total"):
            if rm.node_of(key) is not None:
                rm.fail(key, "cannot be given with raw")
        raw = _query(rm, "raw", catalog, notes)
        kind = rm.need("rawType", str)
        if kind not in ("success", "failure"):
            rm.fail("rawType", f"must be success or failure, got {kind!r}")
        return RawRatio(errors=f"({raw})" if kind == "failure" else f"1 - ({raw})", total="vector(1)")
    if (rm.node_of("good") is None) == (rm.node_of("bad") is None):
        rm.fail("good", "give exactly one of good or bad (with total)")
    counted = "good" if rm.node_of("good") is not None else "bad"
    part, total = _query(rm, counted, catalog, notes), _query(rm, "total", catalog, notes)
    if rm.node_of("counter") is None:
        rm.fail("counter", "is required with good/bad and total (true: counters; false: numbers that go up and down)")
    if not rm.get("counter", bool):
        notes.append(Note(rm.where("counter"), rm.field("counter"),
                          "false: each evaluation's value is counted as events (summed over the window)"))
        errors = part if counted == "bad" else f"({total}) - ({part})"
        return RawRatio(errors=errors, total=total)
    sel, tot = _selector(rm, counted, part), _selector(rm, "total", total)
    if counted == "good":
        lat = _latency(sel, tot)
        if lat is not None:
            return lat
        return EventRatio(total=tot, good=sel)
    return EventRatio(total=tot, errors=sel)


def _latency(good: str, total: str) -> LatencyThreshold | None:
    """good H_bucket{le="T",m} over total H_count{m} is a latency threshold."""
    gname, gm = shapes._parts(good)
    tname, tm = shapes._parts(total)
    if not (tname.endswith("_count") and gname == tname[:-len("_count")] + "_bucket"):
        return None
    le = [m for m in gm if m.startswith("le=")]
    rest = [m for m in gm if not m.startswith("le=")]
    if len(le) != 1 or sorted(rest) != sorted(tm):
        return None
    try:
        t = float(le[0][len('le="'):-1])
    except ValueError:
        return None
    if not 0 < t < float("inf"):
        return None
    return LatencyThreshold(tname[:-len("_count")], int(t) if t.is_integer() else t, ",".join(tm))


def _threshold(tm: Doc, catalog: Catalog, objective: Doc, notes: list[Note]):
    tm.only({"metricSource"})
    wrapper = Doc(Node({"q": tm.node}, tm.site, tm.node.path.rsplit(".", 1)[0]), tm.obj)
    query = _query(wrapper, "q", catalog, notes)
    src = tm.sub("metricSource").sub("spec")
    buckets = _BUCKET.findall(query)
    if not query.startswith("histogram_quantile") or len(buckets) != 1:
        src.fail("query", "a thresholdMetric maps to obsgen only as histogram_quantile(Q, ...) over one "
                          "classic histogram's H_bucket (a latency threshold)")
    op, value = objective.need("op", str), objective.need("value", (int, float))
    if op not in ("lt", "lte"):
        objective.fail("op", f"{op!r}: a latency threshold counts requests under value (lt or lte)")
    if not value > 0:
        objective.fail("value", f"must be above 0, got {value}")
    histogram, matchers = buckets[0]
    _, parts = promql.selector_parts(f"{histogram}_bucket{matchers}")
    notes.append(Note(src.where("query"), src.field("query"),
                      f"the quantile is not carried: obsgen counts requests slower than {value} (in the "
                      "histogram's unit) and holds their share to the target"))
    return LatencyThreshold(histogram, value, ",".join(m for m in parts if not m.startswith("le")))


# ---- alert policies ----------------------------------------------------------------------------

def _policies(spec: Doc, catalog: Catalog, period: str, notes: list[Note]):
    items = spec.items("alertPolicies")
    if not items:
        return None, False, None
    rows, absent, runbook = [], False, None
    for node in items:
        holder = Doc(node, spec.obj)
        if holder.node_of("alertPolicyRef") is not None:
            holder.only({"alertPolicyRef"})
            policy = catalog.ref(holder, "alertPolicyRef", "AlertPolicy")
        else:
            holder.only({"kind", "metadata", "spec"})
            policy = holder
        meta = policy.sub("metadata")
        ann = meta.strings("annotations") if meta is not None else {}
        runbook = ann.get("runbook_url", runbook) if URL.match(ann.get("runbook_url", "x")) else runbook
        body = policy.sub("spec", required=True)
        body.only({"description", "alertWhenNoData", "alertWhenResolved", "alertWhenBreaching", "conditions",
                   "notificationTargets"})
        absent = absent or bool(body.get("alertWhenNoData", bool, False))
        if body.get("alertWhenResolved", bool, False):
            notes.append(Note(body.where("alertWhenResolved"), body.field("alertWhenResolved"),
                              "not carried: resolved notifications are the region channels' send_resolved"))
        if body.node_of("notificationTargets") is not None:
            notes.append(Note(body.where("notificationTargets"), body.field("notificationTargets"),
                              "not carried: obsgen routes by severity and tier to the region's channels (rules/regions.py)"))
        if not body.get("alertWhenBreaching", bool, True):
            notes.append(Note(body.where("alertWhenBreaching"), body.field("alertWhenBreaching"),
                              "false: this policy's conditions are not alerted on"))
            continue
        conditions = body.items("conditions")
        if len(conditions) != 1:
            body.fail("conditions", "must hold exactly one condition (OpenSLO v1)")
        rows.append(_condition(Doc(conditions[0], body.obj), catalog, period, notes))
    if not rows:
        spec.fail("alertPolicies", "no policy alerts when breaching: obsgen alerts on every SLO")
    return tuple(rows), absent, runbook


def _condition(holder: Doc, catalog: Catalog, period: str, notes: list[Note]) -> BurnWindow:
    if holder.node_of("conditionRef") is not None:
        holder.only({"conditionRef"})
        doc = catalog.ref(holder, "conditionRef", "AlertCondition")
    else:
        holder.only({"kind", "metadata", "spec"})
        doc = holder
    meta = doc.sub("metadata")
    ann = meta.strings("annotations") if meta is not None else {}
    spec = doc.sub("spec", required=True)
    spec.only({"description", "severity", "condition"})
    severity = spec.need("severity", str)
    if severity.lower() not in TIERS:
        spec.fail("severity", f"{severity!r}: obsgen's burn alerts are page (critical) or ticket (warning)")
    tier, sev = TIERS[severity.lower()]
    cond = spec.sub("condition", required=True)
    cond.only({"kind", "op", "threshold", "lookbackWindow", "alertAfter"})
    if cond.get("kind", str, "burnrate") != "burnrate":
        cond.fail("kind", "obsgen alerts on burn rates only (burnrate)")
    if cond.need("op", str) not in ("gt", "gte"):
        cond.fail("op", f"{cond.get('op')!r}: a burn-rate alert fires above its threshold (gt or gte)")
    factor = cond.need("threshold", (int, float))
    if not factor > 0:
        cond.fail("threshold", f"must be above 0, got {factor}")
    long = cond.need("lookbackWindow", str)
    try:
        seconds = duration.seconds(long)
    except ValueError:
        cond.fail("lookbackWindow", f"{long!r} is not a duration obsgen reads")
    short = ann.get(ANNOTATION + "short-window")
    if short is None:
        try:
            short = duration.format_seconds(seconds / SHORT_DIVISOR)
        except ValueError:
            cond.fail("lookbackWindow", f"{long!r}: its twelfth (the short window) is not whole seconds")
    if cond.get("alertAfter", str, "0m") not in ("0", "0m", "0s"):
        notes.append(Note(cond.where("alertAfter"), cond.field("alertAfter"),
                          f"not carried: obsgen's short window ({short}) stops a blip from alerting instead of a wait"))
    return BurnWindow(tier, long=long, short=short, factor=factor, severity=sev, period=period)


__all__ = ["convert_all", "is_openslo", "Site", "ImportProblem"]
