"""--junit: one testcase per SLO x region; fail -> <failure>, cannot-evaluate -> <error>."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from obsgen.gate.report import junit
from tests.gate_report import builders as b


def parsed(evaluation=None):
    return ET.fromstring(junit.render(evaluation or b.mixed()))


def case(root, suite, name):
    found = [c for s in root.findall("testsuite") if s.get("name") == suite
             for c in s.findall("testcase") if c.get("name") == name]
    assert len(found) == 1, (suite, name)
    return found[0]


def test_one_testcase_per_slo_and_region_plus_one_per_canary():
    root = parsed()
    assert root.get("tests") == "7"
    assert [s.get("name") for s in root.findall("testsuite")] == [
        "eu-west", "us-east", "ap-southeast", "global", "canary"]


OUTCOMES = {
    "a passing SLO has no failure, error or skip": ("eu-west", "api-availability", None),
    "a warning passes and says so in system-out": ("eu-west", "api-latency", "system-out"),
    "a failing SLO is a <failure>": ("us-east", "api-availability", "failure"),
    "an SLO that cannot be evaluated is an <error>, never a skip": ("ap-southeast", "api-availability", "error"),
    "a failing canary is a <failure>": ("canary", "eu-west api-availability stage internal", "failure"),
}


@pytest.mark.parametrize("suite,name,child", OUTCOMES.values(), ids=OUTCOMES.keys())
def test_each_decision_maps_to_its_junit_outcome(suite, name, child):
    testcase = case(parsed(), suite, name)
    tags = {c.tag for c in testcase}
    assert tags & {"failure", "error", "skipped"} == ({child} - {"system-out"} if child else set())
    if child == "system-out":
        assert testcase.find("system-out").text.startswith("warning: ")


def test_counts_add_up_per_suite_and_overall():
    root = parsed()
    assert (root.get("failures"), root.get("errors"), root.get("skipped")) == ("3", "1", "0")
    us_east = root.find("testsuite[@name='us-east']")
    assert (us_east.get("tests"), us_east.get("failures")) == ("1", "1")


def test_the_reason_is_the_failure_message():
    failure = case(parsed(), "us-east", "api-availability").find("failure")
    assert failure.get("message") == "error budget exhausted (-35.0% left)"
    assert "budget left -35.0% (-75.6 min)" in failure.text


def test_hostile_label_values_stay_text_and_control_characters_are_shown_escaped():
    text = junit.render(b.mixed())
    assert "\x1b" not in text and "<script>" not in text
    testcase = case(ET.fromstring(text), "eu-west", f"api-{b.HOSTILE}".replace("\x1b", "\\x1b"))
    assert "<script>alert(1)</script>" in testcase.find("failure").get("message")


def test_the_same_evaluation_renders_the_same_bytes():
    assert junit.render(b.mixed()) == junit.render(b.mixed())
