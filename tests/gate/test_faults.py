"""Whatever goes wrong between the gate and Prometheus, the gate says so and never exits 0."""
from __future__ import annotations

import json
import socket
import time

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from obsgen.errors import EXIT_CANNOT_EVALUATE
from tests.gate import synthetic
from tests.gate.estate_root import write_root
from tests.gate.fakeprom import FakePrometheus

AT = str(synthetic.END)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_root(tmp_path_factory.mktemp("gate-root"))


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def gate(root, url, *extra):
    args = ["gate", "--root", str(root), "--region", "north", "--endpoint", f"north={url}", "--at", AT,
            "--timeout", "0.5", "--retries", "0", "--json", *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result, json.loads(result.stdout) if result.stdout.strip().startswith("{") else None


FAULTS = {
    "a stopped Prometheus is unreachable": ("closed", "unreachable"),
    "a server error is an HTTP error": ("500", "http 500"),
    "a hanging server times out": ("hang", "timeout"),
    "garbage instead of JSON is a bad response": ("garbage", "bad response"),
    "warnings in the answer are a partial response": ("partial", "partial response"),
    "a query the server rejects is reported as rejected": ("400", "query rejected"),
    "a redirect is refused, not followed": ("redirect", "redirect refused"),
    "a server with no series has no data": ("empty", "no data"),
}


@pytest.mark.parametrize("behaviour, outcome", FAULTS.values(), ids=list(FAULTS))
def test_fault_cannot_be_evaluated(root, behaviour, outcome):
    started = time.monotonic()
    if behaviour == "closed":
        result, doc = gate(root, closed_port_url())
    else:
        with FakePrometheus(behaviour, redirect_to=closed_port_url(), hang_seconds=3) as fake:
            result, doc = gate(root, fake.url)
    assert result.exit_code == EXIT_CANNOT_EVALUATE, result.output
    assert doc["decision"] == "cannot-evaluate"
    reasons = [r["reason"] for r in doc["results"]]
    assert reasons and all(outcome in reason for reason in reasons), reasons
    assert outcome in doc["reason"]
    assert time.monotonic() - started < 10


def test_an_info_annotation_among_the_warnings_is_not_a_partial_response(root):
    """Prometheus 2.46-2.51 put info-level annotations among the warnings."""
    with FakePrometheus("info") as fake:
        _, doc = gate(root, fake.url)
    assert "partial" not in doc["reason"] and "no data" in doc["reason"]


def test_retries_are_bounded_and_back_off(root):
    with FakePrometheus("500") as fake:
        result, doc = gate(root, fake.url, "--retries", "2")
    assert result.exit_code == EXIT_CANNOT_EVALUATE
    assert len(fake.received) == 3
    assert "after 3 attempts" in doc["reason"]


def test_every_query_carries_the_instant_evaluated(root):
    with FakePrometheus("empty") as fake:
        gate(root, fake.url)
    assert fake.received
    assert {r["params"].get("time") for r in fake.received} == {AT}


def test_verbose_prints_each_request_and_its_duration(root):
    with FakePrometheus("empty") as fake:
        result = CliRunner().invoke(main, ["gate", "--root", str(root), "--region", "north", "--endpoint",
                                           f"north={fake.url}", "--at", AT, "--verbose"])
    lines = [line for line in result.stderr.splitlines() if "/api/v1/query" in line]
    assert len(lines) == len(fake.received)
    assert all(" ms" in line or "ms " in line for line in lines), lines


def test_one_unreachable_region_makes_the_whole_gate_cannot_evaluate(root):
    with FakePrometheus("empty") as fake:
        args = ["gate", "--root", str(root), "--region", "north", "--region", "south", "--endpoint", f"north={fake.url}",
                "--endpoint", f"south={closed_port_url()}", "--at", AT, "--timeout", "0.5", "--retries", "0", "--json"]
        result = CliRunner().invoke(main, args)
    assert result.exit_code == EXIT_CANNOT_EVALUATE
    doc = json.loads(result.stdout)
    assert [p["endpoint"] for p in doc["problems"]] == ["south"]


USAGE = {
    "an unknown region": (["--region", "atlantis"], "unknown region 'atlantis'"),
    "an unknown SLO": (["--slo", "nope"], "unknown SLO 'nope'"),
    "an unparseable instant": (["--at", "yesterday-ish"], "--at"),
    "an endpoint override without a URL": (["--endpoint", "north"], "NAME=URL"),
    "a URL with credentials in it": (["--endpoint", "north=http://user:secret@127.0.0.1:1"], "holds credentials"),
    "an unknown canary stage": (["--canary", "stage-9"], "unknown canary stage"),
    "an endpoint override for a region that does not exist": (["--endpoint", "nrth=http://127.0.0.1:1"],
                                                              "'nrth' is neither a region nor 'thanos'"),
}


@pytest.mark.parametrize("args, message", USAGE.values(), ids=list(USAGE))
def test_usage_errors_exit_2(root, args, message):
    result = CliRunner().invoke(main, ["gate", "--root", str(root), *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "secret" not in result.stderr


INSTANTS = {
    "Unix seconds": ("1795687200", 1795687200.0),
    "ISO 8601 in UTC": ("2026-11-26T12:00:00Z", 1795694400.0),
    "ISO 8601 with an offset": ("2026-11-26T13:00:00+01:00", 1795694400.0),
    "a bare ISO 8601 instant is UTC": ("2026-11-26T12:00:00", 1795694400.0),
}


@pytest.mark.parametrize("text, unix", INSTANTS.values(), ids=list(INSTANTS))
def test_at_accepts(text, unix):
    from obsgen.gate.cli import parse_at

    assert parse_at(text, now=1796205600.0) == unix


def test_at_defaults_to_now():
    from obsgen.gate.cli import parse_at

    assert parse_at(None, now=123.5) == 123.5


@pytest.mark.tool("prometheus")
def test_a_real_prometheus_without_the_series_then_stopped(root, tmp_path):
    """Running but empty: no data. Stopped: unreachable. Both exit 3, neither ever 0."""
    from obsgen.localprom import LocalPrometheus

    prom = LocalPrometheus(tmp_path / "empty")
    prom.start()
    url = prom.url
    try:
        result, doc = gate(root, url)
        assert result.exit_code == EXIT_CANNOT_EVALUATE and "no data" in doc["reason"]
    finally:
        prom.stop()
    result, doc = gate(root, url)
    assert result.exit_code == EXIT_CANNOT_EVALUATE and "unreachable" in doc["reason"]
