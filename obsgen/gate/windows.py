"""Which burn-rate windows the gate reads for an SLO: those of its alert policy, memoized."""
from __future__ import annotations

from functools import lru_cache

from obsgen import duration
from obsgen.model import BurnWindow


def burn_windows(slo) -> tuple[BurnWindow, ...]:
    """The SLO's alert policy as the SLO engine applies it (factors scaled to its period).
    Memoized per SLO object: the gate asks for every SLO, region and window."""
    cached = _CACHE.get(id(slo))
    if cached is not None and cached[0] is slo:
        return cached[1]
    found = slo.burn_windows
    _CACHE[id(slo)] = (slo, found)
    return found


_CACHE: dict[int, tuple[object, tuple[BurnWindow, ...]]] = {}   # id -> (the SLO, kept alive, its windows)


@lru_cache(maxsize=None)
def seconds(window: str) -> float:
    """duration.seconds, memoized: windows are few and sorted often."""
    return duration.seconds(window)


def alert_windows(slo) -> tuple[str, ...]:
    """Every long and short window of the SLO's policy, shortest first."""
    from obsgen.policy import burn_rates

    return burn_rates.alert_windows(burn_windows(slo))
