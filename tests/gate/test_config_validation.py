"""Every bad gate config is exit 2, one line naming the file and the key, before any request is
sent, and never a traceback. So is an --at that is not a sane, finite instant."""
from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from tests.gate import synthetic
from tests.gate.estate_root import write_root
from tests.gate.fakeprom import FakePrometheus

AT = str(synthetic.END)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_root(tmp_path_factory.mktemp("gate-config"))


@pytest.fixture
def files(tmp_path):
    """Secret and certificate files the configs point at."""
    (tmp_path / "token").write_text("s3cret-token\n")
    (tmp_path / "empty").write_text("  \n")
    (tmp_path / "newline-token").write_text("abc\ndef\n")
    (tmp_path / "latin").write_text("tök€n\n")
    (tmp_path / "adir").mkdir()
    (tmp_path / "not-pem").write_text("hello\n")
    return tmp_path


def endpoint(**spec) -> str:
    lines = ["endpoints:", "  north:", "    url: URL"]
    lines += [f"    {k}: {v}" for k, v in spec.items()]
    return "\n".join(lines) + "\n"


# id: (config text, the key the message must name, what it must say)
CONFIGS = {
    "timeout as a word": ("timeout: ten\n", "timeout", "positive number"),
    "retries as a word": ("retries: many\n", "retries", "whole number"),
    "retries out of range": ("retries: 99\n", "retries", "0 to 10"),
    "retries as a boolean": ("retries: true\n", "retries", "whole number"),
    "a negative backoff": ("backoff: -1\n", "backoff", "positive"),
    "post_above as text": ("post_above: big\n", "post_above", "whole number"),
    "thanos as the string no": ('thanos: "no"\n', "thanos", "true or false"),
    "thanos as a number": ("thanos: 1\n", "thanos", "true or false"),
    "endpoints as a list": ("endpoints:\n  - north\n", "endpoints", "mapping"),
    "an endpoint as a string": ("endpoints:\n  north: http://x\n", "endpoints.north", "mapping"),
    "an unknown top-level key": ("timeuot: 5\n", "timeuot", "unknown key"),
    "an unknown endpoint key": (endpoint(bearer_token="x"), "bearer_token", "unknown key"),
    "the config is a list": ("- a\n- b\n", "", "must be a mapping"),
    "the config is not YAML": ("endpoints: [\n", "", "not YAML"),
    "a URL that is not http": (endpoint().replace("URL", "ftp://x"), "endpoints.north.url", "http(s)"),
    "a URL as a number": (endpoint().replace("URL", "42"), "endpoints.north.url", "string"),
    "timeout per endpoint as a word": (endpoint(timeout="soon"), "endpoints.north.timeout", "positive number"),
    "region_label as the string yes": (endpoint(region_label='"yes"'), "endpoints.north.region_label", "true or false"),
    "headers as a list": (endpoint(headers="[a, b]"), "endpoints.north.headers", "map header names"),
    "a header value with a line break": (endpoint(headers='{X-Scope-OrgID: "a\\nb"}'), "endpoints.north.headers.X-Scope-OrgID", "cannot be sent"),
    "a header name with a space": (endpoint(headers='{"X Org": a}'), "endpoints.north.headers", "not a header name"),
    "an Authorization header": (endpoint(headers="{Authorization: Bearer x}"), "endpoints.north.headers", "Authorization"),
    "a missing token variable": (endpoint(bearer_token_env="OBSGEN_TEST_NO_SUCH_VAR"), "endpoints.north.bearer_token_env", "is not set"),
    "an empty token variable": (endpoint(bearer_token_env="OBSGEN_TEST_EMPTY_VAR"), "endpoints.north.bearer_token_env", "empty"),
    "a missing token file": (endpoint(bearer_token_file="FILES/nope"), "endpoints.north.bearer_token_file", "does not exist"),
    "an empty token file": (endpoint(bearer_token_file="FILES/empty"), "endpoints.north.bearer_token_file", "empty"),
    "a directory instead of a token file": (endpoint(bearer_token_file="FILES/adir"), "endpoints.north.bearer_token_file", "is a directory"),
    "a token with a line break": (endpoint(bearer_token_file="FILES/newline-token"), "endpoints.north.bearer_token_file", "cannot be sent as a header"),
    "a token outside Latin-1": (endpoint(bearer_token_file="FILES/latin"), "endpoints.north.bearer_token_file", "cannot be sent as a header"),
    "both token variable and file": (endpoint(bearer_token_env="X", bearer_token_file="FILES/token"), "endpoints.north", "both set"),
    "a password without a user": (endpoint(basic_auth_password_file="FILES/token"), "endpoints.north.basic_auth_user", "missing"),
    "a missing password file": (endpoint(basic_auth_user="gate", basic_auth_password_file="FILES/nope"), "endpoints.north.basic_auth_password_file", "does not exist"),
    "a missing CA bundle": (endpoint(ca_bundle="FILES/ca.pem"), "endpoints.north.ca_bundle", "does not exist"),
    "a CA bundle that is not PEM": (endpoint(ca_bundle="FILES/not-pem"), "endpoints.north.ca_bundle", "not a PEM file"),
    "a missing client certificate": (endpoint(client_cert="FILES/cert.pem"), "endpoints.north.client_cert", "does not exist"),
    "a client key without a certificate": (endpoint(client_key="FILES/token"), "endpoints.north.client_key", "without client_cert"),
    "a proxy that is not a URL": (endpoint(proxy="proxy.internal"), "endpoints.north.proxy", "http(s)"),
    "an endpoint that is neither a region nor thanos": ("endpoints:\n  nrth:\n    url: URL\n", "nrth", "neither a region"),
}


@pytest.mark.parametrize("text, key, message", CONFIGS.values(), ids=list(CONFIGS))
def test_bad_config_is_exit_2_naming_file_and_key_before_any_request(root, files, text, key, message):
    with FakePrometheus("empty") as fake:
        config = files / "gate.yml"
        config.write_text(text.replace("URL", fake.url).replace("FILES", str(files)))
        env = {"OBSGEN_TEST_EMPTY_VAR": ""}
        result = CliRunner(env=env).invoke(main, ["gate", "--root", str(root), "--config", str(config),
                                                  "--region", "north", "--at", AT])
        assert fake.received == [], "a request was sent"
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, Exception) or \
        isinstance(result.exception, SystemExit)
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert str(config) in line or "nrth" in line
    assert key in line and message in line, line
    assert "s3cret" not in result.output


def test_there_are_at_least_25_bad_configs():
    assert len(CONFIGS) >= 25


def test_an_unreadable_config_file(root, tmp_path):
    if os.geteuid() == 0:
        config = tmp_path / "gate.yml"
        config.mkdir()
    else:
        config = tmp_path / "gate.yml"
        config.write_text("timeout: 1\n")
        config.chmod(0)
    result = CliRunner().invoke(main, ["gate", "--root", str(root), "--config", str(config), "--at", AT])
    assert result.exit_code == 2 and "gate.yml" in result.output
    if not os.geteuid() == 0:
        config.chmod(stat.S_IRUSR | stat.S_IWUSR)


AT_VALUES = {
    "nan": "nan", "inf": "inf", "-inf": "-inf", "milliseconds (1e12)": "1e12",
    "before 2000": "-5", "a year 9999 instant": "9999-01-01T00:00:00Z", "words": "yesterday-ish",
}


@pytest.mark.parametrize("text", AT_VALUES.values(), ids=list(AT_VALUES))
def test_at_must_be_a_sane_finite_instant(root, text):
    with FakePrometheus("empty") as fake:
        result = CliRunner().invoke(main, ["gate", "--root", str(root), "--region", "north", "--endpoint",
                                           f"north={fake.url}", "--at", text])
        assert fake.received == []
    assert result.exit_code == 2, result.output
    assert "--at" in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


def test_verbose_prints_the_instant_exactly(root):
    with FakePrometheus("empty") as fake:
        result = CliRunner().invoke(main, ["gate", "--root", str(root), "--region", "north", "--endpoint",
                                           f"north={fake.url}", "--at", "1796190000.25", "-v"])
    assert "(Unix 1796190000.25)" in result.stderr
    assert "time=1796190000.25 " in result.stderr
    assert "e+09" not in result.stderr
