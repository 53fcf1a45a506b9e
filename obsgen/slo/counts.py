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


def deltas(sli, step: str) -> tuple[str, str]:
    """(errors, total) over the last `step`, summed to one series, without extrapolation.

    Each counter's delta is its last sample minus its last sample `step` earlier, so the
    deltas recorded at consecutive evaluations `step` apart telescope to the exact increase
    (what `increase()` estimates by extrapolating to the window's edges). A counter that
    reset, or a series that is new, counts its current value: the increase since it started.
    """
    for kind, fn in _DELTA_KINDS:
        if isinstance(sli, kind):
            return fn(sli, step)
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


def _delta(selector: str, step: str) -> str:
    return f"sum(({selector} - {selector} offset {step}) >= 0 or {selector})"


def _event_ratio_deltas(sli: EventRatio, step: str) -> tuple[str, str]:
    total = _delta(sli.total, step)
    if sli.errors is not None:
        return _zero_if_absent(_delta(sli.errors, step), total), total
    good = _zero_if_absent(_delta(sli.good, step), total)
    return f"clamp_min({total} - {good}, 0)", total


def _latency_deltas(sli: LatencyThreshold, step: str) -> tuple[str, str]:
    extra = [sli.matchers] if sli.matchers else []
    le = f"le=~{promql.quote(promql.regex_alternatives(le_values(sli.threshold)))}"
    total = _delta(promql.selector(f"{sli.histogram}_count", extra), step)
    good = _delta(promql.selector(f"{sli.histogram}_bucket", [*extra, le]), step)
    return f"clamp_min({total} - {_zero_if_absent(good, total)}, 0)", total


def _raw_deltas(sli: RawRatio, step: str) -> tuple[str, str]:
    """The escape hatch is the user's own expression over `step`; its exactness is theirs."""
    total = f"sum({sli.total.replace('$window', step)})"
    return _zero_if_absent(f"sum({sli.errors.replace('$window', step)})", total), total


_DELTA_KINDS = ((EventRatio, _event_ratio_deltas), (LatencyThreshold, _latency_deltas), (RawRatio, _raw_deltas))
