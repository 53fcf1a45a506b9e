"""One region's Loki: retention per stream, as Loki's runtime configuration file (the file named
by runtime_config.file): per-tenant `retention_stream` limits, so Loki keeps each stream as long
as its index (an audit stream at least the region's audit retention); and the parts of Loki's
configuration the log layer owns (loki/loki.yaml, merged into the region's Loki config): the
compactor with retention_enabled, which applies those limits; the ruler, its rule storage (the
folder obsgen's Loki rules are mounted in) and the region's own Alertmanager."""
from __future__ import annotations

from obsgen import duration, names
from obsgen.logs import plan
from obsgen.model import Estate, Region

LOKI_DATA = "/loki"                       # assumed: Loki's data volume
LOKI_CONFIG_DIR = "/etc/loki"             # assumed: where generated/<region>/loki/ is mounted


def render(estate: Estate, region: Region) -> dict[str, dict]:
    if plan.collector(estate, region) is None:
        return {}
    streams = [
        {"selector": f'{{{names.LOG_STREAM}="{index.stream}"}}', "priority": 1,
         "period": _hours(index.retention_for(region.name))}
        for index in plan.indices(estate)
    ]
    longest = max((duration.seconds(i.retention_for(region.name)) for i in plan.indices(estate)), default=0)
    return {
        names.LOKI_OVERRIDES_FILE: {"overrides": {names.LOKI_TENANT: {"retention_stream": streams}}},
        names.LOKI_CONFIG_FILE: config(region, longest),
    }


def config(region: Region, longest_seconds: float) -> dict:
    """Ruler and compactor. The default retention_period is the longest stream's, so that no
    stream without an override is deleted before its own retention."""
    return {
        "ruler": {
            "storage": {"type": "local", "local": {"directory": f"{LOKI_CONFIG_DIR}/rules"}},
            "rule_path": f"{LOKI_DATA}/rules-temp",
            "alertmanager_url": region.alertmanager_url,    # the region's own: alerts never leave it
            "evaluation_interval": region.evaluation_interval,
            "enable_api": True,
            "ring": {"kvstore": {"store": "inmemory"}},
        },
        "compactor": {
            "working_directory": f"{LOKI_DATA}/compactor",
            "compaction_interval": "10m",
            "retention_enabled": True,
            "retention_delete_delay": "2h",
            "delete_request_store": "filesystem",   # assumed: the region's Loki stores on its filesystem
        },
        "limits_config": {"retention_period": _hours(f"{int(longest_seconds)}s")},
        "runtime_config": {"file": f"{LOKI_CONFIG_DIR}/{names.LOKI_OVERRIDES_FILE.split('/', 1)[1]}", "period": "1m"},
    }


def _hours(text: str) -> str:
    """Loki reads Prometheus-style durations; whole hours read the same in every version."""
    return f"{int(duration.seconds(text)) // 3600}h"
