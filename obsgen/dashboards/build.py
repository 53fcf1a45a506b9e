"""A model Dashboard, for one target Grafana, as the JSON document grafana-foundation-sdk builds."""
from __future__ import annotations

import json

from grafana_foundation_sdk.builders import dashboard as db
from grafana_foundation_sdk.builders import prometheus
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import dashboard as dm
from grafana_foundation_sdk.models import prometheus as pm

from obsgen import names, promql
from obsgen.dashboards import layout, panels
from obsgen.dashboards.targets import Target, offered
from obsgen.model.dashboard import Dashboard, Query, Row

REGION_VARIABLE = names.REGION
REGION_MATCHER = f'{names.REGION}=~"${REGION_VARIABLE}"'


def narrowed(dashboard: Dashboard, target: Target) -> bool:
    """Whether the dashboard's queries are narrowed to the region variable on this target."""
    return target.labelled or dashboard.region_labelled


def build(dashboard: Dashboard, target: Target) -> dict:
    source = dm.DataSourceRef(type_val="prometheus", uid=target.datasource_uid)
    narrow = narrowed(dashboard, target)
    b = (db.Dashboard(dashboard.title).time("now-6h", "now").refresh("1m")
         .tooltip(dm.DashboardCursorSync.CROSSHAIR).editable())
    if dashboard.description:
        b = b.description(dashboard.description)
    if dashboard.tags:
        b = b.tags(list(dashboard.tags))
    if narrow:
        b = b.with_variable(region_variable(offered(target, dashboard.regions)))
    for placed in layout.place(dashboard.rows):
        grid = dm.GridPos(h=placed.h, w=placed.w, x=placed.x, y=placed.y)
        if isinstance(placed.item, Row):
            b = b.with_row(db.Row(placed.item.title).id(placed.id).grid_pos(grid))
            continue
        p = panels.builder(placed.item).id(placed.id).grid_pos(grid).datasource(source)
        for i, query in enumerate(placed.item.queries):
            p = p.with_target(target_query(query, _ref(i), source, narrow))
        b = b.with_panel(p)
    return json.loads(json.dumps(b.build(), cls=JSONEncoder))


def region_variable(regions: tuple[str, ...]):
    """A fixed list from the region table, never a label lookup: an isolated region's series
    that reached the store by mistake are still never offered. "All" is the same list."""
    v = db.CustomVariable(REGION_VARIABLE).label("Region").values(",".join(regions)).allow_custom_value(False)
    if len(regions) == 1:
        return v.current(dm.VariableOption(text=regions[0], value=regions[0], selected=True))
    return (v.multi(True).include_all(True).all_value(promql.regex_alternatives(regions))
            .current(dm.VariableOption(text="All", value="$__all", selected=True)))


def target_query(query: Query, ref: str, source, narrow: bool):
    expr = promql.with_matcher(query.expr, REGION_MATCHER) if narrow else query.expr
    t = prometheus.Dataquery().expr(expr).ref_id(ref).datasource(source)
    if query.legend:
        t = t.legend_format(query.legend)
    if query.instant:
        t = t.instant().format(pm.PromQueryFormat.TABLE)
    else:
        t = t.range()
    return t


def _ref(i: int) -> str:
    return chr(ord("A") + i) if i < 26 else f"Q{i}"
