"""One region's Loki retention per stream, as Loki's runtime configuration file (the file named
by runtime_config.file): per-tenant `retention_stream` limits, so Loki keeps each stream as long
as its index (an audit stream at least the region's audit retention). Loki applies them when its
compactor runs with retention_enabled."""
from __future__ import annotations

from obsgen import duration, names
from obsgen.model import Estate, Region
from obsgen.render.pipelines import plan


def render(estate: Estate, region: Region) -> dict[str, dict]:
    if plan.collector(estate, region) is None:
        return {}
    streams = [
        {"selector": f'{{{names.LOG_STREAM}="{index.stream}"}}', "priority": 1,
         "period": _hours(index.retention_for(region.name))}
        for index in plan.indices(estate)
    ]
    return {names.LOKI_OVERRIDES_FILE: {"overrides": {names.LOKI_TENANT: {"retention_stream": streams}}}}


def _hours(text: str) -> str:
    """Loki reads Prometheus-style durations; whole hours read the same in every version."""
    return f"{int(duration.seconds(text)) // 3600}h"
