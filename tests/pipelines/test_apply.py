"""`obsgen apply elasticsearch` against a recording server on 127.0.0.1: what it reads, what it
sends (method, path, body), what it prints, that the secrets (API key, a pipeline's salt) never
show, and that the pipelines are run on the corpus with _ingest/pipeline/_simulate."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from tests.pipelines.es_server import FakeElasticsearch
from tests.pipelines.node import ROOT

REGION = "us-east"
DIR = ROOT / "generated" / REGION / "elasticsearch"
API_KEY = "c2VjcmV0LWFwaS1rZXktMTIzNDU2Nzg5MA=="
PASSWORD = "pa55-w0rd-never-shown"
SALT = "s4lt-from-the-secret-store"


def _generated() -> dict[str, dict]:
    docs = {f"/_ilm/policy/{p.stem}": json.loads(p.read_text()) for p in sorted((DIR / "ilm_policy").glob("*.json"))}
    docs.update({f"/_ingest/pipeline/{p.stem}": json.loads(p.read_text().replace("${LOG_PIPELINE_SALT}", SALT))
                 for p in sorted((DIR / "ingest_pipeline").glob("*.json"))})
    docs.update({f"/_index_template/{p.stem}": json.loads(p.read_text()) for p in sorted((DIR / "index_template").glob("*.json"))})
    return docs


def _header(request, name: str) -> str | None:
    """HTTP header names are case-insensitive (the official client sends them lower-case)."""
    return {k.lower(): v for k, v in request.headers.items()}.get(name.lower())


@pytest.fixture
def es():
    fake = FakeElasticsearch().start()
    yield fake
    fake.stop()


def apply(es, *args, env=None):
    env = {"OBSGEN_ELASTICSEARCH_API_KEY": API_KEY, "LOG_PIPELINE_SALT": SALT, **(env or {})}
    return CliRunner().invoke(main, ["apply", "elasticsearch", "--region", REGION, "--root", str(ROOT), "--url", es.url, *args], env=env)


def test_a_dry_run_on_an_empty_cluster_would_create_everything_and_sends_nothing(es):
    result = apply(es, "--dry-run")
    assert result.exit_code == 0, result.output
    docs = _generated()
    assert len(docs) >= 6
    gets = [r for r in es.requests if r.method == "GET"]
    assert gets[0].path == "/" and sorted(r.path for r in gets[1:]) == sorted(docs)
    assert not [r for r in es.requests if r.method == "PUT"]
    # the pipelines as they would be sent, run inline on the corpus
    simulated = [r for r in es.requests if r.method == "POST"]
    assert {r.path for r in simulated} == {"/_ingest/pipeline/_simulate"}
    assert sorted(r.body["pipeline"]["_meta"]["stream"] for r in simulated) == sorted(["access-logs", "app-logs", "audit-logs"] * 2)
    assert result.output.count("would create: ") == len(docs)
    assert f"0 of {len(docs)}" not in result.output and f"{len(docs)} of {len(docs)} would change" in result.output


def test_apply_puts_each_generated_body_policies_before_templates(es):
    result = apply(es)
    assert result.exit_code == 0, result.output
    puts = [r for r in es.requests if r.method == "PUT"]
    docs = _generated()
    assert {r.path: r.body for r in puts} == docs
    kinds = [r.path.split("/")[1] for r in puts]
    assert kinds == sorted(kinds, key=lambda k: k == "_index_template"), "a template was sent before a policy or pipeline it names"
    assert SALT not in result.output


def test_after_sending_each_pipeline_is_simulated_by_id_on_its_corpus(es):
    result = apply(es)
    assert result.exit_code == 0, result.output
    posts = [r.path for r in es.requests if r.method == "POST"]
    assert sorted(posts) == sorted(f"{p}/_simulate" for p in _generated() if p.startswith("/_ingest/pipeline/"))
    assert all(len(r.body["docs"]) >= 6 for r in es.requests if r.method == "POST")


def test_a_corpus_line_the_pipeline_does_not_parse_as_expected_fails_the_apply(es, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "app.yaml").write_text(
        "pipeline: application_pipeline\nsamples:\n"
        "  - line: '2026-12-02T10:15:32Z ERROR payment payment failed'\n    expect: {level: ERROR, service: billing}\n"
        "  - line: '2026-12-02T10:15:32Z ERROR payment payment failed'\n    expect: failed\n")
    result = apply(es, "--corpus", str(folder))
    assert result.exit_code == 1, result.output
    assert "service is 'payment', expected 'billing'" in result.stderr
    assert "should go to failed-app-logs-us-east" in result.stderr


def test_a_pipeline_salt_missing_from_the_environment_stops_before_anything_is_sent(es):
    result = apply(es, env={"LOG_PIPELINE_SALT": ""})
    assert result.exit_code == 1
    assert "LOG_PIPELINE_SALT" in result.stderr and "not set" in result.stderr
    assert not [r for r in es.requests if r.method in ("PUT", "POST")]


def test_a_refusal_that_echoes_the_salt_shows_it_scrubbed(es):
    es.fail_with = (400, {"error": {"type": "parse_exception", "reason": f"bad salt {SALT}"}})
    result = apply(es)
    assert result.exit_code == 1
    assert SALT not in result.output


def test_a_second_apply_finds_everything_unchanged(es):
    assert apply(es).exit_code == 0
    es.requests.clear()
    result = apply(es, "--dry-run")
    assert result.exit_code == 0, result.output
    assert not [r for r in es.requests if r.method == "PUT"]
    assert "would create" not in result.output and "would update" not in result.output
    assert result.output.count("unchanged: ") == len(_generated())


def test_a_changed_retention_would_update_that_policy_only(es):
    assert apply(es).exit_code == 0
    name = next(iter(es.policies))
    es.policies[name]["policy"]["phases"]["delete"]["min_age"] = "1d"
    result = apply(es, "--dry-run")
    assert result.exit_code == 0
    assert [line for line in result.output.splitlines() if line.startswith("would ")] == [
        f"would update: ilm policy {name} (PUT /_ilm/policy/{name})"]


def test_the_api_key_is_sent_in_the_header_and_never_printed(es):
    result = apply(es)
    assert result.exit_code == 0
    assert all(_header(r, "Authorization") == f"ApiKey {API_KEY}" for r in es.requests)
    assert API_KEY not in result.output


def test_basic_auth_from_a_credentials_file(es, tmp_path):
    creds = tmp_path / "es.credentials"
    creds.write_text(f"username=obsgen\npassword={PASSWORD}\n")
    result = apply(es, "--dry-run", "--credentials-file", str(creds), env={"OBSGEN_ELASTICSEARCH_API_KEY": ""})
    assert result.exit_code == 0, result.output
    import base64
    assert _header(es.requests[0], "Authorization") == "Basic " + base64.b64encode(f"obsgen:{PASSWORD}".encode()).decode()
    assert PASSWORD not in result.output


def test_a_refusal_that_echoes_the_key_exits_1_with_the_key_scrubbed(es):
    es.fail_with = (401, {"error": {"type": "security_exception", "reason": f"unable to authenticate with ApiKey {API_KEY}"}})
    result = apply(es)
    assert result.exit_code == 1
    assert "HTTP 401" in result.stderr and API_KEY not in result.output and "***" in result.stderr
    assert not [r for r in es.requests if r.method == "PUT"]


def test_an_unreachable_elasticsearch_exits_1_with_one_line(es):
    url = es.url
    es.stop()
    result = CliRunner().invoke(main, ["apply", "elasticsearch", "--region", REGION, "--root", str(ROOT), "--url", url],
                                env={"OBSGEN_ELASTICSEARCH_API_KEY": API_KEY, "LOG_PIPELINE_SALT": SALT})
    es.start()
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "ConnectionError" in result.stderr


@pytest.mark.parametrize("args,words", [
    pytest.param(["--region", "mars"], "no generated files for region 'mars'", id="a region with no generated files is a usage error"),
    pytest.param(["--region", "ap-southeast"], "has no elasticsearch endpoint", id="a region hosting no Elasticsearch and no --url is a usage error"),
])
def test_usage_errors_exit_2(args, words, tmp_path):
    result = CliRunner().invoke(main, ["apply", "elasticsearch", "--root", str(ROOT), *args], env={})
    assert result.exit_code == 2
    assert words in result.stderr


def test_a_username_without_a_password_is_a_usage_error(es):
    result = apply(es, env={"OBSGEN_ELASTICSEARCH_API_KEY": "", "OBSGEN_ELASTICSEARCH_USERNAME": "obsgen"})
    assert result.exit_code == 2 and "needs a password" in result.stderr
    assert es.requests == []


def test_every_request_asks_for_elasticsearch_9_compatibility(es):
    assert apply(es).exit_code == 0
    assert all(_header(r, "Accept") == "application/vnd.elasticsearch+json; compatible-with=9" for r in es.requests)
    with_body = [r for r in es.requests if r.body is not None]
    assert with_body and all(_header(r, "Content-Type") == "application/vnd.elasticsearch+json; compatible-with=9"
                             for r in with_body)


def test_an_overloaded_or_restarting_cluster_is_retried_and_the_apply_goes_through(es):
    es.fail_next = [(503, {"error": {"type": "unavailable", "reason": "restarting"}}),
                    (429, {"error": {"type": "es_rejected_execution_exception", "reason": "queue full"}})]
    result = apply(es)
    assert result.exit_code == 0, result.output
    first = es.requests[0].path
    assert [r.path for r in es.requests[:3]] == [first] * 3, "the refused request was not sent again"
    assert {r.path: r.body for r in es.requests if r.method == "PUT"} == _generated()


def test_a_cluster_that_stays_unavailable_fails_after_the_clients_retries(es):
    es.fail_with = (503, {"error": {"type": "unavailable", "reason": "restarting"}})
    result = apply(es)
    assert result.exit_code == 1
    assert "HTTP 503: restarting" in result.stderr
    assert len(es.requests) == 4   # the request and the client's 3 retries


def test_a_refusal_that_is_not_retried_is_sent_once(es):
    es.fail_with = (400, {"error": {"type": "illegal_argument_exception", "reason": "bad"}})
    assert apply(es).exit_code == 1
    assert len(es.requests) == 1


def test_a_server_that_does_not_answer_as_elasticsearch_is_refused(es):
    es.response_headers = {}
    result = apply(es)
    assert result.exit_code == 1
    assert "does not answer as Elasticsearch" in result.stderr
    assert [(r.method, r.path) for r in es.requests] == [("GET", "/")]
