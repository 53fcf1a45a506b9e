"""Residency and anonymization hold over the whole generated tree, and the checks that say so
catch a config that breaks them."""
from __future__ import annotations

import copy
import json

import pytest
import yaml

from obsgen import duration, names
from obsgen.logs import plan
from tests.pipelines.residency import host, must_stay, outputs_outside, region_hosts, unanonymized


def test_an_isolated_regions_outputs_all_point_inside_it(estate, fluent_bit):
    staying = [r for r in estate.regions if must_stay(estate, r)]
    assert staying, "the estate has no isolated region: this test would prove nothing"
    for region in staying:
        assert outputs_outside(fluent_bit[region.name], region_hosts(region)) == [], region.name


def test_every_output_points_at_an_endpoint_of_the_region_table(estate, fluent_bit):
    known = set().union(*(region_hosts(r) for r in estate.regions))
    for name, config in fluent_bit.items():
        assert outputs_outside(config, known) == [], name


def test_a_restricted_region_salts_and_hashes_every_pii_field_before_any_output(estate, fluent_bit):
    """RESTRICTED regions always; WITH_CONSENT regions whose logs are stored in another region."""
    fields = plan.pii_fields(estate)
    anonymizing = [r for r in estate.regions if plan.must_anonymize(r, plan.collector(estate, r))]
    assert {r.cross_border for r in anonymizing} == {"RESTRICTED", "WITH_CONSENT"}
    assert anonymizing and fields, "no region must anonymize: this test would prove nothing"
    for region in anonymizing:
        col = plan.collector(estate, region)
        assert unanonymized(fluent_bit[region.name], fields, col.salt_env) == [], region.name


def test_no_file_outside_an_isolated_region_names_its_indices_or_hosts(estate, tree):
    for region in (r for r in estate.regions if must_stay(estate, r)):
        marks = [index.prefix(region.name) for index in plan.indices(estate)] + sorted(region_hosts(region))
        own = f"{names.region_dir(region.name)}/"
        log_files = [p for p in tree if not p.startswith(own) and any(k in p for k in ("/fluent-bit/", "/loki/", "/elasticsearch/"))]
        assert log_files, "no other region renders log pipeline files: this test would prove nothing"
        for path in log_files:
            text = tree[path].decode()
            assert not [m for m in marks if m in text], path


def test_each_region_with_a_collector_alerts_on_logs_in_its_own_loki(estate, tree):
    for region in estate.regions:
        if plan.collector(estate, region) is None:
            continue
        doc = yaml.safe_load(tree[f"{names.region_dir(region.name)}/{names.loki_rules_file()}"])
        rules = [r for g in doc["groups"] for r in g["rules"]]
        assert rules and all(r["labels"][names.REGION] == region.name for r in rules), region.name


def test_audit_indices_are_deleted_no_sooner_than_the_source_regions_audit_retention(estate, tree):
    audit = [i for i in estate.log_indices if i.audit]
    checked = 0
    for path, raw in tree.items():
        if "/elasticsearch/ilm_policy/" not in path:
            continue
        policy = json.loads(raw)["policy"]
        if policy["_meta"]["stream"] not in {i.stream for i in audit}:
            continue
        source = estate.region(policy["_meta"]["region"])
        kept = duration.seconds(policy["phases"]["delete"]["min_age"])
        assert kept >= duration.seconds(source.audit_retention), path
        checked += 1
    assert checked == len(audit) * len(estate.log_collectors)  # one policy per audit stream and collector


def test_pipeline_credentials_are_environment_references_only(fluent_bit):
    for name, config in fluent_bit.items():
        for out in config["pipeline"]["outputs"]:
            for key in ("http_user", "http_passwd"):
                assert out[key].startswith("${") and out[key].endswith("}"), (name, out["name"], key)


# The checks above must be able to fail: each row breaks a real config in one way.
def _leak_to_another_region(config, estate, region):
    other = next(r for r in estate.regions if r.name != region.name and r.elasticsearch_url)
    config["pipeline"]["outputs"][1]["host"] = host(other.elasticsearch_url)


def _drop_a_hash(config, estate, region):
    steps = config["pipeline"]["inputs"][0]["processors"]["logs"]
    steps.remove(next(s for s in steps if s.get("action") == "hash"))


def _hash_before_salting(config, estate, region):
    steps = config["pipeline"]["inputs"][0]["processors"]["logs"]
    lua = next(s for s in steps if s["name"] == "lua" and s.get("call") != "obsgen_mask_pii")
    steps.remove(lua)
    steps.append(lua)


def _drop_the_masking(config, estate, region):
    steps = config["pipeline"]["inputs"][0]["processors"]["logs"]
    steps[:] = [s for s in steps if s.get("call") != "obsgen_mask_pii"]


def _mask_after_salting(config, estate, region):
    steps = config["pipeline"]["inputs"][0]["processors"]["logs"]
    mask = next(s for s in steps if s.get("call") == "obsgen_mask_pii")
    steps.remove(mask)
    steps.append(mask)


def _add_a_filter(config, estate, region):
    config["pipeline"]["filters"] = [{"name": "modify", "match": "*"}]


BREAKS = [
    ("an isolated region's output moved to another region's Elasticsearch", _leak_to_another_region, "isolated"),
    ("one PII hash removed from a restricted region", _drop_a_hash, "restricted"),
    ("a hash that runs before the salt", _hash_before_salting, "restricted"),
    ("a filters section after the input's processors", _add_a_filter, "restricted"),
    ("the free-text masking removed", _drop_the_masking, "restricted"),
    ("the free-text masking moved after the salt", _mask_after_salting, "restricted"),
]


@pytest.mark.parametrize("breaker,which", [pytest.param(b, w, id=i) for i, b, w in BREAKS])
def test_a_broken_config_is_caught(estate, fluent_bit, breaker, which):
    if which == "isolated":
        region = next(r for r in estate.regions if must_stay(estate, r))
    else:
        region = next(r for r in estate.regions if plan.must_anonymize(r))
    config = copy.deepcopy(fluent_bit[region.name])
    breaker(config, estate, region)
    if which == "isolated":
        assert outputs_outside(config, region_hosts(region))
    else:
        assert unanonymized(config, plan.pii_fields(estate), plan.collector(estate, region).salt_env)


def test_loki_keeps_each_stream_as_long_as_its_index_and_audit_at_least_the_audit_retention(estate, tree):
    checked = 0
    for region in estate.regions:
        raw = tree.get(f"{names.region_dir(region.name)}/{names.LOKI_OVERRIDES_FILE}")
        if raw is None:
            continue
        streams = {s["selector"]: duration.seconds(s["period"])
                   for limits in yaml.safe_load(raw)["overrides"].values() for s in limits["retention_stream"]}
        for index in plan.indices(estate):
            kept = streams[f'{{{names.LOG_STREAM}="{index.stream}"}}']
            assert kept == duration.seconds(index.retention_for(region.name)), (region.name, index.stream)
            if index.audit:
                assert kept >= duration.seconds(region.audit_retention), region.name
                checked += 1
    assert checked >= 1, "no audit stream in any Loki: this test would prove nothing"
