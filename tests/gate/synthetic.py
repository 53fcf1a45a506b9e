"""The gate's test estate and its synthetic history: three regions, each its own Prometheus.

north feeds the global view and is healthy (its api counters reset 5 hours ago); south feeds
it and ate its api budget, and its jobs burn at ticket level over the last day; island is
isolated and its api pages (5% errors over the last hour). SLO periods are one day and the
history 27 hours: the alert windows stop at 1d (ALERTING; a 3d window would reach before the
history, which the gate rightly cannot evaluate). Rates are high enough that one request is far
below 0.01 points.
"""
from __future__ import annotations

import os
import time

from obsgen.model import SLO, Channel, Estate, EventRatio, GlobalView, LatencyThreshold, Region
from obsgen.model.release import ReleasePolicy
from obsgen.model.slo import BurnWindow
from obsgen.synth import DAY, HOUR, ErrorCounter, Incident, Latency, Scenario, stream

PERIOD = "1d"
HISTORY = DAY + 3 * HOUR
STEP = 60
# On the 2h block grid, an hour behind the wall clock (the TSDB head stays empty).
END = int(os.environ.get("OBSGEN_GATE_TEST_END") or (int(time.time()) // (2 * HOUR)) * 2 * HOUR - 2 * HOUR)

BOUNDS = (0.1, 0.25, 0.5, 1.0, 2.5)
FAST = (0.80, 0.95, 0.9998, 0.9999, 1.0)      # 0.02% slower than 500 ms
SLOW = (0.50, 0.70, 0.97, 0.99, 1.0)          # 3% slower than 500 ms

# Stated for the 1-day period (obsgen validates that a page fires only above burn rate 1, and that
# no window is longer than the period): pages at 2x over 1h/5m and 1x over 6h/30m, tickets at
# 0.1x over 1d/2h.
ALERTING = (
    BurnWindow("page", long="1h", short="5m", factor=2, severity="critical", period=PERIOD),
    BurnWindow("page", long="6h", short="30m", factor=1, severity="critical", period=PERIOD),
    BurnWindow("ticket", long="1d", short="2h", factor=0.1, severity="warning", period=PERIOD),
)

API_TOTAL = 'http_requests_total{service="api"}'
API_ERRORS = 'http_requests_total{service="api",code=~"5.."}'


def region(name: str, isolated: bool = False) -> Region:
    return Region(
        name=name, provider="test", cloud_region=name, prometheus_url=f"http://{name}.invalid:9090",
        alertmanager_url=f"http://{name}.invalid:9093", scrape_interval="15s", evaluation_interval="1m",
        retention="30d", isolated=isolated, residency="OPTIONAL", cross_border="ALLOWED", regulations=(),
        audit_retention="1y", timezone="UTC", business_hours="09:00-17:00",
        channels=(Channel("slack", "#test", secret_env="SLACK_WEBHOOK_URL"),),
    )


REGIONS = (region("north"), region("south"), region("island", isolated=True))

SLOS = (
    SLO("api", "availability", 99.5, EventRatio(total=API_TOTAL, errors=API_ERRORS),
        "API requests answered without a server error", period=PERIOD, alerting=ALERTING),
    SLO("api", "latency", 99.0, LatencyThreshold("http_request_duration_seconds", 0.5, 'service="api"'),
        "API requests answered within 500 ms", period=PERIOD, alerting=ALERTING),
    SLO("jobs", "success", 99.9, EventRatio(total="jobs_total", errors="jobs_failed_total"),
        "Background jobs that succeed", period=PERIOD, alerting=ALERTING),
    SLO("ghost", "availability", 99.0, EventRatio(total='ghost_requests_total', errors='ghost_requests_total{code="500"}'),
        "A service that never reported", period=PERIOD, alerting=ALERTING),
    SLO("sparse", "availability", 99.0,
        EventRatio(total='sparse_requests_total', errors='sparse_requests_total{code=~"5.."}'),
        "A service with almost no traffic", period=PERIOD, alerting=ALERTING, regions=("north",)),
)

# Canaries in north (track="canary" against track="stable"), read from the raw counters only.
CANARY_SLOS = (
    SLO("shop", "availability", 99.9, EventRatio(total="shop_requests_total", errors='shop_requests_total{code=~"5.."}'),
        "Shop requests without a server error", period=PERIOD, alerting=ALERTING, regions=("north",)),
    SLO("shop", "latency", 99.0, LatencyThreshold("shop_request_duration_seconds", 0.5),
        "Shop requests within 500 ms", period=PERIOD, alerting=ALERTING, regions=("north",)),
    SLO("cart", "availability", 99.9, EventRatio(total="cart_requests_total", errors='cart_requests_total{code=~"5.."}'),
        "Cart requests without a server error", period=PERIOD, alerting=ALERTING, regions=("north",)),
    SLO("pay", "availability", 99.9, EventRatio(total="pay_requests_total", errors='pay_requests_total{code=~"5.."}'),
        "Payments without a server error", period=PERIOD, alerting=ALERTING, regions=("north",)),
    SLO("feed", "latency", 99.0, LatencyThreshold("feed_request_duration_seconds", 0.5),
        "Feed requests within 500 ms", period=PERIOD, alerting=ALERTING, regions=("north",)),
)
CANARY_SLOW = (0.50, 0.70, 0.90, 0.99, 1.0)   # p95 between 500 ms and 1 s
CANARY_3X = (0.80, 0.95, 0.9994, 0.9999, 1.0)  # 0.06% slower than 500 ms: 3x FAST, p95 well under 500 ms

POLICY = ReleasePolicy(name="test")


def estate(slos=SLOS, policy: ReleasePolicy = POLICY) -> Estate:
    view = GlobalView(query_url="http://thanos.invalid:10902", ruler_name="ruler",
                      alertmanager_url="http://am.invalid:9093", object_storage="s3://x",
                      retention_raw="30d", retention_5m="90d", retention_1h="1y")
    return Estate(regions=REGIONS, global_view=view, slos=tuple(slos), release_policies=(policy,))


def canary_estate(policy: ReleasePolicy = POLICY) -> Estate:
    return estate(slos=SLOS + CANARY_SLOS, policy=policy)


def _track(name: str, track: str, rate: float, error_ratio: float, shares=FAST):
    return stream(name, {"region": "north", "track": track}, rate=rate, error_ratio=error_ratio,
                  latency=Latency(name.replace("_requests_total", "_request_duration_seconds"), BOUNDS, shares))


CANARIES = (
    # 0.3% errors against 0.05% (stage 1 wants < 0.1%, and <= 1.5x baseline), p95 over 500 ms.
    ("shop_requests_total", "stable", 50.0, 0.0005, FAST), ("shop_requests_total", "canary", 1.0, 0.003, CANARY_SLOW),
    # As good as its baseline.
    ("cart_requests_total", "stable", 20.0, 0.0005, FAST), ("cart_requests_total", "canary", 5.0, 0.0004, FAST),
    # 3% errors: beyond the 2% rollback threshold.
    ("pay_requests_total", "stable", 20.0, 0.0005, FAST), ("pay_requests_total", "canary", 2.0, 0.03, FAST),
    # Slow 3x as often as its baseline (0.06% against 0.02%), p95 fine: seed 5.3's 1.5x halts it.
    ("feed_requests_total", "stable", 40.0, 0.0, FAST), ("feed_requests_total", "canary", 20.0, 0.0, CANARY_3X),
)


def _api(name: str, error_ratio: float, incidents=(), resets=(), shares=FAST):
    return stream("http_requests_total", {"service": "api", "region": name}, rate=40.0,
                  error_ratio=error_ratio, incidents=tuple(incidents), resets=tuple(resets),
                  latency=Latency("http_request_duration_seconds", BOUNDS, shares))


def _jobs(name: str, error_ratio: float, incidents=()):
    return stream("jobs_total", {"region": name}, rate=20.0, error_ratio=error_ratio,
                  incidents=tuple(incidents), outcome=ErrorCounter("jobs_failed_total"))


def _sparse(name: str):
    return stream("sparse_requests_total", {"region": name}, rate=0.0001, error_ratio=0.0)


def scenarios(end: int = END) -> dict[str, Scenario]:
    streams = {
        # Healthy; a process restart 5 hours ago resets its counters inside every long window.
        "north": [_api("north", 0.0001, resets=(end - 5 * HOUR,)), _jobs("north", 0.00002), _sparse("north"),
                  *(_track(*c) for c in CANARIES)],
        # 0.8% errors against a 0.5% budget, 3% slow; jobs at 0.015% over the last day
        # (burn 0.15: above the 1d/2h ticket factor 0.1, below the 6h/30m page factor 0.2).
        "south": [_api("south", 0.008, shares=SLOW),
                  _jobs("south", 0.00002, incidents=(Incident(end - DAY, DAY, error_ratio=0.00015),))],
        # Healthy, but 5% errors over the last hour: a page-level burn.
        "island": [_api("island", 0.0001, incidents=(Incident(end - HOUR, HOUR, error_ratio=0.05),)),
                   _jobs("island", 0.00002)],
    }
    return {name: Scenario(end=end, duration=HISTORY, streams=tuple(s), step=STEP) for name, s in streams.items()}


VIEW = estate().global_view
