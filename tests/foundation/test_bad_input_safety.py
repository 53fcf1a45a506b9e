"""Issue 10's bad definitions: each stops the build with exit 2 and one line naming file:line and
the object, leaves generated/ byte-identical, and prints no traceback. The harness is the
foundation table's (tests/foundation/test_bad_input.py)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from tests.foundation.estate_builder import assert_refused, write_estate
from tests.foundation.test_bad_input import A, R, alert, slo

B = "from obsgen.model import BurnWindow, LatencyThreshold, Region\n"
D = "from obsgen.model.dashboard import Dashboard, GrafanalibDashboard, Panel, Query, Row, Threshold\n"


def channel(kind: str, target: str, **over) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in over.items())
    return (R + "from obsgen.model import Channel\n"
            f"X = region('delta', channels=(Channel({kind!r}, {target!r}{', ' + args if args else ''}),))\n")


def grafanalib(**over) -> str:
    args = ", ".join(f"{k}={v}" for k, v in over.items())
    return (D + "import grafanalib.core as G\n"
            "X = GrafanalibDashboard('team', G.Dashboard(title='T', panels=[G.TimeSeries(title='t', "
            f"targets=[G.Target(expr='up', refId='A')], gridPos=G.GridPos(h=8, w=24, x=0, y=0))]{', ' + args if args else ''}))\n")


# (sentence id, rules/bad.py, line expected in the message, words expected)
CASES = [
    # Data loss and escape: names that become paths.
    ("a group that climbs out of generated", A + alert(group="x/../../../LEAK"), 2, ["alert Broken", "group must be"]),
    ("a group of dots", A + alert(group=".."), 2, ["alert Broken", "group must be"]),
    ("a NUL in a group name", A + alert(group="a\0b"), 2, ["alert Broken", "group must be"]),
    ("a group name too long for the filesystem", A + alert(group="g" * 300), 2, ["alert Broken", "at most 100"]),
    ("a recording rule group with a slash", A + "X = Recording(name='r:x', expr='up', group='a/b')\n", 2, ["recording rule r:x", "group must be"]),
    ("an SLO whose file name would be too long", A + slo(service="a" * 80, name="b" * 40), 2, ["slo ", "at most 100"]),
    # Literal secrets in channels.
    ("a Slack webhook URL with its token as the target", channel("slack", "https://hooks.slack.com/services/T0/B0/abcdef", secret_env="S"), 3, ["region delta channel slack", "secret_env or secret_file"]),
    ("a Slack webhook URL in an option", channel("slack", "#x", secret_env="S", options={"url": "https://hooks.slack.com/services/T0/B0/abcdef"}), 3, ["channel slack #x", "hooks.slack.com"]),
    ("a basic-auth password in a webhook URL", channel("webhook", "ops", options={"url": "https://bot:hunter2@hooks.example/alert"}), 3, ["channel webhook ops", "password in its URL"]),
    ("SMTP credentials in the smarthost", channel("email", "a@example.com", secret_env="SMTP_PASSWORD", options={"smarthost": "bot:hunter2@smtp.example:587", "from": "a@example.com"}), 3, ["channel email", "password"]),
    ("a DingTalk access token in an option", channel("dingtalk", "cn-oncall", secret_env="D", options={"url": "https://oapi.dingtalk.com/robot/send?access_token=0123abcd"}), 3, ["channel dingtalk cn-oncall", "secret"]),
    ("an option named as a password", channel("email", "a@example.com", secret_env="S", options={"auth_password": "hunter2", "smarthost": "smtp.example:587", "from": "a@example.com"}), 3, ["channel email", "holds a credential"]),
    # Residency.
    ("a cross-border regime with a typo", R + "X = region('delta', cross_border='RESTRICTD')\n", 2, ["region delta", "cross_border must be one of"]),
    ("an unknown residency", R + "X = region('delta', residency='maybe')\n", 2, ["region delta", "residency must be one of"]),
    ("an isolated region alerting through another region's Alertmanager", R + "X = region('delta', isolated=True, alertmanager_url='https://am-alpha.example')\n", 2, ["region delta", "alertmanager_url", "region alpha's alertmanager_url"]),
    ("an isolated region shipping logs to another region's Loki", R + "X = region('delta', loki_url='https://loki-delta.example')\nY = region('epsilon', isolated=True, loki_url='https://loki-delta.example/')\n", 3, ["region epsilon", "loki_url", "region delta's loki_url"]),
    ("an isolated region indexing into another region's Elasticsearch", R + "X = region('delta', elasticsearch_url='https://es-delta.example')\nY = region('epsilon', isolated=True, elasticsearch_url='https://es-delta.example:9200')\n", 3, ["region epsilon", "elasticsearch_url"]),
    ("an isolated region on the host of another region's second sidecar", R + "X = region('delta', thanos_sidecars=('sc-delta-a.example:10901', 'sc-delta-b.example:10901'))\nY = region('epsilon', isolated=True, prometheus_url='https://sc-delta-b.example:9090')\n", 3, ["region epsilon", "prometheus_url", "region delta's thanos_sidecars"]),
    ("an isolated region whose Grafana is another region's Prometheus host", R + "X = region('delta', isolated=True, grafana_url='https://prom-beta.example/grafana')\n", 2, ["region delta", "grafana_url"]),
    ("business hours across midnight", R + "X = region('delta', business_hours='22:00-06:00')\n", 2, ["region delta", "cannot cross midnight"]),
    # Wrong maths.
    ("an SLO period of one hour", A + slo(period="1h"), 2, ["slo api/availability", "burn rate of 0.02", "too short"]),
    ("an alert window longer than the period", A + B + slo(period="7d", alerting="@(BurnWindow('ticket', long='14d', short='1d', factor=2, severity='warning'),)"), 3, ["slo api/availability", "14d is longer than the period 7d"]),
    ("a NaN latency threshold", A + B + slo(sli="@LatencyThreshold(histogram='h_seconds', threshold=float('nan'))"), 3, ["slo api/availability", "sli.threshold"]),
    ("an infinite latency threshold", A + B + slo(sli="@LatencyThreshold(histogram='h_seconds', threshold=float('inf'))"), 3, ["slo api/availability", "sli.threshold"]),
    ("an SLO period longer than a region's retention", A + slo(period="60d"), 2, ["slo api/availability", "period 60d is longer than region alpha's retention 30d"]),
    ("an alert giving a range vector", A + alert(expr="up[5m]"), 2, ["alert Broken", "range vector"]),
    ("an alert giving a subquery", A + alert(expr="(up[5m:1m])"), 2, ["alert Broken", "range vector"]),
    ("a recording rule giving a string", A + "X = Recording(name='r:x', expr='\"text\"', group='g')\n", 2, ["recording rule r:x", "a string"]),
    ("a named group RE2 refuses", A + alert(expr='up{job=~"(?<x>a)"} == 0'), 2, ["alert Broken", "RE2", "(?P<name>"]),
    ("a repeat count over RE2's limit", A + alert(expr='up{job=~"a{1001}"} == 0'), 2, ["alert Broken", "over 1000"]),
    ("a possessive quantifier", A + alert(expr='up{job!~"a++"} == 0'), 2, ["alert Broken", "possessive"]),
    ("a lookahead in label_replace", A + alert(expr='label_replace(up, "a", "$1", "job", "(?=x)") == 0'), 2, ["alert Broken", "lookaround"]),
    ("a backreference in a selector regex (the parser refuses it too)", A + alert(expr=r'up{job=~"(a)\\1"} == 0'), 2, ["alert Broken", "illegal regex"]),
    # Definition modules that end or move the build.
    ("sys.exit in a definition module", A + "import sys\nsys.exit(0)\n", 3, ["module rules.bad", "sys.exit(0)"]),
    ("os.chdir in a definition module", "import os\nos.chdir('/')\n", 1, ["module rules.bad", "working directory"]),
    ("a bad SLO held as a class attribute is not dropped", A + "class Api:\n    " + slo(objective=100.5), 2, ["slo api/availability", "between 0 and 100"]),
    # Messages.
    ("an objective given as a fraction", A + slo(objective=0.999), 2, ["slo api/availability", "objectives are percentages, did you mean 99.9?"]),
    ("an override of 100 names its region", A + slo(objective_overrides={"beta": 100}), 2, ["slo api/availability", "objective_overrides['beta']"]),
    # Dashboards.
    ("a NaN dashboard threshold", D + "X = Dashboard(name='team', title='T', rows=(Row('r', (Panel('p', (Query('up'),), thresholds=(Threshold(None, 'green'), Threshold(float('nan'), 'red'))),)),))\n", 2, ["dashboard team", "nan"]),
    ("a grafanalib dashboard with its own uid", grafanalib(uid="'team-uid'"), 3, ["grafanalib dashboard team", "uid"]),
    ("a grafanalib panel with its own data source", D + "import grafanalib.core as G\nX = GrafanalibDashboard('team', G.Dashboard(title='T', panels=[G.TimeSeries(title='t', dataSource='Thanos', targets=[G.Target(expr='up', refId='A')], gridPos=G.GridPos(h=8, w=24, x=0, y=0))]))\n", 3, ["grafanalib dashboard team", "datasource"]),
]


@pytest.mark.parametrize("content,line,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_definition_is_refused_and_generated_is_untouched(tmp_path, content, line, words):
    assert_refused(write_estate(tmp_path), content, line, words)


def test_a_utf16_definition_file_is_named_at_line_1(tmp_path):
    root = write_estate(tmp_path)
    (root / "rules" / "bad.py").write_bytes("X = 1\n".encode("utf-16"))
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: rules/bad.py:1: module rules.bad: syntax error: the file is not UTF-8 (it looks like UTF-16)")


def test_an_slo_held_as_a_class_attribute_is_built(tmp_path):
    root = write_estate(tmp_path, extra={"rules/slos.py": A + "class Api:\n    " + slo()})
    assert CliRunner().invoke(main, ["build", "--root", str(root)]).exit_code == 0
    assert (root / "generated/alpha/prometheus/rules/slo-api-availability.yml").is_file()


def test_the_table_has_every_case_of_issue_10():
    assert len(CASES) >= 40
