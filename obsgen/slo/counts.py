"""PromQL for an SLI's event counts over a window, straight from the raw counters.

One small function per SLI kind. Each returns (errors, total) expressions whose results carry
only the `by` labels. A missing error series (no 5xx yet) counts as zero, not as no data.
"""
from __future__ import annotations

from obsgen import promql
from obsgen.model import EventRatio, LatencyThreshold, NativeLatencyThreshold, RawRatio
from obsgen.sli_selectors import le_values, native_selector


def counts(sli, window: str, by: tuple[str, ...] = ()) -> tuple[str, str]:
    for kind, fn in _KINDS:
        if isinstance(sli, kind):
            return fn(sli, window, by)
    raise TypeError(f"unknown SLI kind {type(sli).__name__}")


def deltas(sli, step: str, lookback: str, by: tuple[str, ...] = ()) -> tuple[str, str]:
    """(errors, total) over the last `step`, summed to one series (one per value of the `by`
    labels: a per-label SLO), never empty when ungrouped.

    Per series, the increase since its last real sample before the interval: the newest
    sample in the interval minus the newest at or before its start, found up to `lookback`
    back. Range selectors skip staleness markers, so a failed scrape, a target down for a
    while or a Prometheus restart within the look-back is bridged, and the increase across
    it is booked once, at the first evaluation that sees a sample again. A counter that went
    down reset: it counts its current value, the increase since the reset. A series with no
    sample in the look-back counts from its first sample, as `increase()` does: a series that
    is only newly visible (a new scrape job, a relabel change) cannot be told from a new
    process, and booking its lifetime value as one interval's increase would page.
    An evaluation that counted nothing records 0, so every tile of every window exists; grouped,
    a label set with no sample in the interval records nothing (its tile counts 0), and one with
    requests but no error series records 0 errors.
    """
    for kind, fn in _DELTA_KINDS:
        if isinstance(sli, kind):
            return fn(sli, step, lookback, tuple(by))
    raise TypeError(f"unknown SLI kind {type(sli).__name__}")


def _grouping(by) -> str:
    return f" by ({', '.join(by)})" if by else ""


def _increase(selector: str, window: str, by: tuple[str, ...]) -> str:
    return f"sum{_grouping(by)} (increase({selector}[{window}]))"


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


def native_good(sli: NativeLatencyThreshold, histograms: str) -> str:
    """Requests at or under the threshold in each histogram of `histograms`, a whole number;
    0 (not NaN) for a histogram with no observations."""
    fraction = f"histogram_fraction(-Inf, {_number(sli.threshold)}, {histograms})"
    return f"(round({fraction} * histogram_count({histograms})) >= 0 or histogram_count({histograms}) * 0)"


def _native(sli: NativeLatencyThreshold, window: str, by) -> tuple[str, str]:
    increase = f"increase({native_selector(sli)}[{window}])"
    total = f"sum{_grouping(by)} (histogram_count({increase}))"
    good = f"sum{_grouping(by)} ({native_good(sli, increase)})"
    return f"({total} - {_zero_if_absent(good, total)})", total


def _raw(sli: RawRatio, window: str, by) -> tuple[str, str]:
    total = sli.total.replace("$window", window)
    errors = sli.errors.replace("$window", window)
    if by:
        grouping = ", ".join(by)
        total, errors = f"sum by ({grouping}) ({total})", f"sum by ({grouping}) ({errors})"
    return _zero_if_absent(errors, total), total


_KINDS = ((EventRatio, _event_ratio), (LatencyThreshold, _latency), (NativeLatencyThreshold, _native),
          (RawRatio, _raw))


def _number(value: float) -> str:
    return repr(int(value)) if float(value).is_integer() else repr(float(value))


def _delta(selector: str, step: str, lookback: str, by=(), value=lambda x: x) -> str:
    """The booked increase of `value` of each series (the series itself, or a count read from
    a native histogram), summed."""
    new = value(f"last_over_time({selector}[{step}])")
    before = value(f"last_over_time({selector}[{lookback}] offset {step})")
    summed = f"sum{_grouping(by)}(({new} - {before}) >= 0 or ({new} and {before}))"
    return f"({summed})" if by else f"({summed} or vector(0))"


def _part(expr: str, total: str, by) -> str:
    """A count beside the total: grouped, a label set with requests but no such series counts 0."""
    return _zero_if_absent(expr, total) if by else expr


def _event_ratio_deltas(sli: EventRatio, step: str, lookback: str, by) -> tuple[str, str]:
    total = _delta(sli.total, step, lookback, by)
    if sli.errors is not None:
        return _part(_delta(sli.errors, step, lookback, by), total, by), total
    return f"clamp_min({total} - {_part(_delta(sli.good, step, lookback, by), total, by)}, 0)", total


def _latency_deltas(sli: LatencyThreshold, step: str, lookback: str, by) -> tuple[str, str]:
    extra = [sli.matchers] if sli.matchers else []
    le = f"le=~{promql.quote(promql.regex_alternatives(le_values(sli.threshold)))}"
    total = _delta(promql.selector(f"{sli.histogram}_count", extra), step, lookback, by)
    good = _part(_delta(promql.selector(f"{sli.histogram}_bucket", [*extra, le]), step, lookback, by), total, by)
    return f"clamp_min({total} - {good}, 0)", total


def _native_deltas(sli: NativeLatencyThreshold, step: str, lookback: str, by) -> tuple[str, str]:
    """The classic form's arithmetic on two counts read from each histogram sample: its count
    and its count under the threshold, each booked with its own reset detection."""
    selector = native_selector(sli)
    total = _delta(selector, step, lookback, by, lambda h: f"histogram_count({h})")
    good = _part(_delta(selector, step, lookback, by, lambda h: native_good(sli, h)), total, by)
    return f"clamp_min({total} - {good}, 0)", total


def _raw_deltas(sli: RawRatio, step: str, lookback: str, by) -> tuple[str, str]:
    """The escape hatch is the user's own expression over `step`; its exactness is theirs."""
    if by:
        grouping = ", ".join(by)
        total = f"sum by ({grouping}) ({sli.total.replace('$window', step)})"
        return _zero_if_absent(f"sum by ({grouping}) ({sli.errors.replace('$window', step)})", total), total
    total = f"(sum({sli.total.replace('$window', step)}) or vector(0))"
    return f"(sum({sli.errors.replace('$window', step)}) or vector(0))", total


_DELTA_KINDS = ((EventRatio, _event_ratio_deltas), (LatencyThreshold, _latency_deltas),
                (NativeLatencyThreshold, _native_deltas), (RawRatio, _raw_deltas))
