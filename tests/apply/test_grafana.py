"""`obsgen apply grafana` against a recording stand-in of Grafana's API on 127.0.0.1: it creates
obsgen's folder, then posts each generated dashboard into it; a second run changes nothing; the
token goes only in the Authorization header and never into the output."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from obsgen.cli import main
from tests.apply.grafana_server import FakeGrafana

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-west"
TOKEN = "glsa_obsgen-test-token-0123456789abcdef"


def _generated() -> dict[str, dict]:
    folder = ROOT / "generated" / REGION / "grafana" / "dashboards"
    return {d["uid"]: d for d in (json.loads(p.read_text()) for p in sorted(folder.glob("*.json")))}


def apply(grafana, *args, token=TOKEN):
    env = {"OBSGEN_GRAFANA_API_KEY": token} if token else {}
    return CliRunner().invoke(main, ["apply", "grafana", "--region", REGION, "--root", str(ROOT), "--url", grafana.url, *args], env=env)


def test_apply_creates_the_folder_then_every_dashboard_in_it():
    with FakeGrafana(TOKEN) as grafana:
        result = apply(grafana)
    assert result.exit_code == 0, result.output
    generated = _generated()
    assert len(generated) >= 3
    assert set(grafana.folders) == {"obsgen"}
    assert set(grafana.dashboards) == set(generated)
    for uid, (stored, folder) in grafana.dashboards.items():
        assert folder == "obsgen"
        assert {k: v for k, v in stored.items() if k not in ("id", "version")} == generated[uid]
    posts = [r.path for r in grafana.requests if r.method == "POST"]
    assert posts[0] == "/api/folders" and posts[1:] == ["/api/dashboards/db"] * len(generated)
    assert f"{len(generated) + 1} of {len(generated) + 1} changed" in result.output


def test_a_second_run_changes_nothing_and_a_drifted_dashboard_is_updated():
    with FakeGrafana(TOKEN) as grafana:
        assert apply(grafana).exit_code == 0
        uid = sorted(grafana.dashboards)[0]
        dashboard, folder = grafana.dashboards[uid]
        grafana.dashboards[uid] = ({**dashboard, "title": "edited by hand"}, folder)
        grafana.requests.clear()
        result = apply(grafana, "--dry-run")
        assert result.exit_code == 0, result.output
        assert [r.method for r in grafana.requests] == ["GET"] * (len(_generated()) + 1)
        assert f"would update: dashboard {uid} " in result.output
        assert f"1 of {len(_generated()) + 1} would change" in result.output
        assert apply(grafana).exit_code == 0
        assert "0 of" in apply(grafana).output


def test_the_token_travels_as_a_bearer_header_and_is_never_printed():
    with FakeGrafana(TOKEN) as grafana:
        result = apply(grafana)
    assert result.exit_code == 0, result.output
    assert all(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in grafana.requests)
    assert TOKEN not in result.output


def test_a_rejected_token_fails_with_grafanas_reason_and_no_secret():
    with FakeGrafana("another-token") as grafana:
        result = apply(grafana)
    assert result.exit_code == 1
    assert "HTTP 401: invalid API key" in result.output
    assert TOKEN not in result.output
    assert not grafana.dashboards
