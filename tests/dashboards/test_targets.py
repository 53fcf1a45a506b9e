"""Each Grafana points at its own Prometheus (or Thanos Query for the global view), with
provisioning files that hold no secret, and the global region variable never offers an
isolated region."""
from __future__ import annotations

import re

import pytest

from obsgen import names, promql
from obsgen.dashboards import house
from obsgen.dashboards.targets import global_target
from tests.dashboards.helpers import dashboards_of, grafana_trees, panels, slo_estate, the_estate

ESTATE = the_estate()
TREES = grafana_trees(ESTATE)


@pytest.mark.parametrize("target", sorted(TREES))
def test_the_data_source_is_the_regions_prometheus_or_thanos_query(target):
    (source,) = TREES[target][names.GRAFANA_DATASOURCES_FILE]["datasources"]
    url = ESTATE.global_view.query_url if target == names.GLOBAL_DIR else ESTATE.region(target).prometheus_url
    assert source["url"] == url and source["type"] == "prometheus"
    for path, doc in TREES[target].items():
        if path.endswith(".json"):
            uids = {p["datasource"]["uid"] for p in panels(doc)}
            assert uids == {source["uid"]}, path


@pytest.mark.parametrize("target", sorted(TREES))
def test_credentials_are_only_references_to_grafanas_environment(target):
    (source,) = TREES[target][names.GRAFANA_DATASOURCES_FILE]["datasources"]
    assert re.fullmatch(r"\$\{[A-Z_]+\}", source["basicAuthUser"])
    assert all(re.fullmatch(r"\$\{[A-Z_]+\}", v) for v in source["secureJsonData"].values())


@pytest.mark.parametrize("target", sorted(TREES))
def test_the_provider_loads_the_dashboards_folder_read_only(target):
    (provider,) = TREES[target][names.GRAFANA_PROVIDERS_FILE]["providers"]
    assert provider["type"] == "file" and provider["allowUiUpdates"] is False
    assert provider["options"]["path"] == names.GRAFANA_DASHBOARDS_PATH


def _region_variables(trees):
    for path, doc in dashboards_of(trees).items():
        for v in doc.get("templating", {}).get("list", []):
            if v["name"] == names.REGION:
                yield path, v


def test_the_global_region_variable_offers_every_region_feeding_thanos_and_never_an_isolated_one(tmp_path):
    estate = slo_estate(tmp_path)   # alpha, beta and the isolated gamma
    found = [(p, v) for p, v in _region_variables(grafana_trees(estate)) if p.startswith("global/")]
    assert found
    for path, v in found:
        assert "gamma" not in v["query"].split(","), path
        assert not re.fullmatch(v["allValue"], "gamma") and re.fullmatch(v["allValue"], "alpha"), path
        assert v["allowCustomValue"] is False


def test_the_estates_global_variable_leaves_out_cn_east():
    isolated = {r.name for r in ESTATE.regions if r.isolated}
    assert isolated == {"cn-east"}
    found = [v for p, v in _region_variables(TREES) if p.startswith("global/")]
    assert found and all(not set(v["query"].split(",")) & isolated for v in found)


def test_every_global_query_is_narrowed_to_the_region_variable():
    for path, doc in dashboards_of({"global": TREES["global"]}).items():
        for panel in panels(doc):
            for t in panel["targets"]:
                assert f'{names.REGION}=~"$region"' in t["expr"], (path, panel["title"])
                promql.parse(t["expr"])


def test_a_regional_grafana_keeps_its_regions_time_zone_and_the_global_one_utc():
    for target, tree in TREES.items():
        zone = "utc" if target == names.GLOBAL_DIR else ESTATE.region(target).timezone
        assert {doc["timezone"] for p, doc in tree.items() if p.endswith(".json")} == {zone}


def test_house_rules_give_each_dashboard_its_uid_tags_and_links():
    for path, doc in dashboards_of(TREES).items():
        name = path.rsplit("/", 1)[1][:-5]
        assert doc["uid"] == names.dashboard_uid(name) and len(doc["uid"]) <= 40
        assert {names.GRAFANA_TAG, path.split("/")[0]} <= set(doc["tags"])
        assert doc["links"][0]["tags"] == [names.GRAFANA_TAG]
        assert doc["description"].startswith(f"({names.HEADER}) ") or doc["description"] == names.HEADER


def test_house_rules_refuse_two_dashboards_with_one_uid():
    target = global_target(ESTATE)
    with pytest.raises(ValueError, match="share the uid"):
        house.apply([("same", {}), ("same", {})], target)


@pytest.mark.parametrize("name", ["x" * 60, "a-very-long-dashboard-name-for-a-service-team"])
def test_long_names_still_give_a_valid_uid(name):
    uid = names.dashboard_uid(name)
    assert len(uid) <= 40 and uid == names.dashboard_uid(name) and re.fullmatch(r"[a-zA-Z0-9_-]+", uid)
