"""The seed's global overview (section 6.1, grafana_dashboards.global_overview).

Three of the seed's four queries do not parse as written, and are corrected:
- Regional Response Times: `histogram_quantile(0.95, rate(..._bucket[5m])) by (region)` puts a
  grouping after a function call; the buckets are now summed by (region, le) inside the quantile.
- Error Rates by Region: `rate(5xx) / rate(all) by (region)` likewise; both sides are now summed
  by region before dividing (per-series division would also pair 5xx series only with themselves).
- Active Users by Region: `increase(...[1h]) by (region)` had the same fault; summed by region.
  The metric counts sessions started in the last hour, the seed's stand-in for active users.
Thresholds agree with the alerts in rules/alerts.py (errors above 1%, p95 above 2 s).
"""
from obsgen.model.dashboard import Dashboard, Panel, Query, Row, Threshold

# Queries
REQUEST_RATE = Query("sum(rate(http_requests_total[5m])) by (region)", "{{region}}")
P95_LATENCY = Query(
    "histogram_quantile(0.95, sum by (region, le) (rate(http_request_duration_seconds_bucket[5m])))",
    "{{region}}")
ERROR_RATIO = Query(
    'sum by (region) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (region) (rate(http_requests_total[5m]))',
    "{{region}}")
ACTIVE_USERS = Query("sum by (region) (increase(user_sessions_started_total[1h]))", "{{region}}")
TOTAL_RATE = Query("sum(rate(http_requests_total[5m]))")
TOTAL_ERROR_RATIO = Query('sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))')
TOTAL_P95 = Query("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))")

# Thresholds (the alerts' own: HighErrorRate 1%, SlowResponseTime 2 s)
ERRORS = (Threshold(None, "green"), Threshold(0.01, "red"))
LATENCY = (Threshold(None, "green"), Threshold(1, "orange"), Threshold(2, "red"))

# Layout
GLOBAL_OVERVIEW = Dashboard(
    name="global-overview",
    title="Global overview",
    description="Traffic, latency, errors and users across the regions (seed 6.1).",
    tags=("overview",),
    rows=(
        Row("Now", (
            Panel("Requests", (TOTAL_RATE,), type="stat", unit="reqps"),
            Panel("Error ratio", (TOTAL_ERROR_RATIO,), type="stat", unit="percentunit", thresholds=ERRORS),
            Panel("p95 response time", (TOTAL_P95,), type="stat", unit="s", thresholds=LATENCY),
        ), height=4),
        Row("By region", (
            Panel("Global Request Rate", (REQUEST_RATE,), unit="reqps"),
            Panel("Regional Response Times (p95)", (P95_LATENCY,), unit="s", thresholds=LATENCY, draw_thresholds=True),
        )),
        Row("Errors and users", (
            Panel("Error Rates by Region", (ERROR_RATIO,), unit="percentunit", thresholds=ERRORS, draw_thresholds=True),
            Panel("Active Users by Region", (ACTIVE_USERS,), unit="short",
                  description="Sessions started in the last hour."),
        )),
    ),
)
