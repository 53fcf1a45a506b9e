"""The log dashboards as Kibana saved objects: for a region whose Elasticsearch stores logs, one
NDJSON file per LogDashboard, the body of Kibana's saved objects import API
(`POST /api/saved_objects/_import?overwrite=true`): the dashboard, a data view per stream it reads
(that cluster's data streams of the stream, and no other cluster's), and an aggregation-based
visualization per chart. Ids are fixed, so importing again overwrites and never duplicates."""
from __future__ import annotations

import json

from obsgen import duration, names
from obsgen.logs import fields, plan
from obsgen.model import Estate, Region
from obsgen.model.pipeline import LogChart, LogDashboard, LogIndex

# The versions Kibana 8.x and 9 exports carry; Kibana migrates an object up from them on import
# and refuses one newer than itself.
CORE_MIGRATION_VERSION = "8.8.0"
TYPE_MIGRATION_VERSIONS = {"dashboard": "10.2.0", "visualization": "8.5.0", "index-pattern": "8.0.0"}

GRID_COLUMNS = 48                  # Kibana's dashboard grid
PANEL_WIDTH, PANEL_HEIGHT = 24, 15  # two panels a row
TIME_FIELD = "@timestamp"
SEARCH_INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"

# LogChart.chart -> Kibana's legacy visualization type.
VIS_TYPES = {"line": "line", "bar": "histogram", "horizontal_bar": "horizontal_bar", "table": "table",
             "heatmap": "heatmap", "pie": "pie", "metric": "metric"}
XY = frozenset({"line", "histogram", "horizontal_bar"})
# LogChart.metric's operation -> Kibana's metric aggregation.
METRIC_AGGS = {"count": "count", "sum": "sum", "avg": "avg", "max": "max", "min": "min", "unique": "cardinality"}

_PARAMS = {
    "line": {"type": "line", "addTooltip": True, "addLegend": True, "legendPosition": "right", "addTimeMarker": False},
    "histogram": {"type": "histogram", "addTooltip": True, "addLegend": True, "legendPosition": "right",
                  "addTimeMarker": False},
    "horizontal_bar": {"type": "histogram", "addTooltip": True, "addLegend": True, "legendPosition": "right",
                       "addTimeMarker": False},
    "table": {"perPage": 10, "showPartialRows": False, "showMetricsAtAllLevels": False, "showTotal": False,
              "totalFunc": "sum", "percentageCol": ""},
    "heatmap": {"addTooltip": True, "addLegend": True, "enableHover": False, "legendPosition": "right",
                "colorsNumber": 4, "colorSchema": "Greens", "setColorRange": False, "invertColors": False,
                "percentageMode": False},
    "pie": {"type": "pie", "addTooltip": True, "addLegend": True, "legendPosition": "right", "isDonut": True},
    "metric": {"addTooltip": True, "addLegend": False, "type": "metric"},
}


def render(estate: Estate, region: Region) -> dict[str, bytes]:
    if not region.elasticsearch_url or not plan.stored_in(estate, region):
        return {}
    boards = sorted(estate.log_dashboards, key=lambda b: b.name)
    return {names.kibana_file(board.name): ndjson(saved_objects(estate, region, board)) for board in boards}


def ndjson(objects: list[dict]) -> bytes:
    return "".join(json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
                   for o in objects).encode()


def saved_objects(estate: Estate, region: Region, board: LogDashboard) -> list[dict]:
    """The dashboard first (its description carries the do-not-edit header), then its data views
    and visualizations."""
    streams = sorted({chart.stream for chart in board.charts})
    views = [data_view(estate, region, stream) for stream in streams]
    charts = [visualization(estate, region, board, chart) for chart in board.charts]
    return [dashboard(region, board, charts), *views, *charts]


def _object(kind: str, object_id: str, attributes: dict, references: list[dict]) -> dict:
    return {"type": kind, "id": object_id, "attributes": attributes, "references": references, "managed": False,
            "coreMigrationVersion": CORE_MIGRATION_VERSION, "typeMigrationVersion": TYPE_MIGRATION_VERSIONS[kind]}


def _described(text: str) -> str:
    return f"({names.HEADER}) {text}".strip()


def _index(estate: Estate, stream: str) -> LogIndex:
    return next(i for i in plan.indices(estate) if i.stream == stream)


def data_view(estate: Estate, region: Region, stream: str) -> dict:
    index = _index(estate, stream)
    streams = [index.prefix(col.region) for col in plan.stored_in(estate, region)]
    attributes = {"title": ",".join(streams), "name": f"{stream} ({region.name} cluster)",
                  "timeFieldName": TIME_FIELD, "fields": "[]"}
    return _object("index-pattern", names.kibana_data_view_id(region.name, stream), attributes, [])


def visualization(estate: Estate, region: Region, board: LogDashboard, chart: LogChart) -> dict:
    vis_type = VIS_TYPES[chart.chart]
    index = _index(estate, chart.stream)
    types = fields.field_types(index, plan.pipeline_of(estate, index))
    state = {"title": chart.title, "type": vis_type, "params": dict(_PARAMS[vis_type]),
             "aggs": [_metric(chart, types), *_buckets(chart, vis_type, types)]}
    search = {"query": {"query": chart.where, "language": "kuery"}, "filter": [], "indexRefName": SEARCH_INDEX_REF}
    attributes = {
        "title": chart.title,
        "description": _described(chart.description),
        "version": 1,
        "uiStateJSON": "{}",
        "visState": _json(state),
        "kibanaSavedObjectMeta": {"searchSourceJSON": _json(search)},
    }
    view = {"name": SEARCH_INDEX_REF, "type": "index-pattern", "id": names.kibana_data_view_id(region.name, chart.stream)}
    return _object("visualization", names.kibana_visualization_id(region.name, board.name, chart.title),
                   attributes, [view])


def _metric(chart: LogChart, types: dict[str, str]) -> dict:
    operation, _, key = chart.metric.partition(":")
    params = {"field": fields.aggregated(types, key)} if key else {}
    return {"id": "1", "enabled": True, "type": METRIC_AGGS[operation], "schema": "metric", "params": params}


def _buckets(chart: LogChart, vis_type: str, types: dict[str, str]) -> list[dict]:
    """The bucket aggregations, outermost first, each in the role (schema) its chart gives it."""
    found: list[tuple[str, dict]] = []   # (what it is, agg without id and schema)
    if chart.over_time:
        found.append(("time", {"type": "date_histogram",
                               "params": {"field": TIME_FIELD, "interval": "auto", "min_doc_count": 1,
                                          "extended_bounds": {}}}))
    if chart.steps:
        found.append(("steps", {"type": "filters", "params": {"filters": [
            {"input": {"query": kql, "language": "kuery"}, "label": label} for label, kql in chart.steps.items()]}}))
    if chart.histogram:
        found.append(("values", {"type": "histogram",
                                 "params": {"field": chart.histogram, "interval": chart.interval, "min_doc_count": False,
                                            "has_extended_bounds": False, "extended_bounds": {}}}))
    for key in chart.by:
        found.append(("terms", {"type": "terms",
                                "params": {"field": fields.aggregated(types, key), "size": chart.top, "order": "desc",
                                           "orderBy": "1", "otherBucket": False, "missingBucket": False}}))
    aggs = []
    for number, (_, agg) in enumerate(found, 2):
        aggs.append({"id": str(number), "enabled": True, "schema": _schema(vis_type, number == 2), **agg})
    return aggs


def _schema(vis_type: str, first: bool) -> str:
    """The role of a bucket aggregation: the x axis (segment) and split series (group) of an XY
    chart or heatmap, a table's rows (bucket), a pie's slices (segment), a metric's groups."""
    if vis_type in XY or vis_type == "heatmap":
        return "segment" if first else "group"
    return {"table": "bucket", "pie": "segment", "metric": "group"}[vis_type]


def dashboard(region: Region, board: LogDashboard, charts: list[dict]) -> dict:
    panels, references = [], []
    for number, chart in enumerate(charts, 1):
        at = number - 1
        key = str(number)
        grid = {"x": (at % 2) * PANEL_WIDTH, "y": (at // 2) * PANEL_HEIGHT, "w": PANEL_WIDTH, "h": PANEL_HEIGHT,
                "i": key}
        panels.append({"type": "visualization", "panelIndex": key, "gridData": grid, "embeddableConfig": {},
                       "panelRefName": f"panel_{key}"})
        references.append({"name": f"{key}:panel_{key}", "type": "visualization", "id": chart["id"]})
    attributes = {
        "title": f"{board.title} logs ({region.name})",
        "description": _described(board.description),
        "panelsJSON": _json(panels),
        "optionsJSON": _json({"hidePanelTitles": False, "useMargins": True, "syncColors": False,
                              "syncCursor": True, "syncTooltips": False}),
        "timeRestore": True,
        "timeFrom": board.time_from,
        "timeTo": "now",
        "refreshInterval": {"pause": False, "value": int(duration.seconds(board.refresh) * 1000)},
        "kibanaSavedObjectMeta": {"searchSourceJSON": _json({"query": {"query": "", "language": "kuery"}, "filter": []})},
        "version": 1,
    }
    return _object("dashboard", names.kibana_dashboard_id(region.name, board.name), attributes, references)


def _json(value) -> str:
    """Kibana keeps these attributes as JSON text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
