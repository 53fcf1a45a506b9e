"""A test-only copy of a generated Alertmanager config that a live test can wait out: every
timing of the route tree divided by a factor (minutes become seconds at 60), and every receiver
a webhook to a local sink, at a path naming the receiver. Routes, matchers, `continue`, time
intervals and inhibition are the generated ones, untouched: `without_timings` of both is equal."""
from __future__ import annotations

import copy

from obsgen import duration

TIMINGS = ("group_wait", "group_interval", "repeat_interval")


def scaled(value: str, factor: int) -> str:
    ms = round(duration.seconds(value) * 1000 / factor)
    return f"{ms}ms" if ms else "0s"


def _routes(route: dict):
    yield route
    for child in route.get("routes", ()):
        yield from _routes(child)


def timescaled(config: dict, sink_url: str, factor: int) -> dict:
    out = copy.deepcopy(config)
    for route in _routes(out["route"]):
        for key in TIMINGS:
            if key in route:
                route[key] = scaled(route[key], factor)
    out["receivers"] = [{"name": r["name"], "webhook_configs": [{"url": f"{sink_url}/{r['name']}",
                                                                 "send_resolved": True}]}
                        for r in config["receivers"]]
    return out


def without_timings(config: dict) -> dict:
    """The config with no route timing and receivers by name only: what the copy must keep."""
    out = copy.deepcopy(config)
    for route in _routes(out["route"]):
        for key in TIMINGS:
            route.pop(key, None)
    out["receivers"] = [r["name"] for r in out["receivers"]]
    return out
