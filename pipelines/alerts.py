"""The seed's log alerts (6.4 alerting_integration.elastalert_rules), one definition each for
both backends: a Loki ruler rule (LogQL) and an ElastAlert 2 rule on the Elasticsearch that
stores the region's logs, both routed through the region's Alertmanager like the metric alerts.

ElastAlert's `app-logs-*` becomes the region's own data stream (app-logs-<region>) and Loki's
{stream="app-logs"}; `level` and `service` are stream labels in Loki. A "frequency" rule counts
over its timeframe; an "any" rule fires on every match (in Loki: counted over one minute).
"""
from obsgen.model.pipeline import LogAlert

HIGH_ERROR_RATE = LogAlert(
    name="HighLogErrorRate",
    title="High Error Rate",
    # type frequency, num_events 50, timeframe 5 minutes, filter term level: ERROR
    stream="app-logs", where={"level": "ERROR"}, count=50, window="5m",
    severity="warning",
    summary="50 or more ERROR log lines in 5 minutes",
)

FAILED_PAYMENT = LogAlert(
    name="FailedPaymentProcessing",
    title="Failed Payment Processing",
    # type any, query_string service:payment AND level:ERROR AND message:*payment failed*
    stream="app-logs", where={"service": "payment", "level": "ERROR"}, contains="payment failed",
    group_by=("service",),
    severity="critical",  # alert: slack and pagerduty, the critical route
    summary="The payment service logged a failed payment",
)

GDPR_VIOLATION = LogAlert(
    name="GDPRViolationDetected",
    title="GDPR Violation Detection",
    # type any, index audit-logs-*, query_string action:data_access AND consent:false
    stream="audit-logs", where={"action": "data_access", "consent": False},
    group_by=("service",),
    severity="critical",
    summary="Personal data was accessed without consent",
    labels={"team": "compliance"},  # alert: compliance_team
)
