"""PrometheusRule out: a region with rule_format "both" also gets its rule files as Prometheus
Operator objects, valid under the Operator's own CRD schema, and their groups pass promtool."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import jsonschema
import pytest
import yaml

from obsgen import names, promtool
from obsgen.build import render_tree
from obsgen.errors import DefinitionError
from obsgen.load import load_estate
from obsgen.validate import types

ROOT = Path(__file__).resolve().parents[2]
CRD = Path(__file__).parent / "data" / "prometheus-operator" / "monitoring.coreos.com_prometheusrules.yaml"


def schema() -> dict:
    crd = yaml.safe_load(CRD.read_text())
    (v1,) = [v for v in crd["spec"]["versions"] if v["name"] == "v1"]
    return v1["schema"]["openAPIV3Schema"]


def estate(formats: dict[str, str]):
    e = load_estate(ROOT)
    regions = tuple(dataclasses.replace(r, rule_format=formats.get(r.name, r.rule_format)) for r in e.regions)
    return dataclasses.replace(e, regions=regions)


@pytest.fixture(scope="module")
def trees(example_tree):
    return example_tree, render_tree(estate({"eu-west": "both"}), workers=1)


def objects(tree: dict[str, bytes], region: str) -> dict[str, dict]:
    prefix = f"{region}/prometheus-operator/"
    return {p: yaml.safe_load(b) for p, b in tree.items() if p.startswith(prefix)}


def rule_files(tree: dict[str, bytes], region: str) -> dict[str, dict]:
    prefix = f"{region}/{names.rules_file('')[:-len('.yml')]}"
    return {p: yaml.safe_load(b) for p, b in tree.items() if p.startswith(prefix) and p.endswith(".yml")}


def test_the_default_writes_no_prometheusrule_and_changes_nothing_else(trees):
    plain, both = trees
    assert not [p for p in plain if "/prometheus-operator/" in p]
    assert {p: b for p, b in both.items() if "/prometheus-operator/" not in p} == plain


def test_one_prometheusrule_per_rule_file_holding_its_groups_unchanged_in_that_region_only(trees):
    _, both = trees
    files, objs = rule_files(both, "eu-west"), objects(both, "eu-west")
    assert len(objs) == len(files) > 5
    by_name = {o["metadata"]["name"]: o for o in objs.values()}
    for path, doc in files.items():
        obj = by_name[doc["groups"][0]["name"]]
        assert obj["spec"]["groups"] == doc["groups"]
        assert obj["metadata"]["namespace"] == names.PROMETHEUS_RULE_NAMESPACE
        assert obj["metadata"]["labels"][names.PROMETHEUS_RULE_REGION_LABEL] == "eu-west"
        assert obj["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "obsgen"
    assert all(b.startswith(f"# {names.HEADER}\n".encode()) for p, b in both.items() if "/prometheus-operator/" in p)
    assert not objects(both, "us-east")


def test_every_prometheusrule_is_valid_under_the_operators_published_crd_schema(trees):
    _, both = trees
    validator = jsonschema.Draft7Validator(schema())
    objs = objects(both, "eu-west")
    for path, obj in objs.items():
        errors = sorted(validator.iter_errors(obj), key=str)
        assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"
        assert obj["apiVersion"] == "monitoring.coreos.com/v1" and obj["kind"] == "PrometheusRule"


def test_the_schema_check_is_not_vacuous_a_rule_without_expr_is_refused():
    bad = {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule", "metadata": {"name": "x"},
           "spec": {"groups": [{"name": "g", "rules": [{"alert": "A"}]}]}}
    assert list(jsonschema.Draft7Validator(schema()).iter_errors(bad))


def test_a_rule_format_obsgen_does_not_know_is_refused_when_the_estate_loads():
    region = dataclasses.replace(load_estate(ROOT).regions[0], rule_format="operator")
    with pytest.raises(DefinitionError, match="rule_format must be one of 'files', 'both'"):
        types.check(region, region.site, "region")


@pytest.mark.tool("promtool")
def test_the_groups_embedded_in_the_prometheusrules_pass_promtool_check_rules(trees, tmp_path):
    _, both = trees
    files = []
    for path, obj in objects(both, "eu-west").items():
        out = tmp_path / (Path(path).stem + ".yml")
        out.write_text(yaml.safe_dump({"groups": obj["spec"]["groups"]}, sort_keys=False))
        files.append(out)
    result = promtool.check_rules(files)
    assert result.ok, result.output
    assert f"SUCCESS: {len(files)}" in result.output or result.output.count("SUCCESS") == len(files)
