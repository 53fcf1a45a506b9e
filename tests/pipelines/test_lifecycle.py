"""Index lifecycle and Loki's own configuration, per region: data streams rolled over by size and
age, warm then delete phases, the seed's shards and replicas, audit logs kept for the region's
audit retention (eu-west: 6 years); Loki's ruler on the region's own Alertmanager and rule
folder, its compactor applying the per-stream retention."""
from __future__ import annotations

import json
from urllib.parse import urlsplit

import yaml

from obsgen import duration, names
from obsgen.logs import plan

SEED = {"app-logs": (3, 1), "access-logs": (1, 0), "audit-logs": (2, 2)}   # 6.4: shards, replicas


def _docs(tree, kind):
    return {p: json.loads(b) for p, b in tree.items() if f"/elasticsearch/{kind}/" in p}


def test_every_policy_rolls_over_by_size_and_age_then_warms_then_deletes(tree):
    policies = _docs(tree, "ilm_policy")
    assert len(policies) >= 12
    for path, body in policies.items():
        phases = body["policy"]["phases"]
        rollover = phases["hot"]["actions"]["rollover"]
        assert rollover["max_age"] == "1d" and rollover["max_primary_shard_size"].endswith("gb"), path
        assert duration.seconds(phases["warm"]["min_age"]) < duration.seconds(phases["delete"]["min_age"]), path
        assert "delete" in phases["delete"]["actions"], path


def test_templates_make_data_streams_with_the_seeds_shards_and_replicas(tree):
    for path, body in _docs(tree, "index_template").items():
        stream = body["_meta"]["stream"]
        assert body["data_stream"] == {}, path
        index = body["template"]["settings"]["index"]
        assert (index["number_of_shards"], index["number_of_replicas"]) == SEED[stream], path


def test_eu_audit_logs_are_kept_six_years_and_every_region_its_audit_retention(tree, estate):
    for region in estate.regions:
        for storage in estate.regions:
            path = f"{storage.name}/elasticsearch/ilm_policy/audit-logs-{region.name}-retention.json"
            if path in tree:
                kept = json.loads(tree[path])["policy"]["phases"]["delete"]["min_age"]
                assert duration.seconds(kept) >= duration.seconds(region.audit_retention), path
    eu = json.loads(tree["eu-west/elasticsearch/ilm_policy/audit-logs-eu-west-retention.json"])
    assert eu["policy"]["phases"]["delete"]["min_age"] == "2190d"   # 6 x 365 days


def test_fluent_bit_writes_data_streams_with_create(fluent_bit):
    for region, config in fluent_bit.items():
        for out in (o for o in config["pipeline"]["outputs"] if o["name"] == "es"):
            assert out["write_operation"] == "create" and "logstash_format" not in out, region


def test_loki_ruler_and_compactor_per_region_never_pointing_abroad(tree, estate):
    for region in estate.regions:
        raw = tree.get(f"{region.name}/{names.LOKI_CONFIG_FILE}")
        if plan.collector(estate, region) is None:
            assert raw is None
            continue
        config = yaml.safe_load(raw)
        ruler = config["ruler"]
        assert ruler["alertmanager_url"] == region.alertmanager_url
        others = {urlsplit(r.alertmanager_url).hostname for r in estate.regions if r.name != region.name}
        assert urlsplit(ruler["alertmanager_url"]).hostname not in others
        assert ruler["storage"]["type"] == "local" and ruler["storage"]["local"]["directory"]
        assert config["compactor"]["retention_enabled"] is True
        assert config["runtime_config"]["file"].endswith("runtime-overrides.yaml")
        overrides = yaml.safe_load(tree[f"{region.name}/loki/runtime-overrides.yaml"])
        periods = [s["period"] for t in overrides["overrides"].values() for s in t["retention_stream"]]
        # the default is the longest stream's: no stream without an override goes early
        assert config["limits_config"]["retention_period"] == max(periods, key=lambda p: int(p[:-1]))


def foreign_writes(tree, estate) -> list[str]:
    """Templates, pipelines and ElastAlert rules in one region's cluster for another region's logs,
    where that region's regime does not allow its logs there (isolated, local storage, or
    personal data not anonymized before it leaves)."""
    problems = []
    for path, raw in tree.items():
        storage, rest = path.split("/", 1)
        if not rest.startswith(("elasticsearch/", "elastalert/rules/")):
            continue
        doc = json.loads(raw) if path.endswith(".json") else yaml.safe_load(raw)
        meta = doc.get("_meta") or doc.get("policy", {}).get("_meta") or {}
        source = meta.get("region") or doc.get("alertmanager_labels", {}).get("region")
        if source is None or source == storage:
            continue
        region = estate.region(source)
        col = plan.collector(estate, region)
        if col is None or col.storage_region != storage:
            problems.append(f"{path}: holds {source}'s logs, which are not routed to {storage}")
        elif plan.must_stay_in_region(region, col):
            problems.append(f"{path}: {source}'s logs must stay in {source}")
        elif plan.must_anonymize(region, col) and not col.anonymize:
            problems.append(f"{path}: {source}'s personal data would arrive in the clear")
    return problems


def test_no_cluster_holds_another_regions_logs_unless_its_regime_allows(tree, estate):
    assert foreign_writes(tree, estate) == []
    assert any("us-east/elasticsearch/" in p and "ap-southeast" in p for p in tree)   # the allowed case exists


def test_the_residency_check_catches_a_planted_template(tree, estate):
    planted = dict(tree)
    body = json.loads(tree["cn-east/elasticsearch/index_template/app-logs-cn-east.json"])
    body["_meta"]["region"] = "eu-west"
    planted["us-east/elasticsearch/index_template/app-logs-cn-east.json"] = json.dumps(body).encode()
    body2 = json.loads(tree["cn-east/elasticsearch/index_template/app-logs-cn-east.json"])
    planted["us-east/elasticsearch/index_template/app-logs-cn-east-2.json"] = json.dumps(body2).encode()
    found = foreign_writes(planted, estate)
    assert any("eu-west's logs, which are not routed to us-east" in p for p in found)
    assert any("cn-east's logs" in p for p in found)


def test_the_access_streams_geoip_location_is_a_geo_point(tree):
    found = [json.loads(b) for p, b in tree.items() if "/index_template/access-logs-" in p]
    assert found and all(t["template"]["mappings"]["properties"]["geoip.location"] == {"type": "geo_point"} for t in found)
