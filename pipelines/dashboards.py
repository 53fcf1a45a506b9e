"""The seed's Kibana dashboards (6.4 log_analysis.kibana_dashboards): operational, security and
business, twelve visualizations, on the log streams of pipelines/indices.py. Each region whose
Elasticsearch stores logs gets them, reading only the data streams that cluster holds.

Counts are of log records: an "error rate" is ERROR lines per interval, a funnel counts requests
at each step, not distinct users (the access log carries no user id once anonymized)."""
from obsgen.model.pipeline import LogChart, LogDashboard

OPERATIONAL = LogDashboard(
    name="operational",
    title="Operational",
    description="Errors, response times and where users are, per service and region",
    charts=(
        LogChart(title="Error Rate by Service and Region", stream="app-logs", chart="line",
                 where='level : "ERROR"', over_time=True, by=("service", "region"),
                 description="ERROR log lines per interval"),
        LogChart(title="Response Time Heatmap", stream="access-logs", chart="heatmap",
                 over_time=True, histogram="request_time", interval=0.25,
                 description="Requests per interval and duration band (seconds)"),
        LogChart(title="Top Error Messages", stream="app-logs", chart="table",
                 where='level : "ERROR"', by=("message", "service"), top=20),
        LogChart(title="Geographic User Distribution", stream="access-logs", chart="table",
                 by=("geoip.country_iso_code", "geoip.city_name"), top=20,
                 description="Requests by the client's country and city (GeoLite2-City)"),
    ),
)

SECURITY = LogDashboard(
    name="security",
    title="Security",
    description="Authentication failures, suspicious clients, rate limiting and access to personal data",
    charts=(
        LogChart(title="Failed Authentication Attempts", stream="access-logs", chart="bar",
                 where="response : 401", over_time=True, by=("service",)),
        LogChart(title="Suspicious IP Activity", stream="access-logs", chart="table",
                 where="response >= 400", by=("clientip", "response"), top=20,
                 description="Clients with the most refused requests (networks where the region anonymizes IPs)"),
        LogChart(title="API Rate Limit Violations", stream="access-logs", chart="line",
                 where="response : 429", over_time=True, by=("service",)),
        LogChart(title="Data Access Patterns", stream="audit-logs", chart="bar",
                 where='action : "data_access"', over_time=True, by=("resource", "consent")),
    ),
)

BUSINESS = LogDashboard(
    name="business",
    title="Business",
    description="How users move through the product, what they use, and revenue per region",
    charts=(
        LogChart(title="User Journey Flow", stream="access-logs", chart="table",
                 where='verb : "GET"', by=("referrer", "request"), top=20,
                 description="Page to page: the referrer and the page requested"),
        LogChart(title="Feature Usage Statistics", stream="access-logs", chart="horizontal_bar",
                 where="response < 400", by=("request",), top=15),
        LogChart(title="Conversion Funnel Analysis", stream="access-logs", chart="horizontal_bar",
                 # assumed: the product's API paths of each step
                 steps={"visit": 'verb : "GET" and request : "/"',
                        "sign up": 'verb : "POST" and request : /v1/signup*',
                        "generate": 'verb : "POST" and request : /v1/generate*',
                        "checkout": 'verb : "POST" and request : /v1/billing/checkout*'}),
        LogChart(title="Revenue Attribution by Region", stream="audit-logs", chart="bar",
                 where='action : "payment_captured"', by=("region", "currency"), metric="sum:amount"),
    ),
)
