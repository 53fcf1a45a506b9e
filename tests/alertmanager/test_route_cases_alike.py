"""Route cases alike in every label the route tree matches on are routed once (obsgen/amtool.py),
and a case that expects another receiver still fails on its own."""
from __future__ import annotations

import shutil

import pytest
import yaml

from obsgen import amtool, names


def test_the_label_names_a_route_tree_matches_on_are_all_found(tmp_path):
    config = tmp_path / "alertmanager.yml"
    config.write_text(yaml.safe_dump({"route": {"receiver": "x", "routes": [
        {"receiver": "a", "matchers": ['severity="critical"', "team=~\"pay.*\""], "routes": [
            {"receiver": "b", "match": {"env": "prod"}, "match_re": {"zone": "eu-.*"}}]},
        {"receiver": "c", "matchers": ["slo!=''"]}]}}))
    assert amtool.route_labels(config) == {"severity", "team", "env", "zone", "slo"}
    config.write_text(yaml.safe_dump({"route": {"receiver": "x", "routes": [{"receiver": "a", "matchers": ["???"]}]}}))
    assert amtool.route_labels(config) is None


@pytest.mark.tool("amtool")
def test_cases_alike_in_routed_labels_run_amtool_once_and_a_wrong_case_still_fails(tree, tmp_path, monkeypatch):
    copy = tmp_path / "generated"
    shutil.copytree(tree, copy)
    tests = copy / "us-east" / names.alertmanager_routes_test_file()
    doc = yaml.safe_load(tests.read_text())
    wrong = doc["cases"][-1]
    wrong["receivers"] = ["nobody"]
    tests.write_text(yaml.safe_dump(doc, sort_keys=False))
    runs = []
    route = amtool.route
    monkeypatch.setattr(amtool, "route", lambda config, labels: runs.append(labels) or route(config, labels))
    count, mismatches = amtool.run_route_tests([tests])
    assert count == len(doc["cases"]) and len(runs) < count
    assert [m.case for m in mismatches] == [wrong["name"]]
