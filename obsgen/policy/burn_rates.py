"""The default multiwindow, multi-burn-rate alert policy.

Source: Google, The Site Reliability Workbook, chapter 5 "Alerting on SLOs", table 5-8
(https://sre.google/workbook/alerting-on-slos/): page when 2% of a 30-day budget burns in 1 hour
or 5% in 6 hours; ticket when 10% burns in 3 days. The 1d/2h ticket row is the chapter's
example policy as Sloth and Pyrra ship it. Each row alerts only while the short window burns
as fast as the long one (the short window is 1/12 of the long), so an alert resets soon after
the burning stops.

A factor is stated for `period` (30 days here). For an SLO with another period the factor is
scaled so that each row still means the same share of the budget:
factor' = factor * slo_period / period (Sloth does the same for 28 days).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from obsgen import duration


@dataclass(frozen=True)
class BurnWindow:
    """One row of a multiwindow, multi-burn-rate alert policy."""

    tier: str          # page | ticket
    long: str
    short: str
    factor: float      # the burn rate that alerts, stated for `period` (scaled for other periods)
    severity: str      # the alert's severity label: critical | warning
    period: str = "30d"

    @property
    def budget_share(self) -> float:
        """The share of the period's error budget spent in the long window at this burn rate."""
        return self.factor * duration.seconds(self.long) / duration.seconds(self.period)


WORKBOOK = (
    # 14.4: 2% of a 30-day budget spent in 1 hour (the budget would last 2 days 2 hours).
    BurnWindow("page", long="1h", short="5m", factor=14.4, severity="critical"),
    # 6: 5% of a 30-day budget spent in 6 hours (gone in 5 days).
    BurnWindow("page", long="6h", short="30m", factor=6, severity="critical"),
    # 3: 10% of a 30-day budget spent in 1 day (gone in 10 days).
    BurnWindow("ticket", long="1d", short="2h", factor=3, severity="warning"),
    # 1: 10% of a 30-day budget spent in 3 days (gone exactly at the end of the period).
    BurnWindow("ticket", long="3d", short="6h", factor=1, severity="warning"),
)
DEFAULT = WORKBOOK

# How long the SLI's series must be gone before the optional absent alert fires.
ABSENT_FOR = "10m"
ABSENT_SEVERITY = "warning"


def windows_for(alerting: tuple[BurnWindow, ...] | None, period: str) -> tuple[BurnWindow, ...]:
    """An SLO's policy (its own `alerting`, else the workbook's) with factors scaled to its period."""
    rows = alerting if alerting is not None else DEFAULT
    return tuple(scaled(row, period) for row in rows)


def error_budget(objective: float) -> float:
    """The allowed error ratio of an objective in percent: 0.005 for 99.5 (rounded off float noise)."""
    return round(1 - objective / 100, 12)


def scaled(row: BurnWindow, period: str) -> BurnWindow:
    if duration.seconds(period) == duration.seconds(row.period):
        return replace(row, period=period)
    factor = row.factor * duration.seconds(period) / duration.seconds(row.period)
    return replace(row, factor=round(factor, 6), period=period)
