"""The gate run the gate benches time: status mode over every region of the estate."""
from __future__ import annotations

import time

from obsgen.gate import config as gate_config
from obsgen.gate.evaluate import evaluate


def timed_status(estate, config: gate_config.GateConfig, at: float):
    """(evaluation, wall seconds) of one gate run in status mode."""
    plan = gate_config.plan(estate, estate.regions, config)
    started = time.perf_counter()
    evaluation = evaluate(estate, plan, at, clock=time.monotonic, mode="status")
    return evaluation, time.perf_counter() - started


def regional_error_ratios(evaluation) -> dict[tuple[str, str, str], float]:
    """(SLO id, region, window) -> the error ratio the gate read, per region (global left out)."""
    return {(r.slo_id, r.region, b.window): b.error_ratio for r in evaluation.results if not r.is_global
            for b in r.burn_rates if b.error_ratio is not None}
