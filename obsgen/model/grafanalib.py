"""Accept a dashboard a team wrote with grafanalib: read grafanalib's JSON into obsgen's model,
so it is rendered with the SDK and checked like every other dashboard.

grafanalib 0.7.1 writes schemaVersion 12 dashboards whose legacy and null fields fail today's
schema, so its JSON is never emitted as is. What is kept: rows, panel titles, descriptions,
queries (expr, legend, instant), units, min/max, thresholds, row heights. The deprecated
graph and singlestat panels become timeseries and stat. The team's grid positions are not kept
(obsgen's layout places panels in reading order). Anything else is refused with the reason.
"""
from __future__ import annotations

import json

from obsgen.model.dashboard import PANEL_TYPES, Dashboard, GrafanalibDashboard, Panel, Query, Row, Threshold

UPGRADES = {"graph": "timeseries", "singlestat": "stat", "state-timeline": "state-timeline",
            **{t: t for t in PANEL_TYPES}}


class ImportProblem(ValueError):
    pass


def grafanalib_json(dashboard: object) -> dict:
    from grafanalib._gen import DashboardEncoder

    if not hasattr(dashboard, "to_json_data"):
        raise ImportProblem(f"dashboard= must be a grafanalib Dashboard, got {type(dashboard).__name__}")
    return json.loads(json.dumps(dashboard.to_json_data(), cls=DashboardEncoder))


def from_grafanalib(wrapped: GrafanalibDashboard) -> Dashboard:
    doc = grafanalib_json(wrapped.dashboard)
    _nothing_replaced(doc)
    return Dashboard(
        name=wrapped.name,
        title=doc.get("title") or wrapped.name,
        description=doc.get("description") or "",
        tags=tuple(doc.get("tags") or ()),
        rows=_rows(doc),
        regions=wrapped.regions,
        in_global=wrapped.in_global,
        site=wrapped.site,
    )


def _nothing_replaced(doc: dict) -> None:
    """obsgen sets the uid (from the name) and every query's data source (the region's Prometheus);
    a dashboard that sets either itself is refused rather than silently changed."""
    if doc.get("uid"):
        raise ImportProblem(f"sets uid={doc['uid']!r}; obsgen gives every dashboard its uid from its name "
                            "(so links work in every Grafana): remove uid=")
    panels = [*(doc.get("panels") or []), *(p for row in doc.get("rows") or [] for p in row.get("panels") or [])]
    panels += [q for p in list(panels) for q in p.get("panels") or []]
    for p in panels:
        for holder in (p, *(p.get("targets") or [])):
            source = holder.get("datasource")
            if source and not (isinstance(source, dict) and source.get("type") == "prometheus" and not source.get("uid")):
                raise ImportProblem(f"panel {p.get('title')!r} sets datasource={source!r}; obsgen points every query at "
                                    "the region's Prometheus: remove datasource=")


def _rows(doc: dict) -> tuple[Row, ...]:
    groups: list[tuple[str, list[dict]]] = []
    if doc.get("rows"):   # grafanalib's legacy Row objects
        for i, row in enumerate(doc["rows"]):
            groups.append((row.get("title") or f"Row {i + 1}", list(row.get("panels") or [])))
    for panel in sorted(doc.get("panels") or [], key=_reading_order):
        if panel.get("type") == "row":
            groups.append((panel.get("title") or doc.get("title") or "Panels", list(panel.get("panels") or [])))
        else:
            if not groups:
                groups.append((doc.get("title") or "Panels", []))
            groups[-1][1].append(panel)
    rows = []
    for title, panels in groups:
        if panels:
            height = max(int((p.get("gridPos") or {}).get("h") or 8) for p in panels)
            rows.append(Row(title, tuple(_panel(p) for p in panels), height=height))
    if not rows:
        raise ImportProblem("has no panels")
    return tuple(rows)


def _reading_order(panel: dict):
    pos = panel.get("gridPos") or {}
    return (pos.get("y") or 0, pos.get("x") or 0)


def _panel(p: dict) -> Panel:
    title = p.get("title") or ""
    kind = UPGRADES.get(p.get("type"))
    if kind is None:
        raise ImportProblem(f"panel {title!r}: type {p.get('type')!r} cannot be rendered as a current panel "
                            f"({', '.join(PANEL_TYPES)})")
    defaults = (p.get("fieldConfig") or {}).get("defaults") or {}
    unit = defaults.get("unit") or p.get("format") or _graph_unit(p) or "short"
    queries = tuple(_query(title, t) for t in p.get("targets") or [])
    if not queries:
        raise ImportProblem(f"panel {title!r} has no queries")
    return Panel(
        title=title,
        queries=queries,
        type=kind,
        unit=unit,
        description=p.get("description") or "",
        thresholds=_thresholds(defaults.get("thresholds")),
        min=defaults.get("min"),
        max=defaults.get("max"),
    )


def _graph_unit(p: dict) -> str | None:
    axes = p.get("yaxes") or []
    return axes[0].get("format") if axes and isinstance(axes[0], dict) else None


def _query(title: str, t: dict) -> Query:
    expr = t.get("expr")
    if not isinstance(expr, str) or not expr.strip():
        raise ImportProblem(f"panel {title!r}: target {t.get('refId')!r} has no PromQL expr")
    return Query(expr=expr, legend=t.get("legendFormat") or "", instant=bool(t.get("instant")))


def _thresholds(config) -> tuple[Threshold, ...]:
    steps = (config or {}).get("steps") if isinstance(config, dict) else None
    out = []
    for step in steps if isinstance(steps, list) else []:
        if isinstance(step, dict) and step.get("color"):
            value = step.get("value")
            if value in (None, "null"):   # grafanalib writes the base step's value as "null"
                out.append(Threshold(None, str(step["color"])))
            elif isinstance(value, (int, float)):
                out.append(Threshold(float(value), str(step["color"])))
            else:
                raise ImportProblem(f"threshold value {value!r} is not a number")
    return tuple(out)
