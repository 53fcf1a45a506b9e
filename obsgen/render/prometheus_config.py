"""Each region's prometheus.yml: its identity, its rules, its Alertmanager; and the list of
sidecars Thanos Query reads, which holds only the regions that feed the global view."""
from __future__ import annotations

from urllib.parse import urlsplit

from obsgen import names
from obsgen.model import Estate, Region


def _alertmanager(url: str) -> dict:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = {"scheme": parts.scheme}
    if parts.path.strip("/"):
        target["path_prefix"] = parts.path
    target["static_configs"] = [{"targets": [f"{parts.hostname}:{port}"]}]
    return target


def render(estate: Estate, region: Region) -> dict[str, dict]:
    config = {
        "global": {
            "scrape_interval": region.scrape_interval,
            "evaluation_interval": region.evaluation_interval,
            "external_labels": {names.REGION: region.name},
        },
        "rule_files": ["rules/*.yml"],
        "alerting": {"alertmanagers": [_alertmanager(region.alertmanager_url)]},
    }
    return {"prometheus/prometheus.yml": config}


def render_global(estate: Estate) -> dict[str, list]:
    """File-based service discovery for Thanos Query (`--store.sd-files`)."""
    sidecars = sorted(r.thanos_sidecar for r in estate.global_regions if r.thanos_sidecar)
    if estate.global_view is None or not sidecars:
        return {}
    return {"thanos/query-stores.yml": [{"targets": sidecars}]}
