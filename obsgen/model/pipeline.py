"""Log pipelines (seed 6.4): the indices logs land in, the collector of each region, and the
log alert rules the Loki ruler evaluates. Frozen data, no rendering, no IO.

Where logs may go and what must be hashed first is not said here: the region table's attributes
(isolated, cross_border, audit_retention) decide it, and validation holds the definitions to them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from obsgen.errors import Site
from obsgen.site import caller_site

REGION_SLOT, DATE_SLOT = "{region}", "{date}"


@dataclass(frozen=True)
class LogIndex:
    """One log stream: a Loki stream (label stream=<stream>) and a daily Elasticsearch index
    named by `pattern`, e.g. "app-logs-{region}-{date}" -> app-logs-eu-west-2026.11.26."""

    name: str                      # the seed's key: application_logs, access_logs, audit_logs
    stream: str                    # tag prefix on the collector and Loki's stream label: app-logs
    pattern: str                   # "<stream>-{region}-{date}"
    retention: str                 # how long an index is kept (a duration: 30d, 2y)
    shards: int
    replicas: int
    retention_overrides: Mapping[str, str] = field(default_factory=dict)  # region name -> duration
    audit: bool = False            # holds audit records: kept at least the region's audit_retention
    pii_fields: tuple[str, ...] = ()        # record keys that carry personal data
    label_keys: tuple[str, ...] = ()        # record keys made Loki stream labels (low cardinality)
    mappings: Mapping[str, str] = field(default_factory=dict)  # record key -> Elasticsearch field type
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "log index"

    def retention_for(self, region: str) -> str:
        return self.retention_overrides.get(region, self.retention)

    def prefix(self, region: str) -> str:
        """The index name before the date: the pattern with the region filled in."""
        return self.pattern.replace(REGION_SLOT, region).removesuffix(f"-{DATE_SLOT}")


@dataclass(frozen=True)
class LogCollector:
    """A region's Fluent Bit aggregators (seed 6.4 log_collectors.fluentd_regional)."""

    region: str
    replicas: int
    buffer_size: str               # total on-disk buffer of the collector: "1GB", "500MB"
    flush_interval: str            # a duration: "10s"
    local_storage: bool = False    # its logs are stored only inside its region
    anonymize: tuple[str, ...] = ()            # record keys replaced by a salted SHA-256 at input
    salt_env: str = "LOG_ANONYMIZATION_SALT"   # environment variable holding the salt at run time
    elasticsearch_region: str | None = None    # whose Elasticsearch stores the logs; None: its own
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "log collector"

    @property
    def storage_region(self) -> str:
        return self.elasticsearch_region or self.region


@dataclass(frozen=True)
class LogAlert:
    """A log alert (seed 6.4 elastalert_rules), one definition for both backends: a Loki ruler
    alerting rule (LogQL) and an ElastAlert 2 rule on the Elasticsearch that stores the region's
    logs. Give `stream` and `where` (and `contains`, `count`, `window`): both are derived from
    them. `expr` alone (raw LogQL) gives the Loki rule only."""

    name: str                      # the alert name: letters, digits and underscores
    title: str                     # the seed's rule name: "High Error Rate"
    severity: str
    summary: str
    stream: str | None = None      # the LogIndex stream it reads: app-logs (ElastAlert: app-logs-<region>-*)
    where: Mapping[str, object] = field(default_factory=dict)   # field -> value every counted record has
    contains: str | None = None    # a phrase the message holds (case-insensitive)
    count: int = 1                 # fire at this many records within `window` (ElastAlert frequency num_events)
    window: str = "1m"             # the frequency timeframe; an `any` rule (count 1) counts one evaluation
    group_by: tuple[str, ...] = () # one alert per value of these fields (ElastAlert query_key)
    expr: str = ""                 # raw LogQL instead of the derived query (Loki only)
    for_: str = "0s"
    group: str = "logs"
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    regions: tuple[str, ...] | None = None     # None: every region with a collector
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "log alert"

    @property
    def elastalert_type(self) -> str:
        return "any" if self.count <= 1 else "frequency"


@dataclass(frozen=True)
class LogPipeline:
    """How one stream's records are parsed where they are stored (seed 6.4 log_processing): an
    Elasticsearch ingest pipeline, the `index.default_pipeline` of the stream's index template.
    Steps run in this order: json, grok, date, geoip, anonymize_ip, hash_fields, remove. A record
    that fails any step is not dropped: it goes to the stream's failure index with the error."""

    name: str                      # the seed's key: application_pipeline, access_log_pipeline, audit_pipeline
    stream: str                    # the LogIndex stream it parses: app-logs
    line_field: str = "message"    # the raw line the collector ships
    grok: tuple[str, ...] = ()     # grok expressions (Elasticsearch's built-in legacy patterns); first match wins
    json: bool = False             # decode `field` as a JSON object into the record
    date_field: str | None = None  # parsed into @timestamp, then removed
    date_formats: tuple[str, ...] = ("ISO8601",)
    geoip: str | None = None       # field holding the client IP, looked up in GeoLite2-City
    geoip_properties: tuple[str, ...] = ("continent_name", "country_iso_code", "country_name", "city_name", "location")
    anonymize_ip: tuple[str, ...] = ()   # IP fields truncated after geoip: IPv4 to /24, IPv6 to /48
    hash_fields: tuple[str, ...] = ()    # sensitive fields replaced by a salted SHA-256 fingerprint
    salt_secret: str = "LOG_PIPELINE_SALT"   # environment variable `obsgen apply` reads the salt from
    remove: tuple[str, ...] = ()   # fields dropped at the end
    description: str = ""
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "log pipeline"


@dataclass(frozen=True)
class LogChart:
    """One visualization of a log dashboard: a Kibana aggregation-based visualization over one
    stream's data streams. What it counts is `metric` over the records that match `where` (KQL),
    bucketed by time (`over_time`), by the terms of `by` (outermost first), by the value ranges of
    a numeric field (`histogram`, a heatmap's rows), or by named KQL `steps` (a funnel)."""

    title: str
    stream: str                    # the LogIndex stream it reads: app-logs
    chart: str                     # line | bar | horizontal_bar | table | heatmap | pie | metric
    where: str = ""                # KQL every counted record matches: 'level : "ERROR"'
    over_time: bool = False        # x axis: a date histogram on @timestamp
    by: tuple[str, ...] = ()       # terms buckets, outermost first
    top: int = 10                  # how many terms of each `by` field
    metric: str = "count"          # count, or <sum|avg|max|min|unique>:<field>
    histogram: str | None = None   # a numeric field bucketed by `interval` (a heatmap's rows)
    interval: float = 1.0
    steps: Mapping[str, str] = field(default_factory=dict)   # funnel: step label -> KQL, in order
    description: str = ""


@dataclass(frozen=True)
class LogDashboard:
    """A Kibana dashboard of log charts (seed 6.4 log_analysis.kibana_dashboards), generated for
    every region whose Elasticsearch stores logs, reading only the data streams that cluster holds."""

    name: str                      # file and saved-object id: operational
    title: str
    charts: tuple[LogChart, ...]
    description: str = ""
    time_from: str = "now-24h"
    refresh: str = "1m"
    site: Site = field(default_factory=caller_site, compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "log dashboard"
