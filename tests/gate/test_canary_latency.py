"""The stages' absolute p95 ceiling holds the SLOs it names; other latency SLOs answer to
their baseline only (a 30 s generation is not a 500 ms API call)."""
import pytest

from obsgen.gate.canary import _latency_checks
from obsgen.model.release import Canary, CanaryStage

STAGE = CanaryStage("internal", window="30m", traffic_percent=1, max_error_rate=0.001, max_p95_seconds=0.5)
CANARY = Canary(stages=(STAGE,), p95_slos=("api-latency",))


@pytest.mark.parametrize("slo_id,canary_p95,baseline_p95,expected", [
    ("api-latency", 0.4, 0.4, [("p95 latency", True), ("p95 latency vs baseline", True)]),
    ("api-latency", 0.6, 0.55, [("p95 latency", False), ("p95 latency vs baseline", True)]),
    ("generation-latency", 20.0, 19.0, [("p95 latency vs baseline", True)]),
    ("generation-latency", 30.0, 19.0, [("p95 latency vs baseline", False)]),
], ids=[
    "a fast API canary meets the ceiling and its baseline",
    "a slow API canary misses the ceiling",
    "a generation canary is not held to the API's 500 ms",
    "a generation canary 1.6x slower than its baseline still warns",
])
def test_which_p95_criteria_apply(slo_id, canary_p95, baseline_p95, expected):
    checks = _latency_checks(CANARY, STAGE, {"slo_id": slo_id, "canary_p95": canary_p95, "baseline_p95": baseline_p95})
    assert [(c.criterion, c.passed) for c in checks] == expected
