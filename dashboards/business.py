"""The seed's business metrics dashboard (section 6.1, grafana_dashboards.business_metrics).

Corrections to the seed's queries:
- Generation Success Rate divided two per-series rates (it parses, but pairs series by every
  label): both sides are now summed by region first.
- Revenue by Region and User Acquisition Rate put `by (...)` after increase(), which does not
  parse: they are now sums by those labels. payment_completed_total counts completed payments,
  not money; the panel says so (the seed names no amount metric).
Payment failures are added beside them, on the PaymentProcessingIssues alert's expression.
"""
from obsgen.model.dashboard import Dashboard, Panel, Query, Row, Threshold

# Queries
GENERATION_SUCCESS = Query(
    "sum by (region) (rate(cover_generation_success_total[5m])) / sum by (region) (rate(cover_generation_attempts_total[5m]))",
    "{{region}}")
PAYMENTS = Query("sum by (region, subscription_tier) (increase(payment_completed_total[1d]))",
                 "{{region}} {{subscription_tier}}")
PAYMENT_FAILURES = Query(
    "sum by (region) (rate(payment_failed_total[5m])) / sum by (region) (rate(payment_attempts_total[5m]))",
    "{{region}}")
REGISTRATIONS = Query("sum by (region, source) (increase(user_registered_total[1d]))", "{{region}} {{source}}")

# Thresholds: the alerts' (LowGenerationSuccessRate below 80%, PaymentProcessingIssues above 5%)
SUCCESS = (Threshold(None, "red"), Threshold(0.8, "green"))
FAILURES = (Threshold(None, "green"), Threshold(0.05, "red"))

# Layout
BUSINESS_METRICS = Dashboard(
    name="business-metrics",
    title="Business metrics",
    description="Cover generation, payments and sign-ups by region (seed 6.1).",
    tags=("business",),
    rows=(
        Row("Generation", (
            Panel("Generation Success Rate", (GENERATION_SUCCESS,), unit="percentunit", min=0, max=1,
                  thresholds=SUCCESS, draw_thresholds=True),
            Panel("Generation success now", (GENERATION_SUCCESS,), type="gauge", unit="percentunit", min=0, max=1,
                  thresholds=SUCCESS),
        )),
        Row("Revenue", (
            Panel("Revenue by Region", (PAYMENTS,), unit="short",
                  description="Completed payments per day by region and subscription tier (a count, not an amount)."),
            Panel("Payment failure ratio", (PAYMENT_FAILURES,), unit="percentunit", thresholds=FAILURES,
                  draw_thresholds=True),
        )),
        Row("Acquisition", (
            Panel("User Acquisition Rate", (REGISTRATIONS,), unit="short",
                  description="Registrations per day by region and acquisition source."),
        )),
    ),
)
