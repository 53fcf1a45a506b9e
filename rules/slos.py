"""The estate's SLOs: seed section 6.3 performance_slis, plus generation success from the
business metrics (6.2, 6.3 custom_metrics), per service.

- api availability: the seed's api_availability, 99.5% of requests without a 5xx.
- api latency: the seed's response_time_sli "p95 < 1s", as a latency threshold: 95% of
  requests finish within 1 s (the share under the threshold, which burns a budget; a p95
  gauge cannot).
- generation latency: generation_latency_sli "p95 < 30s": 95% of generations within 30 s.
- generation success: cover_generation_success_total / cover_generation_attempts_total. The
  seed alerts below 80% over 5 minutes; the objective of 95% over 28 days is assumed.

cn-east (isolated, one provider, no failover to the other regions: seed 1.3) promises less
availability than the regions that fail over to each other: 99.0% (assumed).

cn-east keeps 15 days of samples (local regulation), and an SLO's rules read back its whole
period, so a 30-day (or 28-day) SLO cannot be answered there. In a region whose retention is
shorter than the period, each SLO is measured over the whole weeks the retention holds (cn-east:
14 days), with the same objective and the policy's burn factors scaled to that period
(`fit_to_retention` below). obsgen refuses an SLO whose period is longer than a region's retention.
"""
from dataclasses import replace

from obsgen import duration
from obsgen.model import SLO, EventRatio, LatencyThreshold
from rules.regions import REGIONS

RUNBOOKS = "https://runbooks.covergen.ai"

API_AVAILABILITY = SLO(
    service="api",
    name="availability",
    objective=99.5,
    objective_overrides={"cn-east": 99.0},
    sli=EventRatio(
        total='http_requests_total{service="api"}',
        errors='http_requests_total{service="api",status=~"5.."}',
    ),
    description="Requests to the API that do not fail with a 5xx.",
    runbook=f"{RUNBOOKS}/slo/api-availability",
    absent_alert=True,
)

API_LATENCY = SLO(
    service="api",
    name="latency",
    objective=95.0,
    sli=LatencyThreshold(histogram="http_request_duration_seconds", threshold=1, matchers='service="api"'),
    description="API requests answered within 1 second (seed: response time p95 < 1s).",
    runbook=f"{RUNBOOKS}/slo/api-latency",
)

GENERATION_LATENCY = SLO(
    service="generation",
    name="latency",
    objective=95.0,
    sli=LatencyThreshold(histogram="generation_duration_seconds", threshold=30),
    description="Cover generations finished within 30 seconds (seed: generation latency p95 < 30s).",
    runbook=f"{RUNBOOKS}/slo/generation-latency",
)

GENERATION_SUCCESS = SLO(
    service="generation",
    name="success",
    objective=95.0,
    period="28d",
    sli=EventRatio(total="cover_generation_attempts_total", good="cover_generation_success_total"),
    description="Cover generation attempts that succeed.",
    runbook=f"{RUNBOOKS}/slo/generation-success",
    min_events=100,   # generations are far rarer than requests: a handful of failures at night must not page
)


def fit_to_retention(*slos: SLO) -> tuple[SLO, ...]:
    """Each SLO as written in the regions that keep its whole period; in a region keeping less,
    the same SLO over the whole weeks its retention holds."""
    week = 7 * 86_400
    fitted = []
    for slo in slos:
        short = [r for r in REGIONS if duration.seconds(r.retention) < slo.period_seconds]
        if not short:
            fitted.append(slo)
            continue
        fitted.append(replace(slo, regions=tuple(r.name for r in REGIONS if r not in short)))
        for r in short:
            weeks = int(duration.seconds(r.retention) // week)
            fitted.append(replace(slo, regions=(r.name,), period=f"{7 * weeks}d"))
    return tuple(fitted)


SLOS = fit_to_retention(API_AVAILABILITY, API_LATENCY, GENERATION_LATENCY, GENERATION_SUCCESS)
del API_AVAILABILITY, API_LATENCY, GENERATION_LATENCY, GENERATION_SUCCESS   # only the fitted ones are definitions
