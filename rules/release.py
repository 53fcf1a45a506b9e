"""The estate's release policy: when `obsgen gate` lets a release or a canary stage go on.

Each value cites where it comes from; see obsgen/model/release.py for what the fields mean.
"""
from obsgen.model.release import Canary, CanaryStage, ReleasePolicy

RELEASE_POLICY = ReleasePolicy(
    name="covergen",
    # SRE workbook, error budget policy: no releases while the budget over the period is spent.
    fail_when_budget_exhausted=True,
    # Freeze while the period's burn rate is >= 1: the budget runs out before the period ends.
    freeze_at_period_burn_rate=1.0,
    # A page-tier burn (2% of the budget in an hour, 5% in six) blocks; a ticket-tier burn
    # (10% in three days) lets the release go on with a warning.
    on_burn={"page": "fail", "ticket": "warn"},
    # Warn when less than a tenth of the budget is left.  # assumed
    warn_budget_below=0.1,
    # No data over the period is never a pass.
    no_data="cannot-evaluate",
    # An SLI over fewer than 100 requests in 30 days says little.  # assumed
    min_events=100,
    canary=Canary(
        label="track", canary="canary", baseline="stable",   # assumed label names
        stages=(
            # Seed 5.3 stage_1_internal: 1% of traffic for 30 minutes, error rate < 0.1%, p95 < 500ms.
            CanaryStage("internal", window="30m", traffic_percent=1, max_error_rate=0.001, max_p95_seconds=0.5),
            # Seed 5.3 stage_2_beta_users: 5% for 2 hours, error rate < 0.5%, p95 < 1s.
            CanaryStage("beta", window="2h", traffic_percent=5, max_error_rate=0.005, max_p95_seconds=1.0),
        ),
        max_error_rate_vs_baseline=1.5,   # seed 5.3: error_rate > threshold * 1.5 -> halt_canary
        warn_p95_vs_baseline=1.3,         # seed 5.3: response_time > baseline * 1.3 -> alert_team
        rollback_error_rate=0.02,         # seed 5.3: rollback_threshold: error_rate > 2%
        min_events=1000,                  # 0.1% is one error in a thousand: fewer cannot show it
        p95_slos=("api-latency",),        # seed 5.3's p95 ceilings are the API's response time
    ),
)
