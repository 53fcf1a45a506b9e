"""Checks of log dashboards (Kibana): every chart reads a defined stream, groups and measures
fields that stream's index template maps (and that can be aggregated), never groups by personal
data, and has the buckets its chart type can draw."""
from __future__ import annotations

import re

from obsgen import names
from obsgen.logs import fields, plan
from obsgen.model.pipeline import LogChart, LogDashboard
from obsgen.validate.patterns import SLUG

CHARTS = ("line", "bar", "horizontal_bar", "table", "heatmap", "pie", "metric")
METRICS = ("count", "sum", "avg", "max", "min", "unique")   # unique: distinct values
_TIME_FROM = re.compile(r"^now-[1-9][0-9]*[smhdwMy]$")
# A KQL field before its operator, outside quoted values: `level : "ERROR"`, `response >= 400`.
_KQL_FIELD = re.compile(r'"(?:[^"\\]|\\.)*"|([@A-Za-z_][A-Za-z0-9_.]*)\s*(?::|<=|>=|<|>)')


def check(estate, board: LogDashboard, c) -> None:
    what = f"log dashboard {board.name}"
    if not isinstance(board.name, str) or not SLUG.match(board.name):
        c.fail(board, f"log dashboard {board.name!r}", "name must be lower-case letters, digits and dashes (it names a file)")
    c.text(board, what, "title", board.title)
    if not board.charts:
        c.fail(board, what, "has no charts")
    if not _TIME_FROM.match(str(board.time_from)):
        c.fail(board, what, f"time_from must look like now-24h, got {board.time_from!r}")
    c.duration(board, what, "refresh", board.refresh)
    seen: dict[str, str] = {}
    for chart in board.charts:
        _chart(estate, board, chart, c)
        key = names.kibana_chart_slug(chart.title)   # its saved object's id
        if key in seen:
            c.fail(board, what, f"charts {seen[key]!r} and {chart.title!r} would share the id {key!r}")
        seen[key] = chart.title
    twins = [b for b in estate.log_dashboards if b.name == board.name]
    if len(twins) > 1 and twins[-1] is board:
        c.fail(board, what, f"defined twice (also at {c.site(twins[0])})")


def _chart(estate, board: LogDashboard, chart: LogChart, c) -> None:
    what = f"log dashboard {board.name}: chart {chart.title!r}"
    c.text(board, what, "title", chart.title)
    streams = {i.stream: i for i in plan.indices(estate)}
    if chart.stream not in streams:
        c.fail(board, what, f"stream {chart.stream!r} is no LogIndex's stream (known: {', '.join(sorted(streams))})")
    index = streams[chart.stream]
    types = fields.field_types(index, plan.pipeline_of(estate, index))
    if chart.chart not in CHARTS:
        c.fail(board, what, f"unknown chart {chart.chart!r} (one of {', '.join(CHARTS)})")
    if isinstance(chart.by, str):
        c.fail(board, what, f"by must be a tuple of fields, got the string {chart.by!r}")
    for key in chart.by:
        _groupable(board, what, "by", key, types, index, c)
    if not isinstance(chart.top, int) or isinstance(chart.top, bool) or chart.top < 1:
        c.fail(board, what, f"top must be a whole number >= 1, got {chart.top!r}")
    operation, _, key = str(chart.metric).partition(":")
    if operation not in METRICS or (operation == "count") != (key == ""):
        c.fail(board, what, f"metric must be count or <{'|'.join(METRICS[1:])}>:<field>, got {chart.metric!r}")
    if key:
        if operation == "unique":
            _groupable(board, what, "metric", key, types, index, c)
        elif types.get(key) not in fields.NUMERIC:
            c.fail(board, what, f"metric {chart.metric!r}: {_mapped(key, types, chart.stream)}, not a number")
    if chart.histogram is not None:
        if types.get(chart.histogram) not in fields.NUMERIC:
            c.fail(board, what, f"histogram: {_mapped(chart.histogram, types, chart.stream)}, not a number")
        if not isinstance(chart.interval, (int, float)) or isinstance(chart.interval, bool) or not chart.interval > 0:
            c.fail(board, what, f"interval must be a number > 0, got {chart.interval!r}")
    for label, kql in (("where", chart.where), *((f"steps[{k!r}]", v) for k, v in chart.steps.items())):
        _kql(board, what, label, kql, types, index, c)
    if chart.steps and not all(isinstance(v, str) and v.strip() for v in chart.steps.values()):
        c.fail(board, what, "every step needs a KQL query")
    _shape(board, what, chart, c)


def _groupable(board, what, label, key, types, index, c) -> None:
    if key in index.pii_fields:
        c.fail(board, what, f"{label}: {key!r} is personal data: no dashboard groups by it")
    if fields.aggregated(types, key) is None:
        c.fail(board, what, f"{label}: {_mapped(key, types, index.stream)}: nothing to group or count by")


def _mapped(key, types, stream) -> str:
    kind = types.get(key)
    if kind is None:
        return f"field {key!r} is not mapped in stream {stream!r} (mapped: {', '.join(types)})"
    return f"field {key!r} is a {kind}"


def _kql(board, what, label, kql, types, index, c) -> None:
    if not isinstance(kql, str):
        c.fail(board, what, f"{label} must be a KQL string, got {kql!r}")
    if kql.count('"') % 2:
        c.fail(board, what, f"{label}: unbalanced quotes in {kql!r}")
    for match in _KQL_FIELD.finditer(kql):
        key = match.group(1)
        if key and key not in types and key.removesuffix(f".{names.TEXT_KEYWORD_SUBFIELD}") not in types:
            c.fail(board, what, f"{label}: {_mapped(key, types, index.stream)}, so {kql!r} matches nothing")
        if key in index.pii_fields:
            c.fail(board, what, f"{label}: {key!r} is personal data, hashed where the region anonymizes: "
                                "no dashboard filters on it")


def _shape(board, what, chart: LogChart, c) -> None:
    """The buckets each chart type can draw (Kibana's legacy visualizations)."""
    axes = int(chart.over_time) + int(bool(chart.steps))
    if chart.chart in ("line", "bar", "horizontal_bar") and axes > 1:
        c.fail(board, what, "an XY chart has one x axis: over_time or steps, not both")
    if chart.chart == "heatmap" and not (chart.over_time and (chart.histogram or len(chart.by) == 1)):
        c.fail(board, what, "a heatmap needs over_time and one row field (histogram, or one by field)")
    if chart.histogram is not None and chart.chart != "heatmap":
        c.fail(board, what, "histogram is a heatmap's rows; other charts group by fields (by)")
    if chart.chart == "pie" and (chart.over_time or chart.steps or not chart.by):
        c.fail(board, what, "a pie chart slices by fields (by) only")
    if chart.chart == "metric" and (chart.over_time or chart.steps or len(chart.by) > 1):
        c.fail(board, what, "a metric chart shows one number, or one per value of one by field")
    if chart.chart == "table" and chart.steps and chart.over_time:
        c.fail(board, what, "a table's rows are steps or time, not both")
    if chart.chart in ("line", "bar", "horizontal_bar") and axes + len(chart.by) > 4:
        c.fail(board, what, "an XY chart takes an x axis and at most 3 split series")
