"""A broken dashboard definition stops the build: exit 2, one line with file:line and the
object, generated/ untouched."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from tests.foundation.estate_builder import snapshot, write_estate

HEAD = "from obsgen.model.dashboard import Dashboard, GrafanalibDashboard, Link, Panel, Query, Row, Threshold\n"
GOOD_PANEL = 'Panel("p", (Query("up"),))'


def dashboard(panel=GOOD_PANEL, **over) -> str:
    fields = {"name": '"team"', "title": '"Team"', "rows": f'(Row("r", ({panel},)),)', **over}
    return HEAD + "X = Dashboard(" + ", ".join(f"{k}={v}" for k, v in fields.items()) + ")\n"


CASES = [
    ("a panel of the deprecated graph type", dashboard('Panel("p", (Query("up"),), type="graph")'), "unknown panel type 'graph'"),
    ("a query that does not parse", dashboard('Panel("p", (Query("rate(x[5m]) by (a)"),))'), "query 1 is not valid PromQL"),
    ("a panel without queries", dashboard('Panel("p", ())'), "has no queries"),
    ("thresholds out of order", dashboard('Panel("p", (Query("up"),), thresholds=(Threshold(None, "green"), Threshold(5, "red"), Threshold(1, "red")))'),
     "threshold values must be ascending"),
    ("an unknown region", dashboard(regions='("mars",)'), "unknown region 'mars'"),
    ("a name that is no slug", dashboard(name='"Team Board"'), "name must be lower-case"),
    ("a name kept for SLO dashboards", dashboard(name='"slo-api"'), "kept for the generated SLO dashboards"),
    ("a row without panels", HEAD + 'X = Dashboard("team", "T", (Row("empty", ()),))\n', "row 'empty' has no panels"),
    ("a row too tall", dashboard(rows=f'(Row("r", ({GOOD_PANEL},), height=99),)'), "height must be 1 to 40"),
    ("two panels with one id", dashboard(rows='(Row("r", (Panel("a", (Query("up"),), id=7), Panel("b", (Query("up"),), id=7))),)'),
     "share the id 7"),
    ("a dashboard defined twice", dashboard() + 'Y = Dashboard("team", "Again", (Row("r", (Panel("p", (Query("up"),)),)),))\n',
     "defined twice"),
    ("a link that is no URL", dashboard('Panel("p", (Query("up"),), links=(Link("Runbook", "runbooks/x"),))'),
     "url is not an http(s) URL"),
    ("a grafanalib text panel", HEAD + "import grafanalib.core as G\nX = GrafanalibDashboard('notes', G.Dashboard(title='N', panels=[G.Text(title='t', content='c')]))\n",
     "cannot be rendered as a current panel"),
    ("a grafanalib query that does not parse", HEAD + "import grafanalib.core as G\nX = GrafanalibDashboard('bad', G.Dashboard(title='N', panels=[G.TimeSeries(title='t', targets=[G.Target(expr='sum(', refId='A')])]))\n",
     "is not valid PromQL"),
]


@pytest.mark.parametrize("source, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_broken_dashboard_exits_2_naming_its_line_and_leaves_generated_alone(tmp_path, source, message):
    root = write_estate(tmp_path, {"dashboards/team.py": source})
    out = root / "generated"
    out.mkdir()
    (out / "keep.txt").write_text("untouched")
    before = snapshot(out)
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: dashboards/team.py:"), result.output
    assert message in lines[0]
    assert snapshot(out) == before
