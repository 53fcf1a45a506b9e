"""Where representative alerts go, asked of the real amtool on the generated configs (seed 6.2)."""
from __future__ import annotations

import pytest

from tests.alertmanager.conftest import destinations

PAGE = {"pagerduty", "slack #alerts-critical", "email oncall@covergen.ai,engineering@covergen.ai"}
WARN = {"slack #alerts-warnings (business hours)"}
DINGTALK = "webhook http://127.0.0.1:8060/dingtalk/covergen-cn-oncall/send"
WECHAT = "webhook http://127.0.0.1:8061/wechat_work/covergen-cn-oncall/send"


def alert(name, severity, region, **more):
    return {"alertname": name, "severity": severity, "region": region, **more}


def slo(severity, region):
    return {"alertname": "SLOErrorBudgetBurn", "slo": "availability", "service": "api", "severity": severity, "region": region}


CASES = [
    ("a critical us-east alert pages PagerDuty, posts to #alerts-critical and mails on-call",
     "us-east", alert("RegionDown", "critical", "us-east"), PAGE),
    ("a warning goes to #alerts-warnings, within business hours only",
     "us-east", alert("HighErrorRate", "warning", "us-east", service="api"), WARN),
    ("a business warning reaches #business-metrics and #alerts-warnings",
     "ap-southeast", alert("LowGenerationSuccessRate", "warning", "ap-southeast"), {"slack #business-metrics"} | WARN),
    ("a business critical reaches #business-metrics and pages",
     "eu-west", alert("PaymentProcessingIssues", "critical", "eu-west"), {"slack #business-metrics"} | PAGE),
    ("a cn-east critical goes to DingTalk and WeChat Work only",
     "cn-east", alert("RegionDown", "critical", "cn-east"), {DINGTALK, WECHAT}),
    ("a cn-east warning goes to DingTalk only",
     "cn-east", alert("HighErrorRate", "warning", "cn-east"), {DINGTALK}),
    ("a cn-east business alert reaches DingTalk by its severity",
     "cn-east", alert("LowGenerationSuccessRate", "warning", "cn-east"), {DINGTALK}),
    ("an SLO page burn pages PagerDuty only",
     "us-east", slo("critical", "us-east"), {"pagerduty"}),
    ("an SLO ticket burn goes to #alerts-warnings within business hours",
     "eu-west", slo("warning", "eu-west"), WARN),
    ("a cn-east SLO page burn reaches DingTalk and WeChat Work",
     "cn-east", slo("critical", "cn-east"), {DINGTALK, WECHAT}),
    ("a cn-east SLO ticket burn reaches DingTalk",
     "cn-east", slo("warning", "cn-east"), {DINGTALK}),
    ("an info alert notifies nobody: no channel takes info",
     "us-east", alert("Something", "info", "us-east"), set()),
    ("the global Alertmanager pages for a us-east critical",
     "global", alert("RegionDown", "critical", "us-east"), PAGE),
    ("the global Alertmanager routes an eu-west SLO ticket to #alerts-warnings",
     "global", slo("warning", "eu-west"), WARN),
    ("the global Alertmanager drops a cn-east alert, should one arrive",
     "global", alert("RegionDown", "critical", "cn-east"), set()),
    ("the global Alertmanager notifies nobody for an alert without a region",
     "global", {"alertname": "RegionDown", "severity": "critical"}, set()),
]


@pytest.mark.parametrize("where,labels,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_alert_reaches(tree, where, labels, expected):
    assert destinations(tree, where, labels) == expected
