"""The route tests generated from the model pass on the generated configs, and can fail."""
from __future__ import annotations

import shutil

import pytest
import yaml
from click.testing import CliRunner

from obsgen import amtool, names
from obsgen.cli import main
from tests.alertmanager.conftest import ROOT

pytestmark = pytest.mark.tool("amtool")


def test_every_generated_config_passes_amtool_check_config(tree):
    files = amtool.config_files(tree)
    assert len(files) == 5
    result = amtool.check_config(files)
    assert result.ok, result.output


def test_every_generated_route_case_routes_as_the_channel_table_says(tree):
    count, mismatches = amtool.run_route_tests(amtool.route_test_files(tree))
    assert not mismatches, "\n".join(map(str, mismatches))
    assert count >= 60


def _mutated(tree, tmp_path, mutate):
    copy = tmp_path / "generated"
    shutil.copytree(tree, copy)
    path = copy / "us-east" / names.alertmanager_file()
    config = yaml.safe_load(path.read_text())
    mutate(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return copy


def _drop_continue(config):
    next(r for r in config["route"]["routes"] if r["receiver"] == "group-business").pop("continue")


def _critical_first(config):
    routes = config["route"]["routes"]
    routes.insert(0, routes.pop(next(i for i, r in enumerate(routes) if r["receiver"] == "severity-critical")))


def _slo_route_gone(config):
    config["route"]["routes"] = [r for r in config["route"]["routes"] if not r["receiver"].startswith("slo-")]


@pytest.mark.parametrize("mutate,broken_case", [
    (_drop_continue, "business alert PaymentProcessingIssues"),
    (_critical_first, "SLO"),
    (_slo_route_gone, "page burn"),
], ids=[
    "a business route that stops routing fails the case of a critical business alert",
    "a severity route placed before the SLO routes fails the SLO cases",
    "a missing SLO route fails the page-burn case",
])
def test_a_wrong_routing_tree_fails_its_route_tests(tree, tmp_path, mutate, broken_case):
    copy = _mutated(tree, tmp_path, mutate)
    _, mismatches = amtool.run_route_tests([copy / "us-east" / names.alertmanager_routes_test_file()])
    assert any(broken_case in m.case for m in mismatches), mismatches


# These run `obsgen test` on the partial tree of the fixture: the other targets' steps have their
# own tests, so only the Alertmanager steps' lines and the failing exit are asserted.
@pytest.mark.tool("promtool")
def test_obsgen_test_runs_the_alertmanager_checks(tree):
    result = CliRunner().invoke(main, ["test", "--root", str(ROOT), "--out", str(tree)])
    assert "amtool check-config: ok" in result.output
    assert "amtool config routes test: ok" in result.output
    assert "5 Alertmanager configs checked, 5 route-test files run" in result.output


@pytest.mark.tool("promtool")
def test_obsgen_test_fails_when_a_route_case_fails(tree, tmp_path):
    copy = _mutated(tree, tmp_path, _slo_route_gone)
    result = CliRunner().invoke(main, ["test", "--root", str(ROOT), "--out", str(copy)])
    assert result.exit_code == 1, result.output
    assert "amtool config routes test: FAILED" in result.output
    assert "page burn" in result.output
