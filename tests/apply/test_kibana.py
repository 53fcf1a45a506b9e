"""`obsgen apply kibana` against a stand-in of Kibana's saved objects API on 127.0.0.1: each
generated dashboard file goes through the import API with overwrite, multipart, with kbn-xsrf;
what Kibana then holds is exactly the file's objects; a second run sends nothing; an object
Kibana refuses fails the apply; the API key never shows."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from obsgen.cli import main
from tests.apply.kibana_server import FakeKibana

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east"
API_KEY = "a2liYW5hLWtleS1uZXZlci1wcmludGVk"


def _generated() -> dict[str, list[dict]]:
    folder = ROOT / "generated" / REGION / "kibana"
    return {p.name: [json.loads(line) for line in p.read_text().splitlines()] for p in sorted(folder.glob("*.ndjson"))}


def apply(kibana, *args, key=API_KEY):
    env = {"OBSGEN_KIBANA_API_KEY": key} if key else {}
    return CliRunner().invoke(main, ["apply", "kibana", "--region", REGION, "--root", str(ROOT), "--url", kibana.url, *args],
                              env=env)


def test_each_file_is_imported_with_overwrite_and_kibana_then_holds_exactly_its_objects():
    files = _generated()
    assert len(files) == 3
    with FakeKibana(API_KEY) as kibana:
        result = apply(kibana)
    assert result.exit_code == 0, result.output
    posts = [r for r in kibana.requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/api/saved_objects/_import?overwrite=true"] * 3
    assert all(r.headers.get("kbn-xsrf") and "multipart/form-data" in r.headers["Content-Type"] for r in posts)
    expected = {(o["type"], o["id"]): {k: o[k] for k in ("id", "type", "attributes", "references")}
                for objects in files.values() for o in objects}
    assert kibana.objects == expected
    assert len(expected) == 3 + 12 + 3   # dashboards, visualizations, one data view per stream (shared by the files)
    assert "3 of 3 changed" in result.output


def test_a_second_run_sends_nothing_and_a_changed_object_sends_its_file_again():
    with FakeKibana(API_KEY) as kibana:
        assert apply(kibana).exit_code == 0
        kibana.requests.clear()
        again = apply(kibana)
        assert again.exit_code == 0 and "0 of 3 changed" in again.output
        assert not [r for r in kibana.requests if r.method == "POST"]
        vis = next(k for k in kibana.objects if k[0] == "visualization" and "-security-" in k[1])
        kibana.objects[vis]["attributes"]["title"] = "edited in Kibana"
        result = apply(kibana, "--dry-run")
        assert result.exit_code == 0
        assert [line for line in result.output.splitlines() if line.startswith("would ")] == [
            "would update: saved objects security (7 objects) (POST /api/saved_objects/_import?overwrite=true)"]


def test_an_object_kibana_refuses_fails_the_apply():
    with FakeKibana(API_KEY) as kibana:
        # a stored object Kibana keeps under another type: the file's reference no longer resolves
        kibana_route = kibana.route

        def refusing(method, path, headers, body):
            status, answer = kibana_route(method, path, headers, body)
            if path.startswith("/api/saved_objects/_import") and answer.get("success"):
                answer = {"success": False, "successCount": 0, "errors": [
                    {"id": "obsgen-us-east-app-logs", "type": "index-pattern", "error": {"type": "conflict"}}]}
            return status, answer
        kibana.route = refusing
        result = apply(kibana)
    assert result.exit_code == 1
    assert "Kibana refused business.ndjson: index-pattern obsgen-us-east-app-logs: conflict" in result.stderr


def test_the_files_import_whole_because_every_reference_resolves_inside_them():
    with FakeKibana(API_KEY) as kibana:
        assert apply(kibana).exit_code == 0
    assert all(kibana.imports) and sum(len(done) for done in kibana.imports) == sum(len(o) for o in _generated().values())


def test_the_api_key_goes_in_the_header_and_never_into_the_output():
    with FakeKibana(API_KEY) as kibana:
        result = apply(kibana)
    assert result.exit_code == 0
    assert all(r.headers.get("Authorization") == f"ApiKey {API_KEY}" for r in kibana.requests)
    assert API_KEY not in result.output


def test_a_rejected_key_exits_1_with_kibanas_reason():
    with FakeKibana("another-key") as kibana:
        result = apply(kibana)
    assert result.exit_code == 1 and "HTTP 401" in result.stderr and API_KEY not in result.output
    assert not kibana.objects


def test_without_a_url_a_region_with_no_kibana_endpoint_is_a_usage_error():
    result = CliRunner().invoke(main, ["apply", "kibana", "--region", REGION, "--root", str(ROOT)], env={})
    assert result.exit_code == 2 and "has no kibana endpoint" in result.stderr
