"""A team's grafanalib dashboard is accepted: rendered with the SDK and checked like the rest.
grafanalib's own JSON is not emitted, because it fails today's schema."""
from __future__ import annotations

import grafanalib.core as G
import pytest

from obsgen.dashboards import check
from obsgen.dashboards.build import build
from obsgen.dashboards.targets import region_target
from obsgen.model.dashboard import GrafanalibDashboard
from obsgen.model.grafanalib import ImportProblem, from_grafanalib, grafanalib_json
from tests.dashboards.helpers import SCHEMAS, the_estate

ESTATE = the_estate()
TARGET = region_target(ESTATE.region("us-east"))


def team_dashboard(*panels, **over):
    return G.Dashboard(title="Team", panels=list(panels), **over).auto_panel_ids()


def target(expr="sum(rate(x_total[5m]))", **over):
    return G.Target(expr=expr, refId="A", **over)


GRAPH = G.Graph(title="Old graph", targets=[target(legendFormat="{{job}}")], yAxes=G.YAxes(G.YAxis(format="s")),
                gridPos=G.GridPos(h=7, w=12, x=0, y=0))
STAT = G.Stat(title="A stat", targets=[target("up")], format="percentunit", gridPos=G.GridPos(h=7, w=12, x=12, y=0),
              thresholds=[G.Threshold("green", 0, 0.0), G.Threshold("red", 1, 0.9)])
TS = G.TimeSeries(title="A series", targets=[target(instant=True)], unit="reqps", gridPos=G.GridPos(h=9, w=24, x=0, y=7))


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="../shared/grafana-schemas is absent")
def test_grafanalibs_own_json_fails_the_schema_which_is_why_it_is_converted():
    assert check.schema_errors(grafanalib_json(team_dashboard(GRAPH, STAT)), SCHEMAS)


@pytest.mark.parametrize("panel, kind, unit", [
    (GRAPH, "timeseries", "s"),     # the deprecated graph panel becomes a time series
    (STAT, "stat", "percentunit"),
    (TS, "timeseries", "reqps"),
])
def test_each_panel_keeps_its_queries_and_unit_in_a_current_panel_type(panel, kind, unit):
    converted = from_grafanalib(GrafanalibDashboard("team", team_dashboard(panel)))
    (p,) = converted.panels
    assert (p.type, p.unit) == (kind, unit)
    assert p.queries[0].expr == panel.targets[0].expr
    assert p.queries[0].legend == (panel.targets[0].legendFormat or "")


def test_thresholds_and_instant_queries_are_carried_over():
    converted = from_grafanalib(GrafanalibDashboard("team", team_dashboard(STAT, TS)))
    stat, ts = converted.panels
    assert [(t.value, t.color) for t in stat.thresholds] == [(None, "green"), (0.9, "red")]   # index 0 is the base
    assert ts.queries[0].instant is True


def test_the_converted_dashboard_is_valid():
    doc = build(from_grafanalib(GrafanalibDashboard("team", team_dashboard(GRAPH, STAT, TS))), TARGET)
    assert check.problems(doc) == []
    if SCHEMAS.is_dir():
        assert check.schema_errors(doc, SCHEMAS) == []


def test_rows_keep_their_titles_and_panels_their_reading_order():
    d = team_dashboard(G.RowPanel(title="First", gridPos=G.GridPos(h=1, w=24, x=0, y=0)), STAT, GRAPH,
                       G.RowPanel(title="Second", gridPos=G.GridPos(h=1, w=24, x=0, y=20)),
                       G.TimeSeries(title="Late", targets=[target()], gridPos=G.GridPos(h=8, w=24, x=0, y=21)))
    rows = from_grafanalib(GrafanalibDashboard("team", d)).rows
    assert [(r.title, [p.title for p in r.panels]) for r in rows] == [
        ("First", ["Old graph", "A stat"]), ("Second", ["Late"])]


@pytest.mark.parametrize("dashboard, message", [
    (team_dashboard(G.Text(title="Notes", content="hi")), "cannot be rendered as a current panel"),
    (team_dashboard(G.TimeSeries(title="Empty", targets=[])), "has no queries"),
    (team_dashboard(G.TimeSeries(title="No expr", targets=[G.Target(expr="", refId="A")])), "has no PromQL expr"),
    (team_dashboard(), "has no panels"),
    ("not a dashboard", "must be a grafanalib Dashboard"),
])
def test_what_cannot_be_rendered_faithfully_is_refused_with_the_reason(dashboard, message):
    with pytest.raises(ImportProblem, match=message):
        from_grafanalib(GrafanalibDashboard("team", dashboard))


def test_the_estates_grafanalib_example_is_rendered_everywhere():
    from obsgen.render import grafana

    for region in ESTATE.regions:
        assert "grafana/dashboards/payments-team.json" in grafana.render_region(ESTATE, region)
