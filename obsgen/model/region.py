"""The region table's row, and the global view that spans the regions allowed to share data."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping

from obsgen.errors import Site
from obsgen.site import caller_site


class Residency(StrEnum):
    """Seed 1.3 data_residency: where a region's data must stay."""

    MANDATORY = "MANDATORY"
    PREFERRED = "PREFERRED"
    OPTIONAL = "OPTIONAL"


class CrossBorder(StrEnum):
    """Seed 1.3 cross_border_transfer: whether personal data may leave the region."""

    ALLOWED = "ALLOWED"
    WITH_CONSENT = "WITH_CONSENT"
    RESTRICTED = "RESTRICTED"
    PROHIBITED = "PROHIBITED"


class RuleFormat(StrEnum):
    """How `obsgen build` writes a region's rule groups (obsgen/render/prometheus_operator.py).
    The plain files are always written: prometheus.yml loads them and the promtool proofs test them."""

    FILES = "files"   # prometheus/rules/*.yml only
    BOTH = "both"     # also one monitoring.coreos.com/v1 PrometheusRule per rule file, for the Prometheus Operator


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
    teams: tuple[str, ...] = ()                # alerts labelled team=<one of these> go here, and only here
    watchdog: bool = False                     # the dead-man's switch: takes the always-firing Watchdog alone
    escalate_after: str | None = None          # takes critical alerts still firing, unsilenced, after this long
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
    residency: Residency | str     # a Residency; the plain string "MANDATORY" etc. is the same value
    cross_border: CrossBorder | str  # a CrossBorder; anything else is refused when the estate loads
    regulations: tuple[str, ...]
    audit_retention: str
    timezone: str
    business_hours: str            # "09:00-17:00" in the region's time zone
    channels: tuple[Channel, ...]
    anonymize_alerts: bool = False  # strip user identifiers from notifications (GDPR)
    loki_url: str | None = None            # the region's Loki (log pipelines); None: it runs none
    elasticsearch_url: str | None = None   # the Elasticsearch cluster hosted in the region; None: none
    grafana_url: str | None = None         # the region's Grafana, for `obsgen apply grafana`; None: none
    # host:port of each sidecar Thanos Query reads, one per Prometheus replica of the region (a
    # replica pair: two, merged by Query's dedup on the replica label); (): not federated
    thanos_sidecars: tuple[str, ...] = ()
    counter_lookback: str = "1h"   # how far back the SLO base window looks for a counter's last real sample
    retention_size: str | None = None  # --storage.tsdb.retention.size (seed 6.1 storage_size); None: time only
    rule_format: RuleFormat = RuleFormat.FILES   # "both": also PrometheusRule objects (the plain string is the same value)
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
    # The Thanos components' gRPC (StoreAPI) addresses, host:port, that Query reads besides the
    # regions' sidecars; the ruler's HTTP URL is where its UI links alerts back to Query.
    store_gateways: tuple[str, ...] = ()
    rulers: tuple[str, ...] = ()
    evaluation_interval: str = "1m"           # the ruler's
    compaction_schedule: str | None = None    # systemd OnCalendar for a one-shot compactor; None: --wait
    channels: tuple[Channel, ...] = ()        # where the global ruler's own alerts go
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "global view"
