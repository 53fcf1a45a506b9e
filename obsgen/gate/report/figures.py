"""How the reporters spell figures: one place, so the table, Markdown and HTML agree."""
from __future__ import annotations

import math

MISSING = "n/a"


def percent(fraction: float | None, digits: int = 3) -> str:
    """0.99873 -> '99.873%'. Trailing zeros stay: columns line up."""
    if fraction is None or not math.isfinite(fraction):
        return MISSING
    return f"{fraction * 100:.{digits}f}%"


def budget(fraction: float | None, minutes: float | None) -> str:
    """Budget remaining: '42.1% (18.2 min)'; overspent budgets go negative."""
    if fraction is None:
        return MISSING
    text = percent(fraction, 1)
    return text if minutes is None else f"{text} ({minutes:.1f} min)"


def rate(value: float | None) -> str:
    """A burn rate: '0.42x', '14.4x'."""
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:.2f}x" if value < 100 else f"{value:.0f}x"


def seconds(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value * 1000:.0f}ms" if value < 1 else f"{value:.2f}s"


def count(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:,.0f}"


def burn_rates(result) -> str:
    """'5m 0.20x · 1h 0.31x · ...' over the alert windows, shortest first."""
    return " ".join(f"{b.window}:{rate(b.rate)}" for b in result.burn_rates) or MISSING


def alerts(result) -> str:
    return ", ".join(sorted({a.alertname for a in result.firing})) or "-"
