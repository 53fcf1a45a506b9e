"""The live staleness test's estate (tests/gate/test_live_staleness.py): one region scraped and
evaluated every second, counters looked up 5 s back, and one SLO over a 20-second period, so
that a real Prometheus holds whole periods, resets, churn and staleness markers within a minute."""
from __future__ import annotations

from dataclasses import replace

from obsgen.model import SLO, EventRatio
from obsgen.model.slo import BurnWindow
from tests.gate import synthetic
from tests.gate.synthetic import VIEW  # noqa: F401 (the estate's global view)

PERIOD = "20s"
REGION = replace(synthetic.region("live", isolated=True), scrape_interval="1s", evaluation_interval="1s",
                 counter_lookback="5s")
ALERTING = (
    BurnWindow("page", long="10s", short="2s", factor=2, severity="critical", period=PERIOD),
    BurnWindow("ticket", long="20s", short="5s", factor=0.5, severity="warning", period=PERIOD),
)
SLO_ = SLO("live", "availability", 99.0,
           EventRatio(total="live_requests_total", errors='live_requests_total{code=~"5.."}'),
           "Requests of the live exporter without a server error", period=PERIOD, alerting=ALERTING)
# Data older than 3 s at --at is stale (three scrapes missed).
POLICY = replace(synthetic.POLICY, max_sample_age="3s")
# The same, for an SLO allowed to fall silent (scale to zero): stale data is judged on what there is.
SILENT = replace(POLICY, allow_silence=(SLO_.id,))
