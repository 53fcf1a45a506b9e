"""The example estate rendered once into a temporary tree, and readers of its Alertmanager configs."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from obsgen import amtool, names, serialize
from obsgen.render import alert_tests, alertmanager, global_rules, prometheus_rules

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def estate(example_estate):
    return example_estate


@pytest.fixture(scope="session")
def tree(estate, tmp_path_factory) -> Path:
    """Only the targets these tests prove (rules, so `obsgen test` has work; Alertmanager):
    other renderers' speed or state does not touch them."""
    out = tmp_path_factory.mktemp("generated")
    docs = {}
    for region in estate.regions:
        for render in (prometheus_rules.render, alert_tests.render, alertmanager.render):
            docs.update({f"{names.region_dir(region.name)}/{k}": v for k, v in render(estate, region).items()})
    for render in (global_rules.render, alertmanager.render_global):
        docs.update({f"{names.GLOBAL_DIR}/{k}": v for k, v in render(estate).items()})
    for rel, doc in docs.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(serialize.to_yaml(doc))
    return out


def config_path(tree: Path, where: str) -> Path:
    return tree / where / names.alertmanager_file()


def load_config(tree: Path, where: str) -> dict:
    return yaml.safe_load(config_path(tree, where).read_text())


def destinations(tree: Path, where: str, labels: dict[str, str]) -> set[str]:
    """Where Alertmanager sends the alert, as readable channel names: amtool picks the
    receivers, the config says what each receiver is and whether its route keeps office hours."""
    config = load_config(tree, where)
    receivers = {r["name"]: r for r in config["receivers"]}
    office = _office_hours_receivers(config["route"])
    out = set()
    for name in amtool.route(config_path(tree, where), labels):
        suffix = " (business hours)" if name in office else " (lead)" if "escalation" in name else ""
        out |= {f"{channel}{suffix}" for channel in channels_of(receivers[name])}
    return out


def channels_of(receiver: dict) -> set[str]:
    out = set()
    for cfg in receiver.get("pagerduty_configs", []):
        out.add("pagerduty")
    for cfg in receiver.get("slack_configs", []):
        out.add(f"slack {cfg['channel']}")
    for cfg in receiver.get("email_configs", []):
        out.add(f"email {cfg['to']}")
    for cfg in receiver.get("webhook_configs", []):
        out.add(f"webhook {cfg['url']}")
    return out


def _office_hours_receivers(route: dict) -> set[str]:
    out = {route["receiver"]} if route.get("active_time_intervals") else set()
    for child in route.get("routes", []):
        out |= _office_hours_receivers(child)
    return out
