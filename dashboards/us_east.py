"""The seed's us-east regional deep dive (section 6.1, regional_deep_dive.us_east_dashboard).

The seed names the four panels but no queries. The metrics chosen, each an assumption:
- Service Health Status: `up` per scrape job (Prometheus' own), as a state timeline.
- Database Performance Metrics: the seed's tier-1 `database_connection_pool_usage` (taken as a
  0-1 ratio), and postgres_exporter's replication lag (the DatabaseReplicationLag alert's metric)
  and committed transactions.
- AI API Response Times: the seed's tier-1 `ai_api_response_time`, taken as a histogram in
  seconds (`ai_api_response_time_bucket`) labelled by provider; successes as the AIServiceDown
  alert counts them.
- Queue Depth and Processing Rate: the seed's tier-1 `queue_depth_total` (a gauge despite its
  name) and `queue_messages_processed_total` per queue.
"""
from obsgen.model.dashboard import Dashboard, Panel, Query, Row, Threshold

# Queries
JOB_UP = Query("min by (job) (up)", "{{job}}")
TARGETS_DOWN = Query("count(up == 0) or vector(0)")
POOL_USAGE = Query("max by (instance) (database_connection_pool_usage)", "{{instance}}")
REPLICATION_LAG = Query("max by (instance) (pg_replication_lag_seconds)", "{{instance}}")
TRANSACTIONS = Query("sum by (datname) (rate(pg_stat_database_xact_commit[5m]))", "{{datname}}")
AI_P95 = Query("histogram_quantile(0.95, sum by (provider, le) (rate(ai_api_response_time_bucket[5m])))",
               "p95 {{provider}}")
AI_P50 = Query("histogram_quantile(0.5, sum by (provider, le) (rate(ai_api_response_time_bucket[5m])))",
               "p50 {{provider}}")
AI_SUCCESS = Query("sum(rate(ai_api_success_total[5m]))", "successes")
QUEUE_DEPTH = Query("sum by (queue) (queue_depth_total)", "{{queue}}")
QUEUE_RATE = Query("sum by (queue) (rate(queue_messages_processed_total[5m]))", "{{queue}}")

# Thresholds (RegionDown: up == 0; DatabaseReplicationLag: 300 s; AIServiceDown: below 0.5/s)
UP = (Threshold(None, "red"), Threshold(1, "green"))
LAG = (Threshold(None, "green"), Threshold(60, "orange"), Threshold(300, "red"))
POOL = (Threshold(None, "green"), Threshold(0.8, "orange"), Threshold(0.9, "red"))
AI_UP = (Threshold(None, "red"), Threshold(0.5, "green"))

# Layout
US_EAST_DEEP_DIVE = Dashboard(
    name="us-east-deep-dive",
    title="us-east deep dive",
    description="Service health, database, AI API and queues of us-east (seed 6.1).",
    tags=("regional",),
    regions=("us-east",),
    in_global=False,
    rows=(
        Row("Service Health Status", (
            Panel("Scrape jobs up", (JOB_UP,), type="state-timeline", unit="none", thresholds=UP),
            Panel("Targets down", (TARGETS_DOWN,), type="stat", unit="none",
                  thresholds=(Threshold(None, "green"), Threshold(1, "red"))),
        ), height=6),
        Row("Database Performance Metrics", (
            Panel("Connection pool usage", (POOL_USAGE,), unit="percentunit", min=0, max=1, thresholds=POOL,
                  draw_thresholds=True),
            Panel("Replication lag", (REPLICATION_LAG,), unit="s", thresholds=LAG, draw_thresholds=True),
            Panel("Committed transactions", (TRANSACTIONS,), unit="ops"),
        )),
        Row("AI API Response Times", (
            Panel("AI API latency", (AI_P95, AI_P50), unit="s"),
            Panel("AI API successes", (AI_SUCCESS,), unit="reqps", thresholds=AI_UP, draw_thresholds=True),
        )),
        Row("Queue Depth and Processing Rate", (
            Panel("Queue depth", (QUEUE_DEPTH,), unit="short"),
            Panel("Processing rate", (QUEUE_RATE,), unit="ops"),
        )),
    ),
)
