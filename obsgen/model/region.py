"""The region table's row, and the global view that spans the regions allowed to share data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from obsgen.errors import Site
from obsgen.site import caller_site


@dataclass(frozen=True)
class Channel:
    """Where a region's alerts go. Secrets are never here: `secret_env` names the variable
    (or `secret_file` the file) that holds the key or webhook URL at deploy time."""

    kind: str                      # pagerduty | slack | email | webhook | dingtalk | wechat_work
    target: str                    # channel name, address, or service name
    severities: tuple[str, ...] = ("critical", "warning")
    groups: tuple[str, ...] = ()   # alert groups routed here regardless of severity
    secret_env: str | None = None
    secret_file: str | None = None
    slo_tiers: tuple[str, ...] = ()            # SLO burn-rate tiers routed here: page | ticket
    business_hours_only: bool = False          # notify only within the region's business hours
    options: Mapping[str, str] = field(default_factory=dict)  # kind-specific: smarthost, from, url...
    site: Site = field(default_factory=caller_site, compare=False, repr=False)


@dataclass(frozen=True)
class Region:
    name: str
    provider: str
    cloud_region: str
    prometheus_url: str
    alertmanager_url: str
    scrape_interval: str
    evaluation_interval: str
    retention: str
    isolated: bool                 # never feeds or reads the global view
    residency: str                 # MANDATORY | PREFERRED | OPTIONAL
    cross_border: str              # ALLOWED | WITH_CONSENT | RESTRICTED | PROHIBITED
    regulations: tuple[str, ...]
    audit_retention: str
    timezone: str
    business_hours: str            # "09:00-17:00" in the region's time zone
    channels: tuple[Channel, ...]
    anonymize_alerts: bool = False  # strip user identifiers from notifications (GDPR)
    loki_url: str | None = None            # the region's Loki (log pipelines); None: it runs none
    elasticsearch_url: str | None = None   # the Elasticsearch cluster hosted in the region; None: none
    grafana_url: str | None = None         # the region's Grafana, for `obsgen apply grafana`; None: none
    thanos_sidecar: str | None = None  # host:port of the sidecar Thanos Query reads; None: not federated
    counter_lookback: str = "1h"   # how far back the SLO base window looks for a counter's last real sample
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "region"

    @property
    def feeds_global(self) -> bool:
        return not self.isolated

    @property
    def notifications_without_user_data(self) -> bool:
        """Seed 1.3/7: a region whose data may not freely cross borders sends notifications
        (to SaaS outside it) that carry no user data; 6.2 asks the same of eu-west by name."""
        return self.anonymize_alerts or self.cross_border in ("RESTRICTED", "PROHIBITED")


@dataclass(frozen=True)
class GlobalView:
    """The Thanos layer over the non-isolated regions."""

    query_url: str
    ruler_name: str
    alertmanager_url: str
    object_storage: str
    retention_raw: str
    retention_5m: str
    retention_1h: str
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "global view"
