"""Small estates written to a temporary root, for tests that need definitions on disk."""
from __future__ import annotations

import textwrap
from pathlib import Path

REGIONS = '''\
from obsgen.model import Channel, Region

def region(name, isolated=False, **over):
    fields = dict(
        name=name, provider="Test Cloud", cloud_region=name, prometheus_url=f"https://prom-{name}.example",
        alertmanager_url=f"https://am-{name}.example", scrape_interval="15s", evaluation_interval="1m",
        retention="30d", isolated=isolated, residency="OPTIONAL", cross_border="ALLOWED", regulations=("SOX",),
        audit_retention="7y", timezone="UTC", business_hours="09:00-17:00",
        channels=(Channel("slack", "#alerts", secret_env="SLACK_WEBHOOK_URL"),),
    )
    fields.update(over)
    return Region(**fields)

REGIONS = (region("alpha"), region("beta"), region("gamma", isolated=True))
'''

ALERTS = '''\
from obsgen.model import Alert, AlertCase

GOOD = Alert(name="TargetDown", expr="up == 0", for_="1m", severity="critical", group="critical", summary="down", cases=(AlertCase("fires", {'up{job="a"}': "0x5"}, at="3m", fires=True, labels={"job": "a"}),))
'''


def write_estate(root: Path, extra: dict[str, str] | None = None, replace: dict[str, str] | None = None) -> Path:
    files = {"rules/regions.py": REGIONS, "rules/alerts.py": ALERTS}
    files.update(replace or {})
    files.update(extra or {})
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def snapshot(tree: Path) -> dict[str, bytes]:
    return {str(p.relative_to(tree)): p.read_bytes() for p in sorted(tree.rglob("*")) if p.is_file()}


def assert_refused(root: Path, content: str, line: int, words, site_exact: bool = True) -> None:
    """A fresh build of `root` succeeds; with rules/bad.py holding `content` the build exits 2
    with one line at rules/bad.py:`line` holding every word, no traceback, and generated/
    exactly as it was. `site_exact=False`: a duplicate may be reported at its other place, the
    line then naming this one."""
    from click.testing import CliRunner

    from obsgen.cli import main

    runner = CliRunner()
    first = runner.invoke(main, ["build", "--root", str(root)])
    assert first.exit_code == 0, first.output
    before = snapshot(root / "generated")
    (root / "rules" / "bad.py").write_text(content)
    result = runner.invoke(main, ["build", "--root", str(root)])
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and "Traceback" not in result.output, message
    if site_exact:
        assert message.startswith(f"error: rules/bad.py:{line}: "), message
    else:
        assert message.startswith("error: rules/") and f"rules/bad.py:{line}" in message, message
    for word in words:
        assert word in message, message
    assert snapshot(root / "generated") == before
