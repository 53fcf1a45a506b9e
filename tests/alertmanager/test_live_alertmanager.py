"""A real Alertmanager loads a generated config, its secrets from files the deploy writes from
the environment, and inhibits a warning under the critical of the same alert."""
from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
import yaml

from obsgen import names, tools
from obsgen.policy import alertmanager as policy
from tests.alertmanager.conftest import config_path

pytestmark = pytest.mark.tool("alertmanager")

# What the deploy's environment would hold; test values, never real keys.
ENV = {
    "PAGERDUTY_INTEGRATION_KEY": "test-pagerduty-key-0123456789",
    "PAGERDUTY_ESCALATION_KEY": "test-pagerduty-lead-key-9876543210",
    "SLACK_WEBHOOK_URL": "http://127.0.0.1:9/slack-test-hook",
    "SMTP_PASSWORD": "test-smtp-password",
}


def materialize(manifest: dict, env: dict[str, str], into: Path) -> None:
    """The deploy step: each secret file written from its variable, readable by its owner only."""
    into.mkdir(mode=0o700)
    for entry in manifest["secret_files"]:
        path = into / Path(entry["path"]).name
        path.write_text(env[entry["from_env"]])
        path.chmod(int(entry["mode"], 8))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tree: Path, where: str, tmp: Path):
    secrets = tmp / "secrets"
    materialize(yaml.safe_load((tree / where / names.alertmanager_secrets_file()).read_text()), ENV, secrets)
    config = tmp / "alertmanager.yml"
    config.write_text(config_path(tree, where).read_text().replace(policy.SECRETS_DIR, str(secrets)))
    port = _free_port()
    proc = subprocess.Popen(
        [tools.path("alertmanager"), f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
         "--cluster.listen-address=", f"--storage.path={tmp / 'data'}", "--log.level=warn"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"alertmanager exited: {proc.stdout.read()}")
        try:
            if requests.get(f"{url}/-/ready", timeout=1).ok:
                return proc, url, secrets
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise AssertionError("alertmanager never became ready")


@pytest.fixture(scope="module", params=["us-east", "eu-west"])
def live(request, tree, tmp_path_factory):
    proc, url, secrets = _start(tree, request.param, tmp_path_factory.mktemp(f"am-{request.param}"))
    yield request.param, url, secrets
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_the_loaded_config_is_the_generated_one_with_secrets_read_from_files(live, tree):
    where, url, secrets = live
    status = requests.get(f"{url}/api/v2/status", timeout=5).json()
    loaded = status["config"]["original"]
    generated = yaml.safe_load(config_path(tree, where).read_text())
    assert {r["name"] for r in requests.get(f"{url}/api/v2/receivers", timeout=5).json()} == {
        r["name"] for r in generated["receivers"]}
    assert f"routing_key_file: {secrets}/PAGERDUTY_INTEGRATION_KEY" in loaded
    assert f"api_url_file: {secrets}/SLACK_WEBHOOK_URL" in loaded
    assert not [v for v in ENV.values() if v in loaded]
    assert generated["time_intervals"][0]["time_intervals"][0]["location"] in loaded


def test_alertmanagers_defaults_do_not_put_labels_back_into_eu_west_notifications(live):
    where, url, _ = live
    loaded = requests.get(f"{url}/api/v2/status", timeout=5).json()["config"]["original"]
    assert "num_firing" in loaded  # Alertmanager merged its default detail keys over ours...
    if where == "eu-west":  # ...and none of its label-listing defaults survived
        assert "pagerduty.default.instances" not in loaded and "SortedPairs" not in loaded


def _post(url, alerts):
    now = dt.datetime.now(dt.timezone.utc)
    body = [{"labels": labels, "startsAt": now.isoformat(), "endsAt": (now + dt.timedelta(minutes=10)).isoformat()}
            for labels in alerts]
    assert requests.post(f"{url}/api/v2/alerts", json=body, timeout=5).ok


def _states(url, alertname) -> dict[tuple[str, str], dict]:
    alerts = requests.get(f"{url}/api/v2/alerts", params={"filter": f'alertname="{alertname}"'}, timeout=5).json()
    return {(a["labels"]["severity"], a["labels"].get("service", "")): a["status"] for a in alerts}


def test_a_critical_inhibits_the_warning_of_the_same_alert_region_and_service_only(live):
    where, url, _ = live
    name = f"InhibitProbe{where.replace('-', '')}"
    _post(url, [
        {"alertname": name, "region": where, "service": "api", "severity": "critical"},
        {"alertname": name, "region": where, "service": "api", "severity": "warning"},
        {"alertname": name, "region": where, "service": "web", "severity": "warning"},
    ])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        states = _states(url, name)
        if len(states) == 3 and states[("warning", "api")]["inhibitedBy"]:
            break
        time.sleep(0.2)
    assert states[("warning", "api")]["state"] == "suppressed"
    assert states[("warning", "api")]["inhibitedBy"]
    assert not states[("critical", "api")]["inhibitedBy"]
    assert not states[("warning", "web")]["inhibitedBy"]


def test_secret_files_are_readable_by_their_owner_only(live):
    _, _, secrets = live
    for path in secrets.iterdir():
        assert oct(os.stat(path).st_mode & 0o777) == "0o400"
