"""PromQL for an SLI's event counts over a window, straight from the raw counters.

One small function per SLI kind. Each returns (errors, total) expressions whose results carry
only the `by` labels. A missing error series (no 5xx yet) counts as zero, not as no data.
"""
from __future__ import annotations

from obsgen import promql
from obsgen.model import EventRatio, LatencyThreshold, RawRatio


def counts(sli, window: str, by: tuple[str, ...] = ()) -> tuple[str, str]:
    for kind, fn in _KINDS:
        if isinstance(sli, kind):
            return fn(sli, window, by)
    raise TypeError(f"unknown SLI kind {type(sli).__name__}")


def le_values(threshold: float) -> list[str]:
    """How a bucket bound may be spelled: Prometheus 2 exposes "1", Prometheus 3 "1.0"."""
    if float(threshold).is_integer():
        return [str(int(threshold)), f"{int(threshold)}.0"]
    return [repr(float(threshold))]


def _increase(selector: str, window: str, by: tuple[str, ...]) -> str:
    grouping = f" by ({', '.join(by)})" if by else ""
    return f"sum{grouping} (increase({selector}[{window}]))"


def _zero_if_absent(expr: str, total: str) -> str:
    return f"({expr} or {total} * 0)"


def _event_ratio(sli: EventRatio, window: str, by) -> tuple[str, str]:
    total = _increase(sli.total, window, by)
    if sli.errors is not None:
        return _zero_if_absent(_increase(sli.errors, window, by), total), total
    good = _zero_if_absent(_increase(sli.good, window, by), total)
    return f"({total} - {good})", total


def _latency(sli: LatencyThreshold, window: str, by) -> tuple[str, str]:
    extra = [sli.matchers] if sli.matchers else []
    le = f"le=~{promql.quote(promql.regex_alternatives(le_values(sli.threshold)))}"
    total = _increase(promql.selector(f"{sli.histogram}_count", extra), window, by)
    good = _increase(promql.selector(f"{sli.histogram}_bucket", [*extra, le]), window, by)
    return f"({total} - {_zero_if_absent(good, total)})", total


def _raw(sli: RawRatio, window: str, by) -> tuple[str, str]:
    total = sli.total.replace("$window", window)
    errors = sli.errors.replace("$window", window)
    if by:
        grouping = ", ".join(by)
        total, errors = f"sum by ({grouping}) ({total})", f"sum by ({grouping}) ({errors})"
    return _zero_if_absent(errors, total), total


_KINDS = ((EventRatio, _event_ratio), (LatencyThreshold, _latency), (RawRatio, _raw))
