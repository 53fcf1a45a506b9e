"""Inhibition scoped to the same SLO, in a real Alertmanager loaded with the generated config: a
page for one SLO of a service suppresses that SLO's ticket only, never the ticket of the
service's other SLO; and the Watchdog is never inhibited."""
from __future__ import annotations

import subprocess
import time

import pytest
import requests

from tests.alertmanager.test_live_alertmanager import _post, _start

pytestmark = pytest.mark.tool("alertmanager")


@pytest.fixture(scope="module")
def live_us_east(tree, tmp_path_factory):
    proc, url, _ = _start(tree, "us-east", tmp_path_factory.mktemp("am-inhibit"))
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _burn(slo, severity, tier):
    return {"alertname": "SLOErrorBudgetBurn", "region": "us-east", "service": "api", "slo": slo,
            "severity": severity, "tier": tier}


def _by_key(url):
    alerts = requests.get(f"{url}/api/v2/alerts", timeout=5).json()
    return {(a["labels"]["alertname"], a["labels"].get("slo", ""), a["labels"]["severity"]): a["status"] for a in alerts}


def test_a_page_suppresses_its_own_slos_ticket_only(live_us_east):
    url = live_us_east
    _post(url, [
        _burn("availability", "critical", "page"),
        _burn("availability", "warning", "ticket"),
        _burn("latency", "warning", "ticket"),
        {"alertname": "Watchdog", "region": "us-east", "severity": "info"},
    ])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        states = _by_key(url)
        if len(states) == 4 and states[("SLOErrorBudgetBurn", "availability", "warning")]["inhibitedBy"]:
            break
        time.sleep(0.2)
    assert states[("SLOErrorBudgetBurn", "availability", "warning")]["state"] == "suppressed"
    assert not states[("SLOErrorBudgetBurn", "latency", "warning")]["inhibitedBy"]
    assert states[("SLOErrorBudgetBurn", "latency", "warning")]["state"] == "active"
    assert not states[("SLOErrorBudgetBurn", "availability", "critical")]["inhibitedBy"]
    assert states[("Watchdog", "", "info")]["state"] == "active"
