"""Which burn-rate windows the gate reads for an SLO: those of its alert policy."""
from __future__ import annotations

from functools import lru_cache

from obsgen import duration
from obsgen.model import BurnWindow

# The SRE workbook's multiwindow, multi-burn-rate policy for a 30-day SLO (ch. 5, table 5-8),
# used only where the model does not offer the SLO engine's policy (SLO.burn_windows).
_WORKBOOK = (
    BurnWindow("page", long="1h", short="5m", factor=14.4, severity="critical"),   # 2% of the budget in 1h
    BurnWindow("page", long="6h", short="30m", factor=6, severity="critical"),     # 5% in 6h
    BurnWindow("ticket", long="1d", short="2h", factor=3, severity="warning"),      # 10% in 1d
    BurnWindow("ticket", long="3d", short="6h", factor=1, severity="warning"),     # 10% in 3d
)


def burn_windows(slo) -> tuple[BurnWindow, ...]:
    """The SLO's alert policy as the SLO engine applies it (factors scaled to its period).
    Memoized per SLO object: the gate asks for every SLO, region and window."""
    cached = _CACHE.get(id(slo))
    if cached is not None and cached[0] is slo:
        return cached[1]
    scaled = getattr(slo, "burn_windows", None)   # obsgen/policy/burn_rates.py via the model
    if scaled is not None:
        found = tuple(scaled)
    else:
        found = tuple(slo.alerting) if slo.alerting is not None else _WORKBOOK
    _CACHE[id(slo)] = (slo, found)
    return found


_CACHE: dict[int, tuple[object, tuple[BurnWindow, ...]]] = {}   # id -> (the SLO, kept alive, its windows)


@lru_cache(maxsize=None)
def seconds(window: str) -> float:
    """duration.seconds, memoized: windows are few and sorted often."""
    return duration.seconds(window)


def alert_windows(slo) -> tuple[str, ...]:
    """Every long and short window of the SLO's policy, shortest first."""
    found = {w for bw in burn_windows(slo) for w in (bw.long, bw.short)}
    return tuple(sorted(found, key=seconds))
