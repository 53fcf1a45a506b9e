"""Seed 6.3 metrics_tiers as data: which metrics each region scrapes how often.

Each tier is one scrape job over the same targets, keeping only its metrics (metric_relabel_configs);
everything no tier names is scraped at the region's own interval (6.1: 15s). A histogram named
here keeps its _bucket, _sum and _count series. The tiers' retention (raw 7 days, then
downsampled) is the compactor's (6.1 thanos_compact), not a scrape setting.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScrapeTier:
    job: str
    interval: str
    metrics: tuple[str, ...]


TIERS = (
    # tier_1_critical: every 5 seconds.
    ScrapeTier("tier-1-critical", "5s", ("http_request_duration_seconds", "http_requests_total",
                                         "database_connection_pool_usage", "ai_api_response_time",
                                         "queue_depth_total")),
    # tier_2_important: every 30 seconds.
    ScrapeTier("tier-2-important", "30s", ("memory_usage_bytes", "cpu_usage_percentage",
                                           "disk_io_operations_total", "network_bytes_transferred")),
    # tier_3_contextual: every 5 minutes. Prometheus marks a series stale after 5 minutes without
    # a sample, so read these with *_over_time over more than 5m, never as instant vectors.
    ScrapeTier("tier-3-contextual", "5m", ("user_session_duration", "feature_usage_stats",
                                           "cache_hit_ratio", "background_job_duration")),
)
DEFAULT_JOB = "services"                 # the rest of the services' metrics, at the region's interval
NODES_JOB = "kubernetes-nodes"           # node exporters (seed 6.2 RegionDown's job)
SELF_JOB = "prometheus"                  # Prometheus itself: the global ruler's RegionDown reads its `up`
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
