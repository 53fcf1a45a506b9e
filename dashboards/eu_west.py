"""The seed's eu-west regional deep dive (section 6.1, regional_deep_dive.eu_west_dashboard).

The seed names the four panels but no queries. Every metric here is assumed, named after the
seed's GDPR section (7): data subject requests with their deadlines (access within 72 hours,
erasure within 30 days), the audit pipeline's events (its alert on data access without consent),
cross-border transfers (eu-west is RESTRICTED) and the user_consent_records table by category.
"""
from obsgen.model.dashboard import Dashboard, Panel, Query, Row, Threshold

HOURS_72 = 72 * 3600
DAYS_30 = 30 * 86400

# Queries
SUBJECT_REQUESTS = Query("sum by (request_type) (increase(gdpr_data_subject_requests_total[1d]))", "{{request_type}}")
OVERDUE = Query("sum(gdpr_data_subject_requests_overdue) or vector(0)")
EXPORT_P95 = Query("histogram_quantile(0.95, sum by (le) (rate(gdpr_data_export_duration_seconds_bucket[1d])))", "export p95")
ERASURE_P95 = Query("histogram_quantile(0.95, sum by (le) (rate(gdpr_erasure_duration_seconds_bucket[1d])))", "erasure p95")
AUDIT_RATE = Query("sum by (action) (rate(audit_events_total[5m]))", "{{action}}")
AUDIT_TABLE = Query("sum by (action, outcome) (increase(audit_events_total[1d]))", instant=True)
ACCESS_WITHOUT_CONSENT = Query('sum(increase(audit_events_total{action="data_access",consent="false"}[1h])) or vector(0)')
TRANSFER_BYTES = Query("sum by (destination_region) (rate(cross_border_transfer_bytes_total[5m]))", "{{destination_region}}")
TRANSFERS_BLOCKED = Query("sum by (destination_region) (increase(cross_border_transfers_blocked_total[1h]))",
                          "{{destination_region}}")
CONSENT_STATUS = Query("sum by (consent_category, consent_status) (user_consent_records)",
                       "{{consent_category}} {{consent_status}}")
WITHDRAWALS = Query("sum by (consent_category) (increase(consent_withdrawals_total[1d]))", "{{consent_category}}")

# Thresholds: any overdue request or access without consent is a breach
NONE_ALLOWED = (Threshold(None, "green"), Threshold(1, "red"))
EXPORT_DEADLINE = (Threshold(None, "green"), Threshold(HOURS_72, "red"))
ERASURE_DEADLINE = (Threshold(None, "green"), Threshold(DAYS_30, "red"))

# Layout
EU_WEST_DEEP_DIVE = Dashboard(
    name="eu-west-deep-dive",
    title="eu-west deep dive: GDPR",
    description="GDPR compliance, audit trail, cross-border transfers and consent in eu-west (seed 6.1, 7).",
    tags=("regional", "gdpr"),
    regions=("eu-west",),
    in_global=False,
    rows=(
        Row("GDPR Compliance Metrics", (
            Panel("Data subject requests per day", (SUBJECT_REQUESTS,), unit="short"),
            Panel("Overdue requests", (OVERDUE,), type="stat", unit="none", thresholds=NONE_ALLOWED),
            Panel("Data export time (p95, due in 72 h)", (EXPORT_P95,), unit="s", thresholds=EXPORT_DEADLINE,
                  draw_thresholds=True),
            Panel("Erasure time (p95, due in 30 days)", (ERASURE_P95,), unit="s", thresholds=ERASURE_DEADLINE,
                  draw_thresholds=True),
        )),
        Row("Data Processing Audit Trail", (
            Panel("Audit events", (AUDIT_RATE,), unit="ops"),
            Panel("Audit events today", (AUDIT_TABLE,), type="table", unit="short"),
            Panel("Data access without consent (1 h)", (ACCESS_WITHOUT_CONSENT,), type="stat", unit="none",
                  thresholds=NONE_ALLOWED),
        )),
        Row("Cross-Border Data Transfer Monitoring", (
            Panel("Transfers out of the EU", (TRANSFER_BYTES,), unit="Bps"),
            Panel("Transfers blocked (1 h)", (TRANSFERS_BLOCKED,), unit="short"),
        )),
        Row("User Consent Management Stats", (
            Panel("Consent records by category and status", (CONSENT_STATUS,), unit="short"),
            Panel("Consent withdrawals per day", (WITHDRAWALS,), unit="short"),
        )),
    ),
)
