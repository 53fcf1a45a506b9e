"""Seed 6.2 escalation as routing, at business and at off hours, in each region's time zone:
amtool picks the routes; which of them notify at an instant is read from the generated
time_intervals (weekdays and hours in the interval's IANA location, as Alertmanager 0.25 applies
them). `amtool config routes test` has no clock, so this half is obsgen's reading of the config,
not Alertmanager's: the weaker proof, stated as such."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from obsgen import amtool
from tests.alertmanager.conftest import channels_of, config_path, load_config

pytestmark = pytest.mark.tool("amtool")

_DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _in_interval(spec: dict, at: dt.datetime) -> bool:
    local = at.astimezone(ZoneInfo(spec.get("location", "UTC")))
    days = set()
    for rng in spec.get("weekdays", _DAYS):
        first, _, last = rng.partition(":")
        days |= set(_DAYS[_DAYS.index(first):_DAYS.index(last or first) + 1])
    minute = local.hour * 60 + local.minute
    in_times = any(int(t["start_time"][:2]) * 60 + int(t["start_time"][3:]) <= minute
                   < int(t["end_time"][:2]) * 60 + int(t["end_time"][3:]) for t in spec.get("times", []))
    return _DAYS[local.weekday()] in days and in_times


def _routes(route: dict):
    yield route
    for child in route.get("routes", []):
        yield from _routes(child)


def notified(tree, where: str, labels: dict, at: dt.datetime) -> dict[str, str]:
    """{channel: when}: the channels notified for `labels` at `at`; when is "now" or the delay."""
    config = load_config(tree, where)
    intervals = {i["name"]: i["time_intervals"] for i in config["time_intervals"]}
    receivers = {r["name"]: r for r in config["receivers"]}
    route_of = {r["receiver"]: r for r in _routes(config["route"]) if "matchers" in r}
    out = {}
    for name in amtool.route(config_path(tree, where), labels):
        route = route_of.get(name, {})
        active = route.get("active_time_intervals")
        if active and not any(_in_interval(s, at) for i in active for s in intervals[i]):
            continue
        wait = route.get("group_wait", "30s")
        lead = " (lead)" if "escalation" in name else ""
        for channel in channels_of(receivers[name]):
            out[channel + lead] = "now" if wait in ("0s", "30s") else f"after {wait}"
    return out


def _at(local: str, zone: str) -> dt.datetime:
    return dt.datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))


CRIT_US = {"pagerduty": "now", "slack #alerts-critical": "now", "email oncall@covergen.ai,engineering@covergen.ai": "now"}
WARN_SLACK = {"slack #alerts-warnings": "now"}
DING = "webhook http://127.0.0.1:8060/dingtalk/covergen-cn-oncall/send"
WECHAT = "webhook http://127.0.0.1:8061/wechat_work/covergen-cn-oncall/send"
WECHAT_LEAD = "webhook http://127.0.0.1:8061/wechat_work/covergen-cn-oncall-lead/send"


def warn(region, name="HighErrorRate"):
    return {"alertname": name, "severity": "warning", "region": region, "service": "api"}


def crit(region, name="NodeDown"):
    return {"alertname": name, "severity": "critical", "region": region}


# Wednesday 2026-12-02. (sentence id, Alertmanager, labels, local time, zone, expected {channel: when})
CASES = [
    ("us-east warning at 10:00 New York reaches #alerts-warnings",
     "us-east", warn("us-east"), "2026-12-02T10:00", "America/New_York", WARN_SLACK),
    ("us-east warning at 20:00 New York waits for the morning",
     "us-east", warn("us-east"), "2026-12-02T20:00", "America/New_York", {}),
    ("us-east warning on Saturday noon waits for Monday",
     "us-east", warn("us-east"), "2026-12-05T12:00", "America/New_York", {}),
    ("eu-west warning at 16:59 Berlin is in office hours",
     "eu-west", warn("eu-west"), "2026-12-02T16:59", "Europe/Berlin", WARN_SLACK),
    ("eu-west warning at 17:00 Berlin is not",
     "eu-west", warn("eu-west"), "2026-12-02T17:00", "Europe/Berlin", {}),
    ("ap-southeast warning at 09:00 Singapore is in office hours",
     "ap-southeast", warn("ap-southeast"), "2026-12-02T09:00", "Asia/Singapore", WARN_SLACK),
    ("cn-east warning at 17:30 Shanghai: cn-east's own hours run to 18:00, and DingTalk takes it at any hour",
     "cn-east", warn("cn-east"), "2026-12-02T17:30", "Asia/Shanghai", {DING: "now"}),
    ("a critical at 03:00 New York pages at once and the lead after 15 minutes",
     "us-east", crit("us-east"), "2026-12-02T03:00", "America/New_York", {**CRIT_US, "pagerduty (lead)": "after 15m"}),
    ("a critical at 11:00 New York is the same: pages are not time-gated",
     "us-east", crit("us-east"), "2026-12-02T11:00", "America/New_York", {**CRIT_US, "pagerduty (lead)": "after 15m"}),
    ("a cn-east critical at 02:00 Shanghai: DingTalk and WeChat Work now, the lead's WeChat Work after 15 minutes",
     "cn-east", crit("cn-east"), "2026-12-02T02:00", "Asia/Shanghai", {DING: "now", WECHAT: "now", f"{WECHAT_LEAD} (lead)": "after 15m"}),
    ("global: a global-view warning at 10:00 Berlin follows the sun (eu-west is at work)",
     "global", warn("global", "SLOErrorBudgetBurn") | {"slo": "availability"}, "2026-12-02T10:00", "Europe/Berlin", WARN_SLACK),
    ("global: at 04:00 Berlin it is 11:00 in Singapore, so still in office hours",
     "global", warn("global", "SLOErrorBudgetBurn") | {"slo": "availability"}, "2026-12-02T04:00", "Europe/Berlin", WARN_SLACK),
    ("global: at 23:30 Berlin no feeding region is at work (17:30 New York, 06:30 Singapore)",
     "global", warn("global", "SLOErrorBudgetBurn") | {"slo": "availability"}, "2026-12-02T23:30", "Europe/Berlin", {}),
    ("global: a us-east warning keeps us-east's own hours on the global Alertmanager",
     "global", warn("us-east"), "2026-12-02T10:00", "Europe/Berlin", {}),
]


def _normalize(found: dict[str, str]) -> dict[str, str]:
    return {k.replace(" (business hours)", ""): v for k, v in found.items()}


@pytest.mark.parametrize("where,labels,local,zone,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_escalation_at_business_and_off_hours(tree, where, labels, local, zone, expected):
    assert _normalize(notified(tree, where, labels, _at(local, zone))) == expected
