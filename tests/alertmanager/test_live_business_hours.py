"""Business hours as a real Alertmanager applies them: the generated `time_intervals` carry the
region's IANA `location`, and a warning route gated by them notifies only inside the hours, read
in that zone (tests/alertmanager/test_escalation.py tables the generated hours themselves, with
amtool and obsgen's reading of the intervals; this is the live half, for the zone and the gate).

Alertmanager reads the wall clock, so each region's config is copied twice with the hours of its
interval moved around the present (tests/alertmanager/timescaled.py for the rest): "at work"
holds the region's local time of day and weekday now and not UTC's; "off hours" holds UTC's
time of day and not the local one. An Alertmanager that ignored `location` would invert both
(every region here is an hour or more from UTC). About 10 s."""
from __future__ import annotations

import copy
import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
import requests
import yaml

from obsgen import tools
from tests.alertmanager.conftest import load_config
from tests.alertmanager.timescaled import timescaled
from tests.alertmanager.webhook_sink import WebhookSink
from tests.thanos.processes import Process, free_port

pytestmark = pytest.mark.tool("alertmanager")

REGIONS = ("us-east", "eu-west", "cn-east")
WAIT = 4.0          # group_wait 30s at 1/60 is 0.5 s; the rest is slack
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _window(around: dt.datetime) -> dict:
    """30 minutes either side of `around`'s time of day, clipped to its day."""
    minute = around.hour * 60 + around.minute
    start, end = max(0, minute - 30), min(24 * 60, minute + 31)
    return {"start_time": f"{start // 60:02d}:{start % 60:02d}", "end_time": f"{end // 60:02d}:{end % 60:02d}"}


def moved(config: dict, now: dt.datetime, at_work: bool) -> dict:
    """`config` with its business-hours interval holding now (at_work) or UTC's time of day now."""
    (interval,) = config["time_intervals"]
    (spec,) = interval["time_intervals"]
    local = now.astimezone(ZoneInfo(spec["location"]))
    assert abs(local.utcoffset()) >= dt.timedelta(hours=1), spec["location"]
    out = copy.deepcopy(config)
    (new,) = out["time_intervals"][0]["time_intervals"]
    new["times"] = [_window(local if at_work else now.astimezone(dt.timezone.utc))]
    new["weekdays"] = [DAYS[local.weekday()]]
    return out


@pytest.fixture(scope="module")
def heard(tree, tmp_path_factory):
    """{(region, at_work): receivers notified of a warning posted to that copy}."""
    sink = WebhookSink()
    work = tmp_path_factory.mktemp("am-hours")
    now = dt.datetime.now(dt.timezone.utc)
    procs, urls = {}, {}
    try:
        for region in REGIONS:
            for at_work in (True, False):
                key = f"{region}-{'work' if at_work else 'off'}"
                config = work / f"{key}.yml"
                fast = timescaled(load_config(tree, region), f"{sink.url}/{key}", 60)
                config.write_text(yaml.safe_dump(moved(fast, now, at_work), sort_keys=False))
                port = free_port()
                proc = Process(f"alertmanager-{key}", [
                    tools.path("alertmanager"), f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
                    "--cluster.listen-address=", f"--storage.path={work / key}", "--log.level=warn"], work)
                procs[(region, at_work)] = proc
                urls[(region, at_work)] = f"http://127.0.0.1:{port}"
        for key, url in urls.items():
            procs[key].wait_ready(f"{url}/-/ready", timeout=20)
        starts = dt.datetime.now(dt.timezone.utc)
        for (region, at_work), url in urls.items():
            body = [{"labels": {"alertname": "ProbeOfficeHours", "severity": "warning", "region": region,
                                "service": "api"},
                     "startsAt": starts.isoformat(), "endsAt": (starts + dt.timedelta(hours=1)).isoformat()}]
            assert requests.post(f"{url}/api/v2/alerts", json=body, timeout=5).ok
        time.sleep(WAIT)
        out = {k: set() for k in urls}
        for n in sink.of("ProbeOfficeHours"):
            key, receiver = n.receiver.split("/", 1)
            region, _, when = key.rpartition("-")
            out[(region, when == "work")].add(receiver)
        return out
    finally:
        for proc in procs.values():
            proc.stop()
        sink.close()


# (sentence id, region, at work, receivers notified of a warning)
CASES = [
    ("a us-east warning inside New York's hours reaches #alerts-warnings", "us-east", True,
     {"severity-warning-business-hours"}),
    ("a us-east warning outside New York's hours (inside UTC's) reaches no one", "us-east", False, set()),
    ("an eu-west warning inside Berlin's hours reaches #alerts-warnings", "eu-west", True,
     {"severity-warning-business-hours"}),
    ("an eu-west warning outside Berlin's hours reaches no one", "eu-west", False, set()),
    # cn-east's DingTalk takes every severity at any hour: its warning route is not gated.
    ("a cn-east warning reaches DingTalk inside Shanghai's hours", "cn-east", True, {"severity-warning"}),
    ("a cn-east warning reaches DingTalk outside them too", "cn-east", False, {"severity-warning"}),
]


@pytest.mark.parametrize("region,at_work,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_business_hours_in_the_regions_zone(heard, region, at_work, expected):
    assert heard[(region, at_work)] == expected
