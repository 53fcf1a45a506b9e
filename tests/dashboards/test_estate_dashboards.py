"""The estate's dashboards as rendered into generated/: valid for current Grafana, every query
parses, the same bytes every build, and the committed tree is up to date."""
from __future__ import annotations

import pytest

from obsgen import names, serialize
from obsgen.dashboards import check
from obsgen.model.dashboard import PANEL_TYPES
from tests.dashboards.helpers import ROOT, SCHEMAS, dashboards_of, grafana_trees, panels, the_estate

ESTATE = the_estate()
TREES = grafana_trees(ESTATE)
DASHBOARDS = dashboards_of(TREES)
needs_schemas = pytest.mark.skipif(not SCHEMAS.is_dir(), reason="../shared/grafana-schemas is absent")


def test_the_seed_dashboards_are_rendered_where_they_belong():
    expected = {
        "global": {"global-overview", "business-metrics", "payments-team"},
        "us-east": {"global-overview", "business-metrics", "payments-team", "us-east-deep-dive"},
        "eu-west": {"global-overview", "business-metrics", "payments-team", "eu-west-deep-dive"},
        "cn-east": {"global-overview", "business-metrics", "payments-team"},
    }
    for target, wanted in expected.items():
        got = {p.rsplit("/", 1)[1][:-5] for p in TREES[target] if p.startswith("grafana/dashboards/")}
        slo = {n for n in got if n.startswith("slo-")}
        assert got - slo == wanted, target


@needs_schemas
@pytest.mark.parametrize("path", sorted(DASHBOARDS))
def test_every_dashboard_passes_grafanas_dashboard_and_panel_schemas(path):
    assert check.schema_errors(DASHBOARDS[path], SCHEMAS) == []


@pytest.mark.parametrize("path", sorted(DASHBOARDS))
def test_every_dashboard_survives_the_sdk_round_trip_and_every_query_parses(path):
    assert check.problems(DASHBOARDS[path]) == []


@pytest.mark.parametrize("path", sorted(DASHBOARDS))
def test_every_panel_is_a_current_panel_type_with_a_unit_and_thresholds(path):
    for panel in panels(DASHBOARDS[path]):
        assert panel["type"] in PANEL_TYPES
        defaults = panel["fieldConfig"]["defaults"]
        assert defaults["unit"], panel["title"]
        assert defaults["thresholds"]["steps"][0]["value"] is None, panel["title"]


def test_two_builds_give_the_same_bytes():
    first = {p: serialize.to_json(d) for p, d in dashboards_of(grafana_trees(the_estate())).items()}
    second = {p: serialize.to_json(d) for p, d in dashboards_of(grafana_trees(the_estate())).items()}
    assert first == second and len(first) == len(DASHBOARDS)


def test_the_committed_grafana_trees_match_a_fresh_build():
    mine = {f"{target}/{path}": serialize.to_json(doc) if path.endswith(".json") else serialize.to_yaml(doc)
            for target, tree in TREES.items() for path, doc in tree.items()}
    on_disk = {str(p.relative_to(ROOT / names.GENERATED)): p.read_bytes()
               for p in (ROOT / names.GENERATED).glob("*/grafana/**/*") if p.is_file()}
    assert sorted(on_disk) == sorted(mine), "run `obsgen build`"
    stale = [p for p in mine if on_disk[p] != mine[p]]
    assert stale == [], "run `obsgen build`"


def test_the_seed_queries_are_corrected_to_sums_by_region():
    overview = DASHBOARDS["global/grafana/dashboards/global-overview.json"]
    exprs = {p["title"]: p["targets"][0]["expr"] for p in panels(overview)}
    assert exprs["Regional Response Times (p95)"].startswith("histogram_quantile(0.95, sum by (region, le)")
    assert exprs["Error Rates by Region"].count("sum by (region)") == 2
