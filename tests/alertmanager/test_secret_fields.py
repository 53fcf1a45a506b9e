"""The 0.25 capability table in policy.py, proven field by field with the installed amtool."""
from __future__ import annotations

import subprocess

import pytest
import yaml

from obsgen import amtool
from obsgen.policy import alertmanager as policy

pytestmark = pytest.mark.tool("amtool")

_MINIMAL = {
    "pagerduty_configs": {},
    "slack_configs": {"channel": "#x"},
    "email_configs": {"to": "a@example.org", "from": "b@example.org", "smarthost": "smtp.example.org:587", "auth_username": "u"},
    "webhook_configs": {},
    "wechat_configs": {"corp_id": "c", "to_party": "1", "agent_id": "1"},
}


def _check(tmp_path, key: str, field: str) -> subprocess.CompletedProcess:
    config = {"route": {"receiver": "r"}, "receivers": [{"name": "r", key: [{**_MINIMAL[key], field: "/run/secret"}]}]}
    path = tmp_path / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config))
    return subprocess.run([amtool.binary(), "check-config", str(path)], capture_output=True, text=True)


@pytest.mark.parametrize("key,field", sorted(policy.SECRET_FILE_FIELD.values()),
                         ids=[f"{k} reads {f} from a file" for k, f in sorted(policy.SECRET_FILE_FIELD.values())])
def test_alertmanager_reads_this_secret_from_a_file(tmp_path, key, field):
    proc = _check(tmp_path, key, field)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("key,field", sorted(policy.UNSUPPORTED_IN_VERSION.items()),
                         ids=[f"{k} has no {f} in this version" for k, f in sorted(policy.UNSUPPORTED_IN_VERSION.items())])
def test_alertmanager_lacks_this_file_field(tmp_path, key, field):
    proc = _check(tmp_path, key, field)
    assert proc.returncode != 0
    assert f"field {field} not found" in proc.stdout + proc.stderr


def test_the_installed_amtool_is_the_version_the_table_describes():
    out = subprocess.run([amtool.binary(), "--version"], capture_output=True, text=True)
    assert f"version {policy.VERSION}." in out.stdout + out.stderr
