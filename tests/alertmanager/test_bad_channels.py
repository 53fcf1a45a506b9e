"""A channel Alertmanager 0.25 cannot serve is refused at load: one line naming file:line, exit 2."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from obsgen.cli import main
from tests.foundation.estate_builder import write_estate

REGIONS = '''\
from obsgen.model import Channel, Region

def region(name, channels):
    return Region(
        name=name, provider="Test Cloud", cloud_region=name, prometheus_url=f"https://prom-{name}.example",
        alertmanager_url=f"https://am-{name}.example", scrape_interval="15s", evaluation_interval="1m",
        retention="30d", isolated=False, residency="OPTIONAL", cross_border="ALLOWED", regulations=("SOX",),
        audit_retention="7y", timezone="UTC", business_hours="09:00-17:00", channels=channels)

OK = Channel("slack", "#alerts", secret_env="SLACK_WEBHOOK_URL")
BAD = {channel}
REGIONS = (region("alpha", (OK, BAD)),)
'''

CASES = [
    ("an unknown kind is refused",
     'Channel("teams", "#x", secret_env="TEAMS_URL")', "unknown kind 'teams'"),
    ("a PagerDuty channel without a secret is refused",
     'Channel("pagerduty", "oncall")', "needs secret_env or secret_file"),
    ("a webhook whose URL is a secret is refused: 0.25 has no url_file",
     'Channel("webhook", "https://hooks.example/x", secret_env="HOOK_URL")', "cannot read a webhook URL from a file"),
    ("an unknown SLO tier is refused",
     'Channel("slack", "#x", slo_tiers=("pager",), secret_env="SLACK_WEBHOOK_URL")', "unknown SLO tier 'pager'"),
    ("an email channel without a smarthost is refused",
     'Channel("email", "a@example.org", options={"from": "b@example.org"})', "needs options['smarthost']"),
    ("an option the kind does not take is refused",
     'Channel("slack", "#x", secret_env="SLACK_WEBHOOK_URL", options={"url": "http://x"})', "unknown option(s) url"),
    ("a channel that takes nothing is refused",
     'Channel("slack", "#x", severities=(), secret_env="SLACK_WEBHOOK_URL")', "would receive nothing"),
    ("a relative secret file is refused",
     'Channel("slack", "#x", secret_file="secrets/slack")', "secret_file must be an absolute path"),
    ("a DingTalk bridge without the bridge's secret is refused",
     'Channel("dingtalk", "oncall")', "needs secret_env or secret_file"),
]


@pytest.mark.parametrize("channel,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_bad_channel_stops_the_build(tmp_path, channel, message):
    root = write_estate(tmp_path, replace={"rules/regions.py": REGIONS.replace("{channel}", channel)})
    result = CliRunner().invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: rules/regions.py:11: region alpha channel "), lines
    assert message in lines[0]
    assert not (root / "generated").exists()


def test_a_region_where_no_channel_takes_critical_alerts_is_refused(tmp_path):
    only_warnings = 'Channel("slack", "#w", severities=("warning",), secret_env="SLACK_WEBHOOK_URL")'
    regions = REGIONS.replace("(OK, BAD)", "(BAD,)").replace("{channel}", only_warnings)
    result = CliRunner().invoke(main, ["build", "--root", str(write_estate(tmp_path, replace={"rules/regions.py": regions}))])
    assert result.exit_code == 2
    assert "rules/regions.py:12: region alpha: no channel takes critical alerts, so alert TargetDown would notify nobody" in result.output


def test_the_good_estate_builds(tmp_path):
    regions = REGIONS.replace("(OK, BAD)", "(OK,)").replace("{channel}", "None")
    result = CliRunner().invoke(main, ["build", "--root", str(write_estate(tmp_path, replace={"rules/regions.py": regions}))])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "generated" / "alpha" / "alertmanager" / "alertmanager.yml").is_file()
