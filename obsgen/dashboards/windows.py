"""The alert windows of an SLO, exactly as its burn-rate alerts use them."""
from __future__ import annotations

from obsgen.model import SLO, BurnWindow

# The SRE workbook, "Alerting on SLOs", table 5-8, for a 30-day period: used only where the SLO
# engine's policy (SLO.burn_windows, obsgen/policy/burn_rates.py) is not importable.
_WORKBOOK_30D = (
    BurnWindow("page", "1h", "5m", 14.4, "critical"),    # 2% of the budget in 1 hour
    BurnWindow("page", "6h", "30m", 6.0, "critical"),    # 5% in 6 hours
    BurnWindow("ticket", "1d", "2h", 3.0, "warning"),    # 10% in a day
    BurnWindow("ticket", "3d", "6h", 1.0, "warning"),    # 10% in 3 days
)


def alert_windows(slo: SLO) -> tuple[BurnWindow, ...]:
    try:
        return tuple(slo.burn_windows)   # the policy, scaled to the SLO's period
    except (AttributeError, ImportError):
        return tuple(slo.alerting) if slo.alerting is not None else _WORKBOOK_30D
