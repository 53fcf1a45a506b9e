"""Where representative alerts go, asked of the real amtool on the generated configs (seed 6.2)."""
from __future__ import annotations

import pytest

from tests.alertmanager.conftest import destinations

pytestmark = pytest.mark.tool("amtool")

# A critical also reaches the on-call lead's PagerDuty, after 15 minutes unsilenced (group_wait).
LEAD = {"pagerduty (lead)"}
PAGE = {"pagerduty", "slack #alerts-critical", "email oncall@covergen.ai,engineering@covergen.ai"} | LEAD
WARN = {"slack #alerts-warnings (business hours)"}
DINGTALK = "webhook http://127.0.0.1:8060/dingtalk/covergen-cn-oncall/send"
WECHAT = "webhook http://127.0.0.1:8061/wechat_work/covergen-cn-oncall/send"
WECHAT_LEAD = "webhook http://127.0.0.1:8061/wechat_work/covergen-cn-oncall-lead/send (lead)"


def alert(name, severity, region, **more):
    return {"alertname": name, "severity": severity, "region": region, **more}


def slo(severity, region):
    return {"alertname": "SLOErrorBudgetBurn", "slo": "availability", "service": "api", "severity": severity, "region": region}


CASES = [
    ("a critical us-east alert pages PagerDuty, posts to #alerts-critical and mails on-call",
     "us-east", alert("NodeDown", "critical", "us-east"), PAGE),
    ("a warning goes to #alerts-warnings, within business hours only",
     "us-east", alert("HighErrorRate", "warning", "us-east", service="api"), WARN),
    ("a business warning reaches #business-metrics and #alerts-warnings",
     "ap-southeast", alert("LowGenerationSuccessRate", "warning", "ap-southeast"), {"slack #business-metrics"} | WARN),
    ("a business critical reaches #business-metrics and pages",
     "eu-west", alert("PaymentProcessingIssues", "critical", "eu-west"), {"slack #business-metrics"} | PAGE),
    ("a cn-east critical goes to DingTalk and WeChat Work only (and the lead's WeChat Work after 15 minutes)",
     "cn-east", alert("NodeDown", "critical", "cn-east"), {DINGTALK, WECHAT, WECHAT_LEAD}),
    ("a cn-east warning goes to DingTalk only",
     "cn-east", alert("HighErrorRate", "warning", "cn-east"), {DINGTALK}),
    ("a cn-east business alert reaches DingTalk by its severity",
     "cn-east", alert("LowGenerationSuccessRate", "warning", "cn-east"), {DINGTALK}),
    ("an SLO page burn pages PagerDuty only (and the lead after 15 minutes)",
     "us-east", slo("critical", "us-east"), {"pagerduty"} | LEAD),
    ("an SLO ticket burn goes to #alerts-warnings within business hours",
     "eu-west", slo("warning", "eu-west"), WARN),
    ("a cn-east SLO page burn reaches DingTalk and WeChat Work",
     "cn-east", slo("critical", "cn-east"), {DINGTALK, WECHAT, WECHAT_LEAD}),
    ("a cn-east SLO ticket burn reaches DingTalk",
     "cn-east", slo("warning", "cn-east"), {DINGTALK}),
    ("an info alert goes to #alerts-warnings, within business hours",
     "us-east", alert("Something", "info", "us-east"), WARN),
    ("the Watchdog goes to the region's dead-man's switch alone",
     "us-east", alert("Watchdog", "info", "us-east"), {"webhook https://deadmans-switch.covergen.ai/ping/us-east"}),
    ("a compliance alert reaches the compliance team, not the generic pager",
     "us-east", alert("GDPRViolationDetected", "critical", "us-east", team="compliance"), {"email compliance@covergen.ai"}),
    ("cn-east's compliance alert stays in the country",
     "cn-east", alert("GDPRViolationDetected", "critical", "cn-east", team="compliance"),
     {"webhook http://127.0.0.1:8060/dingtalk/covergen-cn-compliance/send"}),
    ("the global Alertmanager pages for a us-east critical",
     "global", alert("RegionDown", "critical", "us-east"), PAGE),
    ("the global Alertmanager routes an eu-west SLO ticket to #alerts-warnings",
     "global", slo("warning", "eu-west"), WARN),
    ("the global Alertmanager drops a cn-east alert, should one arrive",
     "global", alert("RegionDown", "critical", "cn-east"), set()),
    ("the global Alertmanager pages the global view's channels for an alert without a region",
     "global", {"alertname": "RegionDown", "severity": "critical"}, PAGE),
    ("the global ruler's Watchdog goes to the global dead-man's switch",
     "global", alert("Watchdog", "info", "global"), {"webhook https://deadmans-switch.covergen.ai/ping/global"}),
]


@pytest.mark.parametrize("where,labels,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_alert_reaches(tree, where, labels, expected):
    assert destinations(tree, where, labels) == expected
