"""HTTP as SREs need it: per-endpoint credentials that never leak (not to logs, not to output,
not to another endpoint, not through a redirect), extra headers, POST, Thanos parameters."""
from __future__ import annotations

import base64
import json
import logging

import pytest
import yaml
from click.testing import CliRunner

from obsgen.cli import main
from obsgen.gate.http import Client, Endpoint, QueryError
from tests.gate import synthetic
from tests.gate.estate_root import write_root
from tests.gate.fakeprom import FakePrometheus

TOKEN = "s3cr3t-north-token-7f1c"
PASSWORD = "s3cr3t-south-password-99aa"
FILE_TOKEN = "s3cr3t-from-file-0b0b"
SECRETS = (TOKEN, PASSWORD, FILE_TOKEN, base64.b64encode(f"gate:{PASSWORD}".encode()).decode())


@pytest.fixture
def root(tmp_path):
    return write_root(tmp_path)


def run_gate(root, endpoints: dict, *args, env=None, thanos=False):
    config = root / "gate.yml"
    config.write_text(yaml.safe_dump({"endpoints": endpoints, "retries": 0, "timeout": 2, "thanos": thanos}))
    result = CliRunner(env=env or {}).invoke(
        main, ["gate", "--root", str(root), "--config", str(config), "--at", str(synthetic.END), "--verbose",
               "--json", *args], catch_exceptions=False)
    return result


def _auth(request) -> str | None:
    return {k.lower(): v for k, v in request["headers"].items()}.get("authorization")


def _header(request, name) -> str | None:
    return {k.lower(): v for k, v in request["headers"].items()}.get(name.lower())


def test_each_endpoint_gets_its_own_credentials_and_no_other(root, tmp_path, caplog):
    token_file = tmp_path / "token"
    token_file.write_text(FILE_TOKEN + "\n")
    caplog.set_level(logging.DEBUG)
    with FakePrometheus() as north, FakePrometheus() as south, FakePrometheus() as island:
        result = run_gate(root, {
            "north": {"url": north.url, "bearer_token_env": "NORTH_TOKEN", "headers": {"X-Scope-OrgID": "team-north"}},
            "south": {"url": south.url, "basic_auth_user": "gate", "basic_auth_password_env": "SOUTH_PASSWORD"},
            "island": {"url": island.url, "bearer_token_file": str(token_file)},
        }, env={"NORTH_TOKEN": TOKEN, "SOUTH_PASSWORD": PASSWORD})
    assert north.received and south.received and island.received
    assert {_auth(r) for r in north.received} == {f"Bearer {TOKEN}"}
    assert {_header(r, "X-Scope-OrgID") for r in north.received} == {"team-north"}
    assert {_auth(r) for r in south.received} == {"Basic " + base64.b64encode(f"gate:{PASSWORD}".encode()).decode()}
    assert {_header(r, "X-Scope-OrgID") for r in south.received} == {None}
    assert {_auth(r) for r in island.received} == {f"Bearer {FILE_TOKEN}"}
    shown = result.stdout + result.stderr + caplog.text
    for secret in SECRETS:
        assert secret not in shown


def test_a_redirect_is_not_followed_so_the_token_stays_home(root):
    with FakePrometheus() as elsewhere:
        with FakePrometheus("redirect", redirect_to=elsewhere.url) as north:
            result = run_gate(root, {"north": {"url": north.url, "bearer_token_env": "NORTH_TOKEN"}},
                              "--region", "north", env={"NORTH_TOKEN": TOKEN})
    assert result.exit_code == 3
    assert north.received and not elsewhere.received
    assert "redirect refused" in json.loads(result.stdout)["reason"]


def test_a_missing_token_variable_is_a_usage_error_naming_the_variable_only(root):
    """Found when the config is read, before any request (exit 2)."""
    with FakePrometheus() as north:
        result = run_gate(root, {"north": {"url": north.url, "bearer_token_env": "NORTH_TOKEN"}}, "--region", "north")
    assert result.exit_code == 2
    assert "endpoints.north.bearer_token_env: $NORTH_TOKEN is not set" in result.stderr
    assert not north.received


def test_a_rejected_token_is_unauthorized(root):
    with FakePrometheus("401") as north:
        result = run_gate(root, {"north": {"url": north.url, "bearer_token_env": "NORTH_TOKEN"}}, "--region", "north",
                          env={"NORTH_TOKEN": TOKEN})
    assert result.exit_code == 3
    assert "unauthorized" in json.loads(result.stdout)["reason"]
    assert TOKEN not in result.stdout + result.stderr


def test_long_queries_are_posted(root):
    with FakePrometheus() as north:
        run_gate(root, {"north": {"url": north.url, "post_above": 10}}, "--region", "north")
    assert {r["method"] for r in north.received} == {"POST"}
    assert all(r["params"]["query"] for r in north.received)


def test_short_queries_use_get(root):
    with FakePrometheus() as north:
        run_gate(root, {"north": {"url": north.url, "post_above": 1_000_000}}, "--region", "north")
    assert {r["method"] for r in north.received} == {"GET"}


def test_thanos_gets_dedup_and_no_partial_responses(root):
    with FakePrometheus() as thanos, FakePrometheus() as island:
        result = run_gate(root, {"thanos": {"url": thanos.url}, "island": {"url": island.url}}, thanos=True)
    assert thanos.received
    assert all(r["params"].get("dedup") == "true" and r["params"].get("partial_response") == "false"
               for r in thanos.received)
    assert not any("dedup" in r["params"] for r in island.received)   # isolated: its own Prometheus, never Thanos
    assert json.loads(result.stdout)["regions"] == ["island", "north", "south"]


def test_credentials_in_a_url_are_refused(root):
    result = run_gate(root, {"north": {"url": f"http://gate:{PASSWORD}@127.0.0.1:1"}}, "--region", "north")
    assert result.exit_code == 2
    assert PASSWORD not in result.stdout + result.stderr


def test_an_authorization_header_in_the_config_is_refused(root):
    result = run_gate(root, {"north": {"url": "http://127.0.0.1:1", "headers": {"Authorization": f"Bearer {TOKEN}"}}})
    assert result.exit_code == 2
    assert TOKEN not in result.stdout + result.stderr


def test_the_client_backs_off_between_bounded_retries():
    slept = []
    with FakePrometheus("500") as server:
        client = Client(Endpoint("north", server.url, retries=3, backoff=0.25), sleep=slept.append)
        with pytest.raises(QueryError) as err:
            client.query("up", 0)
    assert slept == [0.25, 0.5, 1.0]
    assert len(server.received) == 4
    assert err.value.outcome == "http 500"


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl."""
    import subprocess

    d = tmp_path_factory.mktemp("pki")

    def ssl(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True)

    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=gate test CA")
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1"), ("client", "extendedKeyUsage=clientAuth")):
        ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
            "-subj", f"/CN={name}")
        (d / f"{name}.ext").write_text(ext + "\n")
        ssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext")
    return d


TLS_CASES = {
    "the CA bundle and a client certificate get through mutual TLS": (True, True, 0),
    "without the CA bundle the server is not trusted": (False, True, 3),
    "without a client certificate the server refuses": (True, False, 3),
}


@pytest.mark.parametrize("ca, cert, status", TLS_CASES.values(), ids=list(TLS_CASES))
@pytest.mark.tool("openssl")
def test_tls(root, pki, ca, cert, status):
    spec = {}
    if ca:
        spec["ca_bundle"] = str(pki / "ca.pem")
    if cert:
        spec |= {"client_cert": str(pki / "client.pem"), "client_key": str(pki / "client.key")}
    tls = (str(pki / "server.pem"), str(pki / "server.key"), str(pki / "ca.pem"))
    with FakePrometheus(tls=tls) as north:
        result = run_gate(root, {"north": {"url": north.url, **spec}}, "--region", "north", "--slo", "api-availability")
    doc = json.loads(result.stdout)
    if status == 0:
        assert north.received and "no data" in doc["reason"]     # the fake holds no series: it got through
    else:
        assert result.exit_code == 3 and "unreachable" in doc["reason"] and not north.received
