"""Every broken definition stops the build with exit 2, one line naming file:line and the
object, and leaves generated/ exactly as it was."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from tests.foundation.estate_builder import REGIONS, assert_refused, write_estate

A = "from obsgen.model import Alert, AlertCase, Recording, GlobalRecording, GlobalView, SLO, EventRatio, Channel\n"
R = "from rules.regions import region\n"


def alert(**over) -> str:
    fields = dict(name="Broken", expr="up == 0", for_="1m", severity="warning", group="warning", summary="s")
    fields.update(over)
    return f"X = Alert({_args(fields)})\n"


def _args(fields: dict) -> str:
    """Keyword arguments as source; a string starting with @ is code, not a value."""
    return ", ".join(f"{k}={v[1:] if isinstance(v, str) and v.startswith('@') else repr(v)}" for k, v in fields.items())


def slo(**over) -> str:
    fields = dict(service="api", name="availability", objective=99.5, description="d",
                  sli="@EventRatio(total='http_requests_total', errors='http_requests_total{status=~\"5..\"}')")
    fields.update(over)
    return f"X = SLO({_args(fields)})\n"


# (sentence id, file contents under rules/bad.py, line expected in the message, words expected)
CASES = [
    ("a PromQL syntax error", A + alert(expr="sum(rate(up[5m])"), 2, ["alert Broken", "unclosed left parenthesis"]),
    ("an unknown PromQL function", A + alert(expr="foo_bar(up)"), 2, ["alert Broken", "unknown function"]),
    ("rate over an instant vector", A + alert(expr="rate(up) > 1"), 2, ["alert Broken", "expected type matrix"]),
    ("an empty expression", A + alert(expr=""), 2, ["alert Broken", "empty expression"]),
    ("a blank expression", A + alert(expr="   "), 2, ["alert Broken", "empty expression"]),
    ("a duplicate alert name in one region", A + alert(name="TargetDown"), 2, ["alert TargetDown", "defined twice for region alpha"]),
    ("an unknown region", A + alert(regions=("alpha", "mars")), 2, ["alert Broken", "unknown region 'mars'"]),
    ("regions given as one string", A + alert(regions="alpha"), 2, ["alert Broken", "regions must be a tuple or None"]),
    ("a malformed duration", A + alert(for_="5 minutes"), 2, ["alert Broken", "not a Prometheus duration"]),
    ("durations out of order", A + alert(for_="5m1h"), 2, ["alert Broken", "not a Prometheus duration"]),
    ("an unknown severity", A + alert(severity="sev1"), 2, ["alert Broken", "unknown severity 'sev1'"]),
    ("an alert name with a dash", A + alert(name="High-Errors"), 2, ["alert 'High-Errors'", "letters, digits"]),
    ("a label value with a newline", A + alert(labels={"team": "a\nb"}), 2, ["alert Broken", "one-line"]),
    ("an invalid label name", A + alert(labels={"bad-key": "x"}), 2, ["alert Broken", "invalid label name 'bad-key'"]),
    ("the reserved region label", A + alert(labels={"region": "x"}), 2, ["alert Broken", "set by obsgen"]),
    ("a runbook that is not a URL", A + alert(runbook="see wiki"), 2, ["alert Broken", "runbook is not an http(s) URL"]),
    ("an empty summary", A + alert(summary=""), 2, ["alert Broken", "summary must be a non-empty string"]),
    ("a case whose series is not a selector", A + alert(cases="@(AlertCase('c', {'up ==': '1'}, at='1m', fires=False),)"), 2, ["case 'c'", "not a series selector"]),
    ("a module that raises on import", A + "\n\nraise RuntimeError('config service unreachable')\n", 4, ["module rules.bad", "RuntimeError", "config service unreachable"]),
    ("a syntax error in a module", "X = (\n", 1, ["module rules.bad", "syntax error"]),
    ("a region missing a required attribute", "from obsgen.model import Region\nX = Region(name='delta', provider='p')\n", 2, ["module rules.bad", "missing", "timezone"]),
    ("a duplicate region", R + "X = region('alpha')\n", 2, ["region alpha", "defined twice"]),
    ("an unknown time zone", R + "X = region('delta', timezone='Mars/Olympus')\n", 2, ["region delta", "unknown time zone"]),
    ("malformed business hours", R + "X = region('delta', business_hours='9-5')\n", 2, ["region delta", "business_hours"]),
    ("a counter look-back shorter than two scrapes", R + "X = region('delta', counter_lookback='20s')\n", 2, ["region delta", "counter_lookback 20s"]),
    ("a counter look-back that is not a duration", R + "X = region('delta', counter_lookback='an hour')\n", 2, ["region delta", "counter_lookback"]),
    ("an endpoint that is not a URL", R + "X = region('delta', prometheus_url='prom:9090')\n", 2, ["region delta", "prometheus_url"]),
    ("a Grafana endpoint that is not a URL", R + "X = region('delta', grafana_url='grafana.internal')\n", 2, ["region delta", "grafana_url"]),
    ("a malformed scrape interval", R + "X = region('delta', scrape_interval='15 s')\n", 2, ["region delta", "scrape_interval"]),
    ("isolation that is not a boolean", R + "X = region('delta', isolated='yes')\n", 2, ["region delta", "True or False"]),
    ("an isolated region federated into the global view", R + "X = region('delta', isolated=True, thanos_sidecars=('sidecar-delta:10901',))\n", 2, ["region delta", "isolated region cannot have thanos_sidecars"]),
    ("a sidecar given as one string, not a tuple", R + "X = region('delta', thanos_sidecars='sidecar-delta:10901')\n", 2, ["region delta", "thanos_sidecars must be"]),
    ("a sidecar without a port", R + "X = region('delta', thanos_sidecars=('sidecar-delta-a:10901', 'sidecar-delta-b'))\n", 2, ["region delta", "'sidecar-delta-b' is not host:port"]),
    ("a sidecar given as a URL", R + "X = region('delta', thanos_sidecars=('grpc://sidecar-delta:10901',))\n", 2, ["region delta", "is not host:port"]),
    ("a sidecar port out of range", R + "X = region('delta', thanos_sidecars=('sidecar-delta:70000',))\n", 2, ["region delta", "'sidecar-delta:70000' is not host:port"]),
    ("a sidecar listed twice", R + "X = region('delta', thanos_sidecars=('sidecar-delta:10901', 'sidecar-delta:10901'))\n", 2, ["region delta", "lists a sidecar twice"]),
    ("a region with no channel", R + "X = region('delta', channels=())\n", 2, ["region delta", "no notification channel"]),
    ("a secret given as a value", R + "from obsgen.model import Channel\nX = region('delta', channels=(Channel('pagerduty', 'oncall', secret_env='R0CKBY8vzqq'),))\n", 3, ["channel oncall", "secret_env must name an environment variable"]),
    ("a recording rule with a bad name", A + "X = Recording(name='1bad', expr='up', group='g')\n", 2, ["recording rule 1bad", "invalid metric name"]),
    ("a duplicate recording rule", A + "X = Recording(name='r:x', expr='up', group='g')\nY = Recording(name='r:x', expr='up', group='g')\n", 3, ["recording rule r:x", "defined twice"]),
    ("a global rule that does not parse", A + "X = GlobalRecording(name='global:x', expr='sum(', group='g')\n", 2, ["global recording rule global:x", "not valid PromQL"]),
    ("a raw retention thanos compact refuses", A + "X = GlobalView(query_url='https://q.example', ruler_name='r', alertmanager_url='https://a.example', object_storage='s3://b', retention_raw='36h', retention_5m='30d', retention_1h='1y')\n", 2, ["global view", "retention_raw 36h is shorter than 40h"]),
    ("a 5m retention thanos compact refuses", A + "X = GlobalView(query_url='https://q.example', ruler_name='r', alertmanager_url='https://a.example', object_storage='s3://b', retention_raw='7d', retention_5m='9d', retention_1h='1y')\n", 2, ["global view", "retention_5m 9d is shorter than 10d"]),
    ("two global views", A + "V = dict(query_url='https://q.example', ruler_name='r', alertmanager_url='https://a.example', object_storage='s3://b', retention_raw='7d', retention_5m='30d', retention_1h='1y')\nX = GlobalView(**V)\nY = GlobalView(**V)\n", 4, ["global view", "more than one"]),
    ("an objective over 100%", A + slo(objective=100.5), 2, ["slo api/availability", "between 0 and 100"]),
    ("an override for an unknown region", A + slo(objective_overrides={"mars": 99.0}), 2, ["slo api/availability", "unknown region 'mars'"]),
    ("an SLI with both errors and good", A + slo(sli="@EventRatio(total='t_total', errors='e_total', good='g_total')"), 2, ["slo api/availability", "exactly one of"]),
    ("an SLI selector that is an expression", A + slo(sli="@EventRatio(total='sum(t_total)', errors='e_total')"), 2, ["slo api/availability", "plain series selector"]),
    ("a malformed SLO period", A + slo(period="a month"), 2, ["slo api/availability", "period"]),
    ("cases given as a string", A + alert(cases="fires"), 2, ["alert Broken", "cases must be a tuple, got 'fires'"]),
    ("an SLO name with capitals", A + slo(name="Availability"), 2, ["slo api/Availability", "lower-case"]),
]


@pytest.mark.parametrize("content,line,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_definition_is_refused_and_generated_is_untouched(tmp_path, content, line, words):
    assert_refused(write_estate(tmp_path), content, line, words, site_exact=False)


def test_no_region_at_all_is_refused(tmp_path):
    root = write_estate(tmp_path, replace={"rules/regions.py": "REGIONS = ()\n", "rules/alerts.py": ""})
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2
    assert "no Region is defined" in result.stderr


def test_the_table_has_at_least_25_cases():
    assert len(CASES) >= 25 and REGIONS
