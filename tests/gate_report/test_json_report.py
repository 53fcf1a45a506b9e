"""--json: every output validates against the published schema; figures survive exactly."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from obsgen.gate.report import json_report
from tests.gate_report import builders as b

SCHEMA = json.loads(json_report.SCHEMA_FILE.read_text())
DOC = Path(__file__).resolve().parents[2] / "docs" / "gate-json.md"

CASES = {
    "every decision, a canary, a problem and a hostile label": b.mixed(),
    "an evaluation that found nothing to evaluate": b.evaluation(),
    "a canary-only evaluation": b.evaluation(canaries=(b.canary_result("pass"),), mode="canary"),
    "a status evaluation with figures missing": b.evaluation(
        (b.slo_result(decision="cannot-evaluate", sli=None, budget_remaining=None),), mode="status"),
    "infinite and NaN figures (objective 100%)": b.with_nonfinite(),
}


@pytest.mark.parametrize("evaluation", CASES.values(), ids=CASES.keys())
def test_output_validates_against_the_schema(evaluation):
    document = json.loads(json_report.render(evaluation))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_the_schema_is_itself_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


BROKEN = {
    "a result without its decision": lambda d: d["results"][0].pop("decision"),
    "a decision the gate never makes": lambda d: d["results"][0].update(decision="ok"),
    "an SLI given as a string": lambda d: d["results"][0].update(sli="99.8%"),
    "an undocumented field": lambda d: d.update(extra=1),
    "exit status 0 for cannot-evaluate's 3 spelled as 2": lambda d: d.update(exit_status=2),
}


@pytest.mark.parametrize("damage", BROKEN.values(), ids=BROKEN.keys())
def test_the_schema_rejects_a_damaged_document(damage):
    document = json.loads(json_report.render(b.mixed()))
    damage(document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(document)


def test_figures_are_carried_as_fractions_and_missing_ones_as_null():
    document = json.loads(json_report.render(b.mixed()))
    fail = next(r for r in document["results"] if r["region"] == "us-east")
    assert (fail["sli"], fail["budget_remaining"], fail["budget_remaining_minutes"]) == (0.9987, -0.35, -75.6)
    assert fail["firing"][0]["alertname"] == "SLOBurnPage" and fail["freeze"] is True
    missing = next(r for r in document["results"] if r["region"] == "ap-southeast")
    assert missing["sli"] is None and missing["requests"] is None
    assert document["exit_status"] == 3 and document["decision"] == "cannot-evaluate"


def test_non_finite_figures_become_null_not_invalid_json():
    text = json_report.render(b.with_nonfinite())
    assert "NaN" not in text and "Infinity" not in text
    result = json.loads(text)["results"][0]
    assert result["period_burn_rate"] is None and result["sli"] is None


def test_the_same_evaluation_renders_the_same_bytes():
    assert json_report.render(b.mixed()) == json_report.render(b.mixed())


def test_every_field_of_the_schema_is_documented():
    documented = set(re.findall(r"`([a-z_0-9]+)`", DOC.read_text()))
    fields = set()

    def walk(node):
        if isinstance(node, dict):
            fields.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
    walk(SCHEMA)
    assert sorted(fields - documented) == []
