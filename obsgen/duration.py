"""Prometheus durations ("90s", "1h30m", "30d"): parse, format, validate."""
from __future__ import annotations

import re
from functools import lru_cache

_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
_PART = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
_WHOLE = re.compile(r"^(?:\d+(?:ms|s|m|h|d|w|y))+$")
_ORDER = ["y", "w", "d", "h", "m", "s", "ms"]


def is_duration(text: object) -> bool:
    if not isinstance(text, str) or not _WHOLE.match(text):
        return False
    units = [u for _, u in _PART.findall(text)]
    ranks = [_ORDER.index(u) for u in units]
    return ranks == sorted(set(ranks)) and seconds(text) > 0


@lru_cache(maxsize=4096)   # rule rendering asks the same few windows hundreds of thousands of times
def seconds(text: str) -> float:
    if not _WHOLE.match(text):
        raise ValueError(f"not a duration: {text!r}")
    return sum(int(n) * _UNITS[u] for n, u in _PART.findall(text))


def format_seconds(total: float) -> str:
    """The shortest Prometheus spelling of a whole number of seconds: 5400 -> "1h30m"."""
    if total <= 0 or total != int(total):
        raise ValueError(f"cannot spell {total} s as a Prometheus duration")
    rest = int(total)
    out = []
    for unit in ("d", "h", "m", "s"):
        size = int(_UNITS[unit])
        if rest >= size:
            out.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(out)


def format_ms(ms: int) -> str:
    """Milliseconds spelled down to the millisecond, for ranges just under a window:
    299999 -> "4m59s999ms"; 0 -> "0s"."""
    out = []
    for unit, size in (("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        if ms >= size:
            out.append(f"{ms // size}{unit}")
            ms %= size
    return "".join(out) or "0s"
