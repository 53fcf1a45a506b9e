"""The seed's log alerts (6.4 alerting_integration.elastalert_rules) as Loki ruler rules in LogQL.

ElastAlert's indices become Loki streams (index app-logs-* -> {stream="app-logs"}); `level` and
`service` are stream labels, set by the collector. A "frequency" rule counts over its timeframe;
an "any" rule fires on every match, so it counts over one evaluation interval (1m).
"""
from obsgen.model.pipeline import LogAlert

HIGH_ERROR_RATE = LogAlert(
    name="HighLogErrorRate",
    title="High Error Rate",
    # type frequency, num_events 50, timeframe 5 minutes, filter term level: ERROR
    expr='sum(count_over_time({stream="app-logs", level="ERROR"}[5m])) >= 50',
    severity="warning",
    summary="50 or more ERROR log lines in 5 minutes",
)

FAILED_PAYMENT = LogAlert(
    name="FailedPaymentProcessing",
    title="Failed Payment Processing",
    # type any, query_string service:payment AND level:ERROR AND message:*payment failed*
    expr='sum by (service) (count_over_time({stream="app-logs", service="payment", level="ERROR"} '
         '| json | message=~"(?i).*payment failed.*" [1m])) > 0',
    severity="critical",  # alert: slack and pagerduty, the critical route
    summary="The payment service logged a failed payment",
)

GDPR_VIOLATION = LogAlert(
    name="GDPRViolationDetected",
    title="GDPR Violation Detection",
    # type any, index audit-logs-*, query_string action:data_access AND consent:false
    expr='sum by (service) (count_over_time({stream="audit-logs"} | json | action="data_access" '
         '| consent="false" [1m])) > 0',
    severity="critical",
    summary="Personal data was accessed without consent",
    labels={"team": "compliance"},  # alert: compliance_team
)
