"""The seed's cross-region alert rules (section 6.2), each proven by promtool cases.

Three of the seed's expressions are corrected, because as written they do not mean what their
names say:
- HighErrorRate and PaymentProcessingIssues divided per-series rates whose label sets differ
  (the 5xx series only match themselves, so the ratio is 1 whenever any error exists): both
  sides are now summed by service before dividing.
- SlowResponseTime took a quantile of each bucket series apart: buckets are now summed by
  (service, le) first, as histogram_quantile requires.
Runbook URLs other than region-down are assumed, on the seed's pattern.

RegionDown is the global ruler's (a dead region cannot say it is dead): it fires when a feeding
region's Prometheus is no longer seen through Thanos Query. The seed's condition, a node's `up`
at 0, stays in each region under the name of what it detects, NodeDown.
"""
from obsgen.model import Alert, AlertCase, GlobalAlert

RUNBOOKS = "https://runbooks.covergen.ai"

META = (
    # Always firing: the dead-man's switch behind the region's Watchdog channel pages when the
    # pings stop, i.e. when the Prometheus, its rule evaluation or its Alertmanager is gone.
    Alert(
        name="Watchdog",
        expr="vector(1)",
        for_="0s",
        severity="info",
        group="meta",
        summary="The alerting pipeline works; this alert always fires",
        runbook=f"{RUNBOOKS}/watchdog",
        cases=(
            AlertCase("always fires", {'up{job="prometheus"}': "1x5"}, at="1m", fires=True),
        ),
    ),
)

GLOBAL_META = (
    GlobalAlert(
        name="Watchdog",
        expr="vector(1)",
        for_="0s",
        severity="info",
        group="meta",
        summary="The global ruler evaluates and reaches its Alertmanager; this alert always fires",
        runbook=f"{RUNBOOKS}/watchdog",
    ),
    # Seed 6.2 RegionDown (critical, for 1m), judged from outside the region: the region's own
    # Prometheus no longer answers through Thanos Query (its self-scrape `up` is gone).
    GlobalAlert(
        name="RegionDown",
        expr='absent(up{job="prometheus"})',
        for_="1m",
        severity="critical",
        group="meta",
        per_region=True,
        summary="Region {{ $labels.region }} is not seen by the global view",
        runbook=f"{RUNBOOKS}/region-down",
    ),
)

CRITICAL = (
    Alert(
        name="NodeDown",
        expr='up{job="kubernetes-nodes"} == 0',
        for_="1m",
        severity="critical",
        group="critical",
        summary="Node {{ $labels.instance }} is down",
        runbook=f"{RUNBOOKS}/node-down",
        cases=(
            AlertCase("fires after a node is down for a minute",
                      {'up{job="kubernetes-nodes",instance="node-1"}': "1 1 0x5"}, at="5m", fires=True,
                      labels={"job": "kubernetes-nodes", "instance": "node-1"}),
            AlertCase("quiet while the node answers",
                      {'up{job="kubernetes-nodes",instance="node-1"}': "1x10"}, at="10m", fires=False),
            AlertCase("quiet on a single failed scrape",
                      {'up{job="kubernetes-nodes",instance="node-1"}': "1 1 0 1 1 1"}, at="3m", fires=False),
        ),
    ),
    Alert(
        name="DatabaseReplicationLag",
        expr="pg_replication_lag_seconds > 300",
        for_="5m",
        severity="critical",
        group="critical",
        summary="PostgreSQL replica {{ $labels.instance }} lags more than 5 minutes",
        runbook=f"{RUNBOOKS}/database-replication-lag",
        regions=("us-east", "eu-west", "ap-southeast"),
        cases=(
            AlertCase("fires after lagging 10 minutes for over 5 minutes",
                      {'pg_replication_lag_seconds{instance="pg-replica-1"}': "10 600x10"}, at="8m", fires=True,
                      labels={"instance": "pg-replica-1"}),
            AlertCase("quiet under 5 minutes of lag",
                      {'pg_replication_lag_seconds{instance="pg-replica-1"}': "10 290x10"}, at="8m", fires=False),
            AlertCase("quiet while the lag is younger than its for",
                      {'pg_replication_lag_seconds{instance="pg-replica-1"}': "10 10 10 10 10 600 600"}, at="6m", fires=False),
        ),
    ),
    Alert(
        name="AIServiceDown",
        expr="rate(ai_api_success_total[5m]) < 0.5",
        for_="2m",
        severity="critical",
        group="critical",
        summary="AI API successes fell under 0.5/s on {{ $labels.instance }}",
        runbook=f"{RUNBOOKS}/ai-service-down",
        cases=(
            AlertCase("fires when successes fall to 10 a minute",
                      {'ai_api_success_total{instance="ai-gw-1"}': "0+10x20"}, at="15m", fires=True,
                      labels={"instance": "ai-gw-1"}),
            AlertCase("quiet at 60 successes a minute",
                      {'ai_api_success_total{instance="ai-gw-1"}': "0+60x20"}, at="15m", fires=False),
        ),
    ),
)

WARNING = (
    Alert(
        name="HighErrorRate",
        expr=(
            'sum by (service) (rate(http_requests_total{status=~"5.."}[5m]))\n'
            "  / sum by (service) (rate(http_requests_total[5m])) > 0.01"
        ),
        for_="5m",
        severity="warning",
        group="warning",
        summary="More than 1% of {{ $labels.service }} requests fail",
        runbook=f"{RUNBOOKS}/high-error-rate",
        cases=(
            AlertCase("fires at 5% errors",
                      {'http_requests_total{service="api",status="200"}': "0+95x30",
                       'http_requests_total{service="api",status="500"}': "0+5x30"}, at="20m", fires=True,
                      labels={"service": "api"}),
            AlertCase("quiet at 0.5% errors (the seed's expression would fire here)",
                      {'http_requests_total{service="api",status="200"}': "0+995x30",
                       'http_requests_total{service="api",status="500"}': "0+5x30"}, at="20m", fires=False),
        ),
    ),
    Alert(
        name="SlowResponseTime",
        expr="histogram_quantile(0.95, sum by (service, le) (rate(http_request_duration_seconds_bucket[5m]))) > 2",
        for_="10m",
        severity="warning",
        group="warning",
        summary="p95 response time of {{ $labels.service }} is over 2s",
        runbook=f"{RUNBOOKS}/slow-response-time",
        cases=(
            AlertCase("fires when most requests take 2.5 to 5 seconds",
                      {'http_request_duration_seconds_bucket{service="api",le="1"}': "0+10x30",
                       'http_request_duration_seconds_bucket{service="api",le="2.5"}': "0+20x30",
                       'http_request_duration_seconds_bucket{service="api",le="5"}': "0+100x30",
                       'http_request_duration_seconds_bucket{service="api",le="+Inf"}': "0+100x30"},
                      at="25m", fires=True, labels={"service": "api"}),
            AlertCase("quiet when 95% finish within a second",
                      {'http_request_duration_seconds_bucket{service="api",le="1"}': "0+97x30",
                       'http_request_duration_seconds_bucket{service="api",le="2.5"}': "0+99x30",
                       'http_request_duration_seconds_bucket{service="api",le="5"}': "0+100x30",
                       'http_request_duration_seconds_bucket{service="api",le="+Inf"}': "0+100x30"},
                      at="25m", fires=False),
        ),
    ),
)

BUSINESS = (
    Alert(
        name="LowGenerationSuccessRate",
        expr="sum(rate(cover_generation_success_total[5m])) / sum(rate(cover_generation_attempts_total[5m])) < 0.8",
        for_="15m",
        severity="warning",
        group="business",
        summary="Fewer than 80% of cover generations succeed",
        runbook=f"{RUNBOOKS}/low-generation-success-rate",
        cases=(
            AlertCase("fires at 70% success for 20 minutes",
                      {"cover_generation_attempts_total": "0+100x40", "cover_generation_success_total": "0+70x40"},
                      at="30m", fires=True),
            AlertCase("quiet at 90% success",
                      {"cover_generation_attempts_total": "0+100x40", "cover_generation_success_total": "0+90x40"},
                      at="30m", fires=False),
        ),
    ),
    Alert(
        name="PaymentProcessingIssues",
        expr="sum(rate(payment_failed_total[5m])) / sum(rate(payment_attempts_total[5m])) > 0.05",
        for_="5m",
        severity="critical",
        group="business",
        summary="More than 5% of payments fail",
        runbook=f"{RUNBOOKS}/payment-processing-issues",
        cases=(
            AlertCase("fires at 10% failed payments",
                      {'payment_attempts_total{provider="stripe"}': "0+50x20", 'payment_failed_total{provider="stripe"}': "0+5x20"},
                      at="15m", fires=True),
            AlertCase("quiet at 2% failed payments",
                      {'payment_attempts_total{provider="stripe"}': "0+50x20", 'payment_failed_total{provider="stripe"}': "0+1x20"},
                      at="15m", fires=False),
        ),
    ),
)
