"""Window arithmetic the gate repeats for every SLO, region and window, memoized. Which windows
an SLO alerts on is the SLO's own answer (`SLO.burn_windows`, `SLO.alert_windows`)."""
from __future__ import annotations

from functools import lru_cache

from obsgen import duration


@lru_cache(maxsize=None)
def seconds(window: str) -> float:
    """duration.seconds, memoized: windows are few and sorted often."""
    return duration.seconds(window)
