"""The live Thanos test's estate and history: the example estate's region names (so that the
generated global rules, which name them, apply), the gate tests' SLOs over a 6-hour period (alert
windows 5m to 6h: the backfill stays short) and a 9-hour synthetic history ending about when the
stack starts, so that the Thanos ruler, which evaluates at the wall clock, reads the regions'
last recorded samples.

us-east is healthy (its api counters reset 5 hours before the end) and runs as a replica pair;
eu-west feeds the global view at another rate and spends its api budget at a ticket-level burn;
cn-east is isolated, has traffic of its own and a page-level burn over its last hour: any of it
in a global figure would show."""
from __future__ import annotations

from dataclasses import replace

from obsgen.model import Estate
from obsgen.model.slo import BurnWindow
from obsgen.synth import HOUR, Incident, Latency, Scenario, stream
from tests.gate import synthetic

FEEDING = ("us-east", "eu-west")
ISOLATED = "cn-east"
REGIONS = (synthetic.region("us-east"), synthetic.region("eu-west"), synthetic.region(ISOLATED, isolated=True))
PERIOD = "6h"
# A page at 3x over 1h/5m, a ticket at 0.5x over 6h/30m (stated for the 6-hour period).
ALERTING = (
    BurnWindow("page", long="1h", short="5m", factor=3, severity="critical", period=PERIOD),
    BurnWindow("ticket", long="6h", short="30m", factor=0.5, severity="warning", period=PERIOD),
)
SLO_IDS = ("api-availability", "api-latency")   # one SLI kind each: event ratio, histogram
SLOS = tuple(replace(s, period=PERIOD, alerting=ALERTING) for s in synthetic.SLOS if s.id in SLO_IDS)
POLICY = synthetic.POLICY
VIEW = synthetic.VIEW
HISTORY = 9 * HOUR          # the period, and the counters' look-back before it, with room
STEP = synthetic.STEP
SOMEWHAT_SLOW = (0.80, 0.95, 0.994, 0.9999, 1.0)   # 0.6% slower than 500 ms: 0.6x the budget

# Root module for `obsgen gate --root`: the loader collects the model objects it holds.
MODULE = '''"""The live Thanos test's estate (tests/thanos/live_estate.py)."""
from tests.thanos.live_estate import POLICY, REGIONS, SLOS, VIEW
'''


def estate() -> Estate:
    return Estate(regions=REGIONS, global_view=VIEW, slos=SLOS, release_policies=(POLICY,))


def _api(region: str, rate: float, error_ratio: float, incidents=(), resets=(), shares=synthetic.FAST):
    return stream("http_requests_total", {"service": "api", "region": region}, rate=rate,
                  error_ratio=error_ratio, incidents=tuple(incidents), resets=tuple(resets),
                  latency=Latency("http_request_duration_seconds", synthetic.BOUNDS, shares))


def scenarios(end: int) -> dict[str, Scenario]:
    streams = {
        "us-east": [_api("us-east", 40.0, 0.0001, resets=(end - 5 * HOUR,))],
        # 0.3% errors against a 0.5% budget, 0.6% slow against 1%: tickets (burn 0.6), not pages.
        "eu-west": [_api("eu-west", 30.0, 0.003, shares=SOMEWHAT_SLOW)],
        "cn-east": [_api("cn-east", 25.0, 0.0001, incidents=(Incident(end - HOUR, HOUR, error_ratio=0.05),))],
    }
    return {name: Scenario(end=end, duration=HISTORY, streams=tuple(s), step=STEP) for name, s in streams.items()}
