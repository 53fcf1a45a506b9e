"""What an SLI selects: its request series, a native histogram's selector, the spellings of a
bucket bound. Shared by the SLO engine, its fixtures and validation."""
from __future__ import annotations

from obsgen import promql
from obsgen.model import EventRatio, LatencyThreshold, NativeLatencyThreshold


def source(sli) -> str:
    """The SLI's request series: absent from it means the SLI has no data at all. (The recorded
    counts cannot say so: they record 0 when nothing was counted.)"""
    if isinstance(sli, EventRatio):
        return sli.total
    if isinstance(sli, LatencyThreshold):
        return promql.selector(f"{sli.histogram}_count", [sli.matchers] if sli.matchers else [])
    if isinstance(sli, NativeLatencyThreshold):
        return native_selector(sli)
    return sli.total


def native_selector(sli: NativeLatencyThreshold) -> str:
    return promql.selector(sli.histogram, [sli.matchers] if sli.matchers else [])


def le_values(threshold: float) -> list[str]:
    """How a bucket bound may be spelled: Prometheus 2 exposes "1", Prometheus 3 "1.0"."""
    if float(threshold).is_integer():
        return [str(int(threshold)), f"{int(threshold)}.0"]
    return [repr(float(threshold))]
