"""The alert windows of an SLO, exactly as its burn-rate alerts use them: the SLO engine's
policy (obsgen/policy/burn_rates.py), scaled to the SLO's period."""
from __future__ import annotations

from obsgen.model import SLO, BurnWindow


def alert_windows(slo: SLO) -> tuple[BurnWindow, ...]:
    return tuple(slo.burn_windows)
