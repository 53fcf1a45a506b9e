"""One SLO dashboard per service, generated from the SLO definitions: its queries read only
the SLO engine's recorded series, its thresholds are the objectives and the alert factors,
and its panel ids are those the SLO alerts link to."""
from __future__ import annotations

import re

import promql_parser as pp
import pytest

from obsgen import names
from obsgen.slo import alerts, recording
from obsgen.dashboards import check
from tests.dashboards.helpers import SCHEMAS, grafana_trees, panels, slo_estate

SLO_FILE = "grafana/dashboards/slo-{}.json"


@pytest.fixture(scope="module")
def estate(tmp_path_factory):
    return slo_estate(tmp_path_factory.mktemp("slo-estate"))


@pytest.fixture(scope="module")
def trees(estate):
    return grafana_trees(estate)


def _by_id(doc):
    return {p["id"]: p for p in doc["panels"]}


def _metric_names(expr: str) -> set[str]:
    found = set()

    def visit(node):
        if isinstance(node, pp.VectorSelector):
            found.add(node.name)
        return None

    pp.transform(pp.parse(expr), pre_visit=visit)
    return found


def test_one_dashboard_per_service_where_its_slos_apply(trees):
    assert SLO_FILE.format("api") in trees["alpha"] and SLO_FILE.format("jobs") in trees["alpha"]
    assert SLO_FILE.format("api") in trees["gamma"]          # latency applies in gamma
    assert SLO_FILE.format("api") in trees["global"]


def test_each_slo_has_its_four_panels_at_the_ids_names_derive(trees, estate):
    doc = trees["global"][SLO_FILE.format("api")]
    ids = _by_id(doc)
    for slo in (s for s in estate.slos if s.service == "api"):
        kinds = [ids[names.slo_panel_id(slo.name, role)]["type"] for role in names.SLO_PANELS]
        assert kinds == ["timeseries", "stat", "timeseries", "state-timeline"]


def test_the_uid_is_the_one_names_gives_the_alerts(trees):
    assert trees["alpha"][SLO_FILE.format("api")]["uid"] == names.slo_dashboard_uid("api")


@pytest.mark.parametrize("target, objective", [("alpha", 0.995), ("beta", 0.999), ("global", 0.995)])
def test_the_sli_threshold_is_the_objective_of_the_regions_shown(trees, target, objective):
    sli = _by_id(trees[target][SLO_FILE.format("api")])[names.slo_panel_id("availability", "sli")]
    steps = sli["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert [s["value"] for s in steps] == [None, objective]
    assert sli["fieldConfig"]["defaults"]["unit"] == "percentunit"


def test_the_burn_rate_panel_draws_each_alert_factor_and_reads_each_window(trees, estate):
    for slo in estate.slos:
        doc = trees["alpha"][SLO_FILE.format(slo.service)]
        burn = _by_id(doc)[names.slo_panel_id(slo.name, "burn")]
        windows = slo.burn_windows
        drawn = {s["value"] for s in burn["fieldConfig"]["defaults"]["thresholds"]["steps"][1:]}
        assert drawn == {w.factor for w in windows}
        assert burn["fieldConfig"]["defaults"]["custom"]["thresholdsStyle"]["mode"] == "line"
        read = set().union(*(_metric_names(t["expr"]) for t in burn["targets"]))
        assert read == {names.burn_rate(w) for bw in windows for w in (bw.long, bw.short)}


def test_a_custom_policy_and_period_change_what_is_read(trees):
    burn = _by_id(trees["alpha"][SLO_FILE.format("jobs")])[names.slo_panel_id("success", "burn")]
    assert {t["expr"].split("{")[0] for t in burn["targets"]} == {names.burn_rate("10m"), names.burn_rate("2h")}
    sli = _by_id(trees["alpha"][SLO_FILE.format("jobs")])[names.slo_panel_id("success", "sli")]
    assert names.error_ratio("7d") in sli["targets"][0]["expr"]


def test_queries_read_only_recorded_slo_series_and_the_alerts(trees, estate):
    allowed = {names.OBJECTIVE, names.BUDGET_REMAINING, "ALERTS"}
    for slo in estate.slos:
        allowed |= {names.error_ratio(slo.period)}
        allowed |= {names.burn_rate(w) for bw in slo.burn_windows for w in (bw.long, bw.short)}
    for target, tree in trees.items():
        for path, doc in tree.items():
            if "/slo-" in path:
                for panel in panels(doc):
                    for t in panel["targets"]:
                        assert _metric_names(t["expr"]) <= allowed, (target, panel["title"], t["expr"])
                        assert 'region=~"$region"' in t["expr"]


def test_the_slo_engine_records_every_series_the_dashboards_read(trees, estate):
    checked = 0
    for region in estate.regions:
        doc = trees[region.name].get(SLO_FILE.format("api"))
        if doc is None:
            continue
        for slo in (s for s in estate.slos if s.service == "api" and (s.regions is None or region.name in s.regions)):
            recorded = {r["record"] for r in recording.rules(slo, region) if "record" in r}
            for role in ("sli", "budget", "burn"):
                panel = _by_id(doc)[names.slo_panel_id(slo.name, role)]
                for t in panel["targets"]:
                    assert _metric_names(t["expr"]) <= recorded, (region.name, slo.name, t["expr"])
                    checked += 1
    assert checked, "no SLO panel target was checked: this test would prove nothing"


def test_every_slo_alert_links_to_its_burn_rate_panel(trees, estate):
    for region in estate.regions:
        for slo in (s for s in estate.slos if s.regions is None or region.name in s.regions):
            for bw in slo.burn_windows:
                path = alerts.burn_rule(slo, bw, region)["annotations"]["dashboard"]
                uid, panel = re.fullmatch(r"/d/([^/]+)/\?viewPanel=(\d+)", path).groups()
                doc = trees[region.name][SLO_FILE.format(slo.service)]
                assert doc["uid"] == uid
                assert _by_id(doc)[int(panel)]["title"] == "Burn rate per alert window"


def test_a_regional_slo_dashboard_offers_only_its_region(trees):
    (var,) = trees["beta"][SLO_FILE.format("api")]["templating"]["list"]
    assert var["query"] == "beta" and var.get("includeAll") is False


@pytest.mark.parametrize("target", ["alpha", "beta", "gamma", "global"])
def test_slo_dashboards_are_valid(trees, target):
    for path, doc in trees[target].items():
        if "/slo-" in path:
            assert check.problems(doc) == []
            if SCHEMAS.is_dir():
                assert check.schema_errors(doc, SCHEMAS) == []


def test_the_sli_and_burn_panels_link_the_slos_runbook(trees):
    ids = _by_id(trees["alpha"][SLO_FILE.format("api")])
    for role in ("sli", "burn"):
        (link,) = ids[names.slo_panel_id("availability", role)]["links"]
        assert link["url"] == "https://runbooks.example/api-availability" and link["targetBlank"] is True
    assert "links" not in ids[names.slo_panel_id("latency", "sli")]
