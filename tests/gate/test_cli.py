"""`obsgen gate` and `obsgen status` end to end against a real Prometheus: exit statuses,
reasons, --at, JSON that follows the documented schema, and the file reports."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from obsgen.cli import main
from tests.gate import synthetic
from tests.gate.estate_root import write_config, write_root
from tests.gate.truth import grid_end, window_counts

pytestmark = pytest.mark.tool("prometheus")

SCHEMA = Path(__file__).resolve().parents[2] / "obsgen" / "gate" / "report" / "gate-result.schema.json"
AT = str(synthetic.END)


@pytest.fixture(scope="module")
def root(tmp_path_factory, prom):
    path = write_root(tmp_path_factory.mktemp("gate-cli"))
    write_config(path / "gate.yml", {"north": prom.url, "south": prom.url, "island": prom.url})
    return path


def gate(root, *args, command="gate"):
    result = CliRunner().invoke(main, [command, "--root", str(root), "--config", str(root / "gate.yml"),
                                       "--at", AT, "--json", *args], catch_exceptions=False)
    return result, json.loads(result.stdout)


DECISIONS = {
    "a healthy region passes (exit 0)":
        (["--region", "north", "--service", "api"], 0, "pass", "all 2 checks pass"),
    "an exhausted error budget fails (exit 1)":
        (["--region", "south", "--slo", "api-availability"], 1, "fail", "error budget exhausted"),
    "a page-level burn fails with budget left (exit 1)":
        (["--region", "island", "--slo", "api-availability"], 1, "fail", "page-level burn active"),
    "a ticket-level burn warns and lets the release go (exit 0)":
        (["--region", "south", "--slo", "jobs-success"], 0, "warn", "ticket-level burn active"),
    "an SLO with no data cannot be evaluated (exit 3)":
        (["--region", "north", "--slo", "ghost-availability"], 3, "cannot-evaluate", "no data"),
    "an SLO with too few events cannot be evaluated (exit 3)":
        (["--region", "north", "--slo", "sparse-availability"], 3, "cannot-evaluate", "too few events: 9 requests"),
    "before the page-level burn began, the same SLO passed (--at)":
        (["--region", "island", "--slo", "api-availability", "--at", str(synthetic.END - 7200)], 0, "pass", "pass"),
}


@pytest.mark.parametrize("args, status, decision, reason", DECISIONS.values(), ids=list(DECISIONS))
def test_gate_decision(root, args, status, decision, reason):
    result, doc = gate(root, *args)
    assert result.exit_code == status, doc["reason"]
    assert doc["decision"] == decision
    assert reason in doc["reason"]


def test_the_instant_evaluated_is_the_one_asked_for(root):
    _, doc = gate(root, "--region", "island", "--slo", "api-availability", "--at", str(synthetic.END - 7200))
    assert doc["at_unix"] == synthetic.END - 7200
    assert {entry["at_unix"] for entry in doc["requests"]["log"]} == {synthetic.END - 7200}


def test_globally_south_has_spent_its_budget_into_a_ticket_level_burn(root):
    """South burns at 1.6, north at 0.02: globally 0.81, which leaves 19% of the day's budget,
    below the test policy's page factors (2 and 1) but above its ticket factor 0.1."""
    _, doc = gate(root, "--region", "north", "--region", "south", "--slo", "api-availability")
    by = {r["region"]: r for r in doc["results"]}
    assert by["south"]["decision"] == "fail" and "exhausted" in by["south"]["reason"]
    assert by["global"]["budget_remaining"] == pytest.approx(0.19, abs=0.005)
    assert by["global"]["decision"] == "warn" and "ticket-level burn active" in by["global"]["reason"]


def test_a_counter_reset_inside_the_window_neither_loses_nor_invents_requests(root, prom, scenarios, estate):
    _, doc = gate(root, "--region", "north", "--slo", "api-availability")
    (r,) = doc["results"]
    reset = synthetic.END - 5 * 3600
    assert synthetic.END - 86400 < reset < synthetic.END
    stamp = prom.query('timestamp(slo:sli_requests:increase1m{region="north"})', at=synthetic.END)[0].value
    slo = next(s for s in estate.slos if s.id == "api-availability")
    errors, requests = window_counts(scenarios, slo, "north", grid_end(stamp), "1d")
    assert (r["errors"], r["requests"]) == (errors, requests)
    assert r["decision"] == "pass"


def test_status_reports_a_failing_budget_but_exits_0(root):
    result, doc = gate(root, "--region", "south", "--service", "api", command="status")
    assert result.exit_code == 0
    assert doc["decision"] == "fail"


def test_status_that_cannot_evaluate_exits_3(root):
    result, _ = gate(root, "--region", "north", "--slo", "ghost-availability", command="status")
    assert result.exit_code == 3


def test_json_follows_the_documented_schema(root):
    _, doc = gate(root)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    assert len(doc["results"]) == 17


def test_the_terminal_table_is_the_default_output(root):
    result = CliRunner().invoke(main, ["gate", "--root", str(root), "--config", str(root / "gate.yml"), "--at", AT,
                                       "--region", "north", "--service", "api"])
    assert result.exit_code == 0
    assert "api-availability" in result.stdout and "PASS" in result.stdout
    assert "\x1b[" not in result.stdout          # no colour off a TTY
    assert "querying north" in result.stderr     # progress on stderr


def test_report_files_are_written_and_the_html_holds_a_burn_down(root, tmp_path):
    junit, md, page = tmp_path / "gate.xml", tmp_path / "summary.md", tmp_path / "gate.html"
    result, doc = gate(root, "--region", "north", "--region", "south", "--service", "api",
                       "--junit", str(junit), "--markdown", str(md), "--html", str(page))
    assert result.exit_code == 1
    assert "<testsuite" in junit.read_text()
    assert "obsgen gate: fail" in md.read_text()
    assert "<svg" in page.read_text()
    # One range query per endpoint: every SLO's budget remaining over its period.
    assert {(b["slo_id"], b["region"]) for b in doc["burndowns"]} == {
        (f"api-{n}", r) for n in ("availability", "latency") for r in ("north", "south")}
