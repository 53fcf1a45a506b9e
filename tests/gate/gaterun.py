"""Run the gate's core against test endpoints (the CLI's path, minus argument parsing)."""
from __future__ import annotations

import time

from obsgen.gate import config as gate_config
from obsgen.gate.evaluate import Selection, evaluate


def config_for(urls: dict[str, str], *, thanos: bool = False, region_label: bool = True, **defaults) -> gate_config.GateConfig:
    """Every named endpoint at its URL; the test servers hold several regions, so their raw
    series carry the region label."""
    endpoints = {name: {"url": url, "region_label": region_label} for name, url in urls.items()}
    return gate_config.GateConfig(endpoints=endpoints, defaults={"retries": 0, "timeout": 10, **defaults},
                                  thanos=thanos)


def run(estate, config: gate_config.GateConfig, at: float, selection: Selection = Selection(), **kw):
    regions, _ = selection.choose(estate)
    plan = gate_config.plan(estate, regions, config)
    return evaluate(estate, plan, at, selection=selection, clock=time.monotonic, **kw)
