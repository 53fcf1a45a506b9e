"""Seed 6.2 escalation, timed by a real Alertmanager: a critical alert still firing and not
silenced (acknowledged) 15 minutes after it began reaches the on-call lead, who is reminded every
15 minutes while it lasts; one acknowledged or resolved sooner never does.

Each Alertmanager (us-east, cn-east, the global one) runs a test-only copy of its generated config
(tests/alertmanager/timescaled.py): every route timing divided by 60, so minutes pass as seconds,
and every receiver a webhook to a local sink that notes when which receiver heard what. The
routes, matchers, `continue`, time intervals and inhibition are the generated ones. All probes
run at once, in groups of their own (distinct alert names); the whole takes about 40 s."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import requests
import yaml

from obsgen import tools
from tests.alertmanager.conftest import load_config
from tests.alertmanager.timescaled import timescaled, without_timings
from tests.alertmanager.webhook_sink import WebhookSink
from tests.thanos.processes import Process, free_port

pytestmark = pytest.mark.tool("alertmanager")

SCALE = 60                    # one minute of the generated config passes in one second
LEAD = 15 * 60 / SCALE        # seed 6.2 escalation_policy P15MIN: the lead after 15 minutes
REMIND = 15 * 60 / SCALE      # and every 15 minutes while it lasts
AT_ONCE = 30 / SCALE          # Alertmanager's group_wait: the first notification of a group
TICK = 5 * 60 / SCALE         # group_interval: a group's later notifications come on its ticks
ACT_AT = 5 * 60 / SCALE       # when a probe is acknowledged (silenced) or resolved: minute 5
SLACK = 3.0                   # how late a notification may come (two cores, several engineers)
END = LEAD + REMIND + TICK + SLACK


def _in_new_york_office_hours() -> bool:
    """us-east's business hours (rules/regions.py: 09:00-17:00 America/New_York, weekdays)."""
    local = dt.datetime.now(ZoneInfo("America/New_York"))
    return local.weekday() < 5 and 9 <= local.hour < 17


@dataclass(frozen=True)
class Probe:
    where: str                        # which Alertmanager
    labels: dict
    at_once: frozenset[str]           # receivers notified at once
    lead: str | None                  # the lead's receiver, if it escalates there
    act: str | None = None            # "silence" (acknowledged) or "resolve", at minute 5

    @property
    def name(self) -> str:
        return self.labels["alertname"]


def _crit(name, region, **more):
    return {"alertname": name, "severity": "critical", "region": region, **more}


# (sentence id, probe)
CASES = [
    ("a us-east critical left firing pages at once, reaches the lead at minute 15 and reminds it every 15",
     Probe("us-east", _crit("ProbeFiring", "us-east", service="api"), frozenset({"severity-critical"}), "escalation-15m")),
    ("a us-east critical acknowledged (silenced) at minute 5 never reaches the lead",
     Probe("us-east", _crit("ProbeAcknowledged", "us-east", service="api"), frozenset({"severity-critical"}), None,
           act="silence")),
    ("a us-east critical resolved at minute 5 never reaches the lead, and the pager hears it resolved",
     Probe("us-east", _crit("ProbeResolved", "us-east", service="api"), frozenset({"severity-critical"}), None,
           act="resolve")),
    ("a us-east SLO page reaches the SLO pager at once and the lead at minute 15",
     Probe("us-east", _crit("ProbeSLOPage", "us-east", service="api", slo="availability", tier="page"),
           frozenset({"slo-page"}), "escalation-15m")),
    ("a us-east warning never reaches the lead (it keeps New York's office hours)",
     Probe("us-east", {"alertname": "ProbeWarning", "severity": "warning", "region": "us-east", "service": "api"},
           frozenset({"severity-warning-business-hours"} if _in_new_york_office_hours() else ()), None)),
    ("a compliance critical goes to the compliance team alone, never the pager or the lead",
     Probe("us-east", _crit("ProbeCompliance", "us-east", team="compliance"), frozenset({"team-compliance"}), None)),
    ("a cn-east critical reaches DingTalk and WeChat Work at once and the lead's WeChat Work at minute 15",
     Probe("cn-east", _crit("ProbeFiringCN", "cn-east", service="api"), frozenset({"severity-critical"}),
           "escalation-15m")),
    ("a global-view critical pages the global receivers at once and the lead at minute 15",
     Probe("global", _crit("ProbeFiringGlobal", "global"), frozenset({"global.severity-critical"}),
           "global.escalation-15m")),
    ("a us-east critical on the global Alertmanager escalates on us-east's own route",
     Probe("global", _crit("ProbeFiringUSOnGlobal", "us-east", service="api"),
           frozenset({"us-east.severity-critical"}), "us-east.escalation-15m")),
    ("a cn-east critical reaching the global Alertmanager is dropped and escalates to no one",
     Probe("global", _crit("ProbeIsolated", "cn-east"), frozenset({"dropped-isolated-region"}), None)),
]
PROBES = [p for _, p in CASES]


def _post(url: str, labels: dict, starts: dt.datetime, ends: dt.datetime) -> None:
    body = [{"labels": labels, "startsAt": starts.isoformat(), "endsAt": ends.isoformat()}]
    assert requests.post(f"{url}/api/v2/alerts", json=body, timeout=5).ok


def _silence(url: str, alertname: str) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    body = {"matchers": [{"name": "alertname", "value": alertname, "isRegex": False, "isEqual": True}],
            "startsAt": now.isoformat(), "endsAt": (now + dt.timedelta(hours=1)).isoformat(),
            "createdBy": "tests/alertmanager", "comment": "acknowledged"}
    assert requests.post(f"{url}/api/v2/silences", json=body, timeout=5).ok


@pytest.fixture(scope="module")
def run(tree, tmp_path_factory):
    """Every probe posted at once to its Alertmanager, acted on at minute 5, watched until the
    lead's first reminder is due: {alertname: [notification, time since the post]}."""
    sink = WebhookSink()
    work = tmp_path_factory.mktemp("am-escalation")
    procs, urls = [], {}
    try:
        for where in sorted({p.where for p in PROBES}):
            generated = load_config(tree, where)
            fast = timescaled(generated, f"{sink.url}/{where}", SCALE)
            assert without_timings(fast) == without_timings(generated)
            config = work / f"{where}.yml"
            config.write_text(yaml.safe_dump(fast, sort_keys=False))
            port = free_port()
            proc = Process(f"alertmanager-{where}", [
                tools.path("alertmanager"), f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=", f"--storage.path={work / where}", "--log.level=warn"], work)
            procs.append(proc)
            urls[where] = f"http://127.0.0.1:{port}"
            proc.wait_ready(f"{urls[where]}/-/ready", timeout=20)
        began = dt.datetime.now(dt.timezone.utc)
        start = time.monotonic()
        for p in PROBES:
            _post(urls[p.where], p.labels, began, began + dt.timedelta(hours=1))
        time.sleep(max(0.0, start + ACT_AT - time.monotonic()))
        for p in PROBES:
            if p.act == "silence":
                _silence(urls[p.where], p.name)
            elif p.act == "resolve":
                _post(urls[p.where], p.labels, began, dt.datetime.now(dt.timezone.utc))
        time.sleep(max(0.0, start + END - time.monotonic()))
        heard = {p.name: [(n, n.at - start) for n in sink.of(p.name)] for p in PROBES}
        leads = {p.name: [round(t, 2) for n, t in heard[p.name] if n.receiver.endswith(f"/{p.lead}")]
                 for p in PROBES if p.lead}
        print(f"\nthe leads heard (seconds after the post; 1 s = 1 minute): {leads}")
        return heard
    finally:
        for proc in procs:
            proc.stop()
        sink.close()


@pytest.mark.parametrize("probe", PROBES, ids=[c[0] for c in CASES])
def test_escalation_timed_by_a_live_alertmanager(run, probe):
    heard = run[probe.name]
    firing = [(n.receiver.split("/", 1)[1], t) for n, t in heard if n.status == "firing"]
    first = {}
    for receiver, t in firing:
        first.setdefault(receiver, t)
    want = set(probe.at_once) | ({probe.lead} if probe.lead else set())
    assert set(first) == want, heard
    for receiver in probe.at_once:
        assert first[receiver] <= AT_ONCE + SLACK, (receiver, first[receiver])
    if probe.lead:
        lead = sorted(t for r, t in firing if r == probe.lead)
        assert LEAD - 0.25 <= lead[0] <= LEAD + SLACK, lead          # not before minute 15, and then
        assert len(lead) >= 2, lead
        assert REMIND - 0.25 <= lead[1] - lead[0] <= REMIND + TICK + SLACK, lead   # reminded every 15 minutes
    if probe.act == "resolve":
        resolved = [t for n, t in heard if n.status == "resolved" and n.receiver.endswith("/severity-critical")]
        assert resolved and ACT_AT <= resolved[0] <= ACT_AT + TICK + SLACK, heard


def test_the_probes_cover_every_alertmanager_with_an_escalation_route(tree):
    """Each Alertmanager the tests run has an escalation route, and a probe reaches it."""
    for where in {p.where for p in PROBES}:
        receivers = {r["name"] for r in load_config(tree, where)["receivers"]}
        leads = {p.lead for p in PROBES if p.where == where and p.lead}
        assert leads and leads <= receivers and all("escalation" in lead for lead in leads), where
