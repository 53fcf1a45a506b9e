"""Secrets, isolation and user data in the generated Alertmanager configs (seed 1.3, 6.2, 7)."""
from __future__ import annotations

import re

import pytest

from obsgen import names, serialize
from obsgen.policy import alertmanager as policy
from obsgen.render import alertmanager
from tests.alertmanager.conftest import ROOT, load_config

SEED = ROOT.parent / "shared" / "seed" / "000_00d7476acbd92ed0.txt"
INLINE_SECRET_FIELDS = ("routing_key", "service_key", "api_url", "auth_password", "api_secret", "api_key")


def _seed_pagerduty_key() -> str:
    match = re.search(r'integration_key:\s*"([^"]+)"', SEED.read_text())
    assert match, "the seed's PagerDuty integration key is where section 6.2 puts it"
    return match.group(1)


@pytest.mark.parametrize("where", ["the committed generated/ tree", "a fresh build"])
def test_the_seeds_pagerduty_key_appears_nowhere_in_generated(tree, where):
    key = _seed_pagerduty_key()
    base = ROOT / names.GENERATED if where.startswith("the committed") else tree
    files = [p for p in base.rglob("*") if p.is_file()]
    assert files
    assert not [p for p in files if key.encode() in p.read_bytes()]


def _walk(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield path + (k,), v
            yield from _walk(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, path + (i,))


@pytest.mark.parametrize("where", ["us-east", "eu-west", "ap-southeast", "cn-east", "global"])
def test_no_receiver_holds_a_secret_inline_only_file_paths_under_the_secrets_dir(tree, where):
    config = load_config(tree, where)
    for path, value in _walk(config["receivers"]):
        assert path[-1] not in INLINE_SECRET_FIELDS, path
        if str(path[-1]).endswith("_file"):
            assert value.startswith(policy.SECRETS_DIR + "/"), (path, value)


def test_the_secret_manifest_names_each_file_and_its_variable_never_a_value(tree):
    manifest = __import__("yaml").safe_load((tree / "us-east" / names.alertmanager_secrets_file()).read_text())
    assert manifest["secret_files"] == [
        {"path": f"{policy.SECRETS_DIR}/{env}", "from_env": env, "mode": "0400"}
        for env in ("PAGERDUTY_ESCALATION_KEY", "PAGERDUTY_INTEGRATION_KEY", "SLACK_WEBHOOK_URL", "SMTP_PASSWORD")
    ]


def test_cn_east_bridges_take_their_secrets_from_their_own_environment(tree):
    manifest = __import__("yaml").safe_load((tree / "cn-east" / names.alertmanager_secrets_file()).read_text())
    assert manifest["secret_files"] == []
    assert {(b["kind"], b["from_env"]) for b in manifest["bridges"]} == {
        ("dingtalk", "DINGTALK_WEBHOOK_URL"), ("wechat_work", "WECHAT_WORK_WEBHOOK_URL")}


def test_cn_east_notifies_only_through_bridges_on_its_own_host_and_its_in_country_switch(tree):
    config = load_config(tree, "cn-east")
    kinds = {k for r in config["receivers"] for k in r if k != "name"}
    assert kinds == {"webhook_configs"}
    urls = [c["url"] for r in config["receivers"] for c in r.get("webhook_configs", [])]
    switch = [r for r in config["receivers"] if r["name"] == "deadmans-switch"]
    assert [c["url"] for c in switch[0]["webhook_configs"]] == ["https://deadmans-switch.covergen.com.cn/ping/cn-east"]
    assert urls and all(u.startswith("http://127.0.0.1:") or u.startswith("https://deadmans-switch.covergen.com.cn/")
                        for u in urls)


def test_the_global_alertmanager_has_no_receiver_for_an_isolated_region(tree, estate):
    config = load_config(tree, "global")
    isolated = [r.name for r in estate.regions if r.isolated]
    assert isolated == ["cn-east"]
    names_ = [r["name"] for r in config["receivers"]]
    assert not [n for n in names_ if n.startswith("cn-east.")]
    assert {r["name"] for r in config["receivers"] if len(r) > 1} == {n for n in names_ if n not in (names.AM_UNROUTED, names.AM_ISOLATED_DROPPED)}
    assert "cn-east" not in str(config["receivers"]) and "Asia/Shanghai" not in str(config["time_intervals"])


_USER_DATA = ("SortedPairs", ".Annotations.summary", ".Labels.instance", "template ")


@pytest.mark.parametrize("where,bare", [
    ("eu-west", True), ("us-east", False), ("ap-southeast", False),
], ids=[
    "eu-west (GDPR, cross-border RESTRICTED) notifies without user data",
    "us-east notifies with summaries and labels",
    "ap-southeast (WITH_CONSENT) notifies with summaries and labels",
])
def test_notification_text_keeps_user_data_home_where_transfer_is_restricted(tree, where, bare):
    text = str(load_config(tree, where)["receivers"])
    leaks = [t for t in _USER_DATA if t in text]
    if bare:
        assert leaks == []
        assert ".Labels.alertname" in text
    else:
        assert "SortedPairs" in text and ".Annotations.summary" in text


def test_the_global_alertmanager_keeps_eu_west_notifications_bare(tree):
    receivers = load_config(tree, "global")["receivers"]
    eu = str([r for r in receivers if r["name"].startswith("eu-west.")])
    us = str([r for r in receivers if r["name"].startswith("us-east.")])
    assert "SortedPairs" not in eu and "SortedPairs" in us


@pytest.mark.parametrize("where,location,hours", [
    ("us-east", "America/New_York", ("09:00", "17:00")),
    ("eu-west", "Europe/Berlin", ("09:00", "17:00")),
    ("ap-southeast", "Asia/Singapore", ("09:00", "17:00")),
    ("cn-east", "Asia/Shanghai", ("09:00", "18:00")),
], ids=[f"{w} keeps business hours in its own time zone" for w in ("us-east", "eu-west", "ap-southeast", "cn-east")])
def test_business_hours_are_in_the_regions_time_zone(tree, where, location, hours):
    (interval,) = load_config(tree, where)["time_intervals"]
    (spec,) = interval["time_intervals"]
    assert spec["location"] == location
    assert (spec["times"][0]["start_time"], spec["times"][0]["end_time"]) == hours
    assert spec["weekdays"] == ["monday:friday"]


def test_critical_inhibits_the_warning_of_the_same_alert_region_service_and_slo(tree):
    rules = load_config(tree, "us-east")["inhibit_rules"]
    assert {"source_matchers": ['severity="critical"'], "target_matchers": ['severity="warning"'],
            "equal": ["alertname", "region", "service", "slo"]} in rules


def _alertmanager_bytes(estate) -> dict[str, bytes]:
    docs = {f"{r.name}/{k}": v for r in estate.regions for k, v in alertmanager.render(estate, r).items()}
    docs.update({f"global/{k}": v for k, v in alertmanager.render_global(estate).items()})
    return {k: serialize.to_yaml(v) for k, v in docs.items()}


def test_rendering_twice_gives_the_same_alertmanager_bytes(estate):
    first = _alertmanager_bytes(estate)
    assert len(first) == 15
    assert first == _alertmanager_bytes(estate)


def test_an_isolated_regions_prometheus_alerts_only_its_own_alertmanager(estate):
    """Across targets: the committed prometheus.yml of an isolated region names no other Alertmanager."""
    from urllib.parse import urlparse

    import yaml

    for region in (r for r in estate.regions if r.isolated):
        prom = yaml.safe_load((ROOT / names.GENERATED / region.name / "prometheus" / "prometheus.yml").read_text())
        targets = [t for am in prom["alerting"]["alertmanagers"] for sc in am.get("static_configs", [])
                   for t in sc["targets"]]
        assert targets and {t.split(":")[0] for t in targets} == {urlparse(region.alertmanager_url).hostname}
